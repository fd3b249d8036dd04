"""The career form's inline tables in a real browser: every column in view at a desktop width
(1280 px, the admin's sidebar open), whole names in the autocompletes, and at narrow widths
a table that scrolls inside its own box rather than the page."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_admin_editing import _signed_in
from tests.factories import (
    CertificationFactory,
    FAQFactory,
    RoadmapStepFactory,
    SalaryFigureFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP, NARROW = 1280, 768


def _career_form(browser, live_server, staff, career, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = _signed_in(context.new_page(), live_server, staff)
    page.goto(f"{live_server.url}/admin/careers/career/{career.pk}/change/")
    return page


def _in_view(page, locator) -> bool:
    """Whether `locator` lies inside the window's width once scrolled to vertically only (a
    table's own box is not scrolled sideways)."""
    locator.evaluate("e => window.scrollTo(0, e.getBoundingClientRect().top + scrollY - 200)")
    box = locator.bounding_box()
    return box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]


def _page_scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


@pytest.mark.parametrize("width", [DESKTOP, NARROW])
def test_salary_rows_with_errors_keep_their_delete_boxes_usable(
    browser, live_server, staff, career_with_roadmap, width
):
    career = career_with_roadmap
    SalaryFigureFactory(career=career, country="DE", currency="EUR", level="mid", median=125000)
    SalaryFigureFactory(career=career, country="DE", currency="EUR", level="senior")
    page = _career_form(browser, live_server, staff, career, width)
    rows = page.locator("#salary_figures-group tr.has_original")
    rows.nth(0).locator(".field-country input").fill("QQ")  # no such country
    rows.nth(0).locator(".field-currency input").fill("QQQ")  # no such currency
    rows.nth(1).locator(".field-p25 input").fill("999999")  # above the median
    page.get_by_role("button", name="Save and continue editing").click()

    group = page.locator("#salary_figures-group")
    expect(group.locator(".errorlist")).to_have_count(3)
    deletes = group.locator("tr.has_original td.delete input")
    assert not _page_scrolls_sideways(page)
    if width == DESKTOP:  # every column in view, the amounts whole
        for n in range(2):
            assert _in_view(page, deletes.nth(n)), deletes.nth(n).bounding_box()
        median = group.locator(".field-median input").first
        assert median.evaluate("e => e.scrollWidth <= e.clientWidth")
    else:  # the table scrolls inside its box to the Delete column
        for n in range(2):
            deletes.nth(n).scroll_into_view_if_needed()
            assert _in_view(page, deletes.nth(n)), deletes.nth(n).bounding_box()
            deletes.nth(n).check()
    page.context.close()


def test_a_roadmap_row_shows_a_long_certification_name_whole(
    browser, live_server, staff, career_with_roadmap
):
    name = "Microsoft Certified: Azure AI Engineer Associate (AI-102)"
    RoadmapStepFactory(
        career=career_with_roadmap,
        position=9,
        certification=CertificationFactory(name=name, exam_code="AI-102"),
    )
    page = _career_form(browser, live_server, staff, career_with_roadmap, DESKTOP)

    group = page.locator("#roadmap_steps-group")
    chosen = group.locator(".select2-selection__rendered").filter(has_text=name)
    assert chosen.inner_text().strip().startswith(name)  # the clear button may follow
    assert chosen.evaluate("e => e.scrollWidth <= e.clientWidth")  # nothing cut off
    short = group.locator(".select2-selection__rendered").first.bounding_box()
    assert chosen.bounding_box()["width"] == short["width"]  # the column keeps its width
    assert _in_view(page, group.locator("tr.has_original td.delete input").last)
    assert not _page_scrolls_sideways(page)
    page.context.close()


def test_a_long_faq_title_keeps_its_row_controls_off_the_fields_on_a_phone(
    browser, live_server, staff, career_with_roadmap
):
    """At 390 px a FAQ's title strip stayed 24px high: its question, Delete box and Move
    buttons spilled over the row's "Question:" label beneath."""
    question = "How is an ML engineer different from a data scientist, day to day?"
    FAQFactory(career=career_with_roadmap, question=question, position=1)
    FAQFactory(career=career_with_roadmap, position=2)
    page = _career_form(browser, live_server, staff, career_with_roadmap, 390)

    row = page.locator("#faqs-group .inline-related.has_original").first
    strip = row.locator("h3").bounding_box()
    label = row.locator(".field-question label").first.bounding_box()
    for control in (
        row.locator("h3 .inline_label"),
        row.get_by_label("Delete"),
        row.locator(".sort-step").first,
    ):
        box = control.bounding_box()
        assert box["y"] + box["height"] <= strip["y"] + strip["height"] + 1, (box, strip)
    assert strip["y"] + strip["height"] <= label["y"], (strip, label)
    page.get_by_role("button", name="Move down").first.click()
    page.context.close()

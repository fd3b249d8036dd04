"""An editor's paths through the admin in a real browser."""

import pytest
from django.test import Client
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    return page


def _roadmap(career):
    return list(
        career.roadmap_steps.order_by("position").values_list("certification__name", flat=True)
    )


def test_an_editor_reorders_a_roadmap_from_the_keyboard(
    page, live_server, staff, career_with_roadmap
):
    first, second, third = _roadmap(career_with_roadmap)
    _signed_in(page, live_server, staff)
    page.goto(f"{live_server.url}/admin/careers/career/{career_with_roadmap.pk}/change/")
    rows = page.locator("#roadmap_steps-group tr.has_original")

    # The third step up twice, without a mouse: focus stays on the button and each move is told.
    rows.nth(2).get_by_role("button", name="Move up").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_attribute("aria-label", "Move up")
    expect(page.locator("#roadmap_steps-group [role=status]")).to_have_text(
        "Moved to position 1 of 3."
    )
    # The first step's "Move to last position" icon is reached with Tab and pressed with Space.
    rows.nth(1).get_by_role("button", name="Move down").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_attribute("aria-label", "Move to last position")
    page.keyboard.press(" ")
    page.get_by_role("button", name="Save and continue editing").click()

    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert _roadmap(career_with_roadmap) == [third, second, first]


def test_an_editor_without_javascript_reorders_by_typing_positions(
    browser, page, live_server, staff, career_with_roadmap
):
    from tests.factories import FAQFactory

    first, second, third = _roadmap(career_with_roadmap)
    for n in (1, 2):
        FAQFactory(career=career_with_roadmap, position=n, question=f"Question {n}?")
    url = f"{live_server.url}/admin/careers/career/{career_with_roadmap.pk}/change/"
    context = browser.new_context(java_script_enabled=False)
    plain = _signed_in(context.new_page(), live_server, staff)
    plain.goto(url)
    expect(plain.locator("#roadmap_steps-group th.column-position")).to_have_text("Position")
    rows = plain.locator("#roadmap_steps-group tr.has_original")
    rows.nth(2).locator("input[name$='-position']").fill("1")  # the third step first
    faq = plain.locator("#faqs-group .inline-related.has_original").nth(1)
    faq.locator("input[name$='-position']").fill("1")  # the second FAQ first
    plain.get_by_role("button", name="Save and continue editing").click()
    expect(plain.locator(".messagelist")).to_contain_text("was changed successfully")
    assert _roadmap(career_with_roadmap) == [third, first, second]
    faqs = career_with_roadmap.faqs.order_by("position").values_list("question", flat=True)
    assert list(faqs) == ["Question 2?", "Question 1?"]
    context.close()

    # With JavaScript the boxes are gone: rows are dragged or moved with the buttons.
    _signed_in(page, live_server, staff).goto(url)
    expect(page.locator("#roadmap_steps-group tr.has_original").first).to_be_visible()
    expect(page.locator("#roadmap_steps-group th.column-position")).to_be_hidden()
    expect(page.locator("#roadmap_steps-group input[name$='-position']").first).to_be_hidden()
    expect(page.locator("#faqs-group .form-row.field-position").first).to_be_hidden()


def test_an_editor_filters_the_salary_list_by_typing_a_careers_name(page, live_server, staff):
    from tests.factories import CareerFactory, SalaryFigureFactory

    for n in range(30):  # a list of links would be 30 long; the filter stays one field
        SalaryFigureFactory(career=CareerFactory(title=f"Career number {n}"))
    SalaryFigureFactory(career=CareerFactory(title="Robotics Engineer"), median=91000)
    _signed_in(page, live_server, staff)
    page.goto(f"{live_server.url}/admin/careers/salaryfigure/?year=2026")

    sidebar = page.locator("#changelist-filter")
    sidebar.locator(".autocomplete-filter .select2-selection").click()
    page.locator(".select2-search__field").fill("robot")
    page.get_by_role("option", name="Robotics Engineer").click()
    sidebar.get_by_role("button", name="Filter").click()

    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list tbody")).to_contain_text("Robotics Engineer")
    assert "year=2026" in page.url  # the other filters are kept
    expect(sidebar.locator(".select2-selection__rendered")).to_contain_text("Robotics Engineer")
    sidebar.get_by_role("link", name="All").first.click()
    expect(page.locator("#result_list tbody tr")).to_have_count(31)


@pytest.mark.parametrize("javascript", [False, True])
def test_an_editor_adds_a_salary_figure_picking_its_career(browser, live_server, staff, javascript):
    """Without JavaScript the career box was empty (select2 fills it as one types), so the
    figure's own add page could not save one; with it, the career is still searched."""
    from careers.models import SalaryFigure
    from tests.factories import CareerFactory

    CareerFactory(title="Data Engineer")
    robotics = CareerFactory(title="Robotics Engineer")
    context = browser.new_context(java_script_enabled=javascript)
    try:
        page = _signed_in(context.new_page(), live_server, staff)
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/admin/careers/salaryfigure/add/")
        if javascript:
            page.locator(".field-career .select2-selection").click()
            page.locator(".select2-search__field").fill("robot")
            page.get_by_role("option", name="Robotics Engineer").click()
        else:
            page.get_by_label("Career").select_option(label="Robotics Engineer")
        page.get_by_label("Country").fill("GB")
        page.get_by_label("Level").select_option("mid")
        page.get_by_label("Median").fill("85000")
        page.get_by_label("Currency").fill("GBP")
        page.get_by_label("Year").fill("2026")
        page.locator("#id_source_name").fill("Example survey")
        page.get_by_role("button", name="Save", exact=True).click()

        expect(page.locator(".messagelist")).to_contain_text("was added successfully")
        assert SalaryFigure.objects.get().career == robotics
    finally:
        context.close()

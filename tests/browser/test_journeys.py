"""A visitor's path through the site in a real browser."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CAREER_SECTIONS = [
    "Career overview",
    "Who it suits",
    "What you will do",
    "Certification roadmap",
    "Salary progression",
    "Top employers hiring",
    "A day in the life",
    "Frequently asked questions",
    "Where to start",
]
CERTIFICATION_COMPARE = (
    "/certifications/compare/?certifications=aws-certified-ai-practitioner"
    "&certifications=aws-certified-machine-learning-engineer-associate"
    "&certifications=databricks-certified-machine-learning-associate"
)


def test_a_visitor_searches_mlflow_reaches_the_career_and_its_first_certification(
    page, live_server, ai_ml_engineer
):
    # Anything the Content-Security-Policy blocks (an inline style or script) shows here.
    console_errors = []
    page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Find your path")
    page.get_by_label("Search careers, certifications or exam codes").fill("MLflow")
    page.get_by_label("Search careers, certifications or exam codes").press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q=MLflow"))
    # The Databricks exam mentions MLflow; the career is found through its roadmap.
    expect(page.locator("#certification-results")).to_contain_text(
        "Databricks Certified Machine Learning Associate"
    )
    page.locator("#career-results").get_by_role("link", name="AI / ML Engineer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("AI / ML Engineer")
    for section in CAREER_SECTIONS:
        expect(page.get_by_role("heading", name=section, exact=True)).to_be_visible()
    chart = page.locator("#salaries svg").first
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] > 150
    assert chart.locator("rect").count() == 4  # one bar per level
    expect(page.locator("#salaries table")).to_contain_text("$150,000")

    cta = page.locator("section", has=page.get_by_role("heading", name="Where to start"))
    cta.get_by_role("link", name=re.compile("AWS Certified AI Practitioner")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("AWS Certified AI Practitioner")
    expect(page.locator(".cp-exam-facts")).to_contain_text("AIF-C01")
    assert console_errors == []


def test_a_certification_page_links_to_its_step_on_each_career(page, live_server, ai_ml_engineer):
    step = ai_ml_engineer.roadmap_steps.get(position=4)
    page.goto(live_server.url + step.certification.get_absolute_url())
    uses = page.locator("section", has=page.get_by_role("heading", name="Careers whose roadmap"))
    expect(uses).to_contain_text("Step 4")
    uses.get_by_role("link", name="AI / ML Engineer").click()
    expect(page).to_have_url(re.compile(r"/careers/ai-ml-engineer/#step-4$"))
    expect(page.locator("#step-4")).to_contain_text(step.certification.name)
    expect(page.locator("#step-4")).to_be_in_viewport()


def test_a_visitor_filters_the_career_list_without_javascript(browser, live_server, ai_ml_engineer):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/careers/")
    page.get_by_label("Sort by").select_option("salary")
    page.get_by_label("Search careers", exact=True).fill("engineer")
    page.get_by_role("button", name="Show careers").click()
    expect(page).to_have_url(re.compile(r"sort=salary"))
    titles = page.locator(".cp-card h3").all_inner_texts()
    assert titles == ["AI / ML Engineer", "Data Engineer"]
    context.close()


def test_a_visitor_compares_two_careers(page, live_server, ai_ml_engineer):
    page.goto(live_server.url + "/careers/compare/")
    first = page.get_by_role("combobox", name="First career")
    # Each box offers the careers as suggestions (one shared list), named by its label.
    expect(first).to_have_attribute("list", "career-choices")
    expect(page.locator("#career-choices option[value='Data Engineer']")).to_have_count(1)
    first.fill("AI / ML Engineer")
    page.keyboard.press("Tab")
    page.keyboard.type("data engineer")  # any case, as typed
    page.keyboard.press("Enter")
    table = page.get_by_role("table")
    expect(table).to_contain_text("Mid salary")
    expect(table).to_contain_text("$150,000")
    expect(table).to_contain_text("$140,000")
    shared = page.locator("section", has=page.get_by_role("heading", name="Shared certifications"))
    expect(shared).to_contain_text("Databricks Certified Machine Learning Associate")


def test_a_visitor_picking_one_career_on_a_phone_is_offered_careers_to_compare_it_with(
    browser, live_server, ai_ml_engineer
):
    from tests.factories import CareerFactory

    CareerFactory(title="Machine Learning Platform Reliability And Operations Engineer")
    CareerFactory(title="Draft Role", status="draft")
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + "/careers/compare/")
    page.get_by_role("combobox", name="First career").fill("AI / ML Engineer")
    page.keyboard.press("Enter")

    related = page.get_by_role("region", name="Related careers")
    expect(related.get_by_role("listitem")).to_have_count(2)
    expect(related).not_to_contain_text("Draft Role")
    expect(related).not_to_contain_text("Compare with AI / ML Engineer")
    sizes = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert sizes[0] <= sizes[1], sizes
    # The longest title wraps inside its button rather than overflowing the screen.
    box = related.get_by_role("link", name=re.compile("Reliability")).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360, box
    related.get_by_role("link", name="Compare with Data Engineer").click()
    expect(page.get_by_role("table")).to_contain_text("Mid salary")
    expect(page.get_by_role("columnheader", name="Data Engineer")).to_be_visible()
    context.close()


def test_a_visitor_ticks_two_certifications_in_the_catalogue_and_compares_them(
    page, live_server, ai_ml_engineer
):
    page.goto(live_server.url + "/certifications/")
    cards = page.locator(".cp-card")
    names = cards.locator("h3").all_inner_texts()[:2]
    for name in names:
        page.get_by_role("checkbox", name=f"Compare {name}").check()
    page.get_by_role("button", name="Compare (2)").first.click()
    expect(page).to_have_url(re.compile(r"/certifications/compare/\?certifications=.+&"))
    headers = page.get_by_role("table").locator("thead th")
    expect(headers).to_have_count(2)
    for name in names:
        expect(page.get_by_role("table")).to_contain_text(name)
    # The picker holds the two choices by name, ready to change the comparison.
    page.get_by_text("Change the comparison").click()
    second = page.get_by_label("Second certification")
    expect(second).to_have_value(re.compile("^" + re.escape(names[1]) + r"( \(.+\))?$"))
    third = page.get_by_role("combobox", name="Third (optional)")
    expect(third).to_have_attribute("list", "certification-choices")
    offered = page.locator("#certification-choices option").evaluate_all(
        "options => options.map(option => option.value)"
    )
    third.fill(next(o for o in offered if not o.startswith((names[0], names[1]))))
    third.press("Enter")
    expect(page.get_by_role("table").locator("thead th")).to_have_count(3)


def test_the_catalogue_counts_ticks_and_refuses_a_fourth(page, live_server, ai_ml_engineer):
    page.goto(live_server.url + "/certifications/")
    boxes = page.get_by_role("checkbox", name=re.compile(r"^Compare "))
    button = page.get_by_role("button", name=re.compile(r"^Compare")).first
    for n in range(3):
        boxes.nth(n).check()
    expect(button).to_have_text("Compare (3)")
    boxes.nth(3).click()
    expect(boxes.nth(3)).not_to_be_checked()
    expect(page.get_by_role("status")).to_have_text("You can compare at most three at a time.")
    expect(button).to_have_text("Compare (3)")
    boxes.nth(0).uncheck()
    expect(button).to_have_text("Compare (2)")
    expect(page.get_by_role("status")).to_have_text("")


@pytest.mark.parametrize("javascript", [True, False])
def test_ticks_made_on_one_catalogue_page_are_kept_on_the_next(
    browser, live_server, db, javascript
):
    # Without JavaScript each page is a button of the compare form, which sends the ticks.
    from tests.factories import CertificationFactory

    for n in range(14):  # two pages of twelve
        CertificationFactory(name=f"Exam {n:02d}")
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/certifications/?sort=name")
    page.get_by_role("checkbox", name="Compare Exam 00").check()
    page.get_by_role("link" if javascript else "button", name="Next").click()
    expect(page).to_have_url(re.compile(r"\?(.+&)?sort=name&.*page=2"))
    expect(page.get_by_text("Also ticked on other pages: Exam 00")).to_be_visible()
    page.get_by_role("checkbox", name="Compare Exam 13").check()
    # The button under the list, where a visitor on a phone has just ticked.
    page.get_by_role("button", name="Compare (2)" if javascript else "Compare").last.click()
    headers = page.get_by_role("table").locator("thead th")
    expect(headers).to_have_count(2)
    expect(page.get_by_role("table")).to_contain_text("Exam 00")
    expect(page.get_by_role("table")).to_contain_text("Exam 13")
    if javascript:
        # Back on the catalogue, the ticks are still there, also after changing the sort.
        page.go_back()
        expect(page.get_by_role("checkbox", name="Compare Exam 13")).to_be_checked()
        page.get_by_label("Sort by").select_option("fee")
        page.get_by_role("button", name="Show certifications").click()
        expect(page).to_have_url(re.compile(r"sort=fee"))
        expect(page.get_by_role("button", name="Compare (2)").first).to_be_visible()
        # A tick made on another page can be taken back from this one.
        page.get_by_role("checkbox", name=re.compile(r"^Exam 13")).uncheck()
        expect(page.get_by_role("button", name="Compare (1)").first).to_be_visible()
    else:
        # Back on the catalogue, a tick made there goes along with a change of the sort.
        page.go_back()
        page.get_by_role("checkbox", name="Compare Exam 12").check()
        page.get_by_label("Sort by").select_option("fee")
        page.get_by_role("button", name="Show certifications").click()
        expect(page).to_have_url(re.compile(r"sort=fee"))
        # On this page or among those ticked on other pages, wherever the sort put them.
        for exam in ("Exam 00", "Exam 12"):
            expect(page.get_by_role("checkbox", name=re.compile(exam))).to_be_checked()
    context.close()


def test_a_page_link_clicked_before_the_catalogue_script_runs_keeps_the_filters(
    browser, live_server, db
):
    # compare.js is deferred: until it runs, the page links are buttons of the compare form.
    from tests.factories import CertificationFactory

    for n in range(14):
        CertificationFactory(name=f"Exam {n:02d}")
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.route("**/compare*.js", lambda route: route.abort())  # a script that never comes
    page.goto(live_server.url + "/certifications/?sort=name")
    page.get_by_role("checkbox", name="Compare Exam 01").check()
    page.get_by_role("button", name="Next").click()
    expect(page).to_have_url(re.compile(r"sort=name&.*page=2"))
    expect(page.get_by_text("Also ticked on other pages: Exam 01")).to_be_visible()
    expect(page.locator(".cp-card h3").first).to_have_text("Exam 12")
    context.close()


@pytest.mark.parametrize(
    "path",
    ["/careers/compare/?careers=ai-ml-engineer&careers=data-engineer", CERTIFICATION_COMPARE],
)
def test_on_a_phone_row_names_stay_in_view_while_a_comparison_scrolls(
    browser, live_server, ai_ml_engineer, path
):
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + path)
    scroller = page.locator(".table-responsive")
    row_name = scroller.locator('th[scope="row"]').first
    left = row_name.bounding_box()["x"]
    scroller.evaluate("element => { element.scrollLeft = 200; }")
    assert scroller.evaluate("element => element.scrollLeft") > 0  # it does scroll
    assert row_name.bounding_box()["x"] == left
    context.close()


def test_the_site_follows_a_dark_system_theme(browser, live_server, ai_ml_engineer):
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("data-bs-theme") == "dark"
    # A toggle button: its name stays, its pressed state says which theme is on.
    page.get_by_role("button", name="Dark theme", pressed=True).click()
    assert page.locator("html").get_attribute("data-bs-theme") == "light"
    expect(page.get_by_role("button", name="Dark theme", pressed=False)).to_be_visible()
    context.close()


def test_screenshots_for_review(screenshot, ai_ml_engineer):
    for path, name in [
        ("/", "home"),
        ("/careers/", "career-list"),
        ("/careers/ai-ml-engineer/", "career-page"),
        ("/certifications/", "certification-list"),
        (ai_ml_engineer.roadmap_steps.first().certification.get_absolute_url(), "certification"),
        ("/search/?q=MLflow", "search"),
        ("/careers/compare/?careers=ai-ml-engineer&careers=data-engineer", "compare"),
        ("/careers/compare/?careers=ai-ml-engineer", "compare-one-pick"),
        (CERTIFICATION_COMPARE, "certification-compare"),
        ("/employers/", "employers"),
        ("/no-such-page/", "not-found"),
    ]:
        screenshot(path, name)


def test_no_public_page_scrolls_sideways_on_a_phone(browser, live_server, ai_ml_engineer):
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    wide = []
    for path in [
        "/",
        "/careers/",
        "/careers/ai-ml-engineer/",
        "/careers/compare/?careers=ai-ml-engineer&careers=data-engineer",
        "/careers/compare/?careers=ai-ml-engineer",
        CERTIFICATION_COMPARE,
        "/certifications/",
        ai_ml_engineer.roadmap_steps.first().certification.get_absolute_url(),
        "/employers/",
        "/search/?q=MLflow",
        "/search/?q=nothing-like-this",
    ]:
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            wide.append(f"{path}: {width}px")
    context.close()
    assert not wide, wide


def test_comparing_exams_with_official_pages_does_not_scroll_sideways_on_a_phone(
    browser, live_server
):
    """Each "Official page" link carries visually hidden words for screen readers; they must
    stay inside the table's own scroll box instead of widening the page."""
    from tests.factories import CertificationFactory

    slugs = []
    for n in range(3):
        certification = CertificationFactory(
            name=f"Certified Kubernetes Application Developer With A Long Name {n}",
            official_url=f"https://example.com/exams/{n}/",
        )
        slugs.append(certification.slug)
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(
        live_server.url
        + "/certifications/compare/?"
        + "&".join(f"certifications={s}" for s in slugs)
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 360


def test_comparison_row_names_fit_their_column_on_a_phone(browser, live_server, ai_ml_engineer):
    """Row names stay in a narrow sticky column while a comparison scrolls: a long one wraps
    instead of running into the first cell ("PrerequisitesNone")."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + CERTIFICATION_COMPARE)
    overflowing = page.eval_on_selector_all(
        '.cp-compare-table th[scope="row"]',
        "cells => cells.filter(c => c.scrollWidth > c.clientWidth).map(c => c.textContent)",
    )
    context.close()
    assert overflowing == []


def test_a_visitor_opening_the_sitemap_reads_its_pages_and_nothing_is_blocked(
    page, live_server, ai_ml_engineer
):
    # Chrome's own XML viewer styles the tree inline, which the Content-Security-Policy blocks
    # (two errors a sitemap); the site's stylesheet draws it instead, under the same policy.
    console_errors = []
    page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
    page.goto(live_server.url + "/sitemap.xml")
    expect(page.locator("sitemapindex")).to_contain_text("/sitemap-careers.xml")
    page.goto(live_server.url + "/sitemap-careers.xml")
    expect(page.locator("urlset")).to_contain_text("/careers/ai-ml-engineer/")
    assert console_errors == []
    # One page a line, as the stylesheet lays them out.
    assert page.locator("url").first.evaluate("e => getComputedStyle(e).display") == "block"

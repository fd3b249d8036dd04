"""What the QA sweep (WCAG 2.2 AA) measured in Chromium, checked as computed by the browser:
focus rings, field edges and text contrast in both themes, tables and charts at 320 px, and
confirmations and errors shown where the learner is."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACCENT = {"light": (37, 99, 235), "dark": (122, 162, 255)}  # --cp-accent
BACKGROUND = {"light": (255, 255, 255), "dark": (33, 37, 41)}  # --bs-body-bg
CAREER_COMPARE = "/careers/compare/?careers=ai-ml-engineer&careers=data-engineer"
CERTIFICATION_COMPARE = (
    "/certifications/compare/?certifications=aws-certified-ai-practitioner"
    "&certifications=aws-certified-machine-learning-engineer-associate"
    "&certifications=databricks-certified-machine-learning-associate"
)


def _rgb(css):
    return tuple(int(float(n)) for n in re.findall(r"[\d.]+", css)[:3])


def _luminance(rgb):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _blend(rgb, background, opacity):
    pairs = zip(rgb, background, strict=True)
    return tuple(round(opacity * front + (1 - opacity) * back) for front, back in pairs)


def _context(browser, width=1280, scheme="light", **options):
    return browser.new_context(
        viewport={"width": width, "height": 800}, color_scheme=scheme, **options
    )


def _sign_in(context, live_server, user):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def _tab_to(page, selector, presses=60):
    """Press Tab until `selector` has focus, as a keyboard user gets there."""
    target = page.locator(selector)
    for _ in range(presses):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return target
    raise AssertionError(f"Tab never reached {selector}")


def _outline(locator):
    return locator.evaluate(
        """element => { const s = getComputedStyle(element);
        return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.outlineOffset]; }"""
    )


def _assert_ring(locator, scheme):
    style, width, color, offset = _outline(locator)
    assert (style, width, offset) == ("solid", "3px", "2px"), (style, width, offset)
    assert _rgb(color) == ACCENT[scheme]
    assert contrast(_rgb(color), BACKGROUND[scheme]) >= 3


@pytest.mark.parametrize("path", ["/careers/", "/careers/ai-ml-engineer/"])
def test_the_current_menu_item_shows_the_focus_ring(browser, live_server, ai_ml_engineer, path):
    context = _context(browser)
    try:
        page = context.new_page()
        page.goto(live_server.url + path)
        current = _tab_to(page, ".site-links .nav-link[aria-current]")
        assert current.inner_text() == "Careers"
        _assert_ring(current, "light")
        other = _tab_to(page, ".site-links .nav-link:not([aria-current]) >> nth=0", 3)
        _assert_ring(other, "light")
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_fields_buttons_and_page_links_show_a_strong_ring_and_edge(
    browser, live_server, ai_ml_engineer, scheme
):
    from tests.factories import CertificationFactory

    CertificationFactory.create_batch(30)  # a second page of the catalogue
    context = _context(browser, scheme=scheme)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/certifications/")
        for selector in ["#site-search-q", ".site-search .btn", ".form-select", ".page-link"]:
            _assert_ring(_tab_to(page, f"{selector} >> nth=0", 120), scheme)
        # Each kind of field's edge, unfocused, against the page.
        page.mouse.click(5, 5)
        for selector in [".form-control", ".form-select", "input.form-check-input"]:
            edge = page.locator(selector).first.evaluate(
                "element => getComputedStyle(element).borderTopColor"
            )
            assert contrast(_rgb(edge), BACKGROUND[scheme]) >= 3, (selector, edge)
        ticked = page.locator("input[form=compare-picks]").first
        ticked.check()
        edge = ticked.evaluate("element => getComputedStyle(element).borderTopColor")
        assert contrast(_rgb(edge), BACKGROUND[scheme]) >= 3, ("ticked", edge)
    finally:
        context.close()


@pytest.mark.parametrize("width", [320, 640])
@pytest.mark.parametrize("path", [CAREER_COMPARE, CERTIFICATION_COMPARE])
def test_comparisons_on_a_phone_keep_row_names_and_caption_readable(
    browser, live_server, ai_ml_engineer, path, width
):
    context = _context(browser, width=width)
    try:
        page = context.new_page()
        page.goto(live_server.url + path)
        for header in page.locator(".cp-compare-table th[scope=row]").all():
            width, lines = header.evaluate(
                """th => { const range = document.createRange(); range.selectNodeContents(th);
                const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                return [th.getBoundingClientRect().width, tops.size]; }"""
            )
            name = header.inner_text()
            assert width >= 100, (name, width)
            assert lines <= len(name.split()), (name, lines)  # whole words, never letters
        scroller = page.locator(".table-responsive")
        caption = page.locator(".cp-compare-table caption")
        outer, inner = scroller.bounding_box(), caption.bounding_box()
        assert inner["x"] >= outer["x"] - 1
        assert inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 1
        # The box scrolls at 320 px: a keyboard stop, named by the caption.
        if scroller.evaluate("box => box.scrollWidth > box.clientWidth"):
            assert scroller.get_attribute("tabindex") == "0"
            expect(page.get_by_role("region", name=caption.inner_text())).to_be_visible()
    finally:
        context.close()


def test_a_table_that_fits_leaves_the_tab_order(browser, live_server, ai_ml_engineer):
    context = _context(browser, width=1280)
    try:
        page = context.new_page()
        page.goto(live_server.url + CAREER_COMPARE)
        expect(page.locator(".table-responsive")).not_to_have_attribute("tabindex", "0")
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_salary_chart_fits_a_320px_screen_with_bars_that_stand_out(
    browser, live_server, ai_ml_engineer, scheme
):
    context = _context(browser, width=320, scheme=scheme)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/careers/ai-ml-engineer/")
        chart = page.locator("figure.salary-chart").first
        sizes = chart.evaluate("figure => [figure.scrollWidth, figure.clientWidth]")
        assert sizes[0] <= sizes[1], sizes
        labels = chart.locator(".salary-value")
        last = labels.last.bounding_box()
        svg = chart.locator("svg").bounding_box()
        assert last["x"] + last["width"] <= svg["x"] + svg["width"]
        size = labels.first.evaluate("text => text.getBoundingClientRect().height")
        assert size >= 11  # still readable, not shrunk away
        background = _rgb(chart.evaluate("figure => getComputedStyle(figure).backgroundColor"))
        for bar in chart.locator(".salary-bar").all():
            fill, opacity = bar.evaluate(
                "bar => [getComputedStyle(bar).fill, getComputedStyle(bar).opacity]"
            )
            shade = _blend(_rgb(fill), background, float(opacity))
            assert contrast(shade, background) >= 3, (fill, opacity)
    finally:
        context.close()


def test_on_track_and_behind_read_in_the_dark_theme(browser, live_server, ai_ml_engineer, learner):
    from certifications.models import LearnerProfile
    from certifications.services.progress import career_follow

    career_follow(user=learner, career=ai_ml_engineer)
    today = timezone.localdate()
    profile, _ = LearnerProfile.objects.get_or_create(user=learner)
    context = _context(browser, scheme="dark")
    try:
        _sign_in(context, live_server, learner)
        page = context.new_page()
        for hours, days, state in [(1, 30, "is-behind"), (40, 3000, "is-on-track")]:
            profile.weekly_hours, profile.target_date = hours, today + datetime.timedelta(days)
            profile.save()
            page.goto(live_server.url + "/dashboard/")
            track = page.locator(f".learner-track.{state}").first
            color, background = track.evaluate(
                """element => { let box = element;
                while (getComputedStyle(box).backgroundColor === 'rgba(0, 0, 0, 0)') {
                    box = box.parentElement; }
                return [getComputedStyle(element).color,
                        getComputedStyle(box).backgroundColor]; }"""
            )
            assert contrast(_rgb(color), _rgb(background)) >= 4.5, (state, color, background)
    finally:
        context.close()


def test_a_refused_plan_on_a_phone_opens_at_the_form_with_an_alert(browser, live_server, learner):
    context = _context(browser, width=375)
    try:
        _sign_in(context, live_server, learner)
        page = context.new_page()
        page.goto(live_server.url + "/dashboard/")
        page.get_by_label("Target date").fill("2020-06-01")
        page.get_by_role("button", name="Save plan").click()
        page.wait_for_url("**/dashboard/plan/#plan")
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("Target date")
        expect(alert).to_be_in_viewport()
        assert page.title().startswith("Error: ")
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_saving_a_step_shows_and_focuses_the_confirmation_there(
    browser, live_server, ai_ml_engineer, learner, javascript
):
    context = _context(browser, width=375, java_script_enabled=javascript)
    try:
        _sign_in(context, live_server, learner)
        page = context.new_page()
        page.goto(live_server.url + "/careers/ai-ml-engineer/")
        page.get_by_role("button", name="Follow this career").click()
        followed = page.get_by_text("You follow AI / ML Engineer")
        expect(followed).to_be_in_viewport()
        if javascript:
            expect(page.locator(".placed-messages")).to_be_focused()

        step = page.locator("#step-5")
        step.get_by_text("Update my progress").click()
        step.get_by_label("Status").select_option("studying")
        step.get_by_role("button", name="Save").click()
        page.wait_for_url("**#step-5")
        confirmation = page.locator("#step-5 .placed-messages")
        expect(confirmation).to_contain_text(": studying.")
        expect(confirmation).to_be_in_viewport()
        if javascript:
            expect(confirmation).to_be_focused()
    finally:
        context.close()


def test_a_fourth_compare_tick_is_refused_beside_it(browser, live_server, ai_ml_engineer):
    context = _context(browser, width=1280)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/certifications/")
        ticks = page.locator("input[form=compare-picks]")
        for index in range(3):
            ticks.nth(index).check()
        fourth = ticks.nth(3)
        fourth.click()
        expect(fourth).not_to_be_checked()
        note = page.locator(f"#{fourth.get_attribute('id')}-refused")
        expect(note).to_have_text("You can compare at most three at a time.")
        expect(note).to_be_in_viewport()
        expect(page.get_by_role("status").filter(has_text="at most three")).to_have_count(1)
        ticks.nth(0).uncheck()
        expect(note).to_be_hidden()
    finally:
        context.close()


PASTED = "https://www.example.com/training/machine-learning/certified-engineer-associate"


@pytest.mark.parametrize(
    "path",
    [
        f"/search/?q={PASTED}",
        f"/careers/?q={PASTED}",
        f"/certifications/?q={PASTED}",
        f"/careers/compare/?careers={PASTED}",
        f"/certifications/compare/?certifications={PASTED}",
    ],
)
def test_a_pasted_address_echoed_back_never_scrolls_a_phone_sideways(
    browser, live_server, ai_ml_engineer, path
):
    context = _context(browser, width=320)
    try:
        page = context.new_page()
        page.goto(live_server.url + path)
        expect(page.locator("main")).to_contain_text("“https://www.example.com/training")
        sizes = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert sizes[0] <= sizes[1], sizes
    finally:
        context.close()


# Longer than a 320 px line in any font: a compound word as German writes them, the longest
# handle a learner may choose (40 letters, in their page's address on the settings page).
COMPOUND = "Rechenzentrumsinfrastrukturbetriebsingenieurzertifizierungsprüfung"
HANDLE = "a-learner-handle-of-forty-letters-long-x"


@pytest.fixture
def long_words(learner):
    """A career, certification, provider and employer named by one long word each, followed,
    booked and passed by a learner who shares their page under the longest handle."""
    from certifications.models import CareerFollow, CertificationProgress, LearnerProfile
    from tests.factories import (
        CareerFactory,
        CertificationFactory,
        EmployerFactory,
        HiringFactory,
        ProviderFactory,
        RoadmapStepFactory,
    )

    provider = ProviderFactory(name=f"{COMPOUND}sanbieter")
    careers = [CareerFactory(title=f"{COMPOUND}{n}", slug=f"long-{n}") for n in (1, 2)]
    certifications = [
        CertificationFactory(name=f"{COMPOUND}{n}", slug=f"long-exam-{n}", provider=provider)
        for n in (1, 2)
    ]
    for career in careers:
        for position, certification in enumerate(certifications):
            RoadmapStepFactory(career=career, certification=certification, position=position)
        employer = EmployerFactory(name=f"{COMPOUND}sgesellschaft {career.pk}")
        HiringFactory(career=career, employer=employer)
        CareerFollow.objects.create(user=learner, career=career)
    LearnerProfile.objects.create(user=learner, handle=HANDLE, is_public=True)
    first, second = certifications
    today = timezone.localdate()
    CertificationProgress.objects.create(
        user=learner, certification=first, status="passed", passed_on=today
    )
    CertificationProgress.objects.create(
        user=learner, certification=second, status="booked", exam_date=today
    )
    return careers, certifications


def test_a_word_longer_than_a_phone_is_wide_never_scrolls_the_page_sideways(
    browser, live_server, learner, long_words
):
    paths = [
        "/careers/long-1/",
        "/certifications/long-exam-1/",
        f"/u/{HANDLE}/",
        "/careers/compare/?careers=long-1&careers=long-2",
        "/certifications/compare/?certifications=long-exam-1&certifications=long-exam-2",
        "/certifications/",
        "/employers/",
    ]
    signed_in = ["/dashboard/", "/careers/long-1/", "/accounts/settings/"]
    for who, urls in (("visitor", paths), ("learner", signed_in)):
        context = _context(browser, width=320)
        if who == "learner":
            _sign_in(context, live_server, learner)
        try:
            page = context.new_page()
            for path in urls:
                page.goto(live_server.url + path)
                shown = HANDLE if path == "/accounts/settings/" else COMPOUND[:20]
                expect(page.locator("main")).to_contain_text(shown)
                sizes = page.evaluate(
                    "() => [document.documentElement.scrollWidth,"
                    " document.documentElement.clientWidth]"
                )
                assert sizes[0] <= sizes[1], (who, path, sizes)
            if who == "learner":
                # The button beside a long title keeps its word whole.
                page.goto(live_server.url + "/dashboard/")
                unfollow = page.get_by_role("button", name=f"Unfollow {COMPOUND}1")
                assert unfollow.evaluate("b => b.getClientRects().length") == 1
                assert unfollow.bounding_box()["height"] < 40
        finally:
            context.close()


# Tables an editor writes in Markdown: eight columns of exam facts, and a long word in a cell.
WIDE_TABLE = (
    "| " + " | ".join(f"Exam fact {n}" for n in range(8)) + " |\n"
    "|" + "---|" * 8 + "\n"
    "| " + " | ".join(["$150 USD"] * 8) + " |\n"
)
LONG_WORD_TABLE = f"| Exam | Covers |\n|---|---|\n| {COMPOUND} | Operations |\n"


def test_a_table_an_editor_writes_scrolls_in_its_own_box_on_a_phone(browser, live_server):
    from tests.factories import (
        CareerFactory,
        CertificationFactory,
        FAQFactory,
        RoadmapStepFactory,
    )

    tables = f"Before the tables.\n\n{WIDE_TABLE}\n{LONG_WORD_TABLE}"
    career = CareerFactory(slug="with-tables", overview=tables, suitability=tables)
    certification = CertificationFactory(slug="exam-with-tables", description=tables)
    RoadmapStepFactory(career=career, certification=certification)
    FAQFactory(career=career, answer=tables)
    context = _context(browser, width=320)
    try:
        page = context.new_page()
        for path, count in (("/careers/with-tables/", 6), ("/certifications/exam-with-tables/", 2)):
            page.goto(live_server.url + path)
            page.locator("details").evaluate_all("all => all.forEach(d => { d.open = true; })")
            sizes = page.evaluate(
                "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert sizes[0] <= sizes[1], (path, sizes)
            tables = page.locator("main table")
            expect(tables).to_have_count(count)
            for n in range(count):
                table = tables.nth(n)
                # Inside the screen, scrolling its own columns, and a stop for the arrow keys.
                assert table.evaluate("t => t.getBoundingClientRect().right") <= 320
                assert table.evaluate("t => t.scrollWidth > t.clientWidth"), (path, n)
                expect(table).to_have_attribute("tabindex", "0")
                expect(table.get_by_role("cell").first).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize("width", [320, 375])
def test_the_home_search_box_says_what_it_finds_in_full_on_a_phone(browser, live_server, width):
    """Its label is for screen readers only, so what the box finds is shown beside it, and its
    placeholder is not cut off ("Career, certific" at 320 px)."""
    context = _context(browser, width=width)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        box = page.locator("#home-q")
        hint = page.locator("#" + box.get_attribute("aria-describedby"))
        expect(hint).to_be_visible()
        expect(hint).to_contain_text("exam code")
        edge = hint.evaluate("hint => [hint.scrollWidth, hint.clientWidth]")
        assert edge[0] <= edge[1], edge
        text_width, room = box.evaluate(
            """box => { const s = getComputedStyle(box);
            const ctx = document.createElement("canvas").getContext("2d");
            ctx.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
            const room = box.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
            return [ctx.measureText(box.placeholder).width, room]; }"""
        )
        assert text_width <= room, (box.get_attribute("placeholder"), text_width, room)
    finally:
        context.close()

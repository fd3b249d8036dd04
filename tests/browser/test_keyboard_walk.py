"""A keyboard user's walk: on a phone the header is tabbed through in the order it reads, a
refused form puts the focus on its error summary, whose links lead to the fields, and a note on
what was not found or a confirmation at the page's top takes the focus, so that a screen reader
reads it, and every Tab stop, a date field's calendar button too, shows the ring."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_on_a_phone_tab_moves_down_the_header_row_by_row(phone, live_server):
    phone.goto(live_server.url + "/careers/")
    tops = []
    for _ in range(20):
        phone.keyboard.press("Tab")
        focused = phone.evaluate(
            """() => { const e = document.activeElement;
            return [e.closest('header') !== null, e.textContent.trim() || e.ariaLabel,
                    Math.round(e.getBoundingClientRect().top)]; }"""
        )
        if focused[1] == "Skip to content":
            continue
        if not focused[0]:
            break
        tops.append(focused)
    names = [name for _, name, _ in tops]
    assert names[:2] == ["CareerPortal", "Careers"] and "Sign up" in names, names
    rows = [top for _, _, top in tops]
    assert rows == sorted(rows), tops  # never back up to a row above


def test_a_refused_sign_up_takes_the_keyboard_to_the_summary_then_the_field(phone, live_server):
    phone.goto(live_server.url + "/accounts/signup/")
    phone.get_by_label("E-mail address").fill("not-an-address")
    phone.get_by_label("E-mail address").press("Enter")
    summary = phone.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("E-mail address: ")
    phone.keyboard.press("Tab")
    link = summary.get_by_role("link").first
    expect(link).to_be_focused()
    phone.keyboard.press("Enter")
    expect(phone.get_by_label("E-mail address")).to_be_focused()


def _sign_in(page, live_server, user):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_a_saved_settings_confirmation_takes_the_focus(phone, live_server, learner):
    _sign_in(phone, live_server, learner)
    phone.goto(live_server.url + "/accounts/settings/")
    phone.get_by_role("button", name="Save settings").press("Enter")
    confirmation = phone.get_by_role("status").filter(has_text="Your settings are saved.")
    expect(confirmation).to_be_focused()


def test_a_career_the_comparison_could_not_find_is_said_at_once(phone, live_server):
    phone.goto(live_server.url + "/careers/compare/")
    phone.get_by_label("First career").fill("No such career")
    phone.get_by_label("First career").press("Enter")
    notice = phone.get_by_role("status").filter(has_text="could not find")
    expect(notice).to_be_focused()


def test_skip_to_content_moves_the_focus_into_the_page(phone, live_server):
    phone.goto(live_server.url + "/careers/")
    phone.keyboard.press("Tab")
    skip = phone.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    phone.keyboard.press("Enter")
    expect(phone.locator("main")).to_be_focused()
    phone.keyboard.press("Tab")  # on from the content, past the header's links
    assert phone.evaluate("document.activeElement.closest('main') !== null")


def test_a_date_fields_calendar_button_shows_the_ring(phone, live_server, learner):
    _sign_in(phone, live_server, learner)
    phone.goto(live_server.url + "/dashboard/")
    field = phone.get_by_label("Target date")
    field.focus()
    for _ in range(4):  # month, day and year, then the field's own calendar button
        phone.keyboard.press("Tab")
        if field.evaluate("input => document.activeElement === input && !input.matches(':focus')"):
            break
    else:
        raise AssertionError("Tab never reached the calendar button")
    ring = field.evaluate(
        "input => { const s = getComputedStyle(input); return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert ring == ["solid", "3px"]

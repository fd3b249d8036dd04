"""A keyboard user's walk: on a phone the header is tabbed through in the order it reads, and
a refused form puts the focus on its error summary, whose links lead to the fields."""

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
    phone.get_by_label("Email").fill("not-an-address")
    phone.get_by_label("Email").press("Enter")
    summary = phone.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Email: ")
    phone.keyboard.press("Tab")
    link = summary.get_by_role("link").first
    expect(link).to_be_focused()
    phone.keyboard.press("Enter")
    expect(phone.get_by_label("Email")).to_be_focused()

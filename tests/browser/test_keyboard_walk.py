"""A keyboard user's walk: on a phone the header is tabbed through in the order it reads."""

import pytest

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

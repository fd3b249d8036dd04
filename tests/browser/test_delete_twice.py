"""Double-clicking a form's button while the server takes its time ends on the page a single
press gives: "Delete my account for good" says the account is deleted, with JavaScript (every
POST form is sent once) and without it (the server answers the second press as the first);
"Create account" signs the new learner in."""

import time

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from careerportal import account_adapter, account_views

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DELETED = "Your account and everything in it are deleted."


@pytest.fixture
def slow_deletion(monkeypatch):
    real = account_views.account_delete

    def slowly(**kwargs):
        time.sleep(1.5)
        return real(**kwargs)

    monkeypatch.setattr(account_views, "account_delete", slowly)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_double_click_on_delete_ends_on_the_deleted_message(
    browser, live_server, learner, slow_deletion, javascript
):
    context = browser.new_context(java_script_enabled=javascript)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("E-mail address").fill("learner@example.com")
        page.get_by_label("Password").fill("learner-password-123")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("link", name="Dashboard", exact=True)).to_be_visible()
        page.goto(live_server.url + "/accounts/delete/")
        page.get_by_label("Password").fill("learner-password-123")
        presses = []
        page.on("request", lambda r: r.method == "POST" and presses.append(r.url))

        box = page.get_by_role("button", name="Delete my account for good").bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.click(x, y)
        page.wait_for_timeout(300)  # the first answer takes 1.5 s: press again meanwhile
        page.mouse.click(x, y)

        expect(page.get_by_text(DELETED)).to_be_visible()
        assert page.url == live_server.url + "/"
        assert len(presses) == (1 if javascript else 2)
        assert not get_user_model().objects.filter(pk=learner.pk).exists()
    finally:
        context.close()


@pytest.fixture
def slow_sign_up(monkeypatch):
    real = account_adapter.AccountAdapter.save_user

    def slowly(self, *args, **kwargs):
        time.sleep(1.5)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(account_adapter.AccountAdapter, "save_user", slowly)


def test_a_double_press_on_create_account_signs_the_new_learner_in(page, live_server, slow_sign_up):
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("E-mail address").fill("new@example.com")
    page.locator("input[name=password1]").fill("correct horse battery")
    page.locator("input[name=password2]").fill("correct horse battery")
    presses = []
    page.on("request", lambda r: r.method == "POST" and presses.append(r.url))

    page.get_by_role("button", name="Create account").focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)  # the first answer takes 1.5 s: press again meanwhile
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Your dashboard")).to_be_visible()
    expect(page.get_by_text("An account already uses this e-mail address")).to_have_count(0)
    assert len(presses) == 1
    assert get_user_model().objects.filter(email="new@example.com").count() == 1

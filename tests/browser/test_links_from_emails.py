"""A learner follows a link from one of the site's e-mails and presses its button: confirming
an address, choosing a new password, stopping reminders, taking an address back. Those pages
keep their secret link out of Referer headers; a policy of no-referrer also made the browser
send `Origin: null` with the form, which Django's CSRF check refuses ("This form has
expired"). In Debian's chromium, as the learner's own browser sends them."""

import re

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from tests.browser.test_learner_journey import _sign_up
from tests.certifications.test_reminder_opt_out import reminder_for, stop_link
from tests.certifications.test_reminders import confirm
from tests.test_address_release import squatted  # noqa: F401 (a fixture used below)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://\S+")


def _on_live_server(url: str, live_server) -> str:
    # E-mails are built on SITE_URL; the test server listens elsewhere.
    return live_server.url + url.removeprefix(settings.SITE_URL)


def _link_in(message, path_part: str) -> str:
    (url,) = {url for url in LINK.findall(message.body) if path_part in url}
    return url


def test_a_learner_confirms_their_address_from_the_link_in_the_email(page, live_server):
    _sign_up(page, live_server.url, "confirm.me@example.com")
    (message,) = [m for m in mail.outbox if m.to == ["confirm.me@example.com"]]

    page.goto(_on_live_server(_link_in(message, "/confirm-email/"), live_server))
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_text("You have confirmed confirm.me@example.com")).to_be_visible()
    assert "This form has expired" not in page.content()


def test_a_learner_chooses_a_new_password_from_the_link_in_the_email(page, live_server, learner):
    confirm(learner)
    page.goto(live_server.url + "/accounts/password/reset/")
    page.get_by_label("E-mail address").fill("learner@example.com")
    page.get_by_role("button", name="Send the link").click()
    (message,) = [m for m in mail.outbox if "/password/reset/key/" in m.body]

    page.goto(_on_live_server(_link_in(message, "/password/reset/key/"), live_server))
    page.locator("input[name=password1]").fill("a brand new passphrase 77")
    page.locator("input[name=password2]").fill("a brand new passphrase 77")
    page.get_by_role("button", name="Change password").click()

    assert "This form has expired" not in page.content()
    learner.refresh_from_db()
    assert learner.check_password("a brand new passphrase 77")


def test_a_learner_stops_reminders_from_the_link_in_a_reminder(page, live_server, learner):
    confirm(learner)
    page.goto(_on_live_server(stop_link(reminder_for(learner)), live_server))
    page.get_by_role("button", name=re.compile("Stop reminder", re.IGNORECASE)).click()

    expect(page.get_by_text("Reminder e-mails are off")).to_be_visible()


@pytest.mark.usefixtures("squatted")  # another account signed up with victim@example.com
def test_someone_takes_their_address_back_from_the_link_in_the_email(page, live_server):
    from django.test import Client

    Client().post("/accounts/password/reset/", {"email": "victim@example.com"})
    (message,) = [m for m in mail.outbox if m.to == ["victim@example.com"]]

    page.goto(_on_live_server(_link_in(message, "/address/release/"), live_server))
    page.get_by_role("button", name="Take my address off that account").click()

    expect(page.get_by_role("heading", name="Your address is free")).to_be_visible()


@pytest.fixture
def phone(browser, live_server):
    """A second browser, with cookies of its own: the phone's, where the e-mail is opened."""
    context = browser.new_context(viewport={"width": 360, "height": 800})
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    yield phone
    context.close()


def test_a_visitor_confirming_on_another_device_is_led_back_to_the_career_they_meant_to_follow(
    page, phone, live_server, ai_ml_engineer, settings
):
    """Signed up from a career page's "Sign in to follow this career", confirmation required,
    and the e-mail opened on the phone: the phone signs in and lands on that career, where
    the visitor can follow it. It landed on the sign-in page, then the dashboard."""
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    career_url = live_server.url + ai_ml_engineer.get_absolute_url()
    page.goto(career_url)
    page.locator(".roadmap-signin").get_by_role("link", name="Sign in").click()
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("E-mail address").first.fill("on.the.phone@example.com")
    page.locator("input[name=password1]").fill("a long and unusual passphrase 42")
    page.locator("input[name=password2]").fill("a long and unusual passphrase 42")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    (message,) = [m for m in mail.outbox if m.to == ["on.the.phone@example.com"]]

    phone.goto(_on_live_server(_link_in(message, "/confirm-email/"), live_server))
    phone.get_by_role("button", name="Confirm").click()
    expect(phone.get_by_text("You have confirmed on.the.phone@example.com")).to_be_visible()
    phone.get_by_label("E-mail address").fill("on.the.phone@example.com")
    phone.get_by_label("Password").fill("a long and unusual passphrase 42")
    phone.get_by_role("button", name="Sign in").click()

    expect(phone).to_have_url(career_url)
    phone.get_by_role("button", name="Follow this career").click()
    expect(phone.get_by_role("button", name="Following · Unfollow")).to_be_visible()

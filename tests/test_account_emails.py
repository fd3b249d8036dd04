"""allauth's e-mails as the person receiving them reads them: what each says, and that every
link is on SITE_URL and opens."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.test_accounts import GOOD_PASSWORD

SITE = "https://careers.example.org"
LINK = re.compile(r"https?://\S+")


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE
    # The site also answers to a second name (an alias the proxy passes on, say).
    settings.ALLOWED_HOSTS = ["careers.example.org", "www.careers.example.org"]


def visitor(host="careers.example.org"):
    return Client(HTTP_HOST=host)


def signup(client, email="new@example.com"):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )


def reset(client, email):
    return client.post(reverse("account_reset_password"), {"email": email})


def add_address(client, learner):
    client.force_login(learner)
    return client.post(reverse("account_email"), {"action_add": "", "email": "new@example.com"})


SENDS = {
    "signup": lambda client, learner: signup(client),
    "add address": add_address,
    "reset": lambda client, learner: reset(client, learner.email),
    "reset, unknown address": lambda client, learner: reset(client, "nobody@example.com"),
}


@pytest.mark.parametrize("send", SENDS.values(), ids=SENDS.keys())
def test_every_link_in_an_account_email_is_on_site_url_whichever_host_was_asked(
    learner, site, send
):
    send(visitor("www.careers.example.org"), learner)

    (message,) = mail.outbox
    links = LINK.findall(message.body)
    assert links
    for url in links:
        assert url == SITE or url.startswith(SITE + "/"), url
        response = visitor().get(url.removeprefix(SITE) or "/")
        assert response.status_code in (200, 302), url


@pytest.mark.parametrize("send", SENDS.values(), ids=SENDS.keys())
def test_account_emails_carry_a_message_id_on_the_sites_domain(learner, site, send):
    send(visitor(), learner)

    assert mail.outbox[0].message()["Message-ID"].endswith("@careers.example.org>")


def test_a_reset_for_an_address_with_no_account_says_so_plainly(db, site):
    reset(visitor(), "nobody@example.com")

    (message,) = mail.outbox
    assert message.subject == "[CareerPortal] No account uses this e-mail address"
    body = message.body
    assert "No account uses this address, so there is no password to reset." in body
    assert f"{SITE}/accounts/password/reset/\n" in body
    assert f"{SITE}/accounts/signup/\n" in body
    assert "database" not in body and "email" not in body.replace("@", " ")


def test_a_reset_email_says_how_long_its_link_works(learner, site):
    reset(visitor(), learner.email)

    body = mail.outbox[0].body
    assert "reset the password of the CareerPortal account learner@example.com" in body
    assert "The link works once, within 3 days." in body
    assert "You're receiving this email" not in body


def test_signing_up_again_with_a_taken_address_tells_its_owner_how_to_get_back_in(
    learner, site, settings
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"  # then allauth tells nobody else

    signup(visitor(), email=learner.email)

    (message,) = mail.outbox
    assert message.to == ["learner@example.com"]
    assert message.subject == "[CareerPortal] You already have an account"
    assert "An account already uses this address, so no new one was made." in message.body
    assert f"{SITE}/accounts/password/reset/\n" in message.body
    # allauth's own text, hard-wrapped at 80 columns with double spaces
    assert "  " not in message.body and "please use the password forgotten" not in message.body

"""A visitor who signed up from a page, with confirmation mandatory, and confirms their address
in another browser (the phone's mail app) is led back to that page, by way of signing in there;
nobody can point another account's link somewhere else (careerportal/confirmation_next.py)."""

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from careerportal import confirmation_next
from careerportal.confirmation_next import same_site_path
from tests.factories import CareerFactory
from tests.test_accounts import GOOD_PASSWORD


@pytest.fixture
def mandatory(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"


def _signup_from(client, next_url, email="new@example.com"):
    data = {"email": email, "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    return client.post(f"{reverse('account_signup')}?{urlencode({'next': next_url})}", data)


def _link(email="new@example.com") -> str:
    body = next(message.body for message in mail.outbox if message.to == [email])
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", body).group(1)


def _sign_in_then(path: str) -> str:
    return f"{reverse('account_login')}?{urlencode({'next': path})}"


@pytest.mark.parametrize(
    "url",
    ["/careers/ml-engineer/", "/certifications/aws-ai/?tab=progress#step-3", "/dashboard/"],
)
def test_a_path_on_this_site_is_a_destination(url):
    assert same_site_path(url)


@pytest.mark.parametrize(
    "url",
    [
        "",
        "https://attacker.example/",
        "//attacker.example/careers/",
        "/\\attacker.example/",
        "\\\\attacker.example",
        "javascript:alert(1)",
        "https:/attacker.example",
        "careers/ml-engineer/",  # a bare word: redirect() would read it as a view name
        "dashboard",
        "/careers/\nx/",  # a newline cannot go in the Location header
        "/careers/" + "x" * confirmation_next.MAX_LENGTH,
    ],
)
def test_anything_else_is_no_destination(url):
    assert not same_site_path(url)


def test_the_confirmation_link_carries_the_page_the_visitor_signed_up_from(client, db, mandatory):
    career_path = CareerFactory().get_absolute_url()

    _signup_from(client, career_path)

    query = parse_qs(urlsplit(_link()).query)
    address = EmailAddress.objects.get(email="new@example.com")
    assert confirmation_next.destination(address, query["then"][0]) == career_path


def test_an_off_site_next_is_left_out_of_the_confirmation_link(client, db, mandatory):
    _signup_from(client, "https://attacker.example/")

    assert "then=" not in _link()
    assert "attacker" not in mail.outbox[0].body


def test_confirming_in_another_browser_leads_there_after_signing_in(client, db, mandatory):
    career_path = CareerFactory().get_absolute_url()
    _signup_from(client, career_path)
    phone = Client()

    page = phone.get(_link())
    confirmed = phone.post(_link())

    assert 'name="then"' in page.content.decode()  # the Confirm button carries it on
    assert EmailAddress.objects.get(email="new@example.com").verified
    assert "_auth_user_id" not in phone.session  # the link alone signs no one in
    assert confirmed["Location"] == _sign_in_then(career_path)
    signed_in = phone.post(
        confirmed["Location"], {"login": "new@example.com", "password": GOOD_PASSWORD}
    )
    assert signed_in["Location"] == career_path


def test_confirming_in_a_browser_signed_in_to_the_account_goes_straight_there(client, db):
    """Confirmation optional: the learner is signed in on sign-up and opens the link later."""
    career_path = CareerFactory().get_absolute_url()
    _signup_from(client, career_path)

    confirmed = client.post(_link())

    assert confirmed["Location"] == career_path


@pytest.mark.parametrize("tampering", ["taken from another link", "edited"])
def test_the_page_in_a_link_cannot_be_changed_nor_taken_from_another_accounts_link(
    client, db, mandatory, tampering
):
    _signup_from(client, "/dashboard/?welcome=1", "other@example.com")
    _signup_from(Client(), CareerFactory().get_absolute_url())  # new@example.com
    genuine = _link()
    key_path = genuine.split("?")[0]
    if tampering == "edited":
        signature = genuine.rsplit("%3A", 1)[1]
        tampered = f"{key_path}?then=%2Fdashboard%2F%3A{signature}"
    else:
        other = EmailAddress.objects.get(email="other@example.com")
        tampered = key_path + confirmation_next.link_query(other, "/dashboard/?welcome=1")
    phone = Client()

    assert 'name="then"' in phone.get(genuine).content.decode()
    assert 'name="then"' not in phone.get(tampered).content.decode()
    assert phone.post(tampered)["Location"] == reverse("account_login")
    assert EmailAddress.objects.get(email="new@example.com").verified


def test_a_signed_off_site_page_is_not_followed_either(client, db, mandatory):
    """Checked again when followed: a link made before a change in what counts as ours."""
    _signup_from(client, "/careers/")
    address = EmailAddress.objects.get(email="new@example.com")
    signed = confirmation_next._signer(address).sign("//attacker.example/")
    key_path = _link().split("?")[0]

    phone = Client()
    page = phone.get(f"{key_path}?then={signed}")
    confirmed = phone.post(key_path, {"then": signed})

    assert 'name="then"' not in page.content.decode()
    assert confirmed["Location"] == reverse("account_login")
    assert EmailAddress.objects.get(email="new@example.com").verified

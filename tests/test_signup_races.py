"""Sign-ups that arrive together: a double-clicked "Sign up", or two people whose addresses
share the part before the @ (from which allauth derives the hidden username).

Each test stages the other sign-up between this one's checks and its insert, where it
used to make a second account for one mailbox or a server error. A browser without
JavaScript shows the answer to the last press only; that answer is the first's: signed in
(or "check your inbox"), with one confirmation e-mail, never "the address is taken".
"""

import datetime
import threading

import pytest
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import SignupForm
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.interleave import InThread, needs_postgresql

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _no_sign_up_limit(settings):
    # The staged second sign-up runs inside the first request, whose count it would join.
    settings.ACCOUNT_RATE_LIMITS = False


User = get_user_model()
PASSWORD = "violet-harbour-lantern-42"
OTHER_PASSWORD = "other-harbour-lantern-43"
TAKEN = "An account already uses this e-mail address."
SIGNED_UP_ALREADY = "Your account was made when you first pressed “Sign up”"


def _sign_up(email, password=PASSWORD, query=""):
    client = Client(raise_request_exception=False)
    response = client.post(
        reverse("account_signup") + query,
        {"email": email, "password1": password, "password2": password},
    )
    return client, response


def _other_sign_up_after_checks(monkeypatch, email):
    """Once this sign-up's form is checked, another one with `email` completes (once)."""
    clean, started, done = SignupForm.clean, [], []

    def clean_then_other(form):
        cleaned = clean(form)
        if not started:
            started.append(True)  # the other sign-up's own checks come through here too
            done.append(_sign_up(email)[1])
        return cleaned

    monkeypatch.setattr(SignupForm, "clean", clean_then_other)
    return done


def _signed_in_with_one_confirmation(client, response, email):
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    page = client.get(response.url)
    assert page.status_code == 200  # signed in
    assert SIGNED_UP_ALREADY in page.content.decode()
    assert User.objects.filter(email=email).count() == 1
    assert EmailAddress.objects.filter(email=email).count() == 1
    assert [message.to for message in mail.outbox] == [[email]]  # the first's confirmation


def test_a_double_clicked_sign_up_makes_one_account_and_signs_in(monkeypatch):
    first = _other_sign_up_after_checks(monkeypatch, "same@example.com")

    client, second = _sign_up("same@example.com")

    assert first[0].status_code == 302
    _signed_in_with_one_confirmation(client, second, "same@example.com")


def test_sign_up_pressed_again_after_the_first_finished_signs_in_to_its_account(
    django_assert_num_queries,
):
    _sign_up("same@example.com")
    client = Client()
    data = {"email": "same@example.com", "password1": PASSWORD, "password2": PASSWORD}

    # 2 whether the address is taken (its address row, its account), 1 the accounts made
    # in the last minutes holding it, 2 the password checked as signing in checks it (the
    # same two), 1 whether it is confirmed; then signing in: a new session (exists, BEGIN,
    # INSERT, COMMIT), the time zone, last_login, the session saved (BEGIN, UPDATE, COMMIT).
    # No insert: no second account, no second confirmation.
    with django_assert_num_queries(15):
        second = client.post(reverse("account_signup"), data)

    _signed_in_with_one_confirmation(client, second, "same@example.com")


def test_sign_up_pressed_again_keeps_where_the_visitor_was_going():
    _sign_up("same@example.com")
    _, second = _sign_up("same@example.com", query="?next=/careers/")

    assert (second.status_code, second.url) == (302, "/careers/")


def test_a_sign_up_with_a_taken_address_and_another_password_is_still_refused():
    # What today's sign-up tells anyone about an address: taken; nothing more.
    _sign_up("same@example.com")
    _, response = _sign_up("same@example.com", OTHER_PASSWORD)

    assert response.status_code == 200
    assert TAKEN in response.content.decode()
    assert User.objects.filter(email="same@example.com").count() == 1


def test_an_old_account_is_never_signed_in_to_from_the_sign_up_page(monkeypatch):
    _sign_up("same@example.com")
    later = timezone.now() + datetime.timedelta(minutes=11)
    monkeypatch.setattr(timezone, "now", lambda: later)

    client, response = _sign_up("same@example.com")

    assert response.status_code == 200
    assert TAKEN in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_guessing_a_new_accounts_password_on_the_sign_up_page_counts_as_failed_sign_ins(settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/key"}
    _sign_up("same@example.com")
    for n in range(5):
        wrong = f"wrong-harbour-{n}-lantern"
        assert TAKEN in _sign_up("same@example.com", wrong)[1].content.decode()

    client, response = _sign_up("same@example.com")  # the right one, past the limit

    assert TAKEN in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_double_clicked_sign_up_makes_one_account_when_its_name_is_in_use(monkeypatch):
    # "same" is someone else's username already, so each sign-up draws a random one.
    User.objects.create_user("same", "same@elsewhere.example", PASSWORD)
    _other_sign_up_after_checks(monkeypatch, "same@example.com")

    client, second = _sign_up("same@example.com")

    _signed_in_with_one_confirmation(client, second, "same@example.com")


@needs_postgresql
def test_two_people_whose_addresses_start_alike_both_get_an_account(monkeypatch):
    """sam@a.example draws the username "sam"; sam@b.example signs up in full before it
    is saved. (On SQLite the draw and the save are one write transaction, which nothing
    can come between.)"""
    drawn, finish = threading.Event(), threading.Event()
    generate = DefaultAccountAdapter.generate_unique_username

    def generate_then_pause(adapter, *args, **kwargs):
        username = generate(adapter, *args, **kwargs)
        if not drawn.is_set():
            drawn.set()
            assert finish.wait(20)
        return username

    monkeypatch.setattr(DefaultAccountAdapter, "generate_unique_username", generate_then_pause)

    first = InThread(lambda: _sign_up("sam@a.example"))
    assert drawn.wait(20)
    _, second = _sign_up("sam@b.example")
    finish.set()
    client, response = first.result()

    assert (second.status_code, response.status_code) == (302, 302)
    assert User.objects.filter(email="sam@a.example").exists()
    assert User.objects.filter(email="sam@b.example").exists()
    assert client.get(reverse("account-settings")).status_code == 200  # signed in


@needs_postgresql
def test_sign_ups_checked_at_the_same_moment_make_one_account(monkeypatch):
    """Both requests pass the form's checks before either saves, on two connections."""
    checked = threading.Barrier(2, timeout=20)
    clean = SignupForm.clean

    def clean_then_wait(form):
        cleaned = clean(form)
        checked.wait()
        return cleaned

    monkeypatch.setattr(SignupForm, "clean", clean_then_wait)

    requests = [InThread(lambda: _sign_up("same@example.com")[1]) for _ in range(2)]
    responses = [r.result() for r in requests]

    # The one that waited for the other's account signs in to it, as the first did.
    assert [(r.status_code, r.url) for r in responses] == [(302, reverse("dashboard"))] * 2
    assert User.objects.filter(email="same@example.com").count() == 1
    assert [message.to for message in mail.outbox] == [["same@example.com"]]


def test_a_double_clicked_sign_up_with_confirmation_required_makes_one_account(
    monkeypatch, settings
):
    """Where every address must be confirmed, the second request answers as the first did
    ("check your inbox"), and the mailbox gets the one confirmation link, not a second e-mail
    saying an account already uses it."""
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    _other_sign_up_after_checks(monkeypatch, "same@example.com")

    _, second = _sign_up("same@example.com")

    assert second.status_code == 302
    assert second.url == reverse("account_email_verification_sent")
    assert User.objects.filter(email="same@example.com").count() == 1
    (confirmation,) = mail.outbox
    assert confirmation.to == ["same@example.com"]
    assert "/accounts/confirm-email/" in confirmation.body


def test_with_confirmation_required_another_password_still_gets_the_owners_e_mail(settings):
    """allauth's answer to a taken address, unchanged: the page of a new sign-up, and an
    e-mail to the owner saying an account already uses it."""
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    _sign_up("same@example.com")
    _, response = _sign_up("same@example.com", OTHER_PASSWORD)

    assert response.url == reverse("account_email_verification_sent")
    assert [message.to for message in mail.outbox] == [["same@example.com"]] * 2
    assert "/accounts/confirm-email/" not in mail.outbox[1].body

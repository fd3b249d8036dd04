"""Sign-ups that arrive together: a double-clicked "Sign up", or two people whose addresses
share the part before the @ (from which allauth derives the hidden username).

Each test stages the other sign-up between this one's checks and its insert, where it
used to make a second account for one mailbox or a server error.
"""

import threading

import pytest
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import SignupForm
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.interleave import InThread, needs_postgresql

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _no_sign_up_limit(settings):
    # The staged second sign-up runs inside the first request, whose count it would join.
    settings.ACCOUNT_RATE_LIMITS = False


User = get_user_model()
PASSWORD = "violet-harbour-lantern-42"
TAKEN = "An account already uses this e-mail address."


def _sign_up(email):
    client = Client(raise_request_exception=False)
    response = client.post(
        reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD}
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


def test_a_double_clicked_sign_up_makes_one_account(monkeypatch):
    first = _other_sign_up_after_checks(monkeypatch, "same@example.com")

    _, second = _sign_up("same@example.com")

    assert first[0].status_code == 302
    assert second.status_code == 200
    assert TAKEN in second.content.decode()
    assert User.objects.filter(email="same@example.com").count() == 1
    assert EmailAddress.objects.filter(email="same@example.com").count() == 1


def test_a_double_clicked_sign_up_makes_one_account_when_its_name_is_in_use(monkeypatch):
    # "same" is someone else's username already, so each sign-up draws a random one.
    User.objects.create_user("same", "same@elsewhere.example", PASSWORD)
    _other_sign_up_after_checks(monkeypatch, "same@example.com")

    _, second = _sign_up("same@example.com")

    assert TAKEN in second.content.decode()
    assert User.objects.filter(email="same@example.com").count() == 1


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
    responses = sorted(r.result().status_code for r in requests)

    assert responses == [200, 302]
    assert User.objects.filter(email="same@example.com").count() == 1


def test_a_double_clicked_sign_up_with_confirmation_required_makes_one_account(
    monkeypatch, settings
):
    """Where every address must be confirmed, allauth never says an address is taken: the
    second request answers as a new sign-up would and e-mails the owner instead."""
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    _other_sign_up_after_checks(monkeypatch, "same@example.com")

    _, second = _sign_up("same@example.com")

    assert second.status_code == 302
    assert second.url == reverse("account_email_verification_sent")
    assert User.objects.filter(email="same@example.com").count() == 1
    # The confirmation link for the first, and allauth's "you already have an account" to
    # the same mailbox for the second (its wording is the templates').
    assert [message.to for message in mail.outbox] == [["same@example.com"]] * 2

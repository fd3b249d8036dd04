"""Sign-up, sign-in, log-out and password flows through django-allauth."""

import html
import re
import smtplib
import time
import types

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends import locmem
from django.test import Client
from django.urls import reverse

from careerportal.account_adapter import longest_wait
from tests.factories import CareerFactory

User = get_user_model()
GOOD_PASSWORD = "violet-harbour-lantern-42"


@pytest.fixture
def login_required_everywhere(settings):
    """Deny by default, as in production: only views marked login_not_required are open."""
    middleware = "careerportal.middleware.LoginRequiredMiddleware"
    if middleware not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, middleware]


def signup(client, email="new@example.com", password=GOOD_PASSWORD, password2=None):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": password, "password2": password2 or password},
    )


def test_signup_with_email_and_password_creates_a_signed_in_learner(client, db):
    response = signup(client)

    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.check_password(GOOD_PASSWORD)


def test_signup_form_asks_for_no_username(client, db):
    response = client.get(reverse("account_signup"))

    assert response.status_code == 200
    assert 'name="username"' not in response.content.decode()
    assert 'name="email"' in response.content.decode()


@pytest.mark.parametrize(
    "password, complaint",
    [
        ("short-pw-1", "too short"),
        ("password1234", "too common"),
        ("123456789012345", "entirely numeric"),
    ],
)
def test_signup_refuses_weak_passwords(client, db, password, complaint):
    response = signup(client, password=password)

    assert response.status_code == 200
    assert complaint in response.content.decode()
    assert not User.objects.exists()


def test_signup_with_an_email_already_used_is_refused(client, learner):
    response = signup(client, email=learner.email.upper())

    assert response.status_code == 200
    assert User.objects.count() == 1


def test_signup_sends_a_verification_email_but_lets_the_learner_in(client, db):
    signup(client)

    assert len(mail.outbox) == 1
    assert "new@example.com" in mail.outbox[0].to
    assert "_auth_user_id" in client.session


@pytest.mark.parametrize(
    ("send", "subject"),
    [
        (lambda client: signup(client), "[CareerPortal] Confirm your e-mail address"),
        (
            lambda client: client.post(
                reverse("account_reset_password"), {"email": "learner@example.com"}
            ),
            "[CareerPortal] Reset your password",
        ),
    ],
)
def test_account_emails_greet_and_sign_off_as_careerportal(
    client, learner, settings, send, subject
):
    settings.SITE_URL = "https://careers.example.org"
    send(client)

    message = mail.outbox[0]
    assert message.subject == subject
    assert message.body.startswith("Hello,\n")
    assert message.body.rstrip().endswith("CareerPortal\nhttps://careers.example.org")
    assert "testserver!" not in message.body  # allauth's "Hello from <host>!"


def test_login_with_email_and_password_goes_to_the_dashboard(client, learner):
    response = client.post(
        reverse("account_login"),
        {"login": "learner@example.com", "password": "learner-password-123"},
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(learner.pk)
    assert response["Location"] == "/dashboard/"


@pytest.mark.parametrize("remember", [True, False])
def test_the_sign_in_page_says_how_long_keep_me_signed_in_lasts(client, learner, remember):
    page = client.get(reverse("account_login")).content.decode()
    assert "Keep me signed in for 14 days" in page
    assert "Remember Me" not in page

    data = {"login": "learner@example.com", "password": "learner-password-123"}
    client.post(reverse("account_login"), {**data, "remember": "on"} if remember else data)
    # Ticked: the session lasts the 14 days; unticked: it ends when the browser closes.
    assert client.session.get_expire_at_browser_close() is not remember
    assert client.session.get_expiry_age() == 14 * 86400


def test_login_with_a_wrong_password_says_so(client, learner):
    response = client.post(
        reverse("account_login"), {"login": "learner@example.com", "password": "wrong-one-1234"}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "not correct" in response.content.decode()


def test_logout_by_get_only_asks_for_confirmation(client_as_learner):
    response = client_as_learner.get(reverse("account_logout"))

    assert response.status_code == 200
    assert "_auth_user_id" in client_as_learner.session
    assert 'method="post"' in response.content.decode()


def test_signing_out_says_sign_out_as_signing_in_says_sign_in(client_as_learner):
    """The menu read "Sign in" and "Sign up", then "Log out", whose page asked "Are you sure
    you want to log out?" before "You have signed out."."""
    menu = client_as_learner.get(reverse("dashboard")).content.decode()
    page = client_as_learner.get(reverse("account_logout")).content.decode()
    said = client_as_learner.post(reverse("account_logout"), follow=True).content.decode()

    assert ">Sign out</button>" in menu and ">Sign out</button>" in page
    assert "Are you sure you want to sign out?" in page
    assert "You have signed out." in said
    assert "og out" not in menu + page + said


def test_logout_by_post_signs_out(client_as_learner):
    response = client_as_learner.post(reverse("account_logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client_as_learner.session


def test_logout_needs_the_csrf_token(learner):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 403
    assert "_auth_user_id" in client.session


def test_navbar_offers_sign_in_to_visitors_and_log_out_form_to_learners(client, learner):
    anonymous = client.get(reverse("home")).content.decode()
    assert reverse("account_login") in anonymous
    assert reverse("account_signup") in anonymous

    client.force_login(learner)
    signed_in = client.get(reverse("home")).content.decode()
    logout_url = reverse("account_logout")
    assert re.search(rf'<form method="post" action="{logout_url}"', signed_in)
    assert reverse("account-settings") in signed_in
    assert reverse("account_login") not in signed_in


def test_password_change_needs_the_old_password_and_a_strong_new_one(client_as_learner, learner):
    url = reverse("account_change_password")
    weak = client_as_learner.post(
        url,
        {"oldpassword": "learner-password-123", "password1": "abc", "password2": "abc"},
    )
    assert weak.status_code == 200

    strong = client_as_learner.post(
        url,
        {
            "oldpassword": "learner-password-123",
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
        },
    )
    assert strong.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password(GOOD_PASSWORD)


def test_password_reset_by_email_link_sets_a_new_password(client, learner):
    response = client.post(reverse("account_reset_password"), {"email": "learner@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    assert link

    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1)
    done = client.post(action, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})

    assert done.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password(GOOD_PASSWORD)


def test_password_reset_for_an_unknown_address_reveals_nothing(client, db):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")


def test_failed_logins_are_refused_with_a_clear_message_after_the_limit(client, learner):
    url = reverse("account_login")
    wrong = {"login": "learner@example.com", "password": "wrong-password-123"}
    for _ in range(5):
        assert client.post(url, wrong).status_code == 200

    response = client.post(url, {"login": "learner@example.com", "password": "wrong-again-123"})

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # How long, and what to do meanwhile: "Try again later" had the learner retry blind.
    assert (
        "Wait 5 minutes before trying again, or choose a new password through "
        "“Forgot your password?”."
    ) in response.content.decode()


@pytest.mark.parametrize(
    ("rates", "words"),
    [("10/m/ip,5/5m/key", "5 minutes"), ("30/m/ip", "1 minute"), ("5/1h/key", "1 hour")],
)
def test_the_sign_in_lockout_names_the_longest_wait_of_its_limits(rates, words):
    assert longest_wait(rates) == words


COUNT_FAILED_SIGN_INS = """
import django
django.setup()
from allauth.core import ratelimit
from django.conf import settings
from django.test import RequestFactory
assert settings.CACHES["default"]["LOCATION"] != settings.CACHES["pages"]["LOCATION"]
request = RequestFactory().post("/accounts/login/")
print(sum(
    ratelimit.consume(request, action="login_failed", key="learner@example.com")
    for _ in range(3)
))
"""


def test_without_redis_every_worker_and_a_restart_count_the_same_failed_sign_ins(tmp_path):
    """Two processes with the production settings and no REDIS_URL, as two gunicorn workers
    (or one before and one after a restart): the limit of 5 failed sign-ins per address holds
    across them. In local memory each counted its own, so 4 workers checked 20 passwords."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "careerportal.settings",
        "DJANGO_DEBUG": "0",
        "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        "CACHE_DIR": str(tmp_path / "cache"),
        "PAGE_CACHE_DIR": str(tmp_path / "pages"),
        "LOG_LEVEL": "WARNING",
    }
    for name in ("DATABASE_URL", "REDIS_URL", "PYTEST_XDIST_WORKER"):
        env.pop(name, None)
    root = Path(__file__).resolve().parent.parent

    def worker() -> str:
        command = [sys.executable, "-c", COUNT_FAILED_SIGN_INS]
        done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert worker() == "3"  # the first three failures are let through to the password check
    assert worker() == "2"  # only two more: the sixth is refused, in another process


def test_signups_from_one_address_are_rate_limited_with_a_429_page(client, db):
    for n in range(10):
        signup(client, email=f"person{n}@example.com")
        client.logout()

    response = signup(client, email="one-too-many@example.com")

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert not User.objects.filter(email="one-too-many@example.com").exists()


def test_a_refused_signup_says_how_long_to_wait(client, db, settings, django_assert_num_queries):
    """Sign-ups count 10 an hour from one address: "wait a few minutes" sent a learner at a
    school or an office back to be refused again."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "1/h/ip"}
    signup(client, email="first@example.com")
    client.logout()

    with django_assert_num_queries(0):  # signed out, and the count is in the cache
        response = signup(client, email="second@example.com")

    assert response.status_code == 429
    page = response.content.decode()
    assert "Please wait up to 1 hour and try again." in page
    assert "a few minutes" not in page


def test_a_refused_reauthentication_says_how_long_to_wait(client_as_learner, settings):
    """allauth's own "confirm your password" page counts against the reauthenticate limit,
    which lasts up to an hour: it said "a few minutes" there."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reauthenticate": "1/h/user"}
    url = reverse("account_reauthenticate")
    client_as_learner.post(url, {"password": "not-the-password"})

    response = client_as_learner.post(url, {"password": "not-the-password"})

    assert response.status_code == 429
    page = response.content.decode()
    assert "Please wait up to 1 hour and try again." in page
    assert "a few minutes" not in page


def test_behind_the_proxy_one_visitors_signups_do_not_lock_out_the_next(settings, db):
    # Every request comes from the proxy's address; the proxy names the visitor's.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    noisy = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    for n in range(10):
        signup(noisy, email=f"person{n}@example.com")
        noisy.logout()
    assert signup(noisy, email="one-too-many@example.com").status_code == 429

    other = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert signup(other, email="next-visitor@example.com").status_code == 302
    # A spoofed first entry does not make a new visitor: the proxy appends the real one.
    spoofed = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7")
    assert signup(spoofed, email="spoofed@example.com").status_code == 429


def test_with_two_proxies_a_visitor_who_came_round_the_outer_one_signs_in_and_up(settings, learner):
    """TRUSTED_PROXY_COUNT=2 (a CDN, then nginx): a visitor who reaches nginx directly arrives
    with one X-Forwarded-For entry, nginx's. Signing in, up and asking for a reset were each a
    server error; now they work, and the limits count that visitor by its own address."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    direct = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    wrong = {"login": "learner@example.com", "password": "wrong-password-123"}
    page = direct.post(reverse("account_login"), wrong)
    assert page.status_code == 200
    assert "The e-mail address and/or password you specified are not correct." in html.unescape(
        page.content.decode()
    )
    reset = direct.post(reverse("account_reset_password"), {"email": "learner@example.com"})
    assert reset["Location"] == reverse("account_reset_password_done")
    for n in range(10):
        assert signup(direct, email=f"person{n}@example.com").status_code == 302
        direct.logout()
    assert signup(direct, email="one-too-many@example.com").status_code == 429
    other = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert signup(other, email="next-visitor@example.com").status_code == 302


@pytest.fixture
def behind_the_proxy(settings):
    """Production's proxy settings (careerportal/settings.py with DJANGO_BEHIND_PROXY), the
    proxy at 10.0.0.2."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.FORWARDED_ALLOW_IPS = ["10.0.0.2", "fd00::/8"]
    first = "careerportal.middleware.forwarded_headers_from_proxies"
    settings.MIDDLEWARE = [first, *(m for m in settings.MIDDLEWARE if m != first)]


def test_a_client_around_the_proxy_cannot_claim_new_addresses_past_the_signup_limit(
    behind_the_proxy, settings, db
):
    settings.SECURE_SSL_REDIRECT = False  # which alone would send it to the proxy (below)
    for n in range(10):
        claimed = f"203.0.113.{n}"  # a new address claimed each time
        direct = Client(REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR=claimed)
        signup(direct, email=f"person{n}@example.com")
    direct = Client(REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert signup(direct, email="one-too-many@example.com").status_code == 429

    # Through the proxy, that last address is a visitor of its own.
    proxied = Client(
        REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.99", HTTP_X_FORWARDED_PROTO="https"
    )
    assert signup(proxied, email="next-visitor@example.com").status_code == 302


@pytest.mark.parametrize("peer", ["10.0.0.2", "fd00::7"])
def test_only_the_proxy_says_a_request_came_over_https(behind_the_proxy, client, db, peer):
    page = client.get("/careers/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_PROTO="https")
    assert page.status_code == 200

    around = client.get("/careers/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_PROTO="https")
    assert around.status_code == 301
    assert around["Location"] == "https://testserver/careers/"
    # Not even a sign-up: "HTTPS" and a new address each try get a redirect, and no account.
    for n in range(3):
        headers = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_FOR": f"203.0.113.{n}"}
        direct = Client(REMOTE_ADDR="198.51.100.9", **headers)
        assert signup(direct, email=f"person{n}@example.com").status_code == 301
    assert not User.objects.filter(email__startswith="person").exists()


def test_a_proxy_left_out_of_the_setting_is_named_in_the_log_once(
    behind_the_proxy, client, db, caplog
):
    for _ in range(3):
        client.get("/careers/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_PROTO="https")
    client.get("/careers/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_PROTO="https")

    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warnings == [
        "X-Forwarded-Proto from 10.0.0.9 ignored: not in FORWARDED_ALLOW_IPS. If it is the "
        "reverse proxy, add it there, or every page redirects to itself."
    ]


def test_a_request_id_from_around_the_proxy_is_not_written_to_the_logs(behind_the_proxy, client):
    forged = "forged-request-id-0001"
    around = client.get("/healthz", REMOTE_ADDR="198.51.100.9", HTTP_X_REQUEST_ID=forged)
    assert around["X-Request-ID"] != forged
    proxied = client.get("/healthz", REMOTE_ADDR="10.0.0.2", HTTP_X_REQUEST_ID=forged)
    assert proxied["X-Request-ID"] == forged


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens on port 1


def test_with_the_mail_server_down_signing_up_works_and_says_the_email_did_not_go(
    client, db, mail_server_down, caplog
):
    response = signup(client, email="new@example.com")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "We could not send the e-mail that confirms your address" in page
    assert client.session["_auth_user_id"] == str(User.objects.get(email="new@example.com").pk)
    assert any("email_confirmation_signup not sent" in r.getMessage() for r in caplog.records)


def test_with_the_mail_server_down_a_reset_request_says_to_ask_again(
    client, learner, mail_server_down
):
    response = client.post(reverse("account_reset_password"), {"email": "learner@example.com"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "We could not send the password reset e-mail" in page
    # An address with no account reads the same: nobody learns who has one.
    other = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert "We could not send the password reset e-mail" in client.get(other["Location"]).text


class RefusingMailServer(locmem.EmailBackend):
    """A mail server that answers and refuses the message (a full mailbox): smtplib raises
    SMTPRecipientsRefused, no network error."""

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (552, b"Mailbox full")})


def test_a_refused_reset_email_says_to_ask_again(client, learner, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingMailServer"
    response = client.post(reverse("account_reset_password"), {"email": "learner@example.com"})
    assert response.status_code == 302
    assert "We could not send the password reset e-mail" in client.get(response["Location"]).text


def test_password_reset_requests_for_one_address_are_rate_limited(client, learner):
    url = reverse("account_reset_password")
    for _ in range(3):
        client.post(url, {"email": "learner@example.com"})

    response = client.post(url, {"email": "learner@example.com"})

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert len(mail.outbox) == 3


@pytest.mark.parametrize(
    "name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_logout",
    ],
)
def test_public_account_pages_open_anonymously_when_login_is_required_by_default(
    client, db, login_required_everywhere, name
):
    response = client.get(reverse(name))

    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert not response["Location"].startswith(reverse("account_login") + "?next=")


def test_private_account_pages_send_visitors_to_sign_in(client, db, login_required_everywhere):
    response = client.get(reverse("account_change_password"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_signup_works_end_to_end_when_login_is_required_by_default(
    client, db, login_required_everywhere
):
    response = signup(client)

    assert response.status_code == 302
    assert User.objects.filter(email="new@example.com").exists()


def test_account_pages_use_the_site_layout(client, db):
    for name in ["account_login", "account_signup", "account_reset_password"]:
        html = client.get(reverse(name)).content.decode()
        assert "css/bootstrap.min.css" in html
        assert 'id="main"' in html
        assert 'style="' not in html


@pytest.mark.parametrize(
    "name, data",
    [
        ("account_login", {"login": "learner@example.com", "password": "learner-password-123"}),
        ("account_signup", {"email": "x@example.com", "password1": GOOD_PASSWORD}),
        ("account_reset_password", {"email": "learner@example.com"}),
    ],
)
def test_public_account_forms_need_the_csrf_token(learner, name, data):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse(name), {**data, "password2": GOOD_PASSWORD})

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == 1
    assert mail.outbox == []


def test_password_change_needs_the_csrf_token(learner):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)

    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "learner-password-123",
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
        },
    )

    assert response.status_code == 403
    learner.refresh_from_db()
    assert learner.check_password("learner-password-123")


def test_mandatory_verification_holds_the_learner_until_the_link_is_confirmed(client, db, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"

    response = signup(client)

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert "Check your e-mail" in page.content.decode()
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mail.outbox[0].body)

    confirm_page = client.get(link.group(1))
    from allauth.account.models import EmailAddress

    assert confirm_page.status_code == 200
    assert not EmailAddress.objects.get(email="new@example.com").verified  # GET changes nothing

    client.post(link.group(1))
    assert EmailAddress.objects.get(email="new@example.com").verified


def _signup_from(client, next_url):
    return client.post(
        reverse("account_signup") + f"?next={next_url}",
        {"email": "new@example.com", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )


def test_confirming_the_address_returns_the_new_learner_to_the_page_they_signed_up_from(
    client, db, settings, django_assert_num_queries
):
    """A visitor who pressed "Sign in to follow this career" on a career page, signed up and
    confirmed their address was left signed out on the sign-in page, and signing in took
    them to the dashboard: the career they meant to follow was lost."""
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    career_path = CareerFactory().get_absolute_url()

    signed_up = _signup_from(client, career_path)
    assert "_auth_user_id" not in client.session  # held until the address is confirmed
    link = _confirmation_path()
    assert client.get(link).status_code == 200
    # The confirmation, the session's sign-up resumed and the sign-in recorded.
    with django_assert_num_queries(21):
        confirmed = client.post(link)

    assert signed_up.status_code == 302
    assert confirmed.status_code == 302
    assert confirmed["Location"] == career_path
    user = User.objects.get(email="new@example.com")
    assert client.session["_auth_user_id"] == str(user.pk)
    page = client.get(career_path).content.decode()
    assert "to follow this career" not in page  # signed in: the follow button, not the link


def test_confirming_after_a_sign_up_with_an_off_site_next_stays_on_the_site(client, db, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"

    _signup_from(client, "https://attacker.example/")
    confirmed = client.post(_confirmation_path())

    assert "attacker.example" not in confirmed["Location"]
    assert confirmed["Location"] == reverse("dashboard")


def test_a_confirmation_link_opened_in_another_browser_confirms_but_signs_no_one_in(
    client, db, settings
):
    """Whoever holds the link (a forwarded e-mail, a log) is not signed in by it: only the
    browser that signed up, which knew the password, is."""
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    _signup_from(client, CareerFactory().get_absolute_url())
    other_browser = Client()

    confirmed = other_browser.post(_confirmation_path())

    assert EmailAddress.objects.get(email="new@example.com").verified
    assert "_auth_user_id" not in other_browser.session
    assert confirmed["Location"].startswith(reverse("account_login"))


def _confirmation_path(email="new@example.com"):
    body = next(message.body for message in mail.outbox if message.to == [email])
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", body).group(1)


def test_a_confirmation_link_opened_again_says_the_address_is_confirmed(
    client, db, django_assert_num_queries
):
    """Opened from the e-mail a second time, or from the browser's history, after confirming:
    it said "This confirmation link has expired or is invalid", as if the confirmation had
    not worked."""
    signup(client)
    link = _confirmation_path()
    client.post(link)
    client.logout()

    # allauth's look-up of the key's address among unconfirmed ones, then the address as it
    # is; a visitor without a session reads none.
    with django_assert_num_queries(2):
        page = client.get(link)

    text = html.unescape(page.content.decode())
    assert "<strong>new@example.com</strong> is confirmed already: there is nothing" in text
    assert "expired" not in text
    assert 'href="/accounts/login/"' in page.content.decode()


def test_an_expired_confirmation_link_says_it_expired(client, db, settings):
    signup(client)
    link = _confirmation_path()
    settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = -1  # every link is past its age

    text = html.unescape(client.get(link).content.decode())

    assert "This confirmation link has expired. <a" in text
    assert ">Send a new one</a>" in text
    assert not EmailAddress.objects.get(email="new@example.com").verified


def test_a_mangled_confirmation_link_says_it_does_not_work(client, db):
    signup(client)
    link = _confirmation_path()

    text = html.unescape(client.get(link[:-6] + "/").content.decode())

    assert "This confirmation link does not work: it may have been cut short" in text
    assert "confirmed already" not in text


def test_the_account_pages_say_e_mail_and_label_passwords_in_sentence_case(
    client_as_learner, learner
):
    """As the rest of the site: allauth's messages said "Confirmation email sent", "Primary
    email address set." and "Removed email address", and its password forms "Current
    Password", "New Password" and "New Password (again)"."""
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)

    said = []
    for data in (
        {"action_add": "", "email": "second@example.com"},
        {"action_primary": "", "email": "second@example.com"},  # not confirmed yet
        {"action_remove": "", "email": learner.email},  # the primary one
        {"action_remove": "", "email": "second@example.com"},
    ):
        page = client_as_learner.post(reverse("account_email"), data, follow=True)
        said += [str(message) for message in page.context["messages"]]
    change = client_as_learner.get(reverse("account_change_password")).content.decode()

    assert said == [
        "Confirmation e-mail sent to second@example.com.",
        "Only a confirmed e-mail address can be primary: confirm it first, with the link we "
        "sent it.",
        f"You cannot remove your primary e-mail address ({learner.email}).",
        "Removed the e-mail address second@example.com.",
    ]
    field = r'<label[^>]*for="id_(?:oldpassword|password1|password2)"[^>]*>\s*(\w[^<*]*)'
    labels = re.findall(field, change)
    assert [label.strip() for label in labels] == [
        "Current password", "New password", "New password (again)"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("account_signup", "email"),
        ("account_login", "login"),
        ("account_reset_password", "email"),
        ("account_email", "email"),  # adding an address
    ],
)
def test_every_address_field_is_labelled_e_mail_address(client, learner, name, field):
    """As the rest of the site spells it: allauth labelled them "Email", with the
    placeholder "Email address", and Django said "Enter a valid email address."."""
    if name == "account_email":
        client.force_login(learner)
    html = client.get(reverse(name)).content.decode()
    refused = client.post(reverse(name), {field: "not-an-address", "action_add": ""})

    label = re.search(rf'<label[^>]*for="id_{field}"[^>]*>\s*(\w[^<*]*)', html)
    assert label.group(1).strip() == "E-mail address"
    assert 'placeholder="E-mail address"' in re.search(f'<input[^>]*id="id_{field}"', html)[0]
    assert "Email" not in html
    assert "Enter a valid e-mail address." in refused.content.decode()


def add_email(client, email):
    return client.post(reverse("account_email"), {"action_add": "", "email": email})


def test_adding_an_address_already_on_the_account_says_so_in_the_sites_spelling(
    client_as_learner, learner, django_assert_num_queries
):
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)

    # session, user, the address looked up; the page's addresses (allauth's, with a user, and
    # the view's own list of them: 3)
    with django_assert_num_queries(6):
        response = add_email(client_as_learner, learner.email.upper())

    assert response.status_code == 200
    assert "This e-mail address is on your account already." in response.content.decode()
    assert EmailAddress.objects.filter(user=learner).count() == 1


def test_a_learner_cannot_add_an_address_another_account_signs_in_with(client, db, other_learner):
    signup(client, email="alice@example.com")  # Alice has not confirmed her address yet
    client.logout()
    client.force_login(other_learner)

    response = add_email(client, "ALICE@example.com")

    assert response.status_code == 200
    assert "belongs to another account" in response.content.decode()
    assert not EmailAddress.objects.filter(user=other_learner, email__iexact="alice@example.com")
    assert not mail.outbox[1:]  # only Alice's own sign-up e-mail went out


def test_a_learner_can_still_add_an_address_nobody_has(client_as_learner, learner):
    response = add_email(client_as_learner, "second@example.com")

    assert response.status_code == 302
    assert EmailAddress.objects.get(user=learner, email="second@example.com").verified is False
    assert mail.outbox[-1].to == ["second@example.com"]


def test_a_confirmation_link_never_moves_an_address_to_another_account(client, db, other_learner):
    """An address already on two accounts (allauth allowed it before) stays with its owner:
    the other account's confirmation link is refused and the owner's password still works."""
    signup(client, email="alice@example.com")
    client.logout()
    planted = EmailAddress.objects.create(user=other_learner, email="alice@example.com")
    key = EmailConfirmationHMAC(planted).key

    response = client.post(reverse("account_confirm_email", args=[key]), follow=True)

    planted.refresh_from_db()
    assert planted.verified is False
    assert "belongs to another account" in response.content.decode()
    assert client.login(username="alice@example.com", password=GOOD_PASSWORD)
    alice = User.objects.get(email="alice@example.com")
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_signing_in_names_the_account_by_its_address_not_a_username(client, learner):
    # The fixture's username ("learner") is one allauth would derive: nobody chose it.
    response = client.post(
        reverse("account_login"),
        {"login": "learner@example.com", "password": "learner-password-123"},
        follow=True,
    )

    page = response.content.decode()
    assert "signed in as learner@example.com." in page
    assert "signed in as learner." not in page


def test_confirmation_emails_name_no_username(client, db, other_learner):
    signup(client, email="alice@example.com")
    client.logout()
    client.force_login(other_learner)
    add_email(client, "other.second@example.com")

    welcome, added = (message.body for message in mail.outbox)
    assert "user alice" not in welcome and "Welcome to CareerPortal" in welcome
    assert "The CareerPortal account other@example.com asks to add this e-mail address" in added
    assert "user other" not in added


def _feed_on_and_page_public(client) -> str:
    """As the signed-in `client`: switch the calendar feed on and share a public page through
    the settings; return the feed's URL path."""
    client.post(reverse("calendar-rotate"))
    feed = client.get(reverse("account-settings")).content.decode()
    path = re.search(r'value="https?://[^/"]+(/calendar/[^"]+\.ics)"', feed).group(1)
    client.post(
        reverse("account-settings"),
        {"handle": "taken-over", "is_public": "on", "time_zone": "UTC"},
    )
    assert Client().get(reverse("profile", kwargs={"handle": "taken-over"})).status_code == 200
    assert Client().get(path).status_code == 200
    return path


def test_a_password_reset_switches_off_the_feed_and_page_a_pre_hijacker_made(client, db):
    import datetime

    from tests.factories import CertificationFactory

    attacker = Client()
    signup(attacker, email="victim@example.com")  # verification is optional
    feed = _feed_on_and_page_public(attacker)
    attacker.logout()

    # The address's owner takes the account back with "forgot password"...
    client.post(reverse("account_reset_password"), {"email": "victim@example.com"})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    form_page = client.get(link.group(1), follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1)
    done = client.post(
        action, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}, follow=True
    )

    page = done.content.decode()
    assert "we switched off your calendar feed (its URL no longer works) and your public " in page
    assert "You can switch them on again on your Account page." in page
    # ... signs in and books an exam: the attacker's feed URL and page show none of it.
    assert client.login(email="victim@example.com", password=GOOD_PASSWORD)
    exam_day = datetime.date.today() + datetime.timedelta(days=30)
    booked = client.post(
        reverse("progress-update", kwargs={"slug": CertificationFactory().slug}),
        {"status": "booked", "exam_date": exam_day.isoformat()},
    )
    assert booked.status_code == 302
    assert attacker.get(feed).status_code == 404
    assert attacker.get(reverse("profile", kwargs={"handle": "taken-over"})).status_code == 404
    settings_page = client.get(reverse("account-settings")).content.decode()
    assert "Your feed is off." in settings_page


def test_a_squatter_with_a_confirmed_address_of_their_own_is_never_handed_the_owners_reset(
    client, db
):
    """Someone signs up with the victim's address (verification is optional), adds one of
    their own and confirms it. The victim, told at sign-up that the address is taken, asks for
    a reset: its link put them in an account the squatter reset back into and read. Now that
    e-mail says why it has no link; the squatter's confirmed address still gets one."""
    squatter = Client()
    signup(squatter, email="victim@example.com")
    squatter.post(reverse("account_email"), {"action_add": "", "email": "squatter@example.net"})
    confirm = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mail.outbox[-1].body)
    squatter.post(confirm.group(1))
    assert EmailAddress.objects.get(email="squatter@example.net").verified
    mail.outbox.clear()

    client.post(reverse("account_reset_password"), {"email": "victim@example.com"})

    (message,) = mail.outbox
    assert message.to == ["victim@example.com"]
    assert message.subject == "[CareerPortal] Your password cannot be reset through this address"
    assert "/accounts/password/reset/key/" not in message.body
    assert "this one was never confirmed on it, so we send no reset link here" in message.body

    mail.outbox.clear()
    client.post(reverse("account_reset_password"), {"email": "squatter@example.net"})
    (message,) = mail.outbox
    assert "/accounts/password/reset/key/" in message.body


@pytest.mark.parametrize(
    ("second", "queries"), [("confirmed", 4), ("unconfirmed", 5)], ids=["link", "no-link"]
)
def test_a_reset_request_through_a_second_address_costs_a_fixed_number_of_queries(
    client, learner, django_assert_num_queries, second, queries
):
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    EmailAddress.objects.create(
        user=learner, email="second@example.com", verified=second == "confirmed"
    )
    with django_assert_num_queries(queries):
        response = client.post(reverse("account_reset_password"), {"email": "second@example.com"})
    assert response["Location"] == reverse("account_reset_password_done")
    (message,) = mail.outbox
    assert ("/accounts/password/reset/key/" in message.body) == (second == "confirmed")


def test_a_password_change_switches_off_the_feed_a_session_thief_made(client, learner):
    assert client.login(email="learner@example.com", password="learner-password-123")
    thief = Client()
    thief.cookies = client.cookies  # the stolen session cookie
    feed = _feed_on_and_page_public(thief)

    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "learner-password-123",
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
        },
        follow=True,
    )

    page = response.content.decode()
    assert "we switched off your calendar feed (its URL no longer works)." in page
    assert "You can switch it on again on your Account page." in page
    thief.cookies = thief.cookies.__class__()  # the session died; keep only what was copied
    assert thief.get(feed).status_code == 404
    # The owner's own choice to share a page stands: the password proves it is the owner.
    assert Client().get(reverse("profile", kwargs={"handle": "taken-over"})).status_code == 200


def _change_password(client, current, new):
    return client.post(
        reverse("account_change_password"),
        {"oldpassword": current, "password1": new, "password2": new},
    )


def test_a_mistyped_current_password_is_called_wrong_not_missing(
    client_as_learner, django_assert_num_queries
):
    # session, user: the password is checked against the user already loaded
    with django_assert_num_queries(2):
        response = _change_password(client_as_learner, "learner-password-12", GOOD_PASSWORD)

    assert response.status_code == 200
    page = response.content.decode()
    assert "That is not your current password." in page
    assert "Please type your current password" not in page


def test_typing_the_current_password_as_the_new_one_changes_nothing(
    client, learner, django_assert_num_queries
):
    """It is refused as no change: the calendar feed keeps working, and no e-mail says the
    password was changed."""
    assert client.login(email="learner@example.com", password="learner-password-123")
    feed = _feed_on_and_page_public(client)
    mail.outbox.clear()
    same = "learner-password-123"

    # session, user: the refusal costs no query (its message goes in a cookie)
    with django_assert_num_queries(2):
        response = _change_password(client, same, same)

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "That is your current password: type a new one, or leave this page to keep it." in page
    assert "switched off your calendar feed" not in page
    assert Client().get(feed).status_code == 200
    assert mail.outbox == []


def test_a_password_change_with_nothing_switched_on_says_nothing_more(client_as_learner):
    response = client_as_learner.post(
        reverse("account_change_password"),
        {
            "oldpassword": "learner-password-123",
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
        },
        follow=True,
    )
    assert "Password successfully changed." in response.content.decode()
    assert "switched off" not in response.content.decode()


def _admin_password_form(user) -> str:
    return reverse("admin:auth_user_password_change", args=[user.pk])


@pytest.mark.parametrize(
    "posted, done",
    [
        ({"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}, "Password changed"),
        ({"usable_password": "false", "unset-password": "1"}, "Password-based authentication"),
    ],
    ids=["new-password", "password-sign-in-disabled"],
)
def test_a_password_staff_set_in_the_admin_switches_off_the_feed_and_page(
    client_as_staff, learner, posted, done
):
    holder = Client()  # whoever held the account, or only its feed URL
    holder.force_login(learner)
    feed = _feed_on_and_page_public(holder)

    response = client_as_staff.post(_admin_password_form(learner), posted, follow=True)

    assert Client().get(feed).status_code == 404
    assert Client().get(reverse("profile", kwargs={"handle": "taken-over"})).status_code == 404
    page = html.unescape(response.content.decode())
    assert done in page
    assert (
        "As after a password reset, we switched off learner@example.com's calendar feed "
        "(its URL no longer works) and public progress page."
    ) in page


def test_a_refused_admin_password_form_switches_nothing_off(client_as_staff, learner):
    holder = Client()
    holder.force_login(learner)
    feed = _feed_on_and_page_public(holder)

    response = client_as_staff.post(
        _admin_password_form(learner),
        {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD + "-typo"},
        follow=True,
    )

    assert response.status_code == 200
    assert "The two password fields" in response.content.decode()
    assert "switched off" not in response.content.decode()
    assert Client().get(feed).status_code == 200
    assert Client().get(reverse("profile", kwargs={"handle": "taken-over"})).status_code == 200


def test_staff_changing_their_own_password_in_the_admin_switch_off_their_feed(client_as_staff):
    feed = _feed_on_and_page_public(client_as_staff)
    response = client_as_staff.post(
        reverse("admin:password_change"),
        {
            "old_password": "editor-password-123",
            "new_password1": GOOD_PASSWORD,
            "new_password2": GOOD_PASSWORD,
        },
        follow=True,
    )
    page = html.unescape(response.content.decode())
    assert "Your password was changed." in page
    assert "we switched off your calendar feed (its URL no longer works)" in page
    assert Client().get(feed).status_code == 404
    # As on the Account page, a change (not a reset) leaves the owner's public page shared.
    assert Client().get(reverse("profile", kwargs={"handle": "taken-over"})).status_code == 200


def test_a_refused_own_password_change_in_the_admin_switches_nothing_off(client_as_staff):
    feed = _feed_on_and_page_public(client_as_staff)
    response = client_as_staff.post(
        reverse("admin:password_change"),
        {"old_password": "wrong", "new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD},
    )
    assert response.status_code == 200
    assert "switched off" not in response.content.decode()
    assert Client().get(feed).status_code == 200


# The same mailbox typed decomposed ("u" + U+0308, as some keyboards give "ü") or in its DNS
# form was a second and a third account.
BUECHER = "user@bücher.de"
SAME_MAILBOX = ["user@bu\u0308cher.de", "user@xn--bcher-kva.de"]


@pytest.mark.parametrize("spelling", SAME_MAILBOX)
def test_the_same_mailbox_spelt_another_way_cannot_open_a_second_account(client, db, spelling):
    signup(Client(), email=BUECHER)
    # Another password: the same one signs in to the account just made (test_signup_races.py).
    response = signup(client, email=spelling, password="another-harbour-lantern-43")
    assert response.status_code == 200
    assert "An account already uses this e-mail address." in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.parametrize("spelling", SAME_MAILBOX)
def test_a_learner_signs_in_with_her_address_spelt_another_way(client, db, spelling):
    signup(Client(), email=BUECHER)
    response = client.post(reverse("account_login"), {"login": spelling, "password": GOOD_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email=BUECHER).pk)


# Query counts: fixed, however many rows


@pytest.mark.parametrize(
    "name",
    [
        "account_login",
        "account_signup",
        "account_inactive",
        "account_email_verification_sent",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key_done",
    ],
)
def test_a_visitors_account_pages_cost_no_query(client, learner, django_assert_num_queries, name):
    # A form or a notice: no session yet, no table read, however many learners there are.
    with django_assert_num_queries(0):
        assert client.get(reverse(name)).status_code == 200


def _addresses(user, count):
    for n in range(count):
        EmailAddress.objects.create(user=user, email=f"more-{n}@example.com", verified=True)


@pytest.mark.parametrize("addresses", [0, 8])
@pytest.mark.parametrize(
    ("name", "queries"),
    [
        # 1 session, 2 user, 3 whether the account's address is on its list, 4 its addresses
        ("account_email", 4),
        # 1 session, 2 user: the form
        ("account_change_password", 2),
        ("account_logout", 2),
        # 1 session, 2 user, 3-4 the verified addresses a code could go to (allauth reads
        # them once to list the ways to confirm, once to offer the code)
        ("account_reauthenticate", 4),
        # the same, and 5 a third time for the code's recipients (allauth's own reads)
        ("account_request_reauthentication_code", 5),
    ],
)
def test_a_learners_account_pages_take_a_fixed_number_of_queries_however_many_addresses(
    client_as_learner, learner, django_assert_num_queries, name, queries, addresses
):
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    _addresses(learner, addresses)
    with django_assert_num_queries(queries):
        assert client_as_learner.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("addresses", [0, 8])
def test_a_confirmation_link_opens_in_four_queries(
    client, learner, django_assert_num_queries, addresses
):
    _addresses(learner, addresses)
    unconfirmed = EmailAddress.objects.create(user=learner, email="new@example.com")
    url = reverse("account_confirm_email", args=[EmailConfirmationHMAC(unconfirmed).key])
    # 1 the address the key names, 2 whether another account has it confirmed, 3 its learner,
    # 4 the account's addresses (the page names the others: careerportal/address_release.py)
    with django_assert_num_queries(4):
        response = client.get(url)
    assert "new@example.com" in response.content.decode()


@pytest.mark.parametrize("addresses", [0, 8])
def test_a_password_reset_link_opens_its_form_in_a_fixed_number_of_queries(
    client, learner, django_assert_num_queries, addresses
):
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    _addresses(learner, addresses)
    client.post(reverse("account_reset_password"), {"email": learner.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    # The link: 1 the learner it names, 2 whether their account address is on their list,
    # 3 their addresses (the key was made from them), 4 whether the new session's key is
    # free, 5-7 the session saved with the key (savepoint, INSERT, release); then a redirect.
    with django_assert_num_queries(7):
        response = client.get(link.group(1))
    # The form: 1 session, 2 the learner, 3-4 the key checked again as in 2-3.
    with django_assert_num_queries(4):
        form = client.get(response["Location"])
    assert 'name="password1"' in form.content.decode()


@pytest.mark.parametrize("addresses", [0, 8])
def test_a_learner_without_a_password_sets_one_on_a_page_of_two_queries(
    client, learner, django_assert_num_queries, addresses
):
    _addresses(learner, addresses)
    learner.set_unusable_password()
    learner.save()
    client.force_login(learner)
    # 1 session, 2 user: the form
    with django_assert_num_queries(2):
        response = client.get(reverse("account_set_password"))
    assert 'name="password1"' in response.content.decode()


def test_signing_in_from_the_navbar_comes_back_to_the_page(client, learner):
    career = CareerFactory(slug="ml-engineer")
    page = client.get(career.get_absolute_url(), {"tab": "x&y"}).content.decode()
    back = "?next=/careers/ml-engineer/%3Ftab%3Dx%2526y"  # the path keeps its own %26
    assert f'href="{reverse("account_login")}{back}">Sign in</a>' in page
    assert f'href="{reverse("account_signup")}{back}">Sign up</a>' in page

    response = client.post(
        reverse("account_login") + "?next=/careers/ml-engineer/",
        {"login": learner.email, "password": "learner-password-123"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/careers/ml-engineer/"

    # From home or an account page, nowhere to come back to: the links stay plain.
    for url in (reverse("home"), reverse("account_login"), reverse("account_reset_password")):
        assert (
            f'href="{reverse("account_login")}">Sign in</a>' in Client().get(url).content.decode()
        )


def test_signing_in_from_a_page_with_two_parameters_comes_back_with_both(client, learner):
    # The link's "next" held "&amp;" (the page's address escaped once too often): back from
    # the sign-in, the comparison of two careers showed one, its second parameter named
    # "amp;careers".
    import html as markup
    import re

    CareerFactory(title="ML Engineer", slug="ml-engineer")
    CareerFactory(title="Data Engineer", slug="data-engineer")
    here = "/careers/compare/?careers=ml-engineer&careers=data-engineer"
    page = client.get(here).content.decode()
    link = markup.unescape(re.search(r'<a class="nav-link" href="([^"]+)">Sign in</a>', page)[1])
    response = client.post(link, {"login": learner.email, "password": "learner-password-123"})
    assert response.status_code == 302
    assert response["Location"] == here
    compared = client.get(response["Location"]).content.decode()
    assert 'value="ML Engineer"' in compared and 'value="Data Engineer"' in compared


def test_a_long_query_is_not_repeated_in_the_sign_in_links(client, db):
    CareerFactory(slug="ml-engineer")
    html = client.get("/careers/ml-engineer/", {"ref": "x" * 2000}).content.decode()

    assert f'href="{reverse("account_login")}?next=/careers/ml-engineer/">Sign in</a>' in html
    assert html.count("x" * 2000) == 0


@pytest.mark.parametrize("verified", [False, True])
def test_a_learner_with_one_address_is_offered_no_button_it_cannot_use(
    client_as_learner, learner, verified
):
    # "Remove" refused ("You cannot remove your primary email address") and "Make primary"
    # said "Primary email address set." of the address already primary.
    EmailAddress.objects.create(user=learner, email=learner.email, verified=verified, primary=True)
    page = client_as_learner.get(reverse("account_email")).content.decode()
    assert "Make primary" not in page and ">Remove<" not in page
    assert ("Re-send confirmation" in page) is not verified
    # A verified one is listed, with no form whose radio and buttons would do nothing.
    assert ('type="radio"' in page) is not verified
    assert learner.email in page

    _addresses(learner, 1)
    page = client_as_learner.get(reverse("account_email")).content.decode()
    assert "Make primary" in page and ">Remove<" in page
    assert ("Re-send confirmation" in page) is not verified  # the other one is confirmed


def test_the_addresses_page_marks_each_address_confirmed_or_unconfirmed(
    client_as_learner, learner, django_assert_num_queries
):
    """In the site's words, as its messages and buttons say ("Re-send confirmation"):
    the badges said "Verified" and "Unverified"."""
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    alone = client_as_learner.get(reverse("account_email")).content.decode()
    EmailAddress.objects.create(user=learner, email="second@example.com", verified=False)

    with django_assert_num_queries(4):  # as pinned above: session, user, list check, addresses
        two = client_as_learner.get(reverse("account_email")).content.decode()

    def badges(html):
        return re.findall(r'<span class="badge [^"]*">([^<]*)</span>', html)

    assert badges(alone) == ["Confirmed", "Primary"]
    assert badges(two) == ["Confirmed", "Primary", "Unconfirmed"]
    assert "erified" not in alone + two


def test_re_sending_the_confirmation_of_a_confirmed_address_sends_nothing_and_says_so(
    client_as_learner, learner
):
    """The radio starts on the primary address: "Re-send confirmation" mailed it a link to
    add it to the account it was on, and said "Confirmation email sent"."""
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    EmailAddress.objects.create(user=learner, email="second@example.com", verified=False)
    page = client_as_learner.get(reverse("account_email")).content.decode()
    assert "Re-send confirmation" in page  # second@example.com needs it

    response = client_as_learner.post(
        reverse("account_email"), {"action_send": "", "email": learner.email}, follow=True
    )

    assert mail.outbox == []
    text = html.unescape(response.content.decode())
    assert f"{learner.email} is confirmed already: we sent no e-mail." in text
    assert "Confirmation email sent" not in text

    client_as_learner.post(
        reverse("account_email"), {"action_send": "", "email": "second@example.com"}
    )
    assert [message.to for message in mail.outbox] == [["second@example.com"]]


def test_re_sending_a_confirmation_just_sent_says_why_no_other_came(client_as_learner, learner):
    """allauth sends one confirmation to an address per 3 minutes and skipped the second
    "Re-send confirmation" without a word: the page came back as it was, the button seemed
    broken, and the learner had no reason to look for the first e-mail."""
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    address = {"action_send": "", "email": "second@example.com"}
    client_as_learner.post(reverse("account_email"), {"action_add": "", "email": address["email"]})
    assert [message.to for message in mail.outbox] == [["second@example.com"]]

    response = client_as_learner.post(reverse("account_email"), address, follow=True)

    assert len(mail.outbox) == 1
    text = html.unescape(response.content.decode())
    assert (
        "We e-mailed a link to second@example.com less than 3 minutes ago, so we sent no "
        "other: look for that one (in the spam folder too), or ask again in 3 minutes."
    ) in text


@pytest.mark.parametrize("header", ["REMOTE_ADDR", "HTTP_X_FORWARDED_FOR"])
def test_one_visitors_failed_sign_ins_do_not_lock_out_another_ipv4_visitor(
    settings, learner, header
):
    """A dual-stack socket (gunicorn bound to [::], or a proxy listening on one) writes an IPv4
    visitor's address as ::ffff:203.0.113.7, which allauth cut to its /64 like an IPv6 one:
    "::" for every IPv4 visitor, so one visitor's ten failed sign-ins refused everyone's."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1 if header == "HTTP_X_FORWARDED_FOR" else 0
    noisy = Client(**{header: "::ffff:203.0.113.7"})
    for n in range(11):
        page = noisy.post(
            reverse("account_login"), {"login": f"nobody{n}@example.com", "password": "guess-123"}
        )
    assert "Too many failed login attempts" in page.content.decode()

    other = Client(**{header: "::ffff:198.51.100.4"})
    right = {"login": "learner@example.com", "password": "learner-password-123"}
    assert other.post(reverse("account_login"), right).status_code == 302


def test_an_account_holds_at_most_five_addresses(client_as_learner, learner):
    """Each address added e-mails a confirmation to whoever reads it: an account kept every
    address it added, 10 a minute, each one e-mailed."""
    for n in range(4):  # the sign-up address and four more
        assert add_email(client_as_learner, f"mine{n}@example.com").status_code == 302
    sent = len(mail.outbox)

    response = add_email(client_as_learner, "stranger@example.net")

    assert "remove one to add another" in response.content.decode()
    assert not EmailAddress.objects.filter(email="stranger@example.net").exists()
    assert EmailAddress.objects.filter(user=learner).count() == 5
    assert len(mail.outbox) == sent


@pytest.fixture
def limits_clock(monkeypatch):
    """The clock allauth's rate limits read, as a list whose one number the test moves on."""
    clock = [1_000_000.0]
    read = types.SimpleNamespace(time=lambda: clock[0], monotonic=time.monotonic)
    monkeypatch.setattr("allauth.core.internal.ratelimit.time", read)
    return clock


def test_an_account_sends_at_most_twenty_address_changes_an_hour(
    client_as_learner, learner, limits_clock
):
    """Adding and removing an address in turn, slower than 10 a minute, e-mailed a stranger
    every other request, 300 an hour."""

    def strangers_mailed():
        return [m for m in mail.outbox if m.to[0].startswith("stranger")]

    clock = limits_clock
    for n in range(10):  # 20 changes 2.5 minutes apart: the 21st comes 50 minutes after the first
        assert add_email(client_as_learner, f"stranger{n}@example.net").status_code == 302
        clock[0] += 150
        remove = {"action_remove": "", "email": f"stranger{n}@example.net"}
        assert client_as_learner.post(reverse("account_email"), remove).status_code == 302
        clock[0] += 150
    assert len(strangers_mailed()) == 10

    response = add_email(client_as_learner, "stranger10@example.net")

    assert response.status_code == 429
    assert len(strangers_mailed()) == 10
    assert not EmailAddress.objects.filter(email="stranger10@example.net").exists()


def test_one_address_asks_for_at_most_thirty_password_resets_an_hour(client, db, limits_clock):
    """Each request e-mails the address it names, with an account or not: at 10 a minute (3
    an hour to each address) one visitor could have the site mail 600 strangers an hour."""
    url = reverse("account_reset_password")
    for n in range(30):  # 100 seconds apart: the 31st comes 50 minutes after the first
        assert client.post(url, {"email": f"stranger{n}@example.net"}).status_code == 302
        limits_clock[0] += 100
    assert len(mail.outbox) == 30

    response = client.post(url, {"email": "stranger30@example.net"})

    assert response.status_code == 429
    assert len(mail.outbox) == 30


@pytest.mark.parametrize(
    ("name", "field"), [("account_change_password", "oldpassword"), ("account-delete", "password")]
)
def test_a_signed_in_session_guesses_its_password_at_most_twenty_times_an_hour(
    client_as_learner, learner, limits_clock, name, field
):
    """Someone holding a learner's session (a shared computer) tried their password on these
    forms 5 or 10 times a minute, 7,200 or 14,400 a day, where signing in allows 5 guesses
    per 5 minutes; the password found would outlive the session."""
    form = {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    for n in range(20):  # 2.5 minutes apart: the 21st comes 50 minutes after the first
        guess = client_as_learner.post(reverse(name), {**form, field: f"guess-{n}"})
        assert guess.status_code == 200
        limits_clock[0] += 150

    right = client_as_learner.post(reverse(name), {**form, field: "learner-password-123"})

    assert right.status_code == 429
    learner.refresh_from_db()
    assert learner.check_password("learner-password-123")


@pytest.mark.parametrize("email", ['"learner"@example.com', "someone@[10.0.0.5]"])
def test_sign_up_refuses_an_address_in_quotes_or_at_a_bracketed_number(client, learner, email):
    # The first is learner@example.com's own mailbox under a second spelling; mail to the
    # second had the site's mail server connect to that machine on the site's network.
    response = signup(client, email=email)

    assert response.status_code == 200
    assert "Enter your address as name@example.com" in html.unescape(response.content.decode())
    assert User.objects.count() == 1
    assert mail.outbox == []


# Valid to Django's e-mail check (which allows 320 characters) but longer than the 254 an
# account's address column holds.
LONG_ADDRESS = "learner@" + ".".join(["x" * 63] * 4) + ".example.com"


def test_an_address_too_long_to_keep_is_refused_not_cut_to_another(client, db):
    """Signing up with a 275-character address made an account for its first 254 characters
    ("learner@xxx…x.xx"), an address nobody owns: its owner could never confirm or sign in."""
    assert len(LONG_ADDRESS) == 275
    response = signup(client, email=LONG_ADDRESS)

    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    assert "An e-mail address has at most 254 characters; this one has 275." in text
    assert 'maxlength="254"' in response.content.decode()
    assert not User.objects.exists()
    assert not EmailAddress.objects.exists()


def test_adding_an_address_too_long_to_keep_is_refused(client_as_learner, learner):
    response = client_as_learner.post(
        reverse("account_email"), {"action_add": "", "email": LONG_ADDRESS}
    )

    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    assert "An e-mail address has at most 254 characters; this one has 275." in text
    assert list(EmailAddress.objects.values_list("email", flat=True)) == [learner.email]


def test_an_address_sent_without_any_button_is_added_or_told_what_to_do(client_as_learner, learner):
    """allauth picks the action from the pressed button's name and redirected a POST without
    one with nothing done or said: an add form from a page opened before its hidden action
    (or sent by a script) lost the typed address, and the addresses form did nothing."""
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)

    added = client_as_learner.post(
        reverse("account_email"), {"email": "second@example.com"}, follow=True
    )
    empty = client_as_learner.post(reverse("account_email"), {"email": ""})
    listed = client_as_learner.post(
        reverse("account_email"), {"email": learner.email.upper()}, follow=True
    )

    assert [str(m) for m in added.context["messages"]] == [
        "Confirmation e-mail sent to second@example.com."
    ]
    assert learner.emailaddress_set.filter(email="second@example.com", verified=False).exists()
    assert empty.status_code == 200 and "This field is required." in empty.content.decode()
    assert [str(m) for m in listed.context["messages"]] == [
        f"{learner.email} is on your account already: nothing changed."
    ]
    assert learner.emailaddress_set.count() == 2

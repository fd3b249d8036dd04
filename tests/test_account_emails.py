"""allauth's e-mails as the person receiving them reads them: what each says, and that every
link is on SITE_URL and opens."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from certifications.models import LearnerProfile
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


# Notices of a change to an account: how its owner learns of a takeover.


def notice(subject):
    """The one e-mail sent, checked as a notice of a change: its subject and what it says."""
    (message,) = mail.outbox
    assert message.subject == f"[CareerPortal] {subject}"
    return message


def test_a_password_change_e_mails_the_owner_when_from_where_and_what_to_do(client, learner, site):
    LearnerProfile.objects.create(user=learner, time_zone="Pacific/Auckland")
    client.force_login(learner)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "learner-password-123",
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
        },
        HTTP_USER_AGENT="Firefox/140.0",
        HTTP_HOST="careers.example.org",
    )
    assert response.status_code == 302
    message = notice("Your password was changed")
    assert message.to == ["learner@example.com"]
    body = message.body
    assert "The password of your CareerPortal account was changed." in body
    assert "(Pacific/Auckland)" in body
    assert "Browser: Firefox/140.0" in body
    assert f"{SITE}{reverse('account_reset_password')}" in body
    for link in LINK.findall(body):
        assert link.startswith(SITE)


@pytest.mark.parametrize(
    ("action", "subject", "says"),
    [
        # Sent to the address that stops being the sign-in one.
        ("action_primary", "Your sign-in address was changed", "now signs in with other@"),
        ("action_remove", "An address was removed from your account", "other@example.com was"),
    ],
)
def test_the_owner_is_told_when_the_accounts_addresses_change(
    client, learner, site, action, subject, says
):
    EmailAddress.objects.create(user=learner, email=learner.email, primary=True, verified=True)
    EmailAddress.objects.create(user=learner, email="other@example.com", verified=True)
    client.force_login(learner)
    client.post(
        reverse("account_email"),
        {action: "", "email": "other@example.com"},
        HTTP_HOST="careers.example.org",
    )
    message = notice(subject)
    assert message.to == ["learner@example.com"]
    assert says in message.body


def test_a_password_set_by_staff_is_told_to_its_owner(
    client_as_staff, learner, site, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as_staff.post(
            reverse("admin:auth_user_password_change", args=[learner.pk]),
            {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD, "usable_password": "true"},
            HTTP_HOST="careers.example.org",
        )
    assert response.status_code == 302
    message = notice("A member of staff changed your password")
    assert message.to == ["learner@example.com"]
    assert "set a new password for your account, as account recovery" in message.body


def test_with_the_mail_server_down_a_password_change_still_goes_through(
    client_as_learner, learner, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    response = client_as_learner.post(
        reverse("account_change_password"),
        {
            "oldpassword": "learner-password-123",
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
        },
        follow=True,
    )
    assert response.status_code == 200
    learner.refresh_from_db()
    assert learner.check_password(GOOD_PASSWORD)
    assert "our mail server did not answer" in response.content.decode()


def test_a_completed_reset_is_told_to_the_owner(learner, site):
    owner = visitor()
    reset(owner, learner.email)
    path = re.search(rf"{SITE}(/accounts/password/reset/key/\S+)", mail.outbox[0].body).group(1)
    form_page = owner.get(path, follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    mail.outbox.clear()
    done = owner.post(action, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert done.status_code == 302
    message = notice("Your password was reset")
    assert "was reset with a link sent to this address" in message.body


def test_staff_changing_their_own_password_in_the_admin_are_told_by_e_mail(
    client_as_staff, site, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as_staff.post(
            reverse("admin:password_change"),
            {
                "old_password": "editor-password-123",
                "new_password1": GOOD_PASSWORD,
                "new_password2": GOOD_PASSWORD,
            },
            HTTP_HOST="careers.example.org",
        )
    assert response.status_code == 302
    assert notice("Your password was changed").to == ["editor@example.com"]

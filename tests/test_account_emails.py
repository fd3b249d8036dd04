"""allauth's e-mails as the person receiving them reads them: what each says, and that every
link is on SITE_URL and opens."""

import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from careerportal import address_release
from certifications.models import LearnerProfile
from tests.email_parts import assert_html_says_what_the_text_says, html_part, read_html
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


# Every account e-mail also comes as HTML (after the plain text, which stays as it was).


def change_password(client, learner, user_agent="Firefox/140.0"):
    client.force_login(learner)
    return client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "learner-password-123",
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
        },
        HTTP_USER_AGENT=user_agent,
    )


def set_first_password(client, learner):
    learner.set_unusable_password()
    learner.save()
    client.force_login(learner)
    return client.post(
        reverse("account_set_password"), {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )


def complete_reset(client, learner):
    reset(client, learner.email)
    path = re.search(rf"{SITE}(/accounts/password/reset/key/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(path, follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    mail.outbox.clear()
    return client.post(action, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})


def change_addresses(action):
    def send(client, learner):
        EmailAddress.objects.create(user=learner, email=learner.email, primary=True, verified=True)
        EmailAddress.objects.create(user=learner, email="other@example.com", verified=True)
        client.force_login(learner)
        return client.post(reverse("account_email"), {action: "", "email": "other@example.com"})

    return send


def reset_through_an_unconfirmed_second_address(client, learner):
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    EmailAddress.objects.create(user=learner, email="second@example.com", verified=False)
    return reset(client, "second@example.com")


def sign_up_again(client, learner):
    return signup(client, email=learner.email)


def sign_up_with_an_address_held_unconfirmed(client, learner):
    """The address is on an account that also has a confirmed one: the e-mail offers to take
    it off that account instead of a reset (careerportal/address_release.py)."""
    EmailAddress.objects.create(user=learner, email=learner.email, verified=False, primary=True)
    EmailAddress.objects.create(user=learner, email="other@example.com", verified=True)
    return signup(client, email=learner.email)


def release_an_unconfirmed_second_address(client, learner):
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    EmailAddress.objects.create(user=learner, email="second@example.com", verified=False)
    return client.post(address_release.release_path(learner, "second@example.com"))


def staff_sets_password(client, learner, switch_off=False):
    staff = get_user_model().objects.create_superuser(
        "editor", "editor@example.com", "editor-password-123"
    )
    client.force_login(staff)
    return client.post(
        reverse("admin:auth_user_password_change", args=[learner.pk]),
        {"usable_password": "false", "unset-password": "1"}
        if switch_off
        else {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD, "usable_password": "true"},
    )


# By allauth's template name: how a learner (or staff) makes the site send it.
KINDS = {
    "email_confirmation_signup": lambda client, learner: signup(client),
    "email_confirmation": add_address,
    "password_reset_key": lambda client, learner: reset(client, learner.email),
    "unknown_account": lambda client, learner: reset(client, "nobody@example.com"),
    "password_reset_unconfirmed": reset_through_an_unconfirmed_second_address,
    "account_already_exists": sign_up_again,
    "account_already_exists, address held unconfirmed": sign_up_with_an_address_held_unconfirmed,
    "address_released": release_an_unconfirmed_second_address,
    "password_changed": change_password,
    "password_set": set_first_password,
    "password_reset": complete_reset,
    "email_changed": change_addresses("action_primary"),
    "email_deleted": change_addresses("action_remove"),
    "password_set_by_staff": staff_sets_password,
    "password_set_by_staff, password sign-in off": lambda client, learner: staff_sets_password(
        client, learner, switch_off=True
    ),
}


def sent(kind, learner, capture_on_commit, settings):
    """The one e-mail of `kind` the site sends when its user does what makes it send it."""
    if kind.startswith("account_already_exists"):
        settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"  # then allauth tells nobody else
    with capture_on_commit(execute=True):
        response = KINDS[kind](visitor(), learner)
    assert response.status_code in (200, 302)
    (message,) = mail.outbox
    subject = render_to_string(f"account/email/{kind.split(',')[0]}_subject.txt")
    assert message.subject == f"[CareerPortal] {subject.strip()}"
    return message


def test_every_account_email_there_is_has_a_way_to_be_sent_and_an_html_part():
    folder = Path(__file__).resolve().parent.parent / "templates" / "account" / "email"
    texts = {path.name.removesuffix("_message.txt") for path in folder.glob("*_message.txt")}
    htmls = {path.name.removesuffix("_message.html") for path in folder.glob("*_message.html")}

    assert texts - {"base"} == {kind.split(",")[0] for kind in KINDS}
    assert htmls == texts


@pytest.mark.parametrize("kind", KINDS)
def test_every_account_email_has_an_html_part_saying_what_its_text_says(
    learner, site, settings, kind, django_capture_on_commit_callbacks
):
    message = sent(kind, learner, django_capture_on_commit_callbacks, settings)

    reader = assert_html_says_what_the_text_says(message)

    assert all(href == SITE or href.startswith(SITE + "/") for href in reader.hrefs)


@pytest.mark.parametrize("kind", ["email_confirmation_signup", "email_confirmation"])
def test_a_confirmation_by_code_shows_the_code_in_html_too(learner, site, settings, kind):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    settings.ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True

    KINDS[kind](visitor(), learner)

    (message,) = mail.outbox
    code = re.search(r"^(\w{4}-\w{4})$", message.body, re.MULTILINE).group(1)
    reader = assert_html_says_what_the_text_says(message)
    assert code in "".join(reader.text)


def test_a_browser_name_or_address_in_an_account_email_is_escaped_in_html(learner, site):
    hostile = "<script>alert(1)</script> & Co"

    change_password(visitor(), learner, user_agent=hostile)
    reset(visitor(), "o'neil&co@example.com")

    changed, unknown = mail.outbox
    assert f"Browser: {hostile}\n" in changed.body  # the text part prints it as it came
    changed_html = html_part(changed)
    assert "<script" not in changed_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in changed_html
    assert hostile in "".join(read_html(changed).text)
    unknown_html = html_part(unknown)
    assert "o&#x27;neil&amp;co@example.com" in unknown_html
    assert "o'neil&co@example.com" in "".join(read_html(unknown).text)

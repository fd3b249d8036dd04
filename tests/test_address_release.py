"""Someone signed up with another person's address: its owner can take it back and sign up.

Verification is optional. A squatter signs up with the victim's address, adds one of their own
and confirms it. The victim can neither sign up (the address is taken) nor reset (no reset link
goes to an unconfirmed address on an account that has another: tests/test_accounts.py). The
e-mails that say so, and the confirmation page, carry a link sent only to that address which
takes it off the account.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from careerportal import address_release
from tests.test_accounts import GOOD_PASSWORD, signup

User = get_user_model()
RELEASE = re.compile(r"https?://[^/\s]+(/accounts/address/release/\S+/)")
CONFIRM = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)")
# Not the squatter's, which would sign in to the account it just made
# (tests/test_signup_races.py).
VICTIMS_PASSWORD = "victims-own-lantern-77"


@pytest.fixture
def squatted(db):
    """The squatter's account: signed up with the victim's address, plus a confirmed one of
    its own. Returns the squatter's client and the link that would confirm the victim's."""
    squatter = Client()
    signup(squatter, email="victim@example.com")
    (sign_up_mail,) = mail.outbox
    squatter.post(reverse("account_email"), {"action_add": "", "email": "squatter@example.net"})
    squatter.post(CONFIRM.search(mail.outbox[-1].body).group(1))
    assert EmailAddress.objects.get(email="squatter@example.net").verified
    mail.outbox.clear()
    return squatter, CONFIRM.search(sign_up_mail.body).group(1)


def release_link(message) -> str:
    return RELEASE.search(message.body).group(1)


def test_the_owner_told_no_reset_link_comes_can_take_the_address_back_and_sign_up(client, squatted):
    page = signup(client, email="victim@example.com", password=VICTIMS_PASSWORD).content.decode()
    assert "If it is yours, sign in, or choose a new password" in page
    client.post(reverse("account_reset_password"), {"email": "victim@example.com"})
    (no_link,) = mail.outbox
    assert no_link.to == ["victim@example.com"]
    assert "/accounts/password/reset/key/" not in no_link.body
    assert "To take it off that account, so that you can sign up with it yourself" in no_link.body
    link = release_link(no_link)
    mail.outbox.clear()

    page = client.get(link).content.decode()
    assert "It also signs in with s•••@example.net." in page
    assert "squatter@example.net" not in page
    assert EmailAddress.objects.filter(email="victim@example.com").exists()  # a GET changes nothing

    done = client.post(link).content.decode()
    assert "Your address is free" in done
    squatter = User.objects.get(email="squatter@example.net")  # it signs in with its own now
    assert list(EmailAddress.objects.filter(user=squatter).values_list("email", "primary")) == [
        ("squatter@example.net", True)
    ]
    (told,) = mail.outbox
    assert told.to == ["squatter@example.net"]
    assert "The address victim@example.com is no longer on your CareerPortal account." in told.body

    fresh = Client()
    assert signup(fresh, email="victim@example.com").status_code == 302
    owner = User.objects.get(email="victim@example.com")
    assert owner != squatter
    assert fresh.session["_auth_user_id"] == str(owner.pk)


def reset_link(client) -> str:
    client.post(reverse("account_reset_password"), {"email": "victim@example.com"})
    return release_link(mail.outbox[-1])


def test_where_sign_up_e_mails_the_owner_that_it_is_taken_that_e_mail_offers_the_link(
    client, squatted, settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"  # then sign-up tells only the owner
    cache.clear()  # days later: the squatter's sign-up no longer holds back mail to the address
    with django_capture_on_commit_callbacks(execute=True):
        signup(client, email="victim@example.com", password=VICTIMS_PASSWORD)

    (taken,) = mail.outbox
    assert taken.to == ["victim@example.com"]
    assert "/accounts/password/reset/" not in taken.body  # a reset would send no link there
    assert "sign in with its other address" in taken.body
    assert client.post(release_link(taken)).status_code == 200
    assert not EmailAddress.objects.filter(email="victim@example.com").exists()


def test_where_the_account_would_send_a_reset_link_sign_up_e_mails_it_as_before(
    client, learner, settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    with django_capture_on_commit_callbacks(execute=True):
        signup(client, email=learner.email)

    (taken,) = mail.outbox
    assert "/accounts/password/reset/" in taken.body
    assert "/accounts/address/release/" not in taken.body


def test_the_squatter_still_signs_in_with_their_own_address_and_password(client, squatted):
    client.post(reset_link(client))

    squatter = Client()
    assert squatter.login(email="squatter@example.net", password=GOOD_PASSWORD)
    assert not Client().login(email="victim@example.com", password=GOOD_PASSWORD)


def test_the_owner_who_opens_the_sign_up_confirmation_is_told_whose_account_it_is(squatted):
    _, confirm = squatted
    page = Client().get(confirm).content.decode()

    assert "This account also signs in with s•••@example.net." in page
    path = re.search(r'href="(/accounts/address/release/[^"]+/)"', page).group(1)
    assert "Take your address back" in Client().get(path).content.decode()


def test_a_learner_confirming_their_only_address_is_offered_nothing(client, db):
    signup(client, email="alone@example.com")
    page = client.get(CONFIRM.search(mail.outbox[0].body).group(1)).content.decode()

    assert "Please confirm that" in page
    assert "also signs in with" not in page


def test_a_made_up_or_altered_link_changes_nothing(client, squatted):
    link = reset_link(client)

    for bad in ("/accounts/address/release/not-a-token/", link[:-3] + "xx/"):
        response = client.post(bad)
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    assert EmailAddress.objects.filter(email="victim@example.com").exists()


def test_a_link_older_than_a_reset_link_changes_nothing(client, squatted, settings):
    link = reset_link(client)
    settings.PASSWORD_RESET_TIMEOUT = -1  # every link is older than that

    assert client.post(link).status_code == 400
    assert EmailAddress.objects.filter(email="victim@example.com").exists()


def test_an_address_confirmed_since_the_link_was_sent_stays(client, squatted):
    _, confirm = squatted
    link = reset_link(client)
    Client().post(confirm)  # the victim confirmed it after all

    page = client.post(link).content.decode()

    assert "This address was confirmed since" in page
    assert EmailAddress.objects.get(email="victim@example.com").verified


def test_an_accounts_only_address_is_never_taken_off(client, db):
    """Its reader already gets reset links; taking it off would leave an account nobody can
    sign in to."""
    signup(Client(), email="only@example.com")
    user = User.objects.get(email="only@example.com")
    path = address_release.release_path(user, "only@example.com")

    page = client.post(path).content.decode()

    assert "This is that account's only address now" in page
    assert EmailAddress.objects.filter(email="only@example.com").exists()


def test_a_second_click_says_the_address_is_already_free(client, squatted):
    link = reset_link(client)
    client.post(link)
    mail.outbox.clear()

    page = client.post(link).content.decode()

    assert "is no longer on the account that added it" in page
    assert mail.outbox == []


def test_the_release_page_and_its_post_cost_a_fixed_number_of_queries(
    client, squatted, django_assert_num_queries
):
    link = reset_link(client)

    with django_assert_num_queries(2):
        assert client.get(link).status_code == 200
    with django_assert_num_queries(9):
        assert client.post(link).status_code == 200


def test_the_link_never_leaves_the_page_in_a_referer(client, squatted):
    """The token in its path is a secret: the page's own stylesheet and script requests, and
    its form, carry at most the site's origin (careerportal/middleware.py)."""
    response = client.get(reset_link(client))

    assert response["Referrer-Policy"] in ("no-referrer", "strict-origin")

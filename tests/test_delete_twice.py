"""Pressing "Delete my account for good" twice while the first answer is on its way: the
browser drops the first answer (and the new session cookie it carried) and shows the second,
which arrives with the cookie of the session the first one ended."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "learner-password-123"
DELETED = "Your account and everything in it are deleted."


def press_twice(client):
    """Two presses with the cookies the page was loaded with: the second answer is shown."""
    cookies = client.cookies
    client.cookies = cookies.__class__(cookies)  # the first answer's cookies never arrive
    client.post(reverse("account-delete"), {"password": PASSWORD})
    client.cookies = cookies
    return client.post(reverse("account-delete"), {"password": PASSWORD}, follow=True)


def test_the_second_press_shows_the_account_is_deleted(client_as_learner, learner):
    stranger = Client()
    stranger.get(reverse("home"))  # another browser, with a session of its own

    response = press_twice(client_as_learner)

    assert DELETED in response.content.decode()  # was the sign-in page, saying nothing
    assert response.redirect_chain == [(reverse("home"), 302)]
    assert not get_user_model().objects.filter(pk=learner.pk).exists()
    # Deny by default still holds for every other browser.
    refused = stranger.post(reverse("account-delete"), {"password": PASSWORD})
    assert refused["Location"].startswith(reverse("account_login"))

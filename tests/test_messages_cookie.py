"""Messages ("Your progress … is saved.", "You have signed out.") travel in a signed cookie from
the action to the page it redirects to: no session write to add one and another to remove it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certifications.models import CertificationProgress
from tests.factories import CertificationFactory

pytestmark = pytest.mark.django_db
SAID = "Kubernetes Administrator: studying."


def session_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]


def forget_deleted_cookies(client):
    """As a browser does: the test client keeps a cookie the site deleted, with no value."""
    for name in [name for name, cookie in client.cookies.items() if not cookie.value]:
        del client.cookies[name]


def test_saving_progress_shows_its_message_without_writing_the_session(client_as_learner):
    cert = CertificationFactory(name="Kubernetes Administrator")
    url = reverse("progress-update", args=[cert.slug])
    with CaptureQueriesContext(connection) as posted:
        response = client_as_learner.post(url, {"status": "studying"})
    assert response.status_code == 302
    with CaptureQueriesContext(connection) as shown:
        page = client_as_learner.get(response["Location"])

    assert SAID in page.content.decode()
    assert CertificationProgress.objects.get().status == "studying"
    assert session_writes(posted.captured_queries) == []
    assert session_writes(shown.captured_queries) == []
    # Shown once: the page that showed it took it out of the cookie.
    assert client_as_learner.cookies["messages"].value == ""
    assert SAID not in client_as_learner.get(response["Location"]).content.decode()


def test_a_signed_out_visitor_sees_the_message_on_a_page_the_cache_holds(client, learner):
    from django.test import Client

    Client().get(reverse("home"))  # a visitor's visit stores the home page
    client.force_login(learner)
    signed_out = client.post(reverse("account_logout"))
    assert signed_out.status_code == 302
    forget_deleted_cookies(client)
    assert "sessionid" not in client.cookies  # no session is kept to say it

    page = client.get(signed_out["Location"])
    assert "You have signed out." in page.content.decode()
    assert "X-Page-Cache" not in page  # rendered for this visitor, not replayed or stored

    forget_deleted_cookies(client)
    after = client.get(signed_out["Location"])
    assert after["X-Page-Cache"] == "hit"
    assert "You have signed out." not in after.content.decode()

"""A learner's save that meets the deletion of their own account (in another tab, or by staff
in the admin) after the request found its user: signed out and told, never a server error."""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django.test import Client

from careerportal import account_views
from certifications import learner_views
from certifications.models import CareerFollow, CertificationProgress, LearnerProfile
from tests.factories import CareerFactory, CertificationFactory

pytestmark = pytest.mark.django_db(transaction=True)

GONE = (
    "Your account was deleted (in another tab or window, or by the site&#x27;s staff), so "
    "that change was not saved and you are signed out."
)


def _client(learner) -> Client:
    client = Client(raise_request_exception=False)  # a 500 is an answer to check, not a crash
    client.force_login(learner)
    return client


def _deleted_before(monkeypatch, module, name, learner):
    """The view's service deletes the learner's account first, as a request that got there
    a moment before would have."""
    real = getattr(module, name)

    def delete_then_save(*args, **kwargs):
        get_user_model().objects.filter(pk=learner.pk).delete()
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, delete_then_save)


SAVES = {
    "progress": (
        learner_views,
        "progress_update",
        "/certifications/{cert}/progress/",
        {
            "status": "studying",
        },
    ),
    "follow": (learner_views, "career_follow", "/careers/{career}/follow/", {}),
    "study plan": (
        learner_views,
        "learner_plan_update",
        "/dashboard/plan/",
        {
            "weekly_hours": "6",
        },
    ),
    "settings": (
        account_views,
        "profile_update",
        "/accounts/settings/",
        {
            "weekly_hours": "6",
            "reminder_emails": "on",
        },
    ),
    "calendar": (account_views, "calendar_token_rotate", "/accounts/calendar/rotate/", {}),
}


@pytest.mark.parametrize("save", SAVES)
def test_a_save_by_an_account_deleted_meanwhile_signs_out_and_says_so(monkeypatch, learner, save):
    module, name, url, data = SAVES[save]
    certification, career = CertificationFactory(), CareerFactory()
    client = _client(learner)
    _deleted_before(monkeypatch, module, name, learner)

    response = client.post(url.format(cert=certification.slug, career=career.slug), data)

    assert response.status_code == 302
    assert response.url == "/"
    home = client.get("/")
    assert GONE in home.content.decode()
    assert not home.wsgi_request.user.is_authenticated
    assert not CertificationProgress.objects.exists()
    assert not CareerFollow.objects.exists()
    assert not LearnerProfile.objects.exists()


def test_a_refused_save_by_an_account_that_still_exists_is_still_an_error(monkeypatch, learner):
    def refused(**kwargs):
        raise IntegrityError("some other rule")

    monkeypatch.setattr(learner_views, "career_follow", refused)
    client = _client(learner)

    response = client.post(f"/careers/{CareerFactory().slug}/follow/")

    assert response.status_code == 500
    assert client.get("/dashboard/").status_code == 200  # still signed in

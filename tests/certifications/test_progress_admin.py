"""Staff see learner progress read-only in the admin; private notes never show."""

import pytest
from django.urls import reverse
from django.utils import timezone

from certifications.models import CareerFollow, CertificationProgress
from certifications.services.progress import career_follow, progress_update
from tests.factories import CareerFactory, CertificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def row(learner):
    return progress_update(
        user=learner,
        certification=CertificationFactory(name="Visible Cert"),
        status="passed",
        passed_on=timezone.localdate(),
        notes="private-note-text",
    )


def test_staff_see_progress_list_and_detail_without_notes(client_as_staff, row):
    page = client_as_staff.get(
        reverse("admin:certifications_certificationprogress_changelist")
    ).content.decode()
    assert "Visible Cert" in page
    detail = client_as_staff.get(
        reverse("admin:certifications_certificationprogress_change", args=[row.pk])
    )
    assert detail.status_code == 200
    assert "private-note-text" not in detail.content.decode()


def test_staff_cannot_add_change_or_delete_progress(client_as_staff, row):
    add = reverse("admin:certifications_certificationprogress_add")
    assert client_as_staff.get(add).status_code == 403
    change = reverse("admin:certifications_certificationprogress_change", args=[row.pk])
    client_as_staff.post(change, {"status": "skipped"})
    delete = reverse("admin:certifications_certificationprogress_delete", args=[row.pk])
    assert client_as_staff.post(delete, {"post": "yes"}).status_code == 403
    row.refresh_from_db()
    assert row.status == "passed"
    assert CertificationProgress.objects.count() == 1


def test_follows_are_read_only_too(client_as_staff, learner):
    follow = career_follow(user=learner, career=CareerFactory())
    assert (
        client_as_staff.get(reverse("admin:certifications_careerfollow_changelist")).status_code
        == 200
    )
    delete = reverse("admin:certifications_careerfollow_delete", args=[follow.pk])
    assert client_as_staff.post(delete, {"post": "yes"}).status_code == 403
    assert CareerFollow.objects.count() == 1


def test_learners_cannot_open_the_progress_admin(client_as_learner, row):
    response = client_as_learner.get(
        reverse("admin:certifications_certificationprogress_changelist")
    )
    assert response.status_code == 302

"""Two editors on one page: the second save stops and says so instead of undoing the first."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from careers.models import Career
from certifications.models import Certification
from tests.careers.test_admin import assert_saved, form_data
from tests.factories import CareerFactory, CertificationFactory, EmployerFactory, ProviderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(db):
    user = get_user_model().objects.create_user(
        "colleague", "colleague@example.com", "colleague-password-123", is_staff=True
    )
    user.is_superuser = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


@pytest.mark.parametrize(
    ("factory", "field"),
    [
        (CareerFactory, "tagline"),
        (CertificationFactory, "summary"),
        (EmployerFactory, "description"),
        (ProviderFactory, "also_known_as"),
    ],
)
def test_a_stale_save_stops_keeps_the_input_and_a_second_save_replaces(
    client_as_staff, colleague, factory, field
):
    page = factory()
    url = change_url(page)
    mine = form_data(client_as_staff.get(url))  # I open the page...
    theirs = form_data(colleague.get(url))  # ...so does a colleague, who saves first
    theirs[field] = "Their words."
    assert_saved(colleague.post(url, theirs))

    mine[field] = "My words."
    response = client_as_staff.post(url, mine)

    assert response.status_code == 200
    assert "Someone else saved this" in response.content.decode()
    assert "My words." in response.content.decode()  # my input is still on the page
    page.refresh_from_db()
    assert getattr(page, field) == "Their words."

    again = form_data(response)  # Save again, on purpose
    assert_saved(client_as_staff.post(url, again))
    page.refresh_from_db()
    assert getattr(page, field) == "My words."


def test_one_editor_saving_twice_meets_no_conflict(client_as_staff):
    career = CareerFactory()
    url = change_url(career)
    data = form_data(client_as_staff.get(url))
    data["tagline"] = "First."
    assert_saved(client_as_staff.post(url, {**data, "_continue": "1"}))
    data = form_data(client_as_staff.get(url))
    data["tagline"] = "Second."
    assert_saved(client_as_staff.post(url, data))
    assert Career.objects.get(pk=career.pk).tagline == "Second."


def test_a_publish_action_since_opening_counts_as_a_save(client_as_staff, colleague):
    certification = CertificationFactory(status=Certification.Status.DRAFT)
    url = change_url(certification)
    mine = form_data(client_as_staff.get(url))
    colleague.post(
        reverse("admin:certifications_certification_changelist"),
        {"action": "publish", "_selected_action": [certification.pk]},
    )
    assert Certification.objects.get(pk=certification.pk).status == "published"

    response = client_as_staff.post(url, mine)  # would put it back to draft

    assert "Someone else saved this" in response.content.decode()
    assert Certification.objects.get(pk=certification.pk).status == "published"

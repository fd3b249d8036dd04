"""Draft careers and certifications on the site: previews for staff who may view them in the
admin, a 404 for everyone else (staff without that permission included)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import CareerFactory, CertificationFactory, RoadmapStepFactory

pytestmark = pytest.mark.django_db

DRAFTS = {
    "careers.view_career": lambda: CareerFactory(status="draft"),
    "certifications.view_certification": lambda: CertificationFactory(status="draft"),
}


def staff_member(*permissions):
    user = get_user_model().objects.create_user(
        "staffer", "staffer@example.com", "staffer-password-123", is_staff=True
    )
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


@pytest.mark.parametrize("permission", DRAFTS)
def test_staff_without_the_view_permission_get_a_404_for_a_draft(client, permission):
    draft = DRAFTS[permission]()
    client.force_login(staff_member())
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("permission", DRAFTS)
def test_staff_with_only_the_other_models_permission_get_a_404(client, permission):
    draft = DRAFTS[permission]()
    other = next(name for name in DRAFTS if name != permission)
    client.force_login(staff_member(other))
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("permission", DRAFTS)
def test_staff_with_the_view_permission_see_a_draft_preview(client, permission):
    draft = DRAFTS[permission]()
    client.force_login(staff_member(permission))
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Draft preview: visitors cannot see this page." in response.content.decode()


@pytest.mark.parametrize("permission", DRAFTS)
def test_a_learner_with_the_permission_but_no_staff_status_gets_a_404(client, permission):
    draft = DRAFTS[permission]()
    learner = staff_member(permission)
    learner.is_staff = False
    learner.save()
    client.force_login(learner)
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("page", ["detail", "careers"])
def test_a_draft_certifications_preview_gives_each_career_its_step_number_once_published(
    client, django_assert_num_queries, page
):
    # The careers listed on a draft's preview read "Step None": its step is hidden from the
    # career page, so it had no place among the visible ones.
    career = CareerFactory(title="Data Analyst")
    RoadmapStepFactory(career=career, position=1)
    draft = CertificationFactory(status="draft")
    RoadmapStepFactory(career=career, certification=draft, position=2)
    RoadmapStepFactory(career=career, position=3)
    client.force_login(staff_member("certifications.view_certification"))
    url = reverse(f"certifications:{page}", args=[draft.slug])
    # session, user, its permissions (user and group: the preview check), then the page's
    # own (detail: the certification with the learner's progress, its prerequisites, the steps
    # with their numbers; careers: the certification, COUNT, the careers, their steps)
    with django_assert_num_queries(7 if page == "detail" else 8):
        html = client.get(url).content.decode()
    assert "Step 2 once this certification is published · Core" in html
    assert "Step None" not in html


@pytest.mark.parametrize("permission", DRAFTS)
def test_staff_on_a_public_page_get_a_link_to_its_form_and_others_none(
    client, django_assert_num_queries, permission
):
    # A draft's preview linked back to its form; the public page did not, so an editor who
    # spotted a typo there went looking for it in the admin.
    page = DRAFTS[permission]()
    type(page).objects.filter(pk=page.pk).update(status="published")
    form = reverse(f"admin:{page._meta.app_label}_{page._meta.model_name}_change", args=[page.pk])
    link = f'<p class="small"><a href="{form}">Edit it in the admin</a></p>'
    assert link not in client.get(page.get_absolute_url()).content.decode()
    client.force_login(get_user_model().objects.create_user("learner", "l@example.com", "x"))
    assert link not in client.get(page.get_absolute_url()).content.decode()
    client.force_login(staff_member(permission))
    # session, user, its permissions (user and group), then the page's own queries (career:
    # the career, figures, hirings, steps, the ordered parts, with no roadmap to relate it by;
    # certification: the certification, its prerequisites, the steps on it): none for the link
    with django_assert_num_queries(9 if permission.startswith("careers") else 7):
        html = client.get(page.get_absolute_url()).content.decode()
    assert link in html
    assert "Draft preview" not in html

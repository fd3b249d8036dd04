"""A page whose slug an editor changes keeps its old address: a permanent redirect to it."""

import pytest
from django.test import Client
from django.urls import reverse

from careers.models import Career, FormerSlug
from tests.careers.test_admin import assert_saved, form_data
from tests.factories import CareerFactory, CertificationFactory, EmployerFactory

pytestmark = pytest.mark.django_db


def rename(page, slug):
    page.slug = slug
    page.save()
    return page


def test_an_editor_renames_a_career_and_its_old_address_leads_to_it(client_as_staff):
    career = CareerFactory(title="ML Engineer", slug="ml-engineer")
    change = reverse("admin:careers_career_change", args=[career.pk])
    data = form_data(client_as_staff.get(change))
    data["slug"] = "ai-ml-engineer"
    assert_saved(client_as_staff.post(change, data))

    visitor = Client()
    response = visitor.get("/careers/ml-engineer/")

    assert response.status_code == 301
    assert response["Location"] == "/careers/ai-ml-engineer/"
    assert visitor.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("factory", "prefix"),
    [
        (CareerFactory, "/careers/"),
        (CertificationFactory, "/certifications/"),
        (EmployerFactory, "/employers/"),
    ],
)
def test_every_old_slug_of_a_page_leads_to_its_current_address(client, factory, prefix):
    page = factory(slug="first")
    rename(rename(page, "second"), "third")

    for old in ("first", "second"):
        response = client.get(f"{prefix}{old}/?utm_source=newsletter")
        assert response.status_code == 301
        assert response["Location"] == f"{prefix}third/?utm_source=newsletter"
    assert client.get(f"{prefix}third/").status_code == 200


def test_a_page_that_takes_an_old_slug_is_served_itself(client):
    rename(CareerFactory(title="Old Name", slug="data-role"), "data-engineer")
    CareerFactory(title="Data Analyst", slug="data-role")

    response = client.get("/careers/data-role/")

    assert response.status_code == 200
    assert "Data Analyst" in response.content.decode()


def test_a_page_that_takes_an_old_slug_ends_the_old_redirect(client):
    renamed = rename(CareerFactory(title="Old Name", slug="data-role"), "data-engineer")
    taker = CareerFactory(title="Data Analyst", slug="data-role", status="draft")
    assert not FormerSlug.objects.filter(slug="data-role").exists()
    # Visitors no longer go to the renamed career at the draft's address; the draft stays hidden.
    assert client.get("/careers/data-role/").status_code == 404
    assert client.get(renamed.get_absolute_url()).status_code == 200
    taker.slug = "data-analyst"
    taker.save()  # giving the slug up again makes it a redirect to the draft, hidden as such
    assert client.get("/careers/data-role/").status_code == 404


def test_an_old_slug_of_a_draft_stays_hidden_from_visitors(client_as_staff):
    rename(CareerFactory(slug="secret-plan", status=Career.Status.DRAFT), "secret-plan-2")

    assert Client().get("/careers/secret-plan/").status_code == 404
    assert client_as_staff.get("/careers/secret-plan/").status_code == 301  # staff preview


def test_a_deleted_page_leaves_its_old_address_a_404(client):
    career = rename(CareerFactory(slug="gone"), "gone-2")
    career.delete()

    assert FormerSlug.objects.filter(slug="gone").exists()
    assert client.get("/careers/gone/").status_code == 404


def test_saving_without_a_new_slug_keeps_no_redirect():
    career = CareerFactory(slug="steady")
    career.tagline = "Changed words."
    career.save()

    assert not FormerSlug.objects.exists()


def test_an_unknown_address_costs_one_more_query_and_stays_a_404(client, django_assert_num_queries):
    # the page, then its former slugs, then (for the 404 page) the slugs it may have meant
    with django_assert_num_queries(3):
        assert client.get("/careers/never-was/").status_code == 404


def test_a_form_left_open_on_a_renamed_page_still_saves_there(client_as_learner, learner):
    from certifications.models import CareerFollow, CertificationProgress

    certification = rename(CertificationFactory(slug="old-exam"), "new-exam")
    career = rename(CareerFactory(slug="old-career"), "new-career")

    saved = client_as_learner.post("/certifications/old-exam/progress/", {"status": "studying"})
    followed = client_as_learner.post("/careers/old-career/follow/")

    assert saved.status_code == followed.status_code == 302
    assert CertificationProgress.objects.get(user=learner).certification == certification
    assert CareerFollow.objects.get(user=learner).career == career
    unfollowed = client_as_learner.post("/careers/old-career/unfollow/")
    assert unfollowed.status_code == 302 and not CareerFollow.objects.exists()
    assert client_as_learner.post("/careers/never-was/follow/").status_code == 404


@pytest.mark.parametrize(
    ("factory", "url", "param"),
    [
        (CareerFactory, reverse("careers:compare"), "careers"),
        (CertificationFactory, reverse("certifications:compare"), "certifications"),
    ],
)
def test_a_comparison_shared_before_a_rename_still_shows_the_renamed_page(
    client, django_assert_num_queries, factory, url, param
):
    """A link to /careers/compare/?careers=old&careers=other answered "We could not find
    these careers: “old”" once an editor renamed the page, whose own old address redirects."""
    renamed_page = rename(factory(slug="old-name"), "new-name")
    other = factory(slug="other")

    response = client.get(url, {param: ["old-name", other.slug]})

    picked = [column[param[:-1]].slug for column in response.context["columns"]]
    assert picked == ["new-name", "other"]
    assert "could not find" not in response.content.decode()
    assert renamed_page.slug == "new-name"
    # Current slugs cost no query for former ones (as before: 4 queries for careers, 4 for
    # certifications with nothing to compare on a roadmap).
    with django_assert_num_queries(4):
        client.get(url, {param: ["new-name", "other"]})

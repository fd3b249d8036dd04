"""The career list's search box (/careers/?q=) finds what the site search finds: careers by
their own words, and careers whose published roadmap asks for a certification the words find
("which careers ask for the CKA?")."""

import pytest
from django.urls import reverse

from certifications.models import Certification
from tests.factories import (
    CareerFactory,
    CertificationFactory,
    ProviderFactory,
    RoadmapStepFactory,
    career_on_a_renamed_exam,
)

pytestmark = pytest.mark.django_db
LIST = reverse("careers:list")
SEARCH = reverse("search")


def titles(response):
    return [career.title for career in response.context["careers"]]


def career(title, **fields):
    """A published career whose own searched texts say nothing of Kubernetes."""
    fields = {"tagline": "Runs things.", "alternative_titles": "", "category": "Other", **fields}
    return CareerFactory(title=title, **fields)


def kubernetes_roadmaps():
    """Two careers asking for the CKA, one for an unrelated exam, one draft asking for the CKA,
    and one asking for a draft Kubernetes exam."""
    linux = ProviderFactory(name="The Linux Foundation")
    cka = CertificationFactory(
        name="Certified Kubernetes Administrator (CKA)", exam_code="CKA", provider=linux
    )
    terraform = CertificationFactory(name="Terraform Associate", exam_code="004")
    draft = CertificationFactory(
        name="Kubernetes Draft Exam", exam_code="KDE", status=Certification.Status.DRAFT
    )
    RoadmapStepFactory(career=career("Cloud Engineer"), certification=cka)
    RoadmapStepFactory(career=career("Platform Lead"), certification=cka)
    RoadmapStepFactory(career=career("Platform Lead 2"), certification=terraform)
    RoadmapStepFactory(career=career("Draft Role", status="draft"), certification=cka)
    RoadmapStepFactory(career=career("Data Analyst"), certification=draft)


@pytest.mark.parametrize(
    "query", ["k8s", "K8s", "kubernetes", "CKA", "cka", "certified kubernetes administrators"]
)
def test_the_career_list_finds_the_careers_whose_roadmap_asks_for_the_exam(client, query):
    kubernetes_roadmaps()
    response = client.get(LIST, {"q": query})
    assert titles(response) == ["Cloud Engineer", "Platform Lead"]
    assert "2 careers" in response.content.decode()


def test_a_career_asking_for_a_retired_exam_is_found_by_its_successors_code(client):
    found, _, _ = career_on_a_renamed_exam()  # AI-900, replaced by AI-901
    career("Unrelated Analyst")
    assert titles(client.get(LIST, {"q": "AI-901"})) == [found.title]
    assert titles(client.get(LIST, {"q": "ai901"})) == [found.title]


def test_the_list_shows_every_career_the_search_page_counts(client):
    kubernetes_roadmaps()
    for n in range(10):
        career(f"Kubernetes Role {n:02d}")  # found by its own words
    search = client.get(SEARCH, {"q": "k8s"}).content.decode()
    assert "See all 12 careers matching “k8s”" in search
    response = client.get(LIST, {"q": "k8s"})
    assert response.context["page_obj"].paginator.count == 12
    assert "Cloud Engineer" in titles(response)


def test_did_you_mean_offers_a_word_of_the_certifications_on_the_roadmaps(client):
    kubernetes_roadmaps()
    response = client.get(LIST, {"q": "kuberntes"})
    html = response.content.decode()
    assert 'Did you mean “<a href="?q=kubernetes">kubernetes</a>”?' in html
    followed = client.get(LIST + response.context["respelling"]["url"])
    assert titles(followed) == ["Cloud Engineer", "Platform Lead"]


@pytest.mark.parametrize("rows", [2, 12])
def test_a_search_through_the_roadmaps_takes_three_queries(client, django_assert_num_queries, rows):
    cka = CertificationFactory(name="Certified Kubernetes Administrator", exam_code="CKA")
    for n in range(rows):
        RoadmapStepFactory(career=career(f"Role {n:02d}"), certification=cka)
        RoadmapStepFactory(career=career(f"Other {n:02d}"))
    # 1 categories and salary countries, 2 COUNT for the paginator, 3 the page of careers
    # (each found by its own words or an EXISTS over its roadmap's matching exams)
    with django_assert_num_queries(3):
        response = client.get(LIST, {"q": "k8s"})
    assert response.context["page_obj"].paginator.count == rows


@pytest.mark.parametrize("url", [LIST, reverse("certifications:list")])
def test_a_query_over_100_characters_is_run_and_shown_shortened_without_an_error(client, url):
    career("Cloud Engineer")
    long_query = "cloud " + "x" * 150
    response = client.get(url, {"q": long_query})
    html = " ".join(response.content.decode().split())
    assert "Your search was shortened to its first 100 characters." in html
    # The box holds the query that was run, not the one refused beside a red error.
    assert f'value="{long_query[:100]}"' in html
    assert long_query[:101] not in html
    assert "Ensure this value has at most" not in html
    assert "is-invalid" not in html

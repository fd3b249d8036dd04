"""/search/ for two or three things a visitor weighs up ("cka vs ckad"): each is found, and
the compare page is one link away."""

import pytest
from django.urls import reverse

from tests.factories import CareerFactory, CertificationFactory

pytestmark = pytest.mark.django_db
SEARCH = reverse("search")


def titles(response):
    return [hit.title for group in response.context["groups"] for hit in group["hits"]]


@pytest.mark.parametrize("query", ["ckad vs cka", "CKAD vs. CKA", "ckad versus cka", "ckad or cka"])
def test_two_exams_weighed_up_are_each_found_with_a_link_comparing_them(client, query):
    CertificationFactory(name="Kubernetes Administrator", exam_code="CKA", slug="cka")
    CertificationFactory(name="Kubernetes App Developer", exam_code="CKAD", slug="ckad")
    CertificationFactory(name="Kubernetes Security", exam_code="CKS", slug="cks")

    response = client.get(SEARCH, {"q": query})

    assert {"Kubernetes Administrator", "Kubernetes App Developer"} <= set(titles(response))
    html = response.content.decode()
    compare = reverse("certifications:compare") + "?certifications=ckad&amp;certifications=cka"
    assert (
        f'<a href="{compare}">Compare Kubernetes App Developer and Kubernetes Administrator' in html
    )
    assert "Popular careers" not in html


def test_two_careers_weighed_up_link_to_the_career_comparison(client):
    CareerFactory(title="Data Scientist", slug="data-scientist")
    CareerFactory(title="Data Engineer", slug="data-engineer")

    response = client.get(SEARCH, {"q": "data scientist vs data engineer"})

    assert titles(response)[:2] == ["Data Scientist", "Data Engineer"]
    compare = reverse("careers:compare") + "?careers=data-scientist&amp;careers=data-engineer"
    assert (
        f'<a href="{compare}">Compare Data Scientist and Data Engineer' in response.content.decode()
    )


def test_a_side_found_alone_is_shown_without_a_comparison(client):
    CertificationFactory(name="Kubernetes Administrator", exam_code="CKA", slug="cka")

    response = client.get(SEARCH, {"q": "cka vs zzz"})

    assert titles(response) == ["Kubernetes Administrator"]
    assert "Compare Kubernetes Administrator" not in response.content.decode()


@pytest.mark.parametrize("rows", [2, 6])
def test_a_search_weighing_up_two_takes_three_queries(client, django_assert_num_queries, rows):
    for n in range(rows):
        CertificationFactory(name=f"Kubernetes Administrator {n}", exam_code=f"CKA-{n}")
    # 1 the search for the whole text (nothing), 2 and 3 the search for each side
    with django_assert_num_queries(3):
        response = client.get(SEARCH, {"q": "kubernetes vs administrator"})
    assert response.context["total"] == rows


def test_a_side_meaning_no_one_exam_gets_no_comparison(client):
    CertificationFactory(name="AWS Cloud Practitioner", slug="aws-cloud")
    CertificationFactory(name="AWS Developer", slug="aws-developer")
    CertificationFactory(name="Azure Fundamentals", exam_code="AZ-900", slug="az-900")

    response = client.get(SEARCH, {"q": "aws or az-900"})

    # Both sides are found; which AWS exam to set beside AZ-900 is the visitor's choice.
    assert len(titles(response)) == 3
    assert "Compare AWS" not in response.content.decode()

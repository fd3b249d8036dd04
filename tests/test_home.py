"""The home page: search, featured careers, popular certifications."""

import pytest
from django.urls import reverse

from certifications.models import Certification
from tests.factories import CareerFactory, CertificationFactory, RoadmapStepFactory

pytestmark = pytest.mark.django_db


def test_home_has_a_search_box_that_works_without_javascript(client):
    html = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("search")}"' in html
    assert 'type="search" name="q"' in html


def test_home_shows_featured_careers_first_and_never_drafts(client):
    CareerFactory(title="Aardvark Analyst")
    CareerFactory(title="Zebra Engineer", featured=True)
    CareerFactory(title="Draft Role", featured=True, status="draft")
    response = client.get(reverse("home"))
    assert [c.title for c in response.context["careers"]] == ["Zebra Engineer", "Aardvark Analyst"]
    assert "Draft Role" not in response.content.decode()


def test_popular_certifications_are_those_in_the_most_published_roadmaps(client):
    common = CertificationFactory(name="Common Ground")
    rare = CertificationFactory(name="Rare Find")
    CertificationFactory(name="In No Roadmap")
    for _ in range(3):
        RoadmapStepFactory(certification=common)
    RoadmapStepFactory(certification=rare)
    for _ in range(5):  # roadmaps of draft careers do not count
        RoadmapStepFactory(certification=rare, career=CareerFactory(status="draft"))
    draft = CertificationFactory(name="Draft Exam", status="draft")
    RoadmapStepFactory(certification=draft)
    response = client.get(reverse("home"))
    assert [c.name for c in response.context["certifications"]] == ["Common Ground", "Rare Find"]
    html = response.content.decode()
    assert "3 roadmaps" in html
    assert "Draft Exam" not in html


def test_the_six_most_used_certifications_show_by_roadmaps_then_name(client):
    CertificationFactory(name="Exam A", status="retired")  # on a roadmap, but not bookable
    RoadmapStepFactory(certification=Certification.objects.get(name="Exam A"))
    RoadmapStepFactory(certification=CertificationFactory(name="Exam H"))  # the seventh
    others = [CertificationFactory(name=f"Exam {letter}") for letter in "GFEDCB"]
    for number, certification in enumerate(others, start=1):
        for _ in range(2 if number <= 3 else 1):
            RoadmapStepFactory(certification=certification)
    response = client.get(reverse("home"))
    shown = [(c.name, c.career_count) for c in response.context["certifications"]]
    assert shown == [
        ("Exam E", 2),
        ("Exam F", 2),
        ("Exam G", 2),
        ("Exam B", 1),
        ("Exam C", 1),
        ("Exam D", 1),
    ]


@pytest.mark.parametrize("rows", [2, 6])
def test_home_takes_two_queries(client, django_assert_num_queries, rows):
    for _ in range(rows):
        career = CareerFactory(featured=True)
        RoadmapStepFactory(career=career)
        RoadmapStepFactory(career=career)
    # 1 featured careers with certification count and mid salary, 2 popular certifications
    with django_assert_num_queries(2):
        response = client.get(reverse("home"))
    assert len(response.context["careers"]) == min(rows, 6)

"""A query word naming a field of work finds the word for the person doing it ("data
engineering" finds "Data Engineer", "data science" "Data Scientist"), and words spelled out
count as the abbreviation a title holds for them where the row's own texts spell it out
("machine learning engineer" ranks "AI / ML Engineer" with the titles holding the words)."""

import pytest

from tests.factories import CertificationFactory
from tests.test_search_short_words import (
    CAREERS,
    CATALOGUE,
    SEARCH,
    career,
    career_titles,
    catalogue_names,
    shown,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "found", "not_found"),
    [
        ("data engineering", ["Data Engineer"], ["Data Analyst"]),
        ("data science", ["Data Scientist", "Scientific Data Lead"], ["Data Engineer"]),
        ("management", ["Product Manager", "Managed Services Lead"], ["Man Overboard Coach"]),
        ("administration", ["Systems Administrator"], ["Admin Assistant"]),
        ("security analysis", ["Security Analyst"], ["Security Engineer"]),
        ("compliance", ["Compliant Systems Lead"], ["Complier"]),
        # A stem shorter than 5 letters is no field's ("test" is in "latest"), and a word is
        # not cut to a stem another word shares ("engin", as Snowball makes it, is in
        # "Kubernetes Engine").
        ("testing management", ["Testing Manager"], ["Latest Release Manager"]),
        ("engineering", ["Cloud Engineer"], ["Kubernetes Engine Admin"]),
    ],
)
def test_a_field_of_work_finds_the_person_doing_it(client, query, found, not_found):
    for title in found + not_found:
        career(title)
    assert sorted(shown(client.get(SEARCH, {"q": query}))) == sorted(found)
    assert sorted(career_titles(client.get(CAREERS, {"q": query}))) == sorted(found)


def test_the_catalogue_finds_an_exam_by_its_field_of_work(client):
    CertificationFactory(name="Fabric Data Engineer Associate", summary="")
    CertificationFactory(name="Data Analyst Associate", summary="")
    response = client.get(CATALOGUE, {"q": "data engineering"})
    assert catalogue_names(response) == ["Fabric Data Engineer Associate"]


def test_a_title_abbreviation_its_page_spells_out_ranks_as_the_words(client):
    # Each holds "machine", "learning" and "engineer"; only the first says that its ML is
    # machine learning (the second's "machine" and "learning" are other words).
    career("ZZ ML Engineer", tagline="Trains machine learning models.")
    career("AA ML Engineer", tagline="Machine vision and deep learning.")
    CertificationFactory(name="Cloud Machine Learning Engineer", summary="")
    assert shown(client.get(SEARCH, {"q": "machine learning engineer jobs"})) == [
        "ZZ ML Engineer",
        "AA ML Engineer",
        "Cloud Machine Learning Engineer",
    ]


def test_an_exam_abbreviation_its_summary_spells_out_ranks_as_the_words(client):
    CertificationFactory(name="Azure AI Engineer", summary="Build artificial intelligence apps.")
    CertificationFactory(
        name="Azure AI Engineer Lite", summary="Artificial vision, business intelligence."
    )
    career("Artificial Intelligence Engineer Coach", tagline="Coaches azure teams.")
    response = client.get(SEARCH, {"q": "azure artificial intelligence engineer"})
    assert shown(response) == [
        "Azure AI Engineer",
        "Azure AI Engineer Lite",
        "Artificial Intelligence Engineer Coach",
    ]


def test_words_spelled_out_stay_one_query(client, django_assert_num_queries):
    career("AI / ML Engineer", tagline="Trains machine learning models.")
    career("Data Engineer")
    CertificationFactory(name="Cloud Machine Learning Engineer", summary="")
    # 1 UNION ALL of careers, certifications (provider joined), providers and employers
    with django_assert_num_queries(1):
        response = client.get(SEARCH, {"q": "machine learning engineering"})
    assert shown(response) == ["AI / ML Engineer", "Cloud Machine Learning Engineer"]


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("dev ops", "Platform Engineer"),
        ("Dev Ops engineer", "Platform Engineer"),
        ("sys admin", "System Administrator"),
        ("pen test", "Penetration Tester"),
        ("gen ai", "Generative AI Engineer"),
    ],
)
def test_an_abbreviation_typed_in_two_words_finds_what_it_does_as_one(client, query, title):
    # "devops" found the platform and reliability careers; "dev ops" found nothing.
    career(title)
    career("Data Analyst")
    assert shown(client.get(SEARCH, {"q": query})) == [title]
    assert career_titles(client.get(CAREERS, {"q": query})) == [title]

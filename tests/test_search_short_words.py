"""A short query word ("ai", "ml", "soc", "aws", "cka") finds the texts where it is a word, not
every text it hides inside ("maintain", "html", "associate", "laws"), on the site search, the
career list and the certification catalogue alike."""

import pytest
from django.urls import reverse

from tests.factories import CareerFactory, CertificationFactory, RoadmapStepFactory

pytestmark = pytest.mark.django_db
SEARCH = reverse("search")
CAREERS = reverse("careers:list")
CATALOGUE = reverse("certifications:list")


def shown(response):
    """The titles the search page lists, top to bottom."""
    return [hit.title for group in response.context["groups"] for hit in group["hits"]]


def career(title, **fields):
    """A published career whose only searched words are in its title (and `fields`)."""
    fields = {"tagline": "", "alternative_titles": "", "category": "Other", **fields}
    return CareerFactory(title=title, **fields)


def career_titles(response):
    return [career.title for career in response.context["careers"]]


def catalogue_names(response):
    return [certification.name for certification in response.context["certifications"]]


@pytest.mark.parametrize(
    ("query", "found", "not_found"),
    [
        # One or two characters: the whole word, whatever stands around it.
        ("ai", ["AI Engineer", "Azure AI-102 Coach", "Applied (AI) Researcher"], ["Maintainer"]),
        ("ml", ["ML Engineer", "Applied ML/AI Lead"], ["HTML Developer", "XML Analyst"]),
        ("bi", ["BI Analyst"], ["Big Data Engineer", "Billing Specialist"]),
        ("it", ["IT Support Technician"], ["Site Engineer", "Auditor"]),
        ("az", ["AZ-104 Administrator"], ["Hazard Analyst", "Azure Architect"]),
        # Three: the start of a word ("llm" finds "LLMs", "sec" finds "Security").
        ("soc", ["SOC Analyst", "Social Media Manager"], ["Associate Architect"]),
        ("aws", ["AWS Engineer"], ["Laws Clerk", "Draws Designer"]),
        ("llm", ["LLM Engineer", "LLMs Researcher"], ["Skillmatch Recruiter"]),
        ("sec", ["Security Engineer", "DevSec Lead (sec-ops)"], ["Infosec Lead"]),
        ("c++", ["C++ Developer"], ["Cloud Engineer", "ABC++ Tester"]),
        ("c03", ["SAA-C03 Coach"], ["CC03 Auditor"]),
    ],
)
def test_a_short_word_finds_the_texts_holding_it_as_a_word(client, query, found, not_found):
    for title in found + not_found:
        career(title)
    assert sorted(shown(client.get(SEARCH, {"q": query}))) == sorted(found)
    assert sorted(career_titles(client.get(CAREERS, {"q": query}))) == sorted(found)


@pytest.mark.parametrize(
    ("query", "found", "not_found"),
    [
        # A word of a camel-case word is a word: "ai" in "OpenAI", "ops" in "DevOps".
        ("ai", ["OpenAI Researcher", "AIOps Engineer"], ["Maintainer", "TrainingLead Coach"]),
        ("ops", ["DevOps Engineer", "MLOps Engineer", "AIOps Engineer"], ["Workshops Lead"]),
        ("ml", ["MLOps Engineer", "AutoML Specialist"], ["HTML Developer", "XMLHttp Tester"]),
        ("jp", ["JPMorgan Analyst"], ["Jpeg Artist"]),
        ("pro", ["SnowPro Coach"], ["Approver"]),
        # A plural acronym is one word ("LLMs"), and "Associate" holds no "SOC" however cased.
        ("ms", ["MS Office Trainer"], ["LLMs Researcher", "CRMs Admin"]),
        ("soc", ["SOC Analyst", "CyberSOC Lead"], ["Associate Architect", "AssociateDirector"]),
    ],
)
def test_a_short_word_is_found_where_a_camel_case_word_holds_it(client, query, found, not_found):
    for title in found + not_found:
        career(title)
    assert sorted(shown(client.get(SEARCH, {"q": query}))) == sorted(found)
    assert sorted(career_titles(client.get(CAREERS, {"q": query}))) == sorted(found)


def test_did_you_mean_finds_a_short_word_inside_a_camel_case_word(client):
    career("MLOps Engineer")
    response = client.get(CAREERS, {"q": "ops enginer"})
    assert response.context["respelling"]["words"] == "ops engineer"
    assert career_titles(client.get(CAREERS, {"q": "ops engineer"})) == ["MLOps Engineer"]


def test_only_a_short_latin_word_must_be_a_word_of_the_text(client):
    for title in ("Kubernetes Administrator", "Maintainer", "数据工程师", "Инженер ии-систем"):
        career(title)
    # Longer words, and words of scripts written without spaces, are found inside others.
    assert shown(client.get(SEARCH, {"q": "kube"})) == ["Kubernetes Administrator"]
    assert shown(client.get(SEARCH, {"q": "数据"})) == ["数据工程师"]
    assert shown(client.get(SEARCH, {"q": "ии"})) == ["Инженер ии-систем"]
    assert shown(client.get(SEARCH, {"q": "aint"})) == ["Maintainer"]
    assert shown(client.get(SEARCH, {"q": "ai"})) == []


def test_ai_finds_the_ai_exams_not_every_summary_that_says_maintain_or_train(client):
    CertificationFactory(
        name="Azure AI Engineer Associate", exam_code="AI-102", summary="Build AI apps."
    )
    CertificationFactory(name="AWS Certified AI Practitioner", exam_code="AIF-C01", summary="")
    CertificationFactory(
        name="Data Engineer Associate",
        exam_code="DEA-C01",
        summary="Train staff, maintain pipelines.",
    )
    CertificationFactory(name="Terraform Associate", exam_code="004", summary="Explains domains.")
    expected = ["AWS Certified AI Practitioner", "Azure AI Engineer Associate"]
    assert sorted(shown(client.get(SEARCH, {"q": "ai"}))) == expected
    assert catalogue_names(client.get(CATALOGUE, {"q": "ai"})) == expected


def test_a_short_word_ranks_a_title_starting_with_it_as_a_word_first(client):
    # "Airflow ..." starts with "ai" but not with the word "ai": it ranks with the other
    # careers holding the word elsewhere, after those whose title holds it.
    career("Airflow Engineer", tagline="Schedules AI pipelines.")
    career("AI Engineer")
    career("Applied AI Lead")
    assert shown(client.get(SEARCH, {"q": "ai"})) == [
        "AI Engineer",
        "Applied AI Lead",
        "Airflow Engineer",
    ]


def test_an_exam_code_prefix_of_two_letters_finds_only_codes_that_start_with_it(client):
    CertificationFactory(name="Azure Administrator", exam_code="AZ-104")
    CertificationFactory(name="Azure Fundamentals", exam_code="AZ-900")
    CertificationFactory(name="Some exam", exam_code="XAZ-1")  # "az" inside the code
    CertificationFactory(name="Kubernetes Admin", exam_code="CKA")
    CertificationFactory(name="Kubernetes Apps", exam_code="CKAD")
    assert sorted(shown(client.get(SEARCH, {"q": "az"}))) == [
        "Azure Administrator",
        "Azure Fundamentals",
    ]
    assert sorted(catalogue_names(client.get(CATALOGUE, {"q": "az"}))) == [
        "Azure Administrator",
        "Azure Fundamentals",
    ]
    # Three letters start a code: the exam whose code it is first, then the longer code.
    assert shown(client.get(SEARCH, {"q": "cka"})) == ["Kubernetes Admin", "Kubernetes Apps"]
    assert shown(client.get(SEARCH, {"q": "az-900"})) == ["Azure Fundamentals"]


def test_a_career_asking_for_an_ai_exam_is_found_by_ai_and_one_that_says_train_is_not(client):
    ai_exam = CertificationFactory(name="Azure AI Engineer Associate", exam_code="AI-102")
    other = CertificationFactory(name="Trainer Certificate", summary="Explains domains.")
    RoadmapStepFactory(career=career("Zeta Analyst"), certification=ai_exam)
    RoadmapStepFactory(career=career("Omega Analyst"), certification=other)
    response = client.get(SEARCH, {"q": "ai"})
    assert shown(response) == ["Azure AI Engineer Associate", "Zeta Analyst"]


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("ai", "İstanbul AI Mühendisi"),  # a text beyond ASCII holding the word
        ("ai", "\uff21\uff29 Engineer"),  # full-width letters fold to "AI"
        ("\uff21\uff29", "AI Engineer"),  # and typed that way find the plain word
    ],
)
def test_a_short_word_beyond_ascii_or_folded_into_it_is_found(client, query, title):
    career(title)
    career("Maintainer")
    assert shown(client.get(SEARCH, {"q": query})) == [title]
    assert career_titles(client.get(CAREERS, {"q": query})) == [title]


@pytest.mark.parametrize(
    ("query", "title"),
    [("ai", "AI / ML Engineer"), ("ml", "AI / ML Engineer"), ("ops", "DevOps Engineer")],
)
def test_a_search_of_short_words_stays_one_query(client, django_assert_num_queries, query, title):
    for text in (title, "Maintainer", "HTML Developer", "Workshops Lead"):
        career(text)
    CertificationFactory(name="Kubernetes Admin", exam_code="CKA")
    # 1 UNION ALL of careers, certifications (provider joined), providers and employers
    with django_assert_num_queries(1):
        response = client.get(SEARCH, {"q": query})
    assert response.context["total"] == 1

"""/search/ with a word no page mentions: results for the other words, saying which was left out.

"cloud engineer london" found nothing at all, although "cloud engineer" finds the Cloud
Engineer: a visitor read it as "the site has nothing for me".
"""

import pytest
from django.urls import reverse

from careers.models import Career
from certifications.models import Certification
from tests.factories import (
    CareerFactory,
    CertificationFactory,
    EmployerFactory,
    ProviderFactory,
    RoadmapStepFactory,
)

pytestmark = pytest.mark.django_db
SEARCH = reverse("search")


def shown_in_order(response):
    """The result titles as the page lists them, top to bottom."""
    return [hit.title for group in response.context["groups"] for hit in group["hits"]]


def hits(response, kind):
    for group in response.context["groups"]:
        if group["kind"] == kind:
            return [hit.title for hit in group["hits"]]
    return []


def status(response):
    """The text of the line under the results' count, where the page explains its search."""
    html = response.content.decode()
    return html.split('class="text-body-secondary cp-search-explained">', 1)[1].split("</p>")[0]


@pytest.fixture
def catalogue():
    aws = ProviderFactory(name="Amazon Web Services", also_known_as="AWS")
    google = ProviderFactory(name="Google Cloud", also_known_as="GCP")
    CareerFactory(title="Cloud Engineer", tagline="Run cloud infrastructure.", category="Cloud")
    CareerFactory(title="Data Engineer", tagline="Move and clean data.", category="Data")
    CareerFactory(title="Data Analyst", tagline="Answer questions with data.", category="Data")
    CareerFactory(title="AI / ML Engineer", tagline="Ship machine learning models.", category="AI")
    CareerFactory(title="Security Analyst", tagline="Keep systems safe.", category="Security")
    CertificationFactory(name="AWS Certified Cloud Practitioner", exam_code="CLF-C02", provider=aws)
    CertificationFactory(
        name="AWS Certified Machine Learning Engineer - Associate",
        exam_code="MLA-C01",
        provider=aws,
    )
    CertificationFactory(
        name="Professional Data Engineer", exam_code="PDE", provider=google, summary="Pipelines."
    )
    EmployerFactory(name="Cloudflare", description="Runs a global network.")


def test_a_word_no_page_mentions_is_left_out_and_named(client, catalogue):
    response = client.get(SEARCH, {"q": "cloud engineer london"})

    shown = shown_in_order(response)
    assert shown[0] == "Cloud Engineer"  # both words, the exact title
    # Then what mentions one of them: the other engineers, the cloud exams and employer.
    assert {"Data Engineer", "AI / ML Engineer", "Cloudflare"} <= set(shown)
    assert "Security Analyst" not in shown and "Data Analyst" not in shown
    assert status(response) == (
        "No results mention “london”; showing results for "
        '<a href="/search/?q=cloud%20engineer">cloud engineer</a>.'
    )
    html = response.content.decode()
    assert "Nothing matches" not in html and "Popular careers" not in html
    # The box keeps what the visitor typed, to search again.
    assert 'value="cloud engineer london"' in html


def test_results_mentioning_more_of_the_words_come_first(client, catalogue):
    response = client.get(SEARCH, {"q": "ml engineer beginner"})

    careers = hits(response, "career")
    assert careers[0] == "AI / ML Engineer"  # "ML" and "Engineer"
    assert set(careers[1:]) == {"Cloud Engineer", "Data Engineer"}  # "Engineer" alone
    # "ml" spelled out in the name, and "Engineer"
    assert hits(response, "certification")[0] == (
        "AWS Certified Machine Learning Engineer - Associate"
    )
    assert status(response) == (
        "No results mention “beginner”; showing results for "
        '<a href="/search/?q=ml%20engineer">ml engineer</a>.'
    )


def test_a_word_like_free_is_left_out_when_nothing_says_it(client, catalogue):
    response = client.get(SEARCH, {"q": "free aws certification"})

    assert shown_in_order(response)[:2] == [
        "AWS Certified Cloud Practitioner",
        "AWS Certified Machine Learning Engineer - Associate",
    ]
    assert "Amazon Web Services" in shown_in_order(response)  # the provider
    assert status(response) == (
        "No results mention “free”; showing results for "
        '<a href="/search/?q=aws%20certification">aws certification</a>.'
    )


def test_a_field_no_page_names_leaves_the_words_around_it(client, catalogue):
    response = client.get(SEARCH, {"q": "best certification for data science"})

    shown = shown_in_order(response)
    assert set(shown) == {"Data Engineer", "Data Analyst", "Professional Data Engineer"}
    assert status(response) == (
        "No results mention “science”; showing results for "
        '<a href="/search/?q=best%20certification%20for%20data">best certification for data</a>.'
    )


def test_a_query_every_word_of_which_a_page_holds_is_answered_as_before(client, catalogue):
    CareerFactory(title="Data Scientist", tagline="Models and statistics.", category="Data")
    response = client.get(SEARCH, {"q": "best certification for data science"})

    assert shown_in_order(response) == ["Data Scientist"]
    assert "cp-search-explained" not in response.content.decode()


def test_words_each_found_but_never_together_rank_by_how_many_a_result_holds(client, catalogue):
    CertificationFactory(name="Security Fundamentals", summary="For a beginner in security.")
    response = client.get(SEARCH, {"q": "cloud security beginner"})

    shown = shown_in_order(response)
    assert shown[0] == "Security Fundamentals"  # two of the three words
    assert {"Cloud Engineer", "Security Analyst", "Cloudflare"} <= set(shown)
    assert status(response) == (
        "No result mentions every word of “cloud security beginner”; "
        "those with one in their title or name come first, then those mentioning the most."
    )


def test_a_word_in_a_title_ranks_above_more_words_found_only_on_a_roadmap(client, catalogue):
    # As on the demo site: the Data Engineer's roadmap says "cloud" (an exam's provider) and
    # "security" (another exam's summary); its own title, tagline and category say neither.
    data_engineer = Career.objects.get(title="Data Engineer")
    RoadmapStepFactory(
        career=data_engineer,
        certification=Certification.objects.get(name="Professional Data Engineer"),
    )
    governance = CertificationFactory(
        name="Lakehouse Governance", summary="Data access, lineage and security."
    )
    RoadmapStepFactory(career=data_engineer, certification=governance)
    CareerFactory(
        title="Reliability Engineer",
        alternative_titles="Cloud Operations Engineer, SRE",
        tagline="Keep services up.",
        category="Operations",
    )
    response = client.get(SEARCH, {"q": "cloud security london"})

    # Those called by one of the words (a title, other titles) first; the Data Engineer,
    # holding both words through its roadmap alone, after them (it came first).
    assert hits(response, "career") == [
        "Cloud Engineer",
        "Reliability Engineer",
        "Security Analyst",
        "Data Engineer",
    ]
    assert shown_in_order(response)[0] == "Cloud Engineer"
    assert status(response).startswith("No results mention “london”; showing results for ")


def test_an_exam_named_or_coded_by_a_word_ranks_above_one_whose_summary_holds_more(
    client, catalogue
):
    CertificationFactory(name="Security Essentials", summary="The basics.")
    CertificationFactory(
        name="Exam Readiness", exam_code="RDY-1", summary="Practice for CLF-C02 and security."
    )
    response = client.get(SEARCH, {"q": "clf-c02 security london"})

    # The exam coded CLF-C02 and the one named for security first, though the third's summary
    # holds both words (it came first).
    assert hits(response, "certification") == [
        "AWS Certified Cloud Practitioner",
        "Security Essentials",
        "Exam Readiness",
    ]


def test_a_career_saying_a_word_itself_ranks_above_one_whose_roadmap_alone_says_it(client):
    CareerFactory(title="Alpha Developer", tagline="Writes services.", category="Software")
    CareerFactory(title="Platform Engineer", tagline="Runs Kubernetes clusters.", category="Ops")
    alpha = Career.objects.get(title="Alpha Developer")
    RoadmapStepFactory(career=alpha, certification=CertificationFactory(name="Kubernetes Basics"))
    CertificationFactory(name="Observability Essentials")
    response = client.get(SEARCH, {"q": "kubernetes observability london"})

    # Neither title holds a word; the Platform Engineer's tagline does, the Alpha Developer's
    # roadmap alone (they were listed by title, the tagline not counting).
    assert hits(response, "career") == ["Platform Engineer", "Alpha Developer"]


def test_a_query_no_word_of_which_any_page_holds_gets_the_empty_search_help(client, catalogue):
    html = client.get(SEARCH, {"q": "basket weaving london"}).content.decode()

    assert "Nothing matches “basket weaving london”" in html
    assert "Popular careers" in html
    assert "cp-search-explained" not in html


def test_a_typo_and_a_word_no_page_holds_are_both_handled(client, catalogue):
    response = client.get(SEARCH, {"q": "clowd engineer london"})

    assert shown_in_order(response)[0] == "Cloud Engineer"
    assert status(response) == (
        "Nothing matches “clowd engineer london” as typed, so we searched for the closest "
        "words on the site. No results mention “london”; showing results for "
        '<a href="/search/?q=cloud%20engineer">cloud engineer</a>.'
    )


def test_two_things_weighed_up_are_still_searched_each_on_its_own(client, catalogue):
    response = client.get(SEARCH, {"q": "cloud engineer vs data engineer"})

    assert response.context["parts"] == ["cloud engineer", "data engineer"]
    assert "cp-search-explained" not in response.content.decode()


def test_only_the_first_words_of_a_long_query_are_weighed_one_by_one(client, catalogue):
    words = "cloud engineer " + " ".join(f"zq{n}" for n in range(10))
    response = client.get(SEARCH, {"q": words})

    assert shown_in_order(response)[0] == "Cloud Engineer"
    assert status(response).startswith(
        "No results mention “zq0”, “zq1”, “zq2”, “zq3”, “zq4” or “zq5”; showing results for "
    )
    assert (
        "We searched the first 8 words only, without “zq6 zq7 zq8 zq9”."
        in response.content.decode()
    )


ODD_QUERIES = {
    "one word again and again": "cloud " * 40,
    "beyond ascii": "cloud engineer " + "é ü ß İ ﬁ 数据 😀 " * 4,
    "pattern characters": "cloud engineer %_\\'\"[*?]^$(|){}.",
    "one-letter words": "cloud engineer " + " ".join("abcdefghijklmnopqrstuvwxyz"),
}


@pytest.mark.parametrize("query", ODD_QUERIES.values(), ids=ODD_QUERIES.keys())
def test_long_or_odd_queries_with_a_word_no_page_holds_get_a_page(client, catalogue, query):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    assert shown_in_order(response)[0] == "Cloud Engineer"


@pytest.mark.parametrize("rows", [2, 6])
def test_leaving_a_word_out_takes_two_more_queries(client, django_assert_num_queries, rows):
    for n in range(rows):
        career = CareerFactory(title=f"Cloud Engineer {n}")
        RoadmapStepFactory(career=career, certification=CertificationFactory(name=f"Cloud {n}"))
        EmployerFactory(name=f"Cloud employer {n}")
    # 1 the search, 2 the site's words (no word is a typo of one), 3 which words any row
    # holds, 4 the rows holding any of those, most words first
    with django_assert_num_queries(4):
        response = client.get(SEARCH, {"q": "cloud engineer london"})
    assert response.context["total"] == rows * 3
    # 1 the search (the site's words are kept), 2 which words any row holds (none: no rows
    # to read), 3 featured careers, 4 popular certifications
    with django_assert_num_queries(4):
        client.get(SEARCH, {"q": "basket weaving london"})


def test_a_long_group_of_results_for_some_words_counts_the_rest_without_a_wrong_link(client):
    CareerFactory(title="Cloud Engineer")
    for n in range(12):
        CareerFactory(title=f"Engineer {n:02d}", category="Engineering")
    response = client.get(SEARCH, {"q": "cloud engineer london"})

    assert hits(response, "career")[0] == "Cloud Engineer"
    html = response.content.decode()
    assert "3 more careers mention some of these words." in html
    assert "See all 13 careers" not in html

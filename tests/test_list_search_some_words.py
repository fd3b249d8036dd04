"""The career list's and the catalogue's search boxes with a word no career (or no
certification) mentions: the list for the other words, saying which was left out.

"cloud engineer london" on /careers/ and "aws practitioner free" on /certifications/ listed
nothing at all, and did not say why, although the site search shows results for the others.
"""

import pytest
from django.urls import reverse

from tests.factories import CareerFactory, CertificationFactory, ProviderFactory

pytestmark = pytest.mark.django_db
CAREERS = reverse("careers:list")
CERTIFICATIONS = reverse("certifications:list")


def titles(response):
    return [career.title for career in response.context["careers"]]


def names(response):
    return [certification.name for certification in response.context["certifications"]]


def status(response):
    """The line under the results' count saying which words were left out, or None."""
    html = response.content.decode()
    if "cp-left-out" not in html:
        return None
    return html.split('cp-left-out" role="status">', 1)[1].split("</p>")[0]


@pytest.fixture
def careers():
    CareerFactory(title="Cloud Engineer", tagline="Runs cloud systems.", category="Cloud")
    CareerFactory(title="Data Engineer", tagline="Moves data.", category="Data")
    CareerFactory(title="Data Analyst", tagline="Answers questions.", category="Data")


@pytest.fixture
def catalogue():
    aws = ProviderFactory(name="Amazon Web Services", also_known_as="AWS")
    CertificationFactory(name="AWS Certified Cloud Practitioner", exam_code="CLF-C02", provider=aws)
    CertificationFactory(name="AWS Certified Developer", exam_code="DVA-C02", provider=aws)
    CertificationFactory(name="Azure Fundamentals", exam_code="AZ-900")


def test_the_career_list_leaves_out_a_word_no_career_mentions_and_says_so(client, careers):
    response = client.get(CAREERS, {"q": "cloud engineer london"})

    assert titles(response) == ["Cloud Engineer"]
    assert status(response) == (
        "No careers mention “london”; showing careers matching "
        '<a href="?q=cloud+engineer">cloud engineer</a>.'
    )
    html = response.content.decode()
    assert "1 career matching “cloud engineer”" in html
    assert "No careers match these filters" not in html
    # The box keeps what the visitor typed, to search again.
    assert 'value="cloud engineer london"' in html


def test_the_catalogue_leaves_out_a_word_no_certification_mentions_and_says_so(client, catalogue):
    response = client.get(CERTIFICATIONS, {"q": "aws practitioner free"})

    assert names(response) == ["AWS Certified Cloud Practitioner"]
    assert status(response) == (
        "No certifications mention “free”; showing certifications matching "
        '<a href="?q=aws+practitioner">aws practitioner</a>.'
    )
    html = response.content.decode()
    assert "1 certification matching “aws practitioner”" in html
    assert 'value="aws practitioner free"' in html


def test_two_words_left_out_are_both_named(client, careers):
    response = client.get(CAREERS, {"q": "remote data engineer london"})

    assert titles(response) == ["Data Engineer"]
    assert status(response).startswith("No careers mention “remote” or “london”;")


def test_the_filters_and_sort_still_apply_and_the_link_keeps_them(client, careers):
    CareerFactory(title="Analytics Engineer", tagline="Models data.", category="Data")
    response = client.get(CAREERS, {"q": "engineer london", "category": "Data", "sort": "title"})

    assert titles(response) == ["Analytics Engineer", "Data Engineer"]
    assert '<a href="?q=engineer&amp;category=Data&amp;sort=title">engineer</a>' in status(response)


def test_the_catalogues_filters_still_apply(client, catalogue):
    response = client.get(CERTIFICATIONS, {"q": "aws free", "level": "foundational"})

    assert names(response) == []  # the AWS exams are associate: no page without the filter
    assert status(response) is None
    assert "No certifications match these filters" in response.content.decode()


def test_the_next_page_keeps_the_query_and_shows_the_rest(client):
    for n in range(14):
        CareerFactory(title=f"Engineer {n:02d}", tagline="Builds.", category="Other")
    first = client.get(CAREERS, {"q": "engineer london"})
    assert "page=2" in first.content.decode() and "q=engineer+london" in first.content.decode()

    response = client.get(CAREERS, {"q": "engineer london", "page": "2"})

    assert titles(response) == ["Engineer 12", "Engineer 13"]
    assert response.context["notices"] == []  # no "there is no page 2"
    assert status(response).startswith("No careers mention “london”;")


def test_a_query_no_word_of_which_a_career_mentions_gets_the_empty_list_help(client, careers):
    response = client.get(CAREERS, {"q": "basket weaving london"})

    assert titles(response) == []
    assert status(response) is None
    assert "No careers match these filters" in response.content.decode()


def test_words_each_mentioned_but_never_together_get_the_empty_list_help(client, careers):
    response = client.get(CAREERS, {"q": "cloud analyst london"})

    assert titles(response) == []
    assert status(response) is None
    assert "No careers match these filters" in response.content.decode()


def test_a_typo_is_still_offered_as_did_you_mean_first(client, careers):
    response = client.get(CAREERS, {"q": "clowd engineer"})

    assert titles(response) == []
    assert response.context["respelling"]["words"] == "cloud engineer"
    assert status(response) is None


def test_a_query_found_as_typed_is_listed_as_before(client, careers):
    response = client.get(CAREERS, {"q": "data engineer"})

    assert titles(response) == ["Data Engineer"]
    assert status(response) is None


@pytest.mark.parametrize("rows", [2, 14])
def test_a_career_search_leaving_a_word_out_takes_five_queries(
    client, django_assert_num_queries, rows
):
    for n in range(rows):
        CareerFactory(title=f"Engineer {n:02d}", tagline="Builds.", category="Other")
    client.get(CAREERS, {"q": "engineerr"})  # reads the careers' words for "did you mean"
    # 1 categories and salary countries, 2 COUNT finding nothing, 3 which words any career
    # holds, 4 COUNT and 5 the page for the words held; the careers' words for "did you
    # mean" are read once per content version
    with django_assert_num_queries(5):
        response = client.get(CAREERS, {"q": "engineer london"})
    assert response.context["page_obj"].paginator.count == rows


@pytest.mark.parametrize("rows", [2, 14])
def test_a_catalogue_search_leaving_a_word_out_takes_six_queries(
    client, django_assert_num_queries, rows
):
    aws = ProviderFactory(name="Amazon Web Services", also_known_as="AWS")
    for n in range(rows):
        CertificationFactory(name=f"AWS Exam {n:02d}", provider=aws)
    client.get(CERTIFICATIONS, {"q": "exxam"})  # reads the words for "did you mean"
    # 1 providers, 2 COUNT finding nothing, 3 COUNT of the retired ones matching, 4 which
    # words any certification holds, 5 COUNT and 6 the page for the words held
    with django_assert_num_queries(6):
        response = client.get(CERTIFICATIONS, {"q": "aws exam london"})
    assert response.context["page_obj"].paginator.count == rows


def test_a_search_none_of_whose_words_a_career_holds_takes_one_query_more(
    client, django_assert_num_queries, careers
):
    client.get(CAREERS, {"q": "weavingg"})  # reads the careers' words for "did you mean"
    # 1 categories and salary countries, 2 COUNT finding nothing, 3 which words any career
    # holds: none, so no second search
    with django_assert_num_queries(3):
        response = client.get(CAREERS, {"q": "basket weaving london"})
    assert titles(response) == []

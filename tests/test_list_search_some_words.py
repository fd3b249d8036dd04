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
@pytest.mark.parametrize("query", ["engineer london", "kuberntes london"])
def test_a_career_search_leaving_a_word_out_takes_five_queries(
    client, django_assert_num_queries, rows, query
):
    for n in range(rows):
        CareerFactory(title=f"Kubernetes Engineer {n:02d}", tagline="Builds.", category="Other")
    client.get(CAREERS, {"q": "engineerr"})  # reads the careers' words for "did you mean"
    # 1 categories and salary countries, 2 COUNT finding nothing, 3 which words (typed, and
    # "kubernetes" respelled) any career holds, 4 COUNT and 5 the page for the words held;
    # the careers' words for "did you mean" are read once per content version
    with django_assert_num_queries(5):
        response = client.get(CAREERS, {"q": query})
    assert response.context["page_obj"].paginator.count == rows


@pytest.mark.parametrize("rows", [2, 14])
@pytest.mark.parametrize("query", ["aws exam london", "kuberntes london"])
def test_a_catalogue_search_leaving_a_word_out_takes_six_queries(
    client, django_assert_num_queries, rows, query
):
    aws = ProviderFactory(name="Amazon Web Services", also_known_as="AWS")
    for n in range(rows):
        CertificationFactory(name=f"AWS Kubernetes Exam {n:02d}", provider=aws)
    client.get(CERTIFICATIONS, {"q": "exxam"})  # reads the words for "did you mean"
    # 1 providers, 2 COUNT finding nothing, 3 COUNT of the retired ones matching, 4 which
    # words (typed, and "kubernetes" respelled) any certification holds, 5 COUNT and 6 the
    # page for the words held
    with django_assert_num_queries(6):
        response = client.get(CERTIFICATIONS, {"q": query})
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


# A misspelt word beside a word no page holds: "kuberntes london" listed nothing and said
# nothing on either list (no "did you mean", since "kubernetes london" finds nothing either,
# and no word left out, since no page holds "kuberntes" or "london"), while the site search
# respells "kuberntes" and leaves "london" out.


@pytest.fixture
def kubernetes_careers(careers):
    CareerFactory(title="Platform Engineer", tagline="Runs Kubernetes clusters.", category="Cloud")
    CareerFactory(title="Cluster Admin", tagline="Upgrades Kubernetes.", category="Cloud")
    CareerFactory(title="Site Reliability Engineer", tagline="Kubernetes on call.", category="Ops")


@pytest.fixture
def kubernetes_catalogue(catalogue):
    linux = ProviderFactory(name="The Linux Foundation")
    CertificationFactory(name="Certified Kubernetes Administrator", exam_code="CKA", provider=linux)
    CertificationFactory(
        name="Kubernetes and Cloud Native Associate",
        exam_code="KCNA",
        provider=linux,
        level="foundational",
    )


def follow(client, list_url, response):
    """The list the note's link leads to."""
    href = status(response).split('<a href="', 1)[1].split('"', 1)[0]
    return client.get(list_url + href.replace("&amp;", "&"))


def test_the_career_list_respells_a_typo_and_leaves_out_a_word_no_career_mentions(
    client, kubernetes_careers
):
    query = {"q": "kuberntes london", "category": "Cloud", "sort": "title"}
    response = client.get(CAREERS, query)

    assert titles(response) == ["Cluster Admin", "Platform Engineer"]
    assert status(response) == (
        "Nothing matches “kuberntes london” as typed, so we searched for the closest words on"
        " the site. No careers mention “london”; showing careers matching"
        ' <a href="?q=kubernetes&amp;category=Cloud&amp;sort=title">kubernetes</a>.'
    )
    html = response.content.decode()
    assert "2 careers matching “kubernetes”" in html
    assert "No careers match these filters" not in html
    assert 'value="kuberntes london"' in html
    # The link searches the word as spelt, in the same category and order, with no note.
    corrected = follow(client, CAREERS, response)
    assert titles(corrected) == ["Cluster Admin", "Platform Engineer"]
    assert status(corrected) is None
    assert corrected.context["values"]["category"] == "Cloud"


def test_the_catalogue_respells_a_typo_and_leaves_out_a_word_no_certification_mentions(
    client, kubernetes_catalogue
):
    response = client.get(CERTIFICATIONS, {"q": "kuberntes london", "level": "foundational"})

    assert names(response) == ["Kubernetes and Cloud Native Associate"]
    assert status(response) == (
        "Nothing matches “kuberntes london” as typed, so we searched for the closest words on"
        " the site. No certifications mention “london”; showing certifications matching"
        ' <a href="?q=kubernetes&amp;level=foundational">kubernetes</a>.'
    )
    html = response.content.decode()
    assert "1 certification matching “kubernetes”" in html
    assert 'value="kuberntes london"' in html
    corrected = follow(client, CERTIFICATIONS, response)
    assert names(corrected) == ["Kubernetes and Cloud Native Associate"]
    assert status(corrected) is None


def test_two_typos_beside_a_word_no_page_mentions_are_both_respelled(
    client, kubernetes_careers, kubernetes_catalogue
):
    careers = client.get(CAREERS, {"q": "kuberntes clustr london"})
    catalogue = client.get(CERTIFICATIONS, {"q": "kuberntes administratr london"})

    assert titles(careers) == ["Cluster Admin", "Platform Engineer"]
    assert '<a href="?q=kubernetes+cluster">kubernetes cluster</a>' in status(careers)
    assert names(catalogue) == ["Certified Kubernetes Administrator"]
    assert "No certifications mention “london”;" in status(catalogue)
    corrected = follow(client, CERTIFICATIONS, catalogue)
    assert names(corrected) == ["Certified Kubernetes Administrator"]


def test_a_typo_beside_a_word_held_and_one_no_page_mentions_is_respelled(client, careers):
    # The typo was left out as if no career could mean it: every engineer was listed.
    response = client.get(CAREERS, {"q": "clowd engineer london"})

    assert titles(response) == ["Cloud Engineer"]
    assert status(response).endswith(
        'No careers mention “london”; showing careers matching <a href="?q=cloud+engineer">'
        "cloud engineer</a>."
    )


def test_a_typo_never_mentioned_with_the_other_words_is_offered_on_its_own(
    client, kubernetes_careers, kubernetes_catalogue
):
    # "kubernetes analyst" finds nothing, so no "did you mean" offered it, and the list of
    # analysts did not say that "kuberntes" was a typo of a word careers mention.
    careers = client.get(CAREERS, {"q": "kuberntes analyst", "sort": "title"})
    catalogue = client.get(CERTIFICATIONS, {"q": "kuberntes developer", "level": "associate"})

    assert titles(careers) == ["Data Analyst"]
    assert status(careers) == (
        "No careers mention “kuberntes”; showing careers matching"
        ' <a href="?q=analyst&amp;sort=title">analyst</a>.'
        ' Did you mean “<a href="?q=kubernetes&amp;sort=title">kubernetes</a>”?'
    )
    assert names(catalogue) == ["AWS Certified Developer"]
    assert status(catalogue).endswith(
        ' Did you mean “<a href="?q=kubernetes&amp;level=associate">kubernetes</a>”?'
    )
    spelt = client.get(CAREERS, {"q": "kubernetes", "sort": "title"})
    assert titles(spelt) == ["Cluster Admin", "Platform Engineer", "Site Reliability Engineer"]
    spelt = client.get(CERTIFICATIONS, {"q": "kubernetes", "level": "associate"})
    assert names(spelt) == ["Certified Kubernetes Administrator"]


@pytest.mark.parametrize(
    "query",
    ["Kuberntes LONDON", "kuberntes, london!", "“kuberntes” / london", "kuberntes <b>london</b>"],
)
def test_a_typo_and_a_word_left_out_are_read_however_they_are_typed(
    client, kubernetes_careers, kubernetes_catalogue, query
):
    careers = client.get(CAREERS, {"q": query})
    catalogue = client.get(CERTIFICATIONS, {"q": query})

    assert careers.status_code == catalogue.status_code == 200
    assert len(titles(careers)) == 3 and len(names(catalogue)) == 2
    for response in (careers, catalogue):
        assert ">kubernetes</a>." in status(response)
        assert "<b>" not in status(response)  # what was typed is shown as text

"""/search/: one ranked search over careers, certifications, providers and employers."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.factories import (
    CareerFactory,
    CertificationFactory,
    EmployerFactory,
    ProviderFactory,
    RoadmapStepFactory,
    career_on_a_renamed_exam,
    retire_for,
)

pytestmark = pytest.mark.django_db
SEARCH = reverse("search")


def hits(response, kind):
    for group in response.context["groups"]:
        if group["kind"] == kind:
            return [hit.title for hit in group["hits"]]
    return []


@pytest.mark.parametrize("query", ["AI-102", "ai-102", "ai102", "AI 102", "Ai102"])
def test_an_exam_code_finds_its_certification_with_or_without_the_dash(client, query):
    CertificationFactory(name="Azure AI Engineer Associate", exam_code="AI-102")
    CertificationFactory(name="Something else", exam_code="AZ-104")
    response = client.get(SEARCH, {"q": query})
    assert hits(response, "certification") == ["Azure AI Engineer Associate"]


def test_exact_code_or_title_ranks_before_prefix_before_contains(client):
    CertificationFactory(name="Intro to AI-102 topics", exam_code="X-1")  # contains
    CertificationFactory(name="AI-1020 Advanced", exam_code="AI-1020")  # prefix
    CertificationFactory(name="Azure AI Engineer", exam_code="AI-102")  # exact code
    response = client.get(SEARCH, {"q": "AI-102"})
    assert hits(response, "certification") == [
        "Azure AI Engineer",
        "AI-1020 Advanced",
        "Intro to AI-102 topics",
    ]


def test_careers_rank_exact_title_first(client):
    CareerFactory(title="Senior Data Engineer")
    CareerFactory(title="Data Engineer")
    CareerFactory(title="Data Engineering Lead")
    response = client.get(SEARCH, {"q": "data engineer"})
    assert hits(response, "career") == [
        "Data Engineer",
        "Data Engineering Lead",
        "Senior Data Engineer",
    ]


def test_results_are_grouped_with_counts(client):
    CareerFactory(title="Cloud Engineer")
    CareerFactory(title="Cloud Architect")
    CertificationFactory(name="Cloud Practitioner")
    ProviderFactory(name="Cloud Academy")  # no public certification: not listed
    provider = ProviderFactory(name="Cloud Inc")
    CertificationFactory(name="Unrelated", provider=provider)  # found by its provider's name
    EmployerFactory(name="Cloudflare")
    response = client.get(SEARCH, {"q": "cloud"})
    groups = {g["kind"]: g["count"] for g in response.context["groups"]}
    assert groups == {"career": 2, "certification": 2, "provider": 1, "employer": 1}
    assert hits(response, "certification") == ["Cloud Practitioner", "Unrelated"]
    html = response.content.decode()
    assert "6 results" in html
    assert "Cloud Academy" not in html


def test_two_or_three_careers_or_certifications_found_can_be_compared_in_one_click(client):
    CareerFactory(title="Kubernetes Admin", slug="k-admin")
    CareerFactory(title="Kubernetes Developer", slug="k-dev")
    for code in ("CKA", "CKAD", "CKS"):
        CertificationFactory(name=f"Kubernetes {code}", slug=code.lower())
    html = client.get(SEARCH, {"q": "kubernetes"}).content.decode()
    careers = reverse("careers:compare")
    certifications = reverse("certifications:compare")
    assert f'href="{careers}?careers=k-admin&amp;careers=k-dev">Compare both side by side' in html
    assert (
        f'href="{certifications}?certifications=cka&amp;certifications=ckad'
        '&amp;certifications=cks">Compare all three side by side'
    ) in html

    CertificationFactory(name="Kubernetes KCNA")  # four: too many for one comparison
    html = client.get(SEARCH, {"q": "kubernetes"}).content.decode()
    assert f'href="{certifications}?' not in html


def test_a_long_group_shows_the_best_ten_and_links_to_the_whole_catalogue(client):
    CareerFactory(title="Cloud")
    for n in range(14):
        CareerFactory(title=f"Cloud role {n:02d}")
    response = client.get(SEARCH, {"q": "cloud"})
    shown = hits(response, "career")
    assert len(shown) == 10
    assert shown[0] == "Cloud"  # the exact title stays first
    html = response.content.decode()
    assert "See all 15 careers matching" in html
    assert reverse("careers:list") + "?q=cloud" in html


def test_drafts_never_appear_in_search(client):
    CareerFactory(title="Draft MLflow Career", status="draft")
    CertificationFactory(name="Draft MLflow Exam", status="draft")
    CertificationFactory(name="Retired MLflow Exam", status="retired")
    response = client.get(SEARCH, {"q": "mlflow"})
    html = response.content.decode()
    assert "Draft MLflow" not in html
    assert hits(response, "certification") == ["Retired MLflow Exam"]
    assert "Retired" in html


def test_a_certification_summary_is_searched(client):
    CertificationFactory(name="Databricks ML Associate", summary="MLflow tracking and registry.")
    assert hits(client.get(SEARCH, {"q": "MLflow"}), "certification") == ["Databricks ML Associate"]


def test_empty_search_suggests_popular_careers_and_certifications(client):
    career = CareerFactory(title="AI Engineer", featured=True)
    RoadmapStepFactory(career=career, certification=CertificationFactory(name="Popular Exam"))
    html = client.get(SEARCH).content.decode()
    assert "Popular careers" in html
    assert "AI Engineer" in html
    assert "Popular Exam" in html


@pytest.mark.parametrize(
    "query",
    [
        "\u200b",  # a zero-width space
        "\u200b \u2060\ufeff",  # with a word joiner and a byte-order mark
        "\u200e\u202e\u2066",  # direction marks
        "\u3164\u2800",  # a Hangul filler and the blank Braille pattern
        "\u0301\ufe0f",  # a combining accent and a variation selector, on nothing
    ],
)
def test_a_search_of_nothing_visible_is_an_empty_search(client, django_assert_num_queries, query):
    """It answered "Nothing matches “​”", quoting what nobody can see."""
    career = CareerFactory(title="AI Engineer", featured=True)
    RoadmapStepFactory(career=career, certification=CertificationFactory(name="Popular Exam"))
    empty = client.get(SEARCH).content.decode()

    # 1 featured careers with counts and salary, 2 popular certifications: no search
    with django_assert_num_queries(2):
        response = client.get(SEARCH, {"q": query})

    assert response.context["query"] == ""
    html = response.content.decode()
    assert "Nothing matches" not in html and "Popular careers" in html
    assert html.split("<main", 1)[1] == empty.split("<main", 1)[1]


def test_an_invisible_character_inside_a_word_is_not_part_of_it(client):
    CareerFactory(title="Cloud Engineer")
    response = client.get(SEARCH, {"q": "clo\u00adud\u200b engi\u2060neer"})
    assert response.context["query"] == "cloud engineer"
    assert hits(response, "career") == ["Cloud Engineer"]


def test_no_results_says_so_and_suggests_where_to_go(client):
    career = CareerFactory(title="AI Engineer")
    RoadmapStepFactory(career=career)
    html = client.get(SEARCH, {"q": "basket weaving"}).content.decode()
    assert "Nothing matches “basket weaving”" in html
    assert "AI Engineer" in html


def test_an_overlong_query_is_cut_with_a_message(client):
    CareerFactory(title="Cloud Engineer")
    response = client.get(SEARCH, {"q": "cloud" + " x" * 200})
    assert response.status_code == 200
    assert len(response.context["query"]) <= 100
    assert "limited to 100 characters" in response.content.decode()


@pytest.mark.parametrize("query", ["%", "_", "'", '"; DROP TABLE x;--', "\\", "<b>", "   "])
def test_odd_characters_never_fail(client, query):
    CareerFactory(title="Cloud Engineer")
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    assert "<b>" not in response.content.decode().split("<main", 1)[1]


# The longest queries the box takes, of the words that make the search's SQL largest (each
# word a condition on every searched field: 240-760 KB of SQL, 0.1-0.3 s of CPU on SQLite
# with the benchmark's data), and of characters LIKE, GLOB and regular expressions read:
# a page every time, with the query in its box, never a 500.
LONG_QUERIES = {
    "one-letter words": " ".join("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX"),
    "numbers": " ".join(str(n) for n in range(40)),
    "two-letter words": " ".join(a + b for a in "abcdefghij" for b in "xyz"),
    "beyond ascii": "é ü ß İ \u0131 ﬁ \uff41 ç ñ ø å æ œ ł ş ğ ž ř ť ď ň ů ő ű ą ę ś ź ż"
    " ć ń ó 数据 😀 ❤",
    "spelled out": "machine learning engineer site reliability business intelligence large",
    "abbreviations": "sec+ net+ k8s gcp aws ml ai sre bi dba swe nlp llm genai appsec secops",
    "pattern characters": "%_\\'\"[*?]^$(|){}." * 8,
}


@pytest.mark.parametrize("query", LONG_QUERIES.values(), ids=LONG_QUERIES.keys())
def test_a_long_query_of_any_words_gets_a_page_with_it_in_the_box(client, query):
    CareerFactory(title="AI / ML Engineer", tagline="Machine learning in production.")
    CertificationFactory(name="Certified Kubernetes Administrator", exam_code="CKA")
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    shown = response.context["query"]
    assert shown == query[:100].rstrip()
    assert f'value="{escape(shown)}"' in response.content.decode()
    assert ("limited to 100 characters" in response.content.decode()) == (len(query) > 100)


@pytest.mark.parametrize("rows", [3, 9])
def test_search_is_one_query_however_many_rows_match(client, django_assert_num_queries, rows):
    for n in range(rows):
        CareerFactory(title=f"Cloud role {n}")
        CertificationFactory(name=f"Cloud exam {n}")
        EmployerFactory(name=f"Cloud employer {n}")
    # 1 UNION ALL of careers, certifications (provider joined), providers and employers
    with django_assert_num_queries(1):
        response = client.get(SEARCH, {"q": "cloud"})
    assert response.context["total"] == rows * 3


@pytest.mark.parametrize("rows", [2, 6])
def test_a_search_without_results_takes_three_queries(client, django_assert_num_queries, rows):
    for _ in range(rows):
        RoadmapStepFactory()
    # 1 the search, 2 featured careers with counts and salary, 3 popular certifications
    with django_assert_num_queries(3):
        client.get(SEARCH, {"q": "zzz"})
    # A word long enough to be a typo: 4 the site's words, none alike
    with django_assert_num_queries(4):
        client.get(SEARCH, {"q": "zzzzzz"})


@pytest.mark.parametrize("rows", [2, 6])
def test_a_respelled_search_takes_three_queries(client, django_assert_num_queries, rows):
    for n in range(rows):
        CertificationFactory(name=f"Kubernetes Admin {n}")
    # 1 the search, 2 the site's words, 3 the search for the respelled words
    with django_assert_num_queries(3):
        response = client.get(SEARCH, {"q": "kuberntes"})
    assert response.context["total"] == rows


def test_the_sites_words_are_read_once_until_an_editor_changes_something(
    client, django_assert_num_queries
):
    CertificationFactory(name="Kubernetes Admin")
    client.get(SEARCH, {"q": "kuberntes"})
    # 1 the search, 2 the search for the respelled words: the site's words are kept
    with django_assert_num_queries(2):
        response = client.get(SEARCH, {"q": "kubernetis"})
    assert response.context["respelled"] == "kubernetes"
    CertificationFactory(name="Terraform Associate")  # a change: the words are read again
    response = client.get(SEARCH, {"q": "terrafrom"})
    assert response.context["respelled"] == "terraform"
    assert hits(response, "certification") == ["Terraform Associate"]


def test_a_misspelt_word_finds_what_the_site_spells_right(client):
    CertificationFactory(name="Certified Kubernetes Administrator", exam_code="CKA")
    response = client.get(SEARCH, {"q": "Kuberntes"})
    assert hits(response, "certification") == ["Certified Kubernetes Administrator"]
    html = response.content.decode()
    assert '1 result for “<a href="/search/?q=kubernetes">kubernetes</a>”' in html
    assert "Nothing matches “Kuberntes” as typed" in html
    assert "Popular careers" not in html


def test_every_misspelt_word_is_respelled_and_the_right_ones_kept(client):
    CareerFactory(title="Machine Learning Engineer")
    CareerFactory(title="Machine Operator")
    response = client.get(SEARCH, {"q": "machne lerning engineer"})
    assert response.context["respelled"] == "machine learning engineer"
    assert hits(response, "career") == ["Machine Learning Engineer"]


def test_the_links_to_the_whole_catalogue_carry_the_respelled_words(client):
    for n in range(12):
        CertificationFactory(name=f"Terraform exam {n}")
    html = client.get(SEARCH, {"q": "terrafrom"}).content.decode()
    assert "/certifications/?q=terraform&amp;status=all" in html
    assert "See all 12 certifications matching “terraform”" in html


def test_a_word_like_nothing_on_the_site_is_not_respelled(client):
    CareerFactory(title="Master Data Manager")
    response = client.get(SEARCH, {"q": "basket weaving"})
    assert response.context["respelled"] == ""
    assert "Nothing matches “basket weaving”" in response.content.decode()


@pytest.mark.parametrize("query", ["AZ-9OO", "kub", "k8s"])
def test_exam_codes_and_short_words_are_never_respelled(client, query):
    CertificationFactory(name="Azure Fundamentals", exam_code="AZ-900")
    CertificationFactory(name="Kubernetes Admin", exam_code="CKA")
    response = client.get(SEARCH, {"q": query})
    assert response.context["respelled"] == ""


def test_words_only_drafts_hold_are_never_offered(client):
    CareerFactory(title="Quantum Engineer", status="draft")
    CertificationFactory(name="Quantum Practitioner", status="draft")
    response = client.get(SEARCH, {"q": "quantm"})
    assert response.context["respelled"] == ""
    assert "Quantum" not in response.content.decode()


def test_a_career_is_found_through_the_certifications_on_its_roadmap(client):
    career = CareerFactory(title="AI / ML Engineer")
    CareerFactory(title="Machine Learning Researcher")
    databricks = CertificationFactory(name="Databricks ML Associate", summary="MLflow inside.")
    RoadmapStepFactory(career=career, certification=databricks)
    hidden = CareerFactory(title="Draft user of MLflow cert", status="draft")
    RoadmapStepFactory(career=hidden, certification=databricks)
    response = client.get(SEARCH, {"q": "mlflow"})
    assert hits(response, "career") == ["AI / ML Engineer"]
    assert hits(response, "certification") == ["Databricks ML Associate"]


def test_a_career_is_found_through_the_successor_of_a_retired_exam_on_its_roadmap(client):
    """Searching "AI-901" finds the careers whose roadmap still lists AI-900, which it replaced."""
    career, _, _ = career_on_a_renamed_exam()
    career.title = "AI / ML Engineer"
    career.save()
    CareerFactory(title="Unrelated Engineer")

    assert hits(client.get(SEARCH, {"q": "AI-901"}), "career") == ["AI / ML Engineer"]


@pytest.mark.parametrize(("status", "found"), [("published", True), ("draft", False)])
def test_a_career_is_found_through_the_exam_its_retired_exams_chain_leads_to(
    client, django_assert_num_queries, status, found
):
    """A roadmap still lists AZ-100, retired for AZ-103, itself retired for AZ-104, and
    AZ-100's successor was left on AZ-103: "AZ-104" finds the career on the search page and
    the career list through AZ-100's chain alone, as AZ-103's words find it through the
    successor; an exam of the chain in draft is named nowhere."""
    az100 = CertificationFactory(name="Azure Administrator (2018)", exam_code="AZ-100")
    az103 = CertificationFactory(name="Azure Administrator (2019)", exam_code="AZ-103")
    az104 = CertificationFactory(name="Azure Administrator (2020)", exam_code="AZ-104")
    retire_for(az100, az103)
    retire_for(az103, az104)
    az104.status = status
    az104.save()
    career = CareerFactory(title="Cloud Administrator")
    RoadmapStepFactory(career=career, certification=az100)
    CareerFactory(title="Unrelated Administrator")

    # The one UNION; finding nothing, the page also suggests careers and certifications.
    with django_assert_num_queries(1 if found else 3):
        response = client.get(SEARCH, {"q": "AZ-104"})
    assert hits(response, "career") == (["Cloud Administrator"] if found else [])
    listed = client.get(reverse("careers:list"), {"q": "AZ-104"}).context["careers"]
    assert [c.title for c in listed] == (["Cloud Administrator"] if found else [])
    assert hits(client.get(SEARCH, {"q": "AZ-103"}), "career") == ["Cloud Administrator"]


def test_careers_matching_by_their_own_words_rank_before_roadmap_matches(client):
    by_roadmap = CareerFactory(title="Zeta Analyst")
    RoadmapStepFactory(career=by_roadmap, certification=CertificationFactory(name="Cloud Basics"))
    CareerFactory(title="Cloud Engineer")
    assert hits(client.get(SEARCH, {"q": "cloud"}), "career") == ["Cloud Engineer", "Zeta Analyst"]


@pytest.mark.parametrize(
    "query",
    [
        "ai ml",
        "AI ML engineer",
        "ml ai",
        "engineer, ai",
        "machine learning engineer",
        # A slash parts words as the title's " / " does; curly quotes, a dash or an emoji
        # standing alone are no word a title could hold.
        "AI/ML engineer",
        "“ai ml engineer”",
        "ai — ml",
        "ai ml engineer 👍",
    ],
)
def test_every_word_counts_wherever_and_in_whatever_order_it_is(client, query):
    CareerFactory(title="AI / ML Engineer", tagline="Build machine learning systems.")
    CareerFactory(title="Data Engineer", tagline="Pipelines.", category="Data")
    assert hits(client.get(SEARCH, {"q": query}), "career") == ["AI / ML Engineer"]


def test_a_word_missing_from_a_row_leaves_it_out_where_another_holds_every_word(client):
    CareerFactory(title="AI / ML Engineer", tagline="Models.")
    CareerFactory(title="AI Plumber", tagline="Pipes.")
    response = client.get(SEARCH, {"q": "ai plumber"})
    assert hits(response, "career") == ["AI Plumber"]
    assert response.context["some"] is None  # no word was left out


def test_a_providers_name_narrows_its_certifications(client):
    google = ProviderFactory(name="Google Cloud")
    CertificationFactory(name="Professional Machine Learning Engineer", provider=google)
    CertificationFactory(name="Associate Cloud Engineer", provider=google)
    CertificationFactory(name="Machine Learning Specialty", provider=ProviderFactory(name="AWS"))
    assert hits(client.get(SEARCH, {"q": "google machine learning"}), "certification") == [
        "Professional Machine Learning Engineer"
    ]


def test_titles_holding_every_word_rank_before_other_matches(client):
    CareerFactory(title="Analytics Lead", tagline="Machine learning for the business.")
    CareerFactory(title="Machine Learning Engineer", tagline="Models.")
    assert hits(client.get(SEARCH, {"q": "learning machine"}), "career") == [
        "Machine Learning Engineer",
        "Analytics Lead",
    ]


def test_a_one_letter_code_does_not_match_every_exam_code(client):
    CertificationFactory(name="Cloud Practitioner", exam_code="CLF-C02")
    assert hits(client.get(SEARCH, {"q": "c++"}), "certification") == []


def test_the_career_list_finds_ai_ml_engineer_typed_with_a_slash(client):
    CareerFactory(title="AI / ML Engineer")
    CareerFactory(title="Data Engineer")
    response = client.get(reverse("careers:list"), {"q": "AI/ML engineer"})
    assert [career.title for career in response.context["careers"]] == ["AI / ML Engineer"]


def test_the_career_and_certification_lists_filter_by_every_word(client):
    CareerFactory(title="AI / ML Engineer")
    CertificationFactory(name="Azure AI Engineer Associate", exam_code="AI-102")
    careers = client.get(reverse("careers:list"), {"q": "ml ai"}).content.decode()
    certifications = client.get(reverse("certifications:list"), {"q": "engineer azure"})
    assert "AI / ML Engineer" in careers
    assert "Azure AI Engineer Associate" in certifications.content.decode()


def test_a_provider_is_found_by_the_other_names_people_use(client):
    google = ProviderFactory(name="Google Cloud", also_known_as="GCP, Google Cloud Platform")
    CertificationFactory(name="Professional Machine Learning Engineer", provider=google)
    CertificationFactory(name="Associate Cloud Engineer", provider=google)
    CertificationFactory(name="Machine Learning Specialty", provider=ProviderFactory(name="AWS"))

    everything = client.get(SEARCH, {"q": "gcp"})
    narrowed = client.get(SEARCH, {"q": "gcp machine learning"})

    assert hits(everything, "provider") == ["Google Cloud"]
    assert sorted(hits(everything, "certification")) == [
        "Associate Cloud Engineer",
        "Professional Machine Learning Engineer",
    ]
    assert hits(narrowed, "certification") == ["Professional Machine Learning Engineer"]


def test_a_query_of_fifty_different_words_is_answered(client):
    CareerFactory(title="AI / ML Engineer")
    words = " ".join(f"w{i}" for i in range(50))[:100]  # the longest query the box takes
    for url in (SEARCH, reverse("careers:list"), reverse("certifications:list")):
        assert client.get(url, {"q": words}).status_code == 200


# Searching in other languages and scripts.
CAREERS = reverse("careers:list")


def career_titles(response):
    return [career.title for career in response.context["careers"]]


def test_an_accent_typed_as_a_letter_and_a_combining_mark_finds_the_accented_title(client):
    # Some keyboards, and text copied from a PDF, give "é" as "e" and U+0301.
    CareerFactory(title="Ingénieur de données")
    typed = "inge\u0301nieur"
    assert hits(client.get(SEARCH, {"q": typed}), "career") == ["Ingénieur de données"]
    response = client.get(CAREERS, {"q": typed})
    assert career_titles(response) == ["Ingénieur de données"]
    assert 'value="ingénieur"' in response.content.decode()  # the box shows what was run


def test_a_title_saved_with_decomposed_accents_is_found_by_the_accented_letter(client):
    CareerFactory(title="E\u0301cole data engineer")  # pasted from a macOS file name
    assert hits(client.get(SEARCH, {"q": "école"}), "career") == ["E\u0301cole data engineer"]
    assert career_titles(client.get(CAREERS, {"q": "école"})) == ["E\u0301cole data engineer"]


@pytest.mark.parametrize(
    ("title", "query"),
    [
        ("Übersetzerin für KI-Systeme", "übersetzerin"),
        ("ÉCOLE DES DONNÉES", "école des données"),
        ("Инженер данных", "инженер"),
        ("Data engineer in İzmir", "İZMİR"),
    ],
)
def test_a_word_beyond_ascii_finds_its_title_in_either_case(client, title, query):
    # SQLite (the default database) compares only ASCII letters whatever their case.
    CareerFactory(title=title)
    assert career_titles(client.get(CAREERS, {"q": query})) == [title]
    assert hits(client.get(SEARCH, {"q": query}), "career") == [title]


def test_the_catalogue_finds_an_accented_name_typed_in_lower_case(client):
    CertificationFactory(name="Énergie et IA : fondamentaux")
    response = client.get(reverse("certifications:list"), {"q": "énergie"})
    assert [c.name for c in response.context["certifications"]] == ["Énergie et IA : fondamentaux"]


def test_a_turkish_title_is_found_with_or_without_its_dotted_i(client):
    CareerFactory(title="İstanbul Veri Mühendisi")
    assert career_titles(client.get(CAREERS, {"q": "İstanbul"})) == ["İstanbul Veri Mühendisi"]
    assert hits(client.get(SEARCH, {"q": "İstanbul veri"}), "career") == ["İstanbul Veri Mühendisi"]
    # Typed without the dot, as on most keyboards: found, no "Did you mean" (it offered
    # "İstanbul" before, a link to click for what the visitor had typed).
    response = client.get(CAREERS, {"q": "istanbul"})
    assert career_titles(response) == ["İstanbul Veri Mühendisi"]
    assert response.context["respelling"] is None
    response = client.get(SEARCH, {"q": "istanbul"})
    assert hits(response, "career") == ["İstanbul Veri Mühendisi"]
    assert response.context["respelled"] == ""


def test_did_you_mean_restores_a_turkish_titles_dotted_i(client):
    CareerFactory(title="İstanbul Veri Mühendisi")
    # A typo: the list offers the site's spelling (it offered "stanbul", a piece of the word,
    # before the site's words kept the dotted "İ" whole), and that finds it.
    response = client.get(CAREERS, {"q": "istanbull"})
    assert response.context["respelling"]["words"] == "İstanbul"
    followed = client.get(CAREERS + response.context["respelling"]["url"]).content.decode()
    assert "İstanbul Veri Mühendisi</a>" in followed


def test_did_you_mean_respells_a_word_written_with_vowel_signs(client):
    # Hindi writes vowels as combining signs; the site's words used to be cut at each one.
    CareerFactory(title="डेटा इंजीनियर")
    response = client.get(CAREERS, {"q": "डेटाा"})
    assert response.context["respelling"]["words"] == "डेटा"
    response = client.get(SEARCH, {"q": "डेटाा"})
    assert response.context["respelled"] == "डेटा"
    assert hits(response, "career") == ["डेटा इंजीनियर"]


def shown_in_order(response):
    """The result titles as the page lists them, top to bottom."""
    return [hit.title for group in response.context["groups"] for hit in group["hits"]]


def kubernetes_exam_on_a_career():
    provider = ProviderFactory(name="The Linux Foundation")
    cka = CertificationFactory(
        name="Certified Kubernetes Administrator (CKA)", exam_code="CKA", provider=provider
    )
    RoadmapStepFactory(career=CareerFactory(title="Cloud Engineer"), certification=cka)


@pytest.mark.parametrize("query", ["k8s", "K8s", "kubernetes", "CKA"])
def test_k8s_shows_the_cka_first_then_the_careers_that_ask_for_it(client, query):
    kubernetes_exam_on_a_career()
    response = client.get(SEARCH, {"q": query})
    assert shown_in_order(response) == [
        "Certified Kubernetes Administrator (CKA)",
        "Cloud Engineer",
    ]
    html = response.content.decode()
    assert html.index('id="certification-results"') < html.index('id="career-results"')


@pytest.mark.parametrize("query", ["saa c03", "SAA-C03", "saac03", "SAA C03"])
def test_an_exam_code_typed_any_way_shows_its_exam_first(client, query):
    exam = CertificationFactory(
        name="AWS Certified Solutions Architect - Associate", exam_code="SAA-C03"
    )
    RoadmapStepFactory(career=CareerFactory(title="Cloud Engineer"), certification=exam)
    response = client.get(SEARCH, {"q": query})
    assert shown_in_order(response)[0] == "AWS Certified Solutions Architect - Associate"


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("sec+", "CompTIA Security+"),
        ("security plus", "CompTIA Security+"),
        ("Network Plus", "CompTIA Network+"),
        ("gcp", "Google Cloud Professional Data Engineer"),
        ("aws ml", "AWS Certified Machine Learning Engineer - Associate"),
    ],
)
def test_a_common_abbreviation_finds_the_exam_it_stands_for(client, query, found):
    for name in (
        "CompTIA Security+",
        "CompTIA Network+",
        "Google Cloud Professional Data Engineer",
    ):
        CertificationFactory(name=name)
    CertificationFactory(name="AWS Certified Machine Learning Engineer - Associate")
    CertificationFactory(name="AWS Certified Cloud Practitioner")
    response = client.get(SEARCH, {"q": query})
    assert hits(response, "certification") == [found]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("ml", "Machine Learning Engineer"),
        ("sre", "Cloud Engineer"),
        ("devops", "Cloud Engineer"),
        ("infosec", "Information Security Analyst"),
        ("data scientists", "Data Scientist"),
        ("data scientist salary", "Data Scientist"),
        ("how to become a data scientist", "Data Scientist"),
        ("security analysts jobs uk", "Information Security Analyst"),
    ],
)
def test_abbreviations_plurals_and_salary_words_find_the_career(client, query, found):
    CareerFactory(title="Machine Learning Engineer")
    CareerFactory(
        title="Cloud Engineer", alternative_titles="Site Reliability Engineer, Platform Engineer"
    )
    CareerFactory(title="Information Security Analyst")
    CareerFactory(title="Data Scientist")
    response = client.get(SEARCH, {"q": query})
    assert shown_in_order(response)[0] == found
    assert response.context["respelled"] == ""


def test_a_search_of_only_words_like_salary_still_searches_them(client):
    CareerFactory(title="Salary Benchmarking Analyst")
    response = client.get(SEARCH, {"q": "salary"})
    assert shown_in_order(response) == ["Salary Benchmarking Analyst"]


@pytest.mark.parametrize("query", ["k8s", "sec+ certifications", "data scientists salary"])
def test_abbreviations_and_plurals_keep_the_search_at_one_query(
    client, django_assert_num_queries, query
):
    kubernetes_exam_on_a_career()
    CertificationFactory(name="CompTIA Security+")
    CareerFactory(title="Data Scientist")
    with django_assert_num_queries(1):
        response = client.get(SEARCH, {"q": query})
    assert response.context["total"] >= 1


def test_a_retired_exam_comes_after_the_ones_on_offer_it_matches_as_well_as(client):
    """ "machine learning" listed AWS's retired Specialty exam first, above the Associate
    exam that replaced it: a learner picking the first result picked an exam they could not
    book."""
    successor = CertificationFactory(name="AWS Machine Learning Engineer - Associate")
    CertificationFactory(
        name="AWS Machine Learning - Specialty", status="retired", successor=successor
    )
    CertificationFactory(name="AWS Machine Learning Operations")
    response = client.get(SEARCH, {"q": "aws machine learning"})
    assert hits(response, "certification") == [
        "AWS Machine Learning Engineer - Associate",
        "AWS Machine Learning Operations",
        "AWS Machine Learning - Specialty",
    ]

"""Searches fold both texts: an ASCII query finds a title that needs folding ("istanbul" finds
"İstanbul", "strasse" finds "Straße"), and every spelling of a word finds the same rows, on
the site search, the career list, the certification catalogue and the compare pickers."""

import re
import sys
import unicodedata

import pytest
from django.db import connection
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from careerportal.query import FOLDED_SQL, fold_or_null, folded, into_ascii
from careers.models import Employer
from tests.factories import CareerFactory, CertificationFactory, EmployerFactory, ProviderFactory

pytestmark = pytest.mark.django_db
SEARCH = reverse("search")
CAREERS = reverse("careers:list")
CATALOGUE = reverse("certifications:list")

FULL_WIDTH_AWS = "\uff21\uff37\uff33"
# Each spelling a visitor may type, and titles that every one of them must find.
SPELLINGS = {
    "strasse": (
        ["strasse", "STRASSE", "Strasse", "straße", "Straße", "STRAẞE"],
        ["Straße Datenanalyst", "STRASSE Datenanalyst", "Strasse Datenanalyst"],
    ),
    "istanbul": (
        ["istanbul", "Istanbul", "ISTANBUL", "İstanbul", "İSTANBUL"],
        ["İstanbul Veri Mühendisi", "ISTANBUL Data Engineer", "I\u0307stanbul Veri Analisti"],
    ),
    # A ligature, as text copied from a PDF gives it.
    "certified": (["certified", "CERTIFIED", "certiﬁed"], ["Certiﬁed Cloud Architect"]),
    # Full-width letters, as some East Asian keyboards type them.
    "aws": (
        ["aws", FULL_WIDTH_AWS],
        [f"{FULL_WIDTH_AWS} Cloud Practitioner", "AWS Cloud Practitioner"],
    ),
}
CASES = [
    (query, title)
    for queries, titles in SPELLINGS.values()
    for query in queries
    for title in titles
]


def career_titles(response):
    return [career.title for career in response.context["careers"]]


def hits(response, kind):
    for group in response.context["groups"]:
        if group["kind"] == kind:
            return [hit.title for hit in group["hits"]]
    return []


@pytest.mark.parametrize(("query", "title"), CASES)
def test_every_spelling_of_a_word_finds_the_career_without_did_you_mean(client, query, title):
    CareerFactory(title=title)
    CareerFactory(title="Cloud Engineer")
    response = client.get(CAREERS, {"q": query})
    assert career_titles(response) == [title]
    assert response.context["respelling"] is None
    response = client.get(SEARCH, {"q": query})
    assert hits(response, "career") == [title]
    assert response.context["respelled"] == ""
    assert title in response.content.decode()


@pytest.mark.parametrize("query", ["strasse", "STRASSE", "Straße", "straße"])
def test_the_site_search_finds_an_employer_and_a_provider_by_any_spelling(client, query):
    EmployerFactory(name="Hauptstraße Analytics GmbH")
    EmployerFactory(name="Cloud Corp")
    provider = ProviderFactory(name="Akademie an der Straße")
    CertificationFactory(name="Datenanalyse Grundlagen", provider=provider)
    response = client.get(SEARCH, {"q": query})
    assert hits(response, "employer") == ["Hauptstraße Analytics GmbH"]
    assert hits(response, "provider") == ["Akademie an der Straße"]
    assert hits(response, "certification") == ["Datenanalyse Grundlagen"]


@pytest.mark.parametrize("query", ["istanbul", "Istanbul", "İSTANBUL", "istanbul teknik"])
def test_the_catalogue_finds_a_certification_by_any_spelling(client, query):
    provider = ProviderFactory(name="İstanbul Teknik Akademi")
    CertificationFactory(name="Veri Analizi Temelleri", provider=provider)
    CertificationFactory(name="Cloud Basics")
    response = client.get(CATALOGUE, {"q": query})
    assert [c.name for c in response.context["certifications"]] == ["Veri Analizi Temelleri"]
    assert response.context["respelling"] is None


def test_the_catalogue_finds_a_german_certification_name_typed_with_ss(client):
    CertificationFactory(name="Grundlagen der Straßenplanung")
    response = client.get(CATALOGUE, {"q": "strassenplanung"})
    assert [c.name for c in response.context["certifications"]] == ["Grundlagen der Straßenplanung"]


def test_accents_still_count_and_did_you_mean_offers_the_accented_word(client):
    # Folding spells letters out; it does not drop accents (a visitor reading French
    # titles types them). The respelling is the site's word, which finds the title.
    CareerFactory(title="École des données")
    response = client.get(CAREERS, {"q": "ecole"})
    assert career_titles(response) == []
    assert response.context["respelling"]["words"] == "école"
    assert career_titles(client.get(CAREERS, {"q": "école"})) == ["École des données"]


def test_a_typo_beside_a_word_that_folds_is_respelled_and_the_folded_word_kept(client):
    CareerFactory(title="Straße Datenanalyst")
    response = client.get(CAREERS, {"q": "strasse datenanalist"})
    assert response.context["respelling"]["words"] == "strasse datenanalyst"
    followed = client.get(CAREERS + response.context["respelling"]["url"])
    assert career_titles(followed) == ["Straße Datenanalyst"]


RANKED = [
    ("career", "istanbul veri mühendisi", "İstanbul Veri Mühendisi", "Baş İstanbul Veri Mühendisi"),
    ("career", "İSTANBUL VERİ MÜHENDİSİ", "İstanbul Veri Mühendisi", "Baş İstanbul Veri Mühendisi"),
    ("career", "istanbul veri", "İstanbul Veri Mühendisi", "Baş İstanbul Veri Mühendisi"),
    ("certification", "strasse zertifikat", "Straße Zertifikat", "Alte Straße Zertifikat"),
    ("certification", "STRASSE", "Straße Zertifikat", "Alte Straße Zertifikat"),
]


@pytest.mark.parametrize(("kind", "typed", "asked_for", "holding_its_words"), RANKED)
def test_a_title_typed_with_any_spelling_ranks_before_titles_that_merely_hold_its_words(
    client, kind, typed, asked_for, holding_its_words
):
    # The other title sorts first alphabetically: only ranking the exact title (or its start)
    # first puts the one asked for at the top.
    make = {"career": CareerFactory, "certification": CertificationFactory}[kind]
    field = {"career": "title", "certification": "name"}[kind]
    make(**{field: holding_its_words})
    make(**{field: asked_for})
    assert hits(client.get(SEARCH, {"q": typed}), kind) == [asked_for, holding_its_words]


@pytest.mark.parametrize("typed", ["istanbul veri mühendisi", "İSTANBUL VERİ MÜHENDİSİ"])
def test_the_compare_picker_takes_a_title_typed_with_any_spelling(client, typed):
    CareerFactory(title="İstanbul Veri Mühendisi", slug="istanbul")
    CareerFactory(title="Straße Datenanalyst", slug="strasse")
    response = client.get(reverse("careers:compare"), {"careers": [typed, "strasse datenanalyst"]})
    assert [column["career"].slug for column in response.context["columns"]] == [
        "istanbul",
        "strasse",
    ]
    assert response.context["notices"] == []


def test_the_certification_compare_picker_takes_a_name_with_a_ligature_typed_out(client):
    CertificationFactory(name="Certiﬁed Cloud Architect", exam_code="CCA-1", slug="cca")
    CertificationFactory(name="Cloud Basics", exam_code="CB-1", slug="cb")
    response = client.get(
        reverse("certifications:compare"), {"certifications": ["certified cloud architect", "cb"]}
    )
    assert [column["certification"].slug for column in response.context["columns"]] == [
        "cca",
        "cb",
    ]


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_an_ascii_search_folds_no_ascii_text_in_python(client):
    # On SQLite folding is a Python call a text: an ASCII word compares ASCII texts as
    # LIKE always did, so an ordinary search costs what it did before folding.
    for n in range(5):
        CareerFactory(title=f"Cloud Engineer {n}", tagline="Build it — and run it.")
        EmployerFactory(name=f"Cloud Corp {n}")
    CareerFactory(title="Straße Datenanalyst")
    texts = []

    def counting(text):
        texts.append(text)
        return fold_or_null(text)

    client.get(SEARCH, {"q": "zzz"})  # opens the connection the test client uses
    connection.connection.create_function(FOLDED_SQL, 1, counting, deterministic=True)
    assert career_titles(client.get(CAREERS, {"q": "strasse"})) == ["Straße Datenanalyst"]
    assert hits(client.get(SEARCH, {"q": "engineer"}), "career")
    assert texts and all(not text.isascii() for text in texts)


# --- The folding rule --------------------------------------------------------------------


def test_every_letter_that_casefolds_to_ascii_letters_folds_to_them():
    # str.casefold() is the reference; the site's rule is one a database can run too.
    spelled_out = []
    for code in range(128, sys.maxunicode + 1):
        letter = chr(code)
        casefolded = unicodedata.normalize("NFC", letter.casefold()).replace("i\u0307", "i")
        if casefolded.isascii() and casefolded.isalpha():
            assert folded(letter) == casefolded, f"U+{code:04X}"
            spelled_out.append(letter)
    assert {"ß", "ẞ", "İ", "\u017f", "ﬁ"} <= set(spelled_out)  # the last two: long s, "fi"


def test_postgresql_folds_every_character_whose_fold_holds_ascii_letters():
    # There an ASCII word is folded only in texts holding one of these (`into_ascii`): a
    # character it missed would leave a title unfound by an ASCII word.
    finds = re.compile(into_ascii()).search
    for code in range(128, sys.maxunicode + 1):
        char = chr(code)
        if any(c.isascii() and c.isalnum() for c in folded(char)):
            assert finds(char), f"U+{code:04X}"
    assert not finds("Build it\u00a0— and run it… you\u2019ll see: Übersetzer, École, данных")


# Letters that fold, their look-alikes and accents, composed and not (no "%" or "_": LIKE's).
LETTERS = "aeiksSIKß ẞİ\u017fﬁfﬆtﬀé\u0301\u0307Üü\uff21\u212a"
texts = st.text(alphabet=LETTERS, max_size=8)


def _ascii_lower(text: str) -> str:
    return "".join(c.lower() if c.isascii() else c for c in text)


# Each folded lookup, and what it asks of the folded texts (name, word).
HOLDS = {
    "folded_contains": lambda name, word: word in name,
    "folded_startswith": str.startswith,
    "folded_exact": str.__eq__,
}


@pytest.mark.parametrize("lookup", HOLDS)
@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(names=st.lists(texts.filter(str.strip), min_size=1, max_size=6, unique=True), data=st.data())
def test_the_database_finds_what_folding_both_texts_finds(lookup, names, data):
    # On SQLite and PostgreSQL alike: a row is found when its folded text holds (starts with,
    # equals) the folded word, or, for a word that folds to ASCII, when LIKE finds it as it
    # always did. The word is any text, or one of the names in capitals, or its first half.
    named = st.sampled_from(names)
    word = data.draw(
        st.one_of(
            texts, named.map(str.upper), named.map(lambda name: name[: len(name) // 2])
        ).filter(str.strip)
    )
    holds = HOLDS[lookup]
    Employer.objects.all().delete()
    Employer.objects.bulk_create(
        Employer(name=name, slug=f"e{n}", description="") for n, name in enumerate(names)
    )
    key = folded(word)
    expected = sorted(
        name
        for name in names
        if holds(folded(name), key) or (key.isascii() and holds(_ascii_lower(name), key))
    )
    found = Employer.objects.filter(**{f"name__{lookup}": word}).values_list("name", flat=True)
    assert sorted(found) == expected

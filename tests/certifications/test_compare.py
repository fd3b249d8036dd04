"""/certifications/compare/: two or three certifications side by side."""

import datetime
import re

import pytest
from django.urls import reverse

from certifications.services.progress import progress_update
from tests.factories import (
    CareerFactory,
    CertificationFactory,
    ProviderFactory,
    RoadmapStepFactory,
    career_on_a_renamed_exam,
)

pytestmark = pytest.mark.django_db
COMPARE = reverse("certifications:compare")


@pytest.fixture
def two_exams():
    aws = ProviderFactory(name="Amazon Web Services")
    cncf = ProviderFactory(name="CNCF")
    practitioner = CertificationFactory(
        name="Cloud Practitioner",
        slug="clf",
        exam_code="CLF-C02",
        provider=aws,
        exam_fee=100,
        study_hours=30,
        validity_months=36,
        passing_score="700 / 1000",
        question_count="65",
    )
    cka = CertificationFactory(
        name="Kubernetes Administrator",
        slug="cka",
        exam_code="CKA",
        provider=cncf,
        level="professional",
        exam_fee=445,
        study_hours=60,
        validity_months=24,
        passing_score="66%",
        question_count="15-20 tasks",
    )
    return practitioner, cka


def columns(response):
    return [column["certification"].slug for column in response.context["columns"]]


def test_compare_shows_each_exam_fact_side_by_side(client, two_exams):
    response = client.get(COMPARE, {"certifications": ["clf", "cka"]})
    html = response.content.decode()
    assert response.status_code == 200
    assert columns(response) == ["clf", "cka"]
    for fact in ["CLF-C02", "CKA", "$100", "$445", "700 / 1000", "66%", "15-20 tasks"]:
        assert fact in html
    assert "About 30 hours" in html and "About 60 hours" in html
    assert "3 years" in html and "2 years" in html
    assert "Professional" in html and "Associate" in html
    assert "<title>Compare CLF-C02 vs CKA" in html


def test_the_table_says_when_each_exams_facts_were_checked(client, two_exams):
    practitioner, _ = two_exams
    practitioner.reviewed_on = datetime.date(2026, 11, 2)
    practitioner.save()
    html = client.get(COMPARE, {"certifications": ["clf", "cka"]}).content.decode()
    row = html.split("Facts checked</th>", 1)[1].split("</tr>", 1)[0]
    assert '<time datetime="2026-11-02">2 Nov 2026</time>' in row
    assert "Not yet" in row
    practitioner.reviewed_on = None
    practitioner.save()
    html = client.get(COMPARE, {"certifications": ["clf", "cka"]}).content.decode()
    assert "Facts checked" not in html  # no row of "Not yet" when none was checked


def test_the_best_fee_hours_and_validity_are_marked(client, two_exams):
    response = client.get(COMPARE, {"certifications": ["clf", "cka"]})
    clf, cka = response.context["columns"]
    assert (clf["cheapest"], clf["quickest"], clf["longest"]) == (True, True, True)
    assert (cka["cheapest"], cka["quickest"], cka["longest"]) == (False, False, False)
    html = response.content.decode()
    assert html.count("★ Lowest") == 1 and html.count("★ Fewest hours") == 1


def test_free_and_never_expiring_exams_win_and_ties_mark_nothing(client, two_exams):
    CertificationFactory(slug="free", exam_fee=None, validity_months=None, study_hours=60)
    response = client.get(COMPARE, {"certifications": ["cka", "free"]})
    cka, free = response.context["columns"]
    assert free["cheapest"] and not cka["cheapest"]  # free beats $445
    assert free["longest"] and not cka["longest"]  # does not expire beats 24 months
    assert not free["quickest"] and not cka["quickest"]  # 60 hours each: no winner
    assert "Does not expire" in response.content.decode()


def test_fees_in_different_currencies_are_not_ranked(client, two_exams):
    CertificationFactory(slug="eur", exam_fee=50, fee_currency="EUR")
    response = client.get(COMPARE, {"certifications": ["clf", "eur"]})
    assert not any(column["cheapest"] for column in response.context["columns"])
    assert "★ Lowest" not in response.content.decode()


def test_each_column_lists_the_careers_it_counts_towards(client, two_exams):
    practitioner, cka = two_exams
    cloud = CareerFactory(title="Cloud Engineer")
    platform = CareerFactory(title="Platform Engineer")
    RoadmapStepFactory(career=cloud, certification=practitioner, position=1)
    RoadmapStepFactory(career=cloud, certification=cka, position=2, required=False)
    RoadmapStepFactory(career=platform, certification=cka, position=1)
    RoadmapStepFactory(career=CareerFactory(title="Hidden", status="draft"), certification=cka)

    response = client.get(COMPARE, {"certifications": ["clf", "cka"]})

    clf_column, cka_column = response.context["columns"]
    assert [step.career.title for step in clf_column["steps"]] == ["Cloud Engineer"]
    assert [step.career.title for step in cka_column["steps"]] == [
        "Cloud Engineer",
        "Platform Engineer",
    ]
    assert [career.title for career in response.context["careers_in_all"]] == ["Cloud Engineer"]
    html = response.content.decode()
    assert "step 2, optional" in html
    assert "Hidden" not in html
    assert "Careers both count towards" in html


def test_no_shared_career_says_so(client, two_exams):
    response = client.get(COMPARE, {"certifications": ["clf", "cka"]})
    assert response.context["careers_in_all"] == []
    assert "they lead to different careers" in response.content.decode()


def test_a_retired_exam_and_its_successor_both_settle_its_step(client):
    career, retired, successor = career_on_a_renamed_exam()
    response = client.get(COMPARE, {"certifications": [retired.slug, successor.slug]})
    retired_column, successor_column = response.context["columns"]
    assert [step.career for step in retired_column["steps"]] == [career]
    assert [step.career for step in successor_column["steps"]] == [career]
    assert response.context["careers_in_all"] == [career]
    html = response.content.decode()
    assert "in place of the retired AI-900" in html
    assert f'replaced by <a href="{successor.get_absolute_url()}">' in html


def test_an_exam_a_roadmap_asks_for_twice_names_its_own_step_and_the_one_it_replaces(client):
    """Step 1 is a retired exam whose successor is step 2 of the same roadmap: the successor's
    column names step 2 (the exam itself) and notes step 1, rather than step 1 alone."""
    career, retired, successor = career_on_a_renamed_exam()
    RoadmapStepFactory(career=career, certification=successor)
    response = client.get(COMPARE, {"certifications": [retired.slug, successor.slug]})
    retired_column, successor_column = response.context["columns"]
    assert [step.step_number for step in retired_column["steps"]] == [1]
    assert [step.step_number for step in successor_column["steps"]] == [2]
    assert retired_column["steps"][0].also_settles == []
    assert "step 2; also step 1, in place of the retired AI-900" in response.content.decode()


@pytest.mark.parametrize(
    ("picks", "message"),
    [
        (["clf", "nope"], "We could not find these certifications: “nope”."),
        (["clf", "cka", "a", "b"], "could not find"),
        (["clf", "cka", "x", "y", "z"], "could not find"),
    ],
)
def test_wrong_picks_get_a_clear_message(client, two_exams, picks, message):
    response = client.get(COMPARE, {"certifications": picks})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_more_than_three_is_refused_with_a_message_and_the_first_three_kept(client, two_exams):
    CertificationFactory(slug="c")
    CertificationFactory(slug="d")
    response = client.get(COMPARE, {"certifications": ["clf", "cka", "c", "d"]})
    html = response.content.decode()
    assert "at most three certifications at a time" in html
    assert response.context["columns"] == []
    assert [place["selected"] for place in response.context["picker"]] == ["clf", "cka", "c"]


def test_three_can_be_compared(client, two_exams):
    CertificationFactory(slug="third")
    response = client.get(COMPARE, {"certifications": ["clf", "cka", "third", ""]})
    assert columns(response) == ["clf", "cka", "third"]
    assert "Careers they all count towards" in response.content.decode()


def test_one_pick_invites_more_without_an_error(client, two_exams):
    response = client.get(COMPARE, {"certifications": ["cka", "cka"]})
    html = response.content.decode()
    assert response.context["columns"] == []
    assert "Pick one or two more to set beside Kubernetes Administrator (CKA)." in html
    assert 'role="status"' not in html  # no notice
    assert 'id="compare-0" name="certifications" value="Kubernetes Administrator (CKA)"' in html


def test_one_pick_suggests_the_certifications_on_its_roadmaps(
    client, django_assert_num_queries, two_exams
):
    practitioner, cka = two_exams
    cloud, platform = CareerFactory(title="Cloud"), CareerFactory(title="Platform")
    draft_career = CareerFactory(status="draft")
    ckad = CertificationFactory(
        slug="ckad", name="Kubernetes Developer", exam_code="CKAD", level="professional"
    )
    for career in (cloud, platform):
        RoadmapStepFactory(career=career, certification=cka)
        RoadmapStepFactory(career=career, certification=practitioner)
    RoadmapStepFactory(career=platform, certification=ckad)
    RoadmapStepFactory(career=cloud, certification=CertificationFactory(status="draft"))
    RoadmapStepFactory(career=draft_career, certification=cka)
    RoadmapStepFactory(career=draft_career, certification=CertificationFactory(slug="hidden"))
    CertificationFactory(slug="unrelated")

    # 1 the picker's choices, 2 the picked certification, 3 the suggestions.
    with django_assert_num_queries(3):
        response = client.get(COMPARE, {"certifications": ["cka"]})

    # The professional exam first (CKA is professional), then the one in both careers.
    labels = [suggestion["label"] for suggestion in response.context["suggestions"]]
    assert labels == ["Kubernetes Developer (CKAD)", "Cloud Practitioner (CLF-C02)"]
    html = response.content.decode()
    assert f'href="{COMPARE}?certifications=cka&amp;certifications=ckad"' in html
    assert "Compare with Cloud Practitioner (CLF-C02)" in html
    assert '<h2 id="suggestions-heading" class="h5">On the same career roadmaps</h2>' in html


def test_drafts_cannot_be_compared_or_picked(client, two_exams):
    CertificationFactory(slug="secret", name="Secret Exam", status="draft")
    response = client.get(COMPARE, {"certifications": ["clf", "secret"]})
    html = response.content.decode()
    assert "Secret Exam" not in html
    assert "could not find" in html
    assert response.context["columns"] == []


def test_the_picker_works_without_javascript(client, two_exams):
    CertificationFactory(slug="old", name="Old Exam", exam_code="", status="retired")
    html = client.get(COMPARE).content.decode()
    boxes = re.findall(r'<input class="form-control" type="text" id="compare-\d"[^>]*>', html)
    assert len(boxes) == 3
    assert all('name="certifications"' in box for box in boxes)
    assert all('list="certification-choices"' in box for box in boxes)
    assert all('aria-describedby="compare-hint"' in box for box in boxes)
    assert '<label class="form-label" for="compare-1">Second certification</label>' in html
    assert '<option value="Cloud Practitioner (CLF-C02)">' in html
    assert '<option value="Old Exam (retired)">' in html
    assert 'role="status"' not in html  # no nagging before a choice


def test_the_suggestions_are_sent_once_for_the_three_boxes(client, two_exams):
    for n in range(40):
        CertificationFactory(name=f"Exam {n:02d}", exam_code=f"EX-{n:02d}")
    html = client.get(COMPARE, {"certifications": ["clf", "cka"]}).content.decode()
    assert html.count("<datalist") == 1
    assert html.count("<option") == 42
    assert html.count("Exam 17 (EX-17)") == 1
    # Each box holds its pick's name, which the page takes back as it takes the slug.
    assert 'name="certifications" value="Cloud Practitioner (CLF-C02)"' in html
    assert 'name="certifications" value="Kubernetes Administrator (CKA)"' in html
    assert 'name="certifications" value=""' in html


@pytest.mark.parametrize(
    "picks",
    [
        ["Cloud Practitioner (CLF-C02)", "Kubernetes Administrator (CKA)"],
        ["clf-c02", " kubernetes administrator "],
        ["CLOUD PRACTITIONER", "cka"],
        ["clfc02", "Kubernetes Administrator"],  # a code without its dash, as search takes it
        ["CLF C02", "cka"],
    ],
)
def test_picks_typed_as_a_name_or_exam_code_are_the_exams_they_name(client, two_exams, picks):
    response = client.get(COMPARE, {"certifications": picks})
    assert columns(response) == ["clf", "cka"]
    assert "could not find" not in response.content.decode()


def test_a_misspelt_exam_name_is_read_as_the_one_it_finds_and_an_unknown_one_kept(
    client, two_exams
):
    response = client.get(COMPARE, {"certifications": ["clf", "Kubernets Administrator"]})
    assert columns(response) == ["clf", "cka"]
    text = " ".join(response.content.decode().split())
    assert "We read “Kubernets Administrator” as Kubernetes Administrator (CKA)." in text

    response = client.get(COMPARE, {"certifications": ["clf", "Zookeeping"]})
    assert [place["value"] for place in response.context["picker"]][1] == "Zookeeping"


def test_a_name_two_exams_share_is_not_guessed(client):
    CertificationFactory(name="Azure AI Fundamentals", exam_code="AI-900", slug="ai-900")
    CertificationFactory(name="Azure AI Fundamentals", exam_code="AI-901", slug="ai-901")
    CertificationFactory(name="Other", slug="other")
    response = client.get(COMPARE, {"certifications": ["Azure AI Fundamentals", "other"]})
    assert columns(response) == []
    text = " ".join(response.content.decode().split())
    assert "“Azure AI Fundamentals” could be Azure AI Fundamentals (AI-900)," in text
    assert "could not find" not in text
    by_code = client.get(COMPARE, {"certifications": ["Azure AI Fundamentals (AI-901)", "other"]})
    assert columns(by_code) == ["ai-901", "other"]


def test_a_learner_sees_their_own_progress_and_nobody_elses(
    client, learner, other_learner, two_exams
):
    practitioner, cka = two_exams
    progress_update(user=learner, certification=cka, status="studying")
    progress_update(user=other_learner, certification=practitioner, status="studying")
    client.force_login(learner)
    response = client.get(COMPARE, {"certifications": ["clf", "cka"]})
    html = response.content.decode()
    row = html.split("Your progress</th>", 1)[1].split("</tr>", 1)[0]
    assert re.findall(r'learner-state[^"]*">([^<]+)<', row) == [
        "Not started",
        "Studying",
    ]


def test_visitors_see_no_progress_row(client, two_exams):
    assert (
        "Your progress"
        not in client.get(COMPARE, {"certifications": ["clf", "cka"]}).content.decode()
    )


@pytest.mark.parametrize("extra", [0, 8])
def test_compare_takes_four_queries(client, django_assert_num_queries, two_exams, extra):
    practitioner, cka = two_exams
    for _ in range(extra):
        RoadmapStepFactory(certification=cka)
        practitioner.prerequisites.add(CertificationFactory())
    # 1 the picker's choices, 2 the picked certifications with provider and successor,
    # 3 their prerequisites, 4 the roadmap steps they settle with careers.
    with django_assert_num_queries(4):
        response = client.get(COMPARE, {"certifications": ["clf", "cka"]})
    assert len(response.context["columns"][1]["steps"]) == extra


def test_signed_in_the_progress_costs_no_query(
    client, learner, django_assert_num_queries, two_exams
):
    progress_update(user=learner, certification=two_exams[1], status="studying")
    client.force_login(learner)
    # 1 session, 2 user, then the four above: the learner's rows ride on query 4 (LEFT JOIN).
    with django_assert_num_queries(6):
        client.get(COMPARE, {"certifications": ["clf", "cka"]})


def test_pages_lead_to_the_comparison(client, two_exams):
    cka = two_exams[1]
    detail = client.get(cka.get_absolute_url()).content.decode()
    assert f'href="{COMPARE}?certifications=cka"' in detail
    assert "Compare with another certification" in detail

    catalogue = client.get(reverse("certifications:list")).content.decode()
    assert f'<form id="compare-picks" method="get" action="{COMPARE}"' in catalogue
    checkbox = r'type="checkbox" name="certifications" value="cka"[^>]*form="compare-picks"'
    assert re.search(checkbox, catalogue)
    assert f'href="{COMPARE}"' in catalogue  # the footer

    home = client.get(reverse("home")).content.decode()
    assert f'<a class="cp-hero-link" href="{COMPARE}">Compare certifications</a>' in home


def test_a_retired_page_offers_to_compare_with_its_successor(client):
    _, retired, successor = career_on_a_renamed_exam()
    detail = client.get(retired.get_absolute_url()).content.decode()
    assert (
        f'href="{COMPARE}?certifications={retired.slug}&amp;certifications={successor.slug}"'
        in detail
    )
    assert "Compare with its successor" in detail


def test_the_navbar_marks_the_section_not_the_page(client, two_exams):
    """Certification compare is in the Certifications section but is not the page that link
    opens: aria-current="true", never "page" (a screen reader would say "current page")."""
    html = client.get(COMPARE, {"certifications": ["clf", "cka"]}).content.decode()
    navbar = html.split('class="navbar-nav site-links"', 1)[1].split("</ul>", 1)[0]
    assert 'aria-current="page"' not in navbar
    assert navbar.count("aria-current") == 1
    assert re.search(r'aria-current="true">Certifications<', navbar)


def test_the_navbar_marks_the_catalogue_as_the_current_page(client, two_exams):
    html = client.get("/certifications/").content.decode()
    navbar = html.split('class="navbar-nav site-links"', 1)[1].split("</ul>", 1)[0]
    assert navbar.count("aria-current") == 1
    assert re.search(r'aria-current="page">Certifications<', navbar)


def test_a_retired_exam_earns_no_best_marks(client):
    """TensorFlow's retired certificate is cheaper, quicker and longer valid than Google's
    PMLE, but it cannot be booked: no mark goes to it, and with one bookable exam left
    there is nothing to rank."""
    bookable = CertificationFactory(slug="pmle", exam_fee=200, study_hours=120, validity_months=24)
    CertificationFactory(
        slug="tf", exam_fee=100, study_hours=80, validity_months=36, status="retired",
        successor=bookable,
    )  # fmt: skip
    other = CertificationFactory(slug="other", exam_fee=300, study_hours=100, validity_months=12)

    html = client.get(COMPARE, {"certifications": ["tf", "pmle"]}).content.decode()
    assert "★ Lowest" not in html and "★ Fewest hours" not in html and "★ Longest" not in html

    response = client.get(COMPARE, {"certifications": ["tf", "pmle", other.slug]})
    tf, pmle, _ = response.context["columns"]
    assert not (tf["cheapest"] or tf["quickest"] or tf["longest"])
    assert pmle["cheapest"] and pmle["longest"] and not pmle["quickest"]


def test_picks_in_other_letter_case_are_the_exams_they_name(client, two_exams):
    response = client.get(COMPARE, {"certifications": ["CLF", "Cka", "clf"]})
    assert columns(response) == ["clf", "cka"]
    assert "could not find" not in response.content.decode()


def test_a_cheaper_retired_exam_left_unstarred_is_explained(client, two_exams):
    """The retired exam is the cheapest; the star goes to the cheapest one still offered, and
    the caption says why, rather than leave "$100 ★ Lowest" beside "$50" unexplained."""
    CertificationFactory(slug="old", exam_fee=50, status="retired")

    html = client.get(COMPARE, {"certifications": ["clf", "cka", "old"]}).content.decode()
    caption = html.split('<caption id="compare-caption">', 1)[1].split("</caption>", 1)[0]

    assert "A ★ compares only the exams you can still book, not retired ones" in caption
    plain = client.get(COMPARE, {"certifications": ["clf", "cka"]}).content.decode()
    assert "compares only the exams you can still book" not in plain

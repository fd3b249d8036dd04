"""The career page: every section, exam facts, salaries, JSON-LD, drafts, speed and size."""

import datetime
import html as html_module
import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import json_script
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from careers.career_page import salary_table
from careers.models import Career, SalaryFigure
from careers.templatetags.career_tags import chart_geometry
from careers.views import CareerDetailView
from certifications.models import Certification, CertificationProgress
from certifications.services.progress import career_follow
from tests.factories import (
    CareerFactory,
    CertificationFactory,
    DayInTheLifeEntryFactory,
    EmployerFactory,
    FAQFactory,
    HiringFactory,
    ProviderFactory,
    ResponsibilityFactory,
    RoadmapStepFactory,
    SalaryFigureFactory,
    career_on_a_renamed_exam,
    career_on_a_twice_replaced_exam,
)

COUNTRIES = [("US", "USD"), ("GB", "GBP"), ("DE", "EUR")]
MEDIANS = {
    "US": [120_000, 158_000, 195_000, 235_000],
    "GB": [55_000, 85_000, 110_000, 135_000],
    "DE": [62_000, 85_000, 105_000, 125_000],
}
LEVELS = ["entry", "mid", "senior", "lead"]
SITE_URL = "https://careers.example.org"


class PageParser(HTMLParser):
    """Collects h1/h2 texts in document order and the JSON-LD script bodies."""

    def __init__(self):
        super().__init__()
        self.headings, self.json_ld = [], []
        self._capture = None
        self._buffer = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("h1", "h2") or (tag == "script" and attrs.get("type") == "application/ld+json"):
            self._capture, self._buffer = tag, []

    def handle_endtag(self, tag):
        if tag == self._capture:
            text = "".join(self._buffer).strip()
            if tag == "script":
                self.json_ld.append(json.loads(text))
            else:
                self.headings.append(text)
            self._capture = None

    def handle_data(self, data):
        if self._capture:
            self._buffer.append(data)


def parse(response):
    parser = PageParser()
    parser.feed(response.content.decode())
    return parser


def add_roadmap(career, count, *, start=0):
    steps = []
    for position in range(start, start + count):
        steps.append(RoadmapStepFactory(career=career, position=position))
    return steps


def add_salaries(career, *, year=2026):
    for country, currency in COUNTRIES:
        for level, median in zip(LEVELS, MEDIANS[country], strict=True):
            SalaryFigureFactory(
                career=career,
                country=country,
                currency=currency,
                level=level,
                median=median,
                p25=median - 10_000,
                p75=median + 15_000,
                year=year,
                source_name=f"{country} salary survey",
                source_url=f"https://example.org/{country.lower()}" if country != "DE" else "",
            )


def build_full_career(*, factor=1, **kwargs):
    """An AI / ML Engineer-sized career: 7 steps, 12 salaries, 8 employers, 6 day, 8 FAQs."""
    career = CareerFactory(
        title="AI / ML Engineer",
        slug="ai-ml-engineer",
        tagline="Design, build and deploy machine learning systems.",
        overview="ML engineers take models to **production**.",
        suitability="People who like Python and statistics.",
        cta_text="Start with the first certification.",
        alternative_titles="Machine Learning Engineer, MLOps Engineer",
        **kwargs,
    )
    for _ in range(7 * factor):
        ResponsibilityFactory(career=career, text="Deploy models as inference endpoints")
    add_roadmap(career, 7 * factor)
    add_salaries(career)
    for extra_year in range(1, factor):
        add_salaries(career, year=2026 - extra_year)
    for _ in range(8 * factor):
        HiringFactory(career=career, employer=EmployerFactory(), note="Applied ML")
    for hour in range(6 * factor):
        DayInTheLifeEntryFactory(
            career=career,
            time_of_day=datetime.time(8 + hour % 10, 30),
            text="You review overnight training runs and promote the best model to staging.",
        )
    for _ in range(8 * factor):
        FAQFactory(career=career, answer="Yes: *most* roles ask for Python first.")
    return career


def add_related_careers(career, count):
    certifications = [step.certification for step in career.roadmap_steps.all()]
    for index in range(count):
        other = CareerFactory()
        for position, cert in enumerate(certifications[: 1 + index % 3]):
            RoadmapStepFactory(career=other, certification=cert, position=position)


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL


@pytest.fixture
def full_career(db):
    career = build_full_career()
    add_related_careers(career, 3)
    return career


# Sections ----------------------------------------------------------------------------------


def test_every_section_is_shown_in_the_seed_order(client, full_career):
    page = parse(client.get(full_career.get_absolute_url()))

    assert page.headings == [
        "AI / ML Engineer",
        "Career overview",
        "Who it suits",
        "What you will do",
        "Certification roadmap",
        "Salary progression",
        "Top employers hiring",
        "A day in the life",
        "Frequently asked questions",
        "Where to start",
        "Related careers",
    ]


def test_hero_facts_count_certifications_and_total_fees(client, db):
    career = CareerFactory(demand=Career.Demand.VERY_HIGH, time_to_first_role="12-24 months")
    RoadmapStepFactory(career=career, certification=CertificationFactory(exam_fee=165))
    RoadmapStepFactory(career=career, certification=CertificationFactory(exam_fee=200))
    RoadmapStepFactory(
        career=career,
        certification=CertificationFactory(exam_fee=175, fee_currency="EUR"),
        required=False,
    )

    html = client.get(career.get_absolute_url()).content.decode()

    assert "Very high" in html
    assert "12-24 months" in html
    assert '3 <span class="career-fact-note">(2 required)</span>' in html
    assert "$365 + 175\xa0€" in html


def test_study_time_that_leaves_out_an_exam_without_hours_is_a_floor(client, db):
    career = CareerFactory()
    RoadmapStepFactory(career=career, certification=CertificationFactory(study_hours=40))
    RoadmapStepFactory(career=career, certification=CertificationFactory(study_hours=None))

    html = client.get(career.get_absolute_url()).content.decode()

    assert "<dd>at least 40 hours</dd>" in html
    assert "about 40 hours" not in html
    assert "Study time leaves out 1 exam that gives no study hours." in html


def test_hero_totals_count_the_exams_on_offer_today(client, db):
    """A retired step costs what its successor costs, a retired exam with no successor costs
    nothing (it cannot be booked), and an exam two steps lead to is paid for once."""
    career = CareerFactory()
    professional = CertificationFactory(exam_fee=200, study_hours=120)
    successor = CertificationFactory(exam_fee=99, study_hours=15)
    RoadmapStepFactory(career=career, position=0, certification=CertificationFactory(
        exam_fee=100, study_hours=30))  # fmt: skip
    for position, replaced_by in enumerate([successor, professional, None], start=1):
        retired = CertificationFactory(
            exam_fee=300, study_hours=200, status=Certification.Status.RETIRED,
            successor=replaced_by,
        )  # fmt: skip
        RoadmapStepFactory(career=career, position=position, certification=retired)
    RoadmapStepFactory(career=career, position=4, certification=professional)

    html = client.get(career.get_absolute_url()).content.decode()

    assert "<dt>Total exam fees</dt>\n        <dd>$399</dd>" in html  # 100 + 99 + 200
    assert "about 165 hours" in html  # 30 + 15 + 120


def test_a_step_whose_successor_was_retired_too_is_neither_priced_nor_the_place_to_start(
    client, learner, db
):
    """AZ-100 was replaced by AZ-103, itself retired since (the admin refuses a retired
    successor only when newly chosen): AZ-103 cannot be booked, so the hero leaves it out of
    its totals, as a new learner's fees and hours left do, and does not start there."""
    career = CareerFactory()
    newest = CertificationFactory(exam_code="AZ-104", exam_fee=165, study_hours=60)
    replaced = CertificationFactory(
        exam_code="AZ-103", exam_fee=150, study_hours=50, status=Certification.Status.RETIRED,
        successor=newest,
    )  # fmt: skip
    oldest = CertificationFactory(
        exam_code="AZ-100", exam_fee=100, study_hours=40, status=Certification.Status.RETIRED,
        successor=replaced,
    )  # fmt: skip
    RoadmapStepFactory(career=career, position=0, certification=oldest)
    RoadmapStepFactory(career=career, position=1, certification=CertificationFactory(
        exam_code="AZ-500", exam_fee=99, study_hours=30))  # fmt: skip

    html = client.get(career.get_absolute_url()).content.decode()

    assert "<dt>Total exam fees</dt>\n        <dd>$99</dd>" in html
    assert "about 30 hours" in html
    assert "Start with" in html and "AZ-103" not in html.split("Where to start")[1]
    career_follow(user=learner, career=career)
    client.force_login(learner)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "<dt>Exam fees left</dt><dd>$99</dd>" in dashboard
    assert "<dt>Study hours left</dt><dd>30</dd>" in dashboard


def test_hero_says_how_it_counts_and_counts_the_exams_it_prices(client, db):
    """A retired step whose replacement is also on the roadmap leads to one exam: the hero
    counts it once, says that retired steps are priced at their replacement and that optional
    exams are included, and the retired step says it is the same exam as the later step."""
    career = CareerFactory()
    first = CertificationFactory(exam_fee=100, study_hours=30)
    professional = CertificationFactory(name="Pro Exam", exam_fee=200, study_hours=120)
    retired = CertificationFactory(
        name="Old Exam", exam_fee=300, status=Certification.Status.RETIRED, successor=professional
    )
    extra = CertificationFactory(exam_fee=50, study_hours=10)
    RoadmapStepFactory(career=career, position=0, certification=first)
    RoadmapStepFactory(career=career, position=1, certification=retired)
    RoadmapStepFactory(career=career, position=2, certification=professional)
    RoadmapStepFactory(career=career, position=3, certification=extra, required=False)

    html = client.get(career.get_absolute_url()).content.decode()

    assert "<dt>Exams to book</dt>" in html
    assert '3 <span class="career-fact-note">(2 required)</span>' in html
    assert "<dd>$350</dd>" in html  # 100 + 200 + 50: the retired step is the Pro Exam
    assert "3 exams you can book today for the roadmap's 4 steps, each counted once" in html
    assert "Retired steps are priced at the exam that replaced them" in html
    assert "Fees and study time include 1 optional exam." in html
    assert "<strong>Same exam as step 3:</strong>&#32;Old Exam can no longer be booked" in html
    assert html.count("Same exam as step") == 1


def retired_shapes_career():
    """The demo AI / ML Engineer's shapes: a step on an exam on offer, a retired one whose
    replacement is not on the roadmap (MLS-C01, $300, replaced by MLA-C01, $150), one whose
    replacement is a later step, two retired ones replaced by one exam, and one that can no
    longer be booked. Everything retired costs $300 and 200 hours on its own page."""
    career = CareerFactory()
    retired = {"exam_fee": 300, "study_hours": 200, "status": Certification.Status.RETIRED}
    mla = CertificationFactory(exam_code="MLA-C01", exam_fee=150, study_hours=80)
    gcp = CertificationFactory(exam_code="GCP-PMLE", exam_fee=200, study_hours=120)
    ai = CertificationFactory(exam_code="AI-103", exam_fee=165, study_hours=90)
    shapes = [
        CertificationFactory(exam_code="AIF-C01", exam_fee=100, study_hours=30),
        CertificationFactory(exam_code="MLS-C01", successor=mla, **retired),
        CertificationFactory(exam_code="TF-DEV", successor=gcp, **retired),
        CertificationFactory(exam_code="AI-102", successor=ai, **retired),
        CertificationFactory(exam_code="AI-100", successor=ai, **retired),
        CertificationFactory(exam_code="DA-100", successor=None, **retired),
        gcp,
    ]
    for position, certification in enumerate(shapes):
        RoadmapStepFactory(career=career, position=position, certification=certification)
    return career


def step_card_facts(html):
    """Each roadmap card's facts as {term: text}, in roadmap order."""
    roadmap = html.split('id="roadmap"', 1)[1].split("</section>", 1)[0]
    return [
        {
            term: " ".join(re.sub(r"<[^>]+>", "", detail).split())
            for term, detail in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", card, re.S)
        }
        for card in re.findall(r'<dl class="roadmap-facts">(.*?)</dl>', roadmap, re.S)
    ]


def test_step_cards_add_up_to_the_heros_totals(client, db, django_assert_num_queries):
    """The demo's AI / ML Engineer cards listed $1,164 of fees under "Total exam fees $914":
    each retired step showed the fee of its own exam, which can no longer be booked. A card
    now gives the fee and study time of the exam the hero counts for it, once."""
    career = retired_shapes_career()

    # The same six queries as test_career_page_runs_six_queries.
    with django_assert_num_queries(6):
        html = client.get(career.get_absolute_url()).content.decode()

    assert "<dt>Total exam fees</dt>\n        <dd>$615</dd>" in html  # 100 + 150 + 165 + 200
    assert "about 320 hours" in html  # 30 + 80 + 90 + 120
    facts = step_card_facts(html)
    assert [card["Exam fee"] for card in facts] == [
        "$100",
        "$150 for MLA-C01, which replaced it",
        "paid once, at step 7",
        "$165 for AI-103, which replaced it",
        "paid once, at step 4",
        "none: it can no longer be booked",
        "$200",
    ]
    assert [card.get("Study time") for card in facts] == [
        "30 hours", "80 hours for MLA-C01", None, "90 hours for AI-103", None, None, "120 hours"
    ]  # fmt: skip
    assert "$300" not in html and "200 hours" not in html


def test_a_retired_steps_card_says_how_long_the_exam_that_replaced_it_lasts(client, db):
    """The demo's TensorFlow step (3 years) read "Valid for 3 years" beside "paid once, at step
    6", whose exam, the one a learner books for it, lasts 2 years."""
    career = retired_shapes_career()
    Certification.objects.filter(exam_code="GCP-PMLE").update(validity_months=24)
    Certification.objects.filter(exam_code="AI-103").update(validity_months=None)
    Certification.objects.exclude(exam_code__in=["GCP-PMLE", "AI-103"]).update(validity_months=36)

    facts = step_card_facts(client.get(career.get_absolute_url()).content.decode())

    assert [card["Valid for"] for card in facts] == [
        "3 years",
        "3 years for MLA-C01",
        "2 years for GCP-PMLE",
        "AI-103 does not expire",
        "AI-103 does not expire",
        "3 years",  # DA-100, which nothing replaced: its own
        "2 years",
    ]


def test_a_learner_sees_the_same_step_cards_in_the_same_queries(
    client_as_learner, learner, db, django_assert_num_queries
):
    career = retired_shapes_career()
    visitor = step_card_facts(Client().get(career.get_absolute_url()).content.decode())
    mls = Certification.objects.get(exam_code="MLS-C01")
    CertificationProgress.objects.create(user=learner, certification=mls, status="studying")

    # session + user, then the visitor's six (progress rides on the steps query)
    with django_assert_num_queries(8):
        html = client_as_learner.get(career.get_absolute_url()).content.decode()

    assert step_card_facts(html) == visitor
    assert "Update my progress" in html and "$300" not in html


def test_a_visitors_roadmap_reads_only_the_certifications_it_shows(client, db):
    """A visitor's steps query also joined exams a learner's standing reads and the
    successor's provider, which nothing shows: columns to compile and read on every career
    page. The roadmap shows the exam, its provider and successor, and the exam on offer its
    chain leads to (the one a step books once its successor was retired too)."""
    career, _az100, _az103, az104 = career_on_a_twice_replaced_exam()

    with CaptureQueriesContext(connection) as queries:
        html = client.get(career.get_absolute_url()).content.decode()

    steps = next(q["sql"] for q in queries if q["sql"].startswith('SELECT "certifications_roadm'))
    # the exam, its successor and the chain's exam on offer (kept on the exam: no subquery)
    assert steps.count('JOIN "certifications_certification"') == 3
    assert steps.count("SELECT") == 1
    assert steps.count('JOIN "certifications_provider"') == 1
    assert f'href="{az104.get_absolute_url()}">Retired: replaced by' in html


@pytest.mark.usefixtures("clock_away_from_midnight")
def test_a_step_is_held_by_the_exam_that_replaced_it_first_after_the_successor_moved_on(
    client_as_learner, learner, db, django_assert_num_queries
):
    """AZ-100's successor was moved on from AZ-103 to AZ-104: the learner's AZ-103 pass
    still holds the step, and the card says so (it said "Not started", "You hold 0 of 1")."""
    career, _az100, az103, _az104 = career_on_a_twice_replaced_exam()
    passed = timezone.localdate() - datetime.timedelta(days=30)
    CertificationProgress.objects.create(
        user=learner, certification=az103, status="passed", passed_on=passed
    )

    # session + user, the visitor's six (progress rides on the steps query), and the
    # learner's passes of the exam moved past (AZ-103), which no join reaches
    with django_assert_num_queries(9):
        html = client_as_learner.get(career.get_absolute_url()).content.decode()

    assert "You hold 1 of 1 required" in html and "Start with" not in html
    status = re.sub(r"\s+", " ", html.split('class="step-progress"')[1].split("</p>")[0])
    assert (
        f'through <a href="{az103.get_absolute_url()}">Azure Administrator (AZ-103)</a>, '
        f"which replaced it · passed {passed.day} {passed:%B %Y}"
    ) in status


def test_a_step_names_the_prerequisite_the_roadmap_leaves_out(
    client, db, django_assert_num_queries
):
    career = CareerFactory()
    cka = CertificationFactory(name="Certified Kubernetes Administrator", exam_code="CKA")
    helm = CertificationFactory(name="Helm Basics (HB-1)", exam_code="HB-1")
    linux = CertificationFactory(name="Linux Essentials", exam_code="LE-1")
    secret = CertificationFactory(name="Secret Draft Exam", status=Certification.Status.DRAFT)
    cks = CertificationFactory(name="Certified Kubernetes Security Specialist", exam_code="CKS")
    cks.prerequisites.set([cka, helm, linux, secret])
    RoadmapStepFactory(career=career, position=0, certification=linux)
    RoadmapStepFactory(career=career, position=1, certification=cks)
    ResponsibilityFactory(career=career, text="Harden clusters")

    # career, salaries, hirings, steps, ordered parts with the prerequisites, related careers
    with django_assert_num_queries(6):
        response = client.get(career.get_absolute_url())
    html = response.content.decode()

    assert html.count("Requires first:") == 1
    assert (
        f'<strong>Requires first:</strong>&#32;<a href="{cka.get_absolute_url()}">Certified '
        "Kubernetes Administrator (CKA)</a> and "
        f'<a href="{helm.get_absolute_url()}">Helm Basics (HB-1)</a>, which are not on this '
        "roadmap." in html
    )
    assert "Secret Draft Exam" not in html
    assert "Not counted: 2 exams a step requires but the roadmap leaves out" in html
    assert [r.text for r in response.context["responsibilities"]] == ["Harden clusters"]


def test_call_to_action_skips_to_the_successor_of_a_retired_first_exam(client, db):
    career = CareerFactory()
    successor = CertificationFactory(name="Azure AI Fundamentals", exam_code="AI-901")
    retired = CertificationFactory(status=Certification.Status.RETIRED, successor=successor)
    RoadmapStepFactory(career=career, position=0, certification=retired)

    html = client.get(career.get_absolute_url()).content.decode()

    assert (
        f'href="{successor.get_absolute_url()}">Start with Azure AI Fundamentals (AI-901)</a>'
    ) in html


def test_roadmap_lists_each_exam_fact_in_order_with_step_anchors(client, db):
    career = CareerFactory()
    first = RoadmapStepFactory(
        career=career,
        position=1,
        phase="foundation",
        certification=CertificationFactory(
            name="Azure AI Fundamentals",
            exam_code="AI-900",
            provider=ProviderFactory(name="Microsoft"),
            level=Certification.Level.FOUNDATIONAL,
            exam_fee=99,
            study_hours=15,
            validity_months=None,
        ),
        reason="Builds the vocabulary first.",
    )
    RoadmapStepFactory(
        career=career,
        position=2,
        required=False,
        certification=CertificationFactory(name="MLflow Associate", validity_months=24),
    )

    html = client.get(career.get_absolute_url()).content.decode()

    assert html.index("Azure AI Fundamentals") < html.index("MLflow Associate")
    assert f'id="step-{first.position}"' in html
    assert f'href="{first.certification.get_absolute_url()}"' in html
    for fact in ["AI-900", "Microsoft", "Foundational", "$99", "15 hours", "does not expire",
                 "Foundation", "Builds the vocabulary first.", "2 years", "Optional"]:  # fmt: skip
        assert fact in html, fact


@pytest.mark.parametrize("signed_in", [False, True])
def test_roadmap_is_in_position_order_whatever_order_editors_added_steps(
    client, learner, signed_in
):
    """The page reads the steps without an ORDER BY (CareerDetailView.get_roadmap_steps)
    and sorts them itself: by position, then by id for two steps an editor put at one
    place, as RoadmapStep.Meta.ordering does."""
    career = CareerFactory()
    for position, name in [(3, "Third exam"), (1, "First exam"), (2, "Second exam")]:
        RoadmapStepFactory(
            career=career, position=position, certification=CertificationFactory(name=name)
        )
    RoadmapStepFactory(
        career=career, position=2, certification=CertificationFactory(name="Also second exam")
    )
    if signed_in:
        client.force_login(learner)

    html = client.get(career.get_absolute_url()).content.decode()

    roadmap = html.split('id="roadmap"', 1)[1]
    names = re.findall(r'class="roadmap-title"><a href="[^"]+">([^<]+)</a>', roadmap)
    assert names == ["First exam", "Second exam", "Also second exam", "Third exam"]
    numbers = re.findall(r'class="roadmap-number" aria-hidden="true">(\d+)<', roadmap)
    assert numbers == ["1", "2", "3", "4"]


def test_retired_badge_links_the_successor(client, db):
    successor = CertificationFactory(name="Professional ML Engineer v2")
    retired = CertificationFactory(
        name="Old ML Exam", status=Certification.Status.RETIRED, successor=successor
    )
    career = CareerFactory()
    RoadmapStepFactory(career=career, certification=retired)

    html = client.get(career.get_absolute_url()).content.decode()

    assert (
        f'<a class="tag tag-retired" href="{successor.get_absolute_url()}">'
        f"Retired: replaced by Professional ML Engineer v2 ({successor.exam_code})</a>"
    ) in html


def test_a_successor_sharing_the_retired_exams_name_is_told_apart_by_its_code(client, db):
    """Microsoft replaced AI-900 with AI-901 under the same name: the tag must not read
    "Microsoft Azure AI Fundamentals, retired: replaced by Microsoft Azure AI Fundamentals"."""
    career, _, _ = career_on_a_renamed_exam("Microsoft Azure AI Fundamentals")

    html = client.get(career.get_absolute_url()).content.decode()

    assert "Retired: replaced by Microsoft Azure AI Fundamentals (AI-901)</a>" in html


def test_retired_badge_does_not_link_a_draft_successor(client, db):
    draft = CertificationFactory(name="Unannounced Exam", status=Certification.Status.DRAFT)
    retired = CertificationFactory(status=Certification.Status.RETIRED, successor=draft)
    career = CareerFactory()
    RoadmapStepFactory(career=career, certification=retired)

    html = client.get(career.get_absolute_url()).content.decode()

    assert '<span class="tag tag-retired">Retired</span>' in html
    assert "Unannounced Exam" not in html
    assert draft.get_absolute_url() not in html


def test_draft_certification_never_shows_on_the_public_page(client, db):
    career = CareerFactory()
    RoadmapStepFactory(career=career, certification=CertificationFactory(name="Public Exam"))
    draft = CertificationFactory(name="Secret Draft Exam", status=Certification.Status.DRAFT)
    RoadmapStepFactory(career=career, certification=draft)

    response = client.get(career.get_absolute_url())
    html = response.content.decode()

    assert "Public Exam" in html
    assert "Secret Draft Exam" not in html
    assert draft.get_absolute_url() not in html
    assert response.context["facts"]["exam_count"] == 1


def test_salary_amounts_are_formatted_per_currency(client, full_career):
    html = client.get(full_career.get_absolute_url()).content.decode()

    assert "$158,000" in html
    assert "£85,000" in html
    assert "85.000\xa0€" in html
    assert '<caption id="salary-table-caption">' in html
    assert '<th scope="col">United Kingdom' in html
    assert '<th scope="row">Senior</th>' in html


def test_salary_section_names_year_sources_and_estimates(client, full_career):
    html = client.get(full_career.get_absolute_url()).content.decode()

    assert "Estimates for 2026." in html
    assert '<a href="https://example.org/us" rel="noopener nofollow">US salary survey</a>' in html
    assert "DE salary survey" in html  # no link: the figure has no source URL


def test_salary_table_shows_only_the_latest_year(client, db):
    career = CareerFactory()
    SalaryFigureFactory(career=career, level="mid", median=90_000, year=2024)
    SalaryFigureFactory(career=career, level="mid", median=101_000, year=2026)

    html = client.get(career.get_absolute_url()).content.decode()

    assert "$101,000" in html
    assert "$90,000" not in html


def test_salary_chart_is_an_accessible_svg_per_country(client, full_career):
    html = client.get(full_career.get_absolute_url()).content.decode()

    assert html.count('role="img"') == 3
    assert '<title id="salary-chart-1-title">Median annual salary in United States (USD)' in html
    assert 'aria-labelledby="salary-chart-1-title salary-chart-1-desc"' in html


def test_salary_chart_labels_never_render_below_12px():
    """Chart text is 12 SVG units, so it stays at 12px or more only while each SVG is at
    least CHART_WIDTH px wide: the grid's minimum track, less the figure's padding and
    border, must leave that much (the layout is checked in Chromium at 375 to 1920 px), and
    the SVG itself never shrinks below it."""
    from pathlib import Path

    from careers.templatetags.career_tags import CHART_WIDTH

    css = (Path(__file__).resolve().parents[2] / "static/css/career.css").read_text()
    grid = re.search(r"\.salary-charts \{[^}]*minmax\(min\(100%, ([\d.]+)rem\)", css)
    padding = re.search(r"\.salary-chart \{[^}]*padding: [\d.]+rem ([\d.]+)rem", css)
    svg_min = re.search(r"\.salary-svg \{[^}]*min-width: (\d+)px", css)
    assert grid and padding and svg_min
    inside = float(grid[1]) * 16 - 2 * float(padding[1]) * 16 - 2  # 1px border each side
    assert inside >= CHART_WIDTH
    assert int(svg_min[1]) >= CHART_WIDTH


def test_salary_bars_start_at_zero_and_scale_with_the_median(db):
    career = CareerFactory()
    for level, median in [("entry", 50_000), ("lead", 150_000)]:
        SalaryFigureFactory(career=career, country="GB", currency="GBP", level=level, median=median)
    salaries = salary_table(list(career.salary_figures.all()))

    chart = chart_geometry(salaries.countries[0], salaries.levels, 1)

    entry, lead = chart["bars"]
    assert entry["y"] + entry["height"] == lead["y"] + lead["height"] == chart["baseline"]
    assert lead["height"] == pytest.approx(3 * entry["height"], abs=0.2)
    assert (entry["amount"], lead["amount"]) == ("£50,000", "£150,000")


def test_a_career_with_no_parts_yet_shows_what_it_has(client, db, django_assert_num_queries):
    career = CareerFactory(title="New Career")

    # career, salaries, hirings, steps, ordered parts; no related-careers query without steps
    with django_assert_num_queries(5):
        response = client.get(career.get_absolute_url())

    assert response.status_code == 200
    assert parse(response).headings == ["New Career", "Career overview", "Who it suits"]


def test_each_employer_link_shows_its_logo_and_says_its_name_once(client, db):
    """The logo is decorative inside a link its name already names: with alt "Acme AI logo"
    a screen reader said "Acme AI logo Acme AI"."""
    career = CareerFactory()
    employer = EmployerFactory(name="Acme AI")
    HiringFactory(career=career, employer=employer)

    html = client.get(career.get_absolute_url()).content.decode()

    link = re.search(rf'<a href="{employer.get_absolute_url()}">(.*?)</a>', html, re.S).group(1)
    assert f'<img src="{employer.logo_url}" alt="" width="48" height="48"' in link
    spoken = re.sub(r"<img[^>]*\balt=\"([^\"]*)\"[^>]*>", r" \1 ", link)
    assert " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", spoken)).split()) == "Acme AI"


def test_day_in_the_life_uses_machine_readable_times(client, db):
    career = CareerFactory()
    DayInTheLifeEntryFactory(career=career, time_of_day=datetime.time(16, 45), position=2)
    DayInTheLifeEntryFactory(career=career, time_of_day=datetime.time(8, 30), position=1)

    html = client.get(career.get_absolute_url()).content.decode()

    assert '<time datetime="16:45">4:45 PM</time>' in html
    assert html.index('datetime="08:30"') < html.index('datetime="16:45"')


def test_faqs_are_details_with_markdown_answers(client, db):
    career = CareerFactory()
    FAQFactory(career=career, question="Do I need a degree?", answer="No, **skills** count.")

    html = client.get(career.get_absolute_url()).content.decode()

    assert "<summary>Do I need a degree?</summary>" in html
    assert "<strong>skills</strong>" in html


def test_call_to_action_points_at_the_first_required_certification(client, db):
    career = CareerFactory()
    RoadmapStepFactory(career=career, position=1, required=False)
    first_required = RoadmapStepFactory(career=career, position=2)

    response = client.get(career.get_absolute_url())

    assert response.context["cta_certification"] == first_required.certification
    cert = first_required.certification
    assert f'href="{cert.get_absolute_url()}">Start with {cert.name}' in response.content.decode()


def optional_only_career():
    """A career whose two steps are both optional, the first on a retired exam."""
    career = CareerFactory(cta_text="Start with the first certification.")
    successor = CertificationFactory(name="Azure AI Fundamentals", exam_code="AI-901")
    retired = CertificationFactory(status=Certification.Status.RETIRED, successor=successor)
    RoadmapStepFactory(career=career, position=0, certification=retired, required=False)
    second = RoadmapStepFactory(career=career, position=1, required=False).certification
    return career, successor, second


def cta_of(html):
    return html.split('id="cta-heading"', 1)[1].split("</section>", 1)[0]


def test_a_roadmap_of_optional_steps_still_says_where_to_start(db, django_assert_num_queries):
    career, successor, _ = optional_only_career()

    # the visitor's six: career, salaries, hirings, steps, ordered parts, related careers
    with django_assert_num_queries(6):
        cta = cta_of(Client().get(career.get_absolute_url()).content.decode())

    assert "Every step of this roadmap is optional: a good first one is" in cta
    assert "Start with the first certification." not in cta
    assert (
        f'href="{successor.get_absolute_url()}">Start with Azure AI Fundamentals (AI-901)</a>'
    ) in cta


def test_a_learner_on_a_roadmap_of_optional_steps_is_pointed_at_one_to_take(
    client_as_learner, learner, db, django_assert_num_queries
):
    career, successor, second = optional_only_career()

    # session + user, then the visitor's six (progress rides on the steps query)
    with django_assert_num_queries(8):
        cta = cta_of(client_as_learner.get(career.get_absolute_url()).content.decode())
    assert "Every step of this roadmap is optional: a good first one is" in cta
    assert f'href="{successor.get_absolute_url()}">Start with {successor.name_with_code}</a>' in cta

    Certification.objects.filter(pk=successor.pk).update(validity_months=None)  # held for good
    CertificationProgress.objects.create(
        user=learner, certification=successor, status="passed", passed_on=datetime.date(2026, 1, 5)
    )
    cta = cta_of(client_as_learner.get(career.get_absolute_url()).content.decode())
    assert "Every step of this roadmap is optional: a good next one is" in cta
    assert f'href="{second.get_absolute_url()}">Next: {second.name_with_code}</a>' in cta


def test_a_learner_whose_pass_of_an_optional_step_expired_is_asked_to_renew_it(
    client_as_learner, learner, db, django_assert_num_queries
):
    career, successor, second = optional_only_career()
    Certification.objects.filter(pk=successor.pk).update(validity_months=None)
    for certification, passed_on in [(successor, 2024), (second, 2001)]:  # 24 months' validity
        CertificationProgress.objects.create(
            user=learner,
            certification=certification,
            status="passed",
            passed_on=datetime.date(passed_on, 3, 1),
        )

    # session + user, then the visitor's six (progress rides on the steps query)
    with django_assert_num_queries(8):
        cta = cta_of(client_as_learner.get(career.get_absolute_url()).content.decode())

    assert (
        "Every step of this roadmap is optional: your pass of "
        f"{second.name_with_code} has expired, and renewing it is a good next step."
    ) in cta
    assert f'href="{second.get_absolute_url()}">Renew {second.name_with_code}</a>' in cta
    assert "Next:" not in cta


def test_related_careers_share_certifications_and_never_include_drafts(client, db):
    career = CareerFactory()
    shared = add_roadmap(career, 2)
    close = CareerFactory(title="Data Engineer")
    for position, step in enumerate(shared):
        RoadmapStepFactory(career=close, certification=step.certification, position=position)
    draft = CareerFactory(title="Draft Career", status=Career.Status.DRAFT)
    RoadmapStepFactory(career=draft, certification=shared[0].certification)
    CareerFactory(title="Unrelated Career")

    response = client.get(career.get_absolute_url())
    html = response.content.decode()

    assert [c.title for c in response.context["related_careers"]] == ["Data Engineer"]
    assert "2 shared certifications" in html
    assert "Draft Career" not in html
    assert "Unrelated Career" not in html

    compare = f"/careers/compare/?careers={career.slug}&amp;careers={close.slug}"
    assert f'href="{compare}"' in html
    columns = client.get(compare.replace("&amp;", "&")).context["columns"]
    assert [column["career"].title for column in columns] == [career.title, "Data Engineer"]

    # And with any other career: the compare page then suggests some to set beside it.
    alone = f"/careers/compare/?careers={career.slug}"
    assert f'href="{alone}">Compare {career.title} with another career</a>' in html
    suggested = client.get(alone).content.decode()
    assert f'href="{compare}"' in suggested


def test_related_careers_count_shared_exams_as_the_compare_page_does(client, db):
    """A retired exam counts as its successor, and two steps leading to one exam count once,
    so the card's number is the number of chips on the compare page it links to."""
    career, retired, successor = career_on_a_renamed_exam()
    both = CertificationFactory(name="Shared Exam")
    RoadmapStepFactory(career=career, certification=both, position=5)
    newer = CareerFactory(title="Takes The Successor")
    RoadmapStepFactory(career=newer, certification=successor, position=0)
    RoadmapStepFactory(career=newer, certification=both, position=1)
    twice = CareerFactory(title="Takes Both Versions")
    RoadmapStepFactory(career=twice, certification=retired, position=0)
    RoadmapStepFactory(career=twice, certification=successor, position=1)

    response = client.get(career.get_absolute_url())

    counts = {c.title: c.shared_count for c in response.context["related_careers"]}
    assert counts == {"Takes The Successor": 2, "Takes Both Versions": 1}
    for other in (newer, twice):
        compare = client.get(f"/careers/compare/?careers={career.slug}&careers={other.slug}")
        assert len(compare.context["shared"]) == counts[other.title]


# Findability -------------------------------------------------------------------------------


def test_title_description_canonical_and_open_graph(client, full_career):
    full_career.seo_description = "Roadmap, salaries and employers for ML engineers."
    full_career.save()

    html = client.get(full_career.get_absolute_url()).content.decode()

    url = f"{SITE_URL}/careers/ai-ml-engineer/"
    assert "<title>AI / ML Engineer: certification roadmap, salaries" in html
    assert '<meta name="description" content="Roadmap, salaries and employers' in html
    assert html.count('rel="canonical"') == 1
    assert html.count('property="og:url"') == 1
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="AI / ML Engineer career roadmap">' in html
    assert '<meta property="og:description" content="Roadmap, salaries' in html


def test_json_ld_describes_the_occupation(client, full_career):
    occupation, breadcrumbs = parse(client.get(full_career.get_absolute_url())).json_ld

    assert occupation["@type"] == "Occupation"
    assert occupation["name"] == "AI / ML Engineer"
    assert occupation["url"] == f"{SITE_URL}/careers/ai-ml-engineer/"
    assert len(occupation["responsibilities"]) == 7
    assert occupation["alternateName"] == ["Machine Learning Engineer", "MLOps Engineer"]
    salaries = occupation["estimatedSalary"]
    assert len(salaries) == 12
    us_mid = next(s for s in salaries if s["name"] == "Mid level, United States (2026)")
    assert us_mid == {
        "@type": "MonetaryAmountDistribution",
        "name": "Mid level, United States (2026)",
        "currency": "USD",
        "duration": "P1Y",
        "median": 158_000,
        "percentile25": 148_000,
        "percentile75": 173_000,
    }
    assert {c["name"] for c in occupation["occupationLocation"]} == {
        "United States",
        "United Kingdom",
        "Germany",
    }
    assert all(c["@type"] == "Country" for c in occupation["occupationLocation"])
    qualifications = occupation["qualifications"]
    assert qualifications["@type"] == "ItemList"
    items = qualifications["itemListElement"]
    steps = list(full_career.roadmap_steps.order_by("position"))
    assert [i["position"] for i in items] == list(range(1, 8))
    assert [i["item"]["name"] for i in items] == [s.certification.name for s in steps]
    assert items[0]["item"]["@type"] == "EducationalOccupationalCredential"
    assert items[0]["item"]["url"] == SITE_URL + steps[0].certification.get_absolute_url()
    assert occupation["skills"] == [s.certification.name for s in steps]
    assert breadcrumbs["@type"] == "BreadcrumbList"
    assert [c["name"] for c in breadcrumbs["itemListElement"]] == [
        "Home",
        "Careers",
        "AI / ML Engineer",
    ]


def test_json_ld_cannot_be_broken_out_of_by_content(client, db):
    career = CareerFactory(title="Hacker </script><script>alert(1)</script> & co")

    response = client.get(career.get_absolute_url())
    html = response.content.decode()

    occupation = parse(response).json_ld[0]
    assert occupation["name"] == "Hacker </script><script>alert(1)</script> & co"
    assert "<script>alert(1)" not in html


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.recursive(st.text(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
def test_json_ld_is_escaped_as_json_script_escapes_it(data):
    from careers.templatetags.jsonld import jsonld

    reference = json_script({"x": data})
    expected = reference[reference.index(">") + 1 : -len("</script>")]

    assert jsonld({}, {"x": data}) == f'<script type="application/ld+json">{expected}</script>'


def test_json_ld_scripts_carry_the_csp_nonce(client, full_career):
    response = client.get(full_career.get_absolute_url())

    header = response.headers["Content-Security-Policy"]
    nonce = header.split("'nonce-", 1)[1].split("'", 1)[0]
    html = response.content.decode()
    assert html.count(f'<script type="application/ld+json" nonce="{nonce}">') == 2


def test_json_ld_leaves_out_draft_certifications(client, db):
    career = CareerFactory()
    RoadmapStepFactory(career=career)
    draft = CertificationFactory(name="Draft Credential", status=Certification.Status.DRAFT)
    RoadmapStepFactory(career=career, certification=draft)

    occupation = parse(client.get(career.get_absolute_url())).json_ld[0]

    assert occupation["qualifications"]["numberOfItems"] == 1
    assert "Draft Credential" not in json.dumps(occupation)


# Access ------------------------------------------------------------------------------------


def test_unknown_slug_is_404(client, db):
    assert client.get("/careers/no-such-career/").status_code == 404


def test_draft_career_is_404_for_visitors(client, db):
    draft = CareerFactory(status=Career.Status.DRAFT)

    assert client.get(draft.get_absolute_url()).status_code == 404


def test_draft_career_is_previewable_by_staff_without_structured_data(client_as_staff, db):
    draft = CareerFactory(status=Career.Status.DRAFT)

    response = client_as_staff.get(draft.get_absolute_url())

    assert response.status_code == 200
    assert "Draft preview" in response.content.decode()
    assert parse(response).json_ld == []


# Speed and size ----------------------------------------------------------------------------


def test_career_page_runs_six_queries(client, full_career, django_assert_num_queries):
    # 1 career, 2 salary figures, 3 hirings + employers, 4 roadmap steps + certification +
    # provider + successor, 5 responsibilities UNION day entries UNION FAQs, 6 related careers
    with django_assert_num_queries(6):
        response = client.get(full_career.get_absolute_url())
    assert response.status_code == 200


def test_signed_in_page_runs_eight_queries(
    client_as_learner, learner, full_career, django_assert_num_queries
):
    for step in full_career.roadmap_steps.all()[:3]:
        CertificationProgress.objects.create(
            user=learner, certification=step.certification, status="studying"
        )

    # session + user, then the visitor's six: the learner's progress rides on the roadmap
    # steps query (LEFT JOINs) and "following?" on the career query (EXISTS).
    with django_assert_num_queries(8):
        response = client_as_learner.get(full_career.get_absolute_url())
    assert response.status_code == 200


def test_query_count_does_not_grow_with_three_times_the_rows(client, db, django_assert_num_queries):
    career = build_full_career(factor=3)
    add_related_careers(career, 9)
    assert career.roadmap_steps.count() == 21
    assert SalaryFigure.objects.filter(career=career).count() == 36

    # The same six queries as test_career_page_runs_six_queries.
    with django_assert_num_queries(6):
        response = client.get(career.get_absolute_url())
    assert len(response.context["steps"]) == 21
    assert len(response.context["faqs"]) == 24


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "learner"])
def test_no_query_runs_while_the_template_renders(
    full_career, learner, signed_in, django_assert_num_queries
):
    request = RequestFactory().get(full_career.get_absolute_url())
    request.user = learner if signed_in else AnonymousUser()
    request.session = {}
    if signed_in:
        first = full_career.roadmap_steps.order_by("position").first()
        CertificationProgress.objects.create(
            user=learner, certification=first.certification, status="studying"
        )
    view = CareerDetailView()
    view.setup(request, slug=full_career.slug)
    view.object = view.get_object()
    context = view.get_context_data(object=view.object)

    with django_assert_num_queries(0):
        html = render_to_string("careers/career_detail.html", context, request=request)
    assert "Where to start" in html
    assert ("Update my progress" in html) is signed_in


def test_ai_ml_sized_page_is_under_50_kb(client, full_career):
    size = len(client.get(full_career.get_absolute_url()).content)

    assert size <= 50 * 1024, f"{size} bytes"


def test_the_navbar_marks_the_careers_section_but_not_as_this_page(client, db):
    html = client.get(CareerFactory().get_absolute_url()).content.decode()
    navbar = html.split('class="navbar-nav site-links"', 1)[1].split("</ul>", 1)[0]
    assert 'aria-current="true">Careers<' in navbar
    assert 'aria-current="page"' not in navbar

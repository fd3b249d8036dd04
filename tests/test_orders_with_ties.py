"""Lists whose sort can tie (one name, one title, one date) show the same rows in the same order
whatever the database does: PostgreSQL returns tied rows in the order it reads them, and a save
writes a row anew at the table's end, so without a unique last key a list changed order (or
which rows it showed, when cut short) after any save. Each test saves some of the tied rows
first, as an editor or learner would; SQLite happens to keep insertion order, so these fail on
PostgreSQL alone without the fix."""

import datetime
import re

import pytest
from django.db import connection
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from careerportal.compare import SUGGESTED
from careerportal.search import GROUP_SHOWN
from careers.career_page import RELATED_LIMIT
from certifications.dashboard import CLOSEST_LIMIT
from certifications.models import Certification, CertificationProgress, LearnerProfile
from tests.factories import (
    CareerFactory,
    CertificationFactory,
    EmployerFactory,
    HiringFactory,
    ProviderFactory,
    RoadmapStepFactory,
)

pytestmark = pytest.mark.django_db

# Enough tied rows that PostgreSQL sorts them as it does a real list (a handful it sorts by
# insertion, which keeps the order it read them in).
TIED = 30


def saved_again(rows, every=2):
    """Save every other row (every `every`th) without changing it (PostgreSQL moves it to
    the table's end), then let PostgreSQL count the tables as autovacuum does on a live site:
    it then plans them as the small tables they are, read in the order they lie (without
    counts it guesses large tables and reads them through an index, in id order, which hides
    a tie)."""
    for row in rows[::every]:
        type(row).objects.filter(pk=row.pk).update(id=F("id"))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return rows


def on_roadmaps(careers, exams):
    for career in careers:
        for exam in exams:
            RoadmapStepFactory(career=career, certification=exam)


def test_a_search_shows_the_same_exams_of_one_name_after_a_save(client):
    exams = [
        CertificationFactory(name="Cloud Fundamentals", slug=f"cloud-{n:02d}") for n in range(TIED)
    ]
    saved_again(exams)

    (group,) = client.get(reverse("search"), {"q": "cloud fundamentals"}).context["groups"]

    assert [hit.slug for hit in group["hits"]] == [exam.slug for exam in exams[:GROUP_SHOWN]]


def test_a_career_page_names_the_same_related_careers_of_one_title_after_a_save(client):
    exam = CertificationFactory()
    career = RoadmapStepFactory(certification=exam).career
    others = [CareerFactory(title="Data Engineer") for _ in range(TIED)]
    on_roadmaps(others, [exam])
    saved_again(others)

    related = client.get(career.get_absolute_url()).context["related_careers"]

    assert [c.pk for c in related] == [c.pk for c in others[:RELATED_LIMIT]]


def test_comparing_one_exam_offers_the_same_exams_of_one_name_after_a_save(client):
    alone = CertificationFactory()
    career = RoadmapStepFactory(certification=alone).career
    others = [CertificationFactory(name="Cloud Fundamentals") for _ in range(TIED)]
    on_roadmaps([career], others)
    saved_again(others)

    response = client.get(reverse("certifications:compare"), {"certifications": alone.slug})

    labels = [suggestion["label"] for suggestion in response.context["suggestions"]]
    assert labels == [other.name_with_code for other in others[:SUGGESTED]]


def test_the_exam_picker_lists_exams_of_one_name_and_code_in_one_order(client):
    # A retired exam and the one that replaced it may share name and code; the picker tells
    # them apart by "(retired)", always in the same order.
    statuses = ["retired", "published"] * (TIED // 2)
    exams = [
        CertificationFactory(name="Cloud Fundamentals", exam_code="CF-1", status=status)
        for status in statuses
    ]
    saved_again(exams)

    response = client.get(reverse("certifications:compare"))

    shown = [label for label in response.context["choice_labels"] if "Cloud" in label]
    assert shown == [
        "Cloud Fundamentals (CF-1)" + (" (retired)" if status == "retired" else "")
        for status in statuses
    ]


def test_comparing_one_career_offers_the_same_careers_of_one_title_after_a_save(client):
    alone = CareerFactory(category="Cloud")
    others = [CareerFactory(title="Cloud Engineer", category="Cloud") for _ in range(TIED)]
    saved_again(others)

    response = client.get(reverse("careers:compare"), {"careers": alone.slug})

    urls = [suggestion["url"] for suggestion in response.context["suggestions"]]
    assert [re.findall(r"careers=([\w-]+)", url)[1] for url in urls] == sorted(
        other.slug for other in others
    )[:SUGGESTED]


def test_an_exam_page_lists_prerequisites_of_one_name_in_one_order(client):
    required = [
        CertificationFactory(name="Cloud Fundamentals", exam_code=f"CF-{n}") for n in range(TIED)
    ]
    exam = CertificationFactory()
    exam.prerequisites.set(required)
    saved_again(required)

    shown = client.get(exam.get_absolute_url()).context["prerequisites"]

    assert [c.pk for c in shown] == [c.pk for c in required]


def test_the_catalogue_lists_providers_of_one_name_in_any_case_in_one_order(client):
    providers = [ProviderFactory(name=name) for name in ("acme", "ACME", "Acme", "aCME")]
    for provider in providers:
        CertificationFactory(provider=provider)
    saved_again(providers)

    form = client.get(reverse("certifications:list")).context["form"]

    shown = [label for _, label in form.fields["provider"].choices if label.lower() == "acme"]
    assert shown == sorted(provider.name for provider in providers)


def test_the_dashboard_ranks_careers_of_one_title_and_progress_in_one_order(
    client_as_learner, learner, clock_away_from_midnight
):
    exam = CertificationFactory()
    careers = [CareerFactory(title="Data Engineer") for _ in range(TIED)]
    for career in careers:
        RoadmapStepFactory(career=career, certification=exam, required=True)
    CertificationProgress.objects.create(
        user=learner,
        certification=exam,
        status="passed",
        passed_on=timezone.localdate() - datetime.timedelta(days=10),
    )
    # PostgreSQL happens to keep id order here (it groups the counts by sorting on the id);
    # the id the list now ends its sort with keeps it so whatever the plan.
    saved_again(careers)

    closest = client_as_learner.get(reverse("dashboard")).context["closest"]

    assert [c.career.pk for c in closest] == [c.pk for c in careers[:CLOSEST_LIMIT]]


def test_a_public_page_lists_exams_of_one_name_passed_on_one_day_in_one_order(
    learner, clock_away_from_midnight
):
    LearnerProfile.objects.create(user=learner, handle="ada", is_public=True)
    exams = [CertificationFactory(name="Cloud Fundamentals") for _ in range(TIED)]
    passed_on = timezone.localdate() - datetime.timedelta(days=10)
    rows = [
        CertificationProgress.objects.create(
            user=learner, certification=exam, status="passed", passed_on=passed_on
        )
        for exam in exams
    ]
    saved_again(exams)
    saved_again(rows)

    held = Client().get(reverse("profile", args=["ada"])).context["held"]

    assert [row.certification_id for row in held] == [exam.pk for exam in exams]


def test_an_employers_admin_page_lists_careers_of_one_title_in_one_order(client_as_staff):
    employer = EmployerFactory()
    careers = [CareerFactory(title="Data Engineer") for _ in range(TIED)]
    for career in careers:
        HiringFactory(career=career, employer=employer)
    saved_again(careers)

    url = reverse("admin:careers_employer_change", args=[employer.pk])
    html = client_as_staff.get(url).content.decode()

    linked = re.findall(r'href="/admin/careers/career/(\d+)/change/"', html)
    assert [int(pk) for pk in linked] == [career.pk for career in careers]


def test_retiring_an_exam_warns_of_its_predecessors_of_one_name_in_one_order(client_as_staff):
    retired = CertificationFactory()
    predecessors = [
        CertificationFactory(name="Cloud Fundamentals", status="retired", successor=retired)
        for _ in range(TIED)
    ]
    saved_again(predecessors)

    response = client_as_staff.post(
        reverse("admin:certifications_certification_changelist"),
        {"action": "retire", "_selected_action": [retired.pk]},
        follow=True,
    )

    warned = [str(m) for m in response.context["messages"] if "names “" in str(m)]
    assert [m.split("”")[0].removeprefix("“") for m in warned] == [
        p.name_with_code for p in predecessors
    ]
    assert Certification.objects.get(pk=retired.pk).status == "retired"


@pytest.mark.parametrize(
    ("model_name", "field_name", "factory", "tied"),
    [
        ("roadmapstep", "certification", CertificationFactory, {"name": "Cloud Fundamentals"}),
        ("roadmapstep", "career", CareerFactory, {"title": "Data Engineer"}),
    ],
)
def test_an_admin_autocomplete_pages_through_rows_of_one_name_once_each(
    client_as_staff, model_name, field_name, factory, tied
):
    # An editor scrolls the suggestions for a name while colleagues save some of them.
    rows = [factory(**tied) for _ in range(TIED)]
    term = next(iter(tied.values()))
    query = {"app_label": "certifications", "model_name": model_name, "field_name": field_name}

    seen, page = [], 1
    while page:
        found = client_as_staff.get(
            reverse("admin:autocomplete"), {**query, "term": term, "page": page}
        ).json()
        seen += [int(result["id"]) for result in found["results"]]
        page = page + 1 if found["pagination"]["more"] else None
        saved_again([row for row in rows if row.pk in seen], every=1)  # those shown

    assert sorted(seen) == sorted(row.pk for row in rows)

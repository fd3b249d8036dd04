"""A visitor paging through a list whose sort ties (thirty careers of one title, salary and
roadmap length; thirty exams of one name, level, hours and fee; employers of one name in any
case) sees every row once: none repeated on a later page, none skipped. Between pages the
rows already shown are saved again, as editors do meanwhile (PostgreSQL then reads them in
another order, see tests/test_orders_with_ties.py)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certifications.dashboard import HELD_LIMIT
from certifications.models import CertificationProgress
from certifications.services.progress import progress_update
from tests.factories import (
    CareerFactory,
    CertificationFactory,
    EmployerFactory,
    HiringFactory,
    RoadmapStepFactory,
    SalaryFigureFactory,
)
from tests.test_orders_with_ties import TIED, saved_again

pytestmark = pytest.mark.django_db


def shows_each_once(client, url, rows, listed, params=None, id_of=lambda row: row.pk):
    """Whether the pages of `url`, first to last, show each of `rows` once: the rows in the
    page's context[`listed`], told apart by `id_of`. The rows shown so far are saved again
    before the next page is asked for."""
    seen, number, last = [], 1, 1
    while number <= last:
        context = client.get(url, {**(params or {}), "page": number}).context
        seen += [id_of(row) for row in context[listed]]
        saved_again([row for row in rows if row.pk in seen], every=1)
        last, number = context["page_obj"].paginator.num_pages, number + 1
    return sorted(seen) == sorted(row.pk for row in rows)


@pytest.fixture
def tied_careers():
    exam = CertificationFactory()
    careers = [CareerFactory(title="Data Engineer") for _ in range(TIED)]
    for career in careers:
        RoadmapStepFactory(career=career, certification=exam)
        SalaryFigureFactory(career=career, level="mid", median=120_000)
    return careers


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "title"},
        {"sort": "salary", "country": "US", "level": "mid"},
        {"sort": "certs"},
        {"sort": "title", "q": "data engineer"},
        {"sort": "salary", "q": "engineer"},
    ],
)
def test_the_career_list_pages_through_careers_of_one_title_once_each(client, tied_careers, params):
    assert shows_each_once(client, reverse("careers:list"), tied_careers, "careers", params)


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "name"},
        {"sort": "level"},
        {"sort": "hours"},
        {"sort": "fee"},
        {"sort": "name", "q": "cloud fundamentals"},
        {"sort": "fee", "q": "cloud"},
    ],
)
def test_the_catalogue_pages_through_exams_of_one_name_once_each(client, params):
    exams = [CertificationFactory(name="Cloud Fundamentals") for _ in range(TIED)]

    assert shows_each_once(client, reverse("certifications:list"), exams, "certifications", params)


def test_the_employer_list_pages_through_one_name_in_any_case_once_each(client):
    # Names are unique as typed; the list sorts them whatever their case.
    names = {
        "".join(c.upper() if n >> i & 1 else c for i, c in enumerate("acmes")) for n in range(32)
    }
    employers = [EmployerFactory(name=name) for name in sorted(names)[:TIED]]

    assert shows_each_once(client, reverse("employers:list"), employers, "employers")


def test_an_employers_careers_page_through_careers_of_one_title_once_each(client, tied_careers):
    employer = EmployerFactory()
    for career in tied_careers:
        HiringFactory(career=career, employer=employer)

    url = reverse("employers:careers", args=[employer.slug])
    assert shows_each_once(
        client, url, tied_careers, "hirings", id_of=lambda hiring: hiring.career_id
    )


def test_an_exams_careers_page_through_careers_of_one_title_once_each(client, tied_careers):
    exam = tied_careers[0].roadmap_steps.get().certification

    url = reverse("certifications:careers", args=[exam.slug])
    assert shows_each_once(client, url, tied_careers, "page_obj")


def test_the_dashboard_keeps_its_passes_and_exams_of_one_day_in_one_order(
    client_as_learner, learner, clock_away_from_midnight
):
    """Its five latest passes of one day (latest recorded first), and its upcoming exams of one
    day (by name): a note written on one of them moved it first (the rows came newest
    activity first), and another pass out of the five shown."""
    today = timezone.localdate()
    passed_on, exam_date = today - datetime.timedelta(days=10), today + datetime.timedelta(days=9)
    passed = [CertificationFactory(name=f"Cloud Fundamentals {n}") for n in "ABCDEFGH"]
    booked = [CertificationFactory(name=f"Data Basics {n}") for n in "ABCD"]
    for exam in passed:
        progress_update(user=learner, certification=exam, status="passed", passed_on=passed_on)
    for exam in booked:
        progress_update(user=learner, certification=exam, status="booked", exam_date=exam_date)

    def shown():
        context = client_as_learner.get(reverse("dashboard")).context
        return (
            [t.certification.name for t in context["held_passes"]],
            [t.certification.name for t in context["upcoming_exams"]],
        )

    before = shown()
    for exam in (passed[0], booked[-1]):
        row = CertificationProgress.objects.get(user=learner, certification=exam)
        progress_update(
            user=learner,
            certification=exam,
            status=row.status,
            passed_on=row.passed_on,
            exam_date=row.exam_date,
            notes="Written up.",
        )

    assert shown() == before
    assert before == (
        [exam.name for exam in passed[::-1][:HELD_LIMIT]],
        [exam.name for exam in booked],
    )

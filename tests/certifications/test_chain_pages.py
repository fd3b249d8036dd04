"""Where a visitor or learner looks along a chain of retirements: AZ-100 retired for AZ-102,
AZ-102 retired for AZ-104, and AZ-100's successor not yet moved on to AZ-104 as the admin
advises. A step on AZ-100 books AZ-104, the exam on offer at the end of the chain; AZ-104's
page, the search and the compare pages count the careers that name any exam it replaced."""

import datetime
import itertools
import re

import pytest
from django.utils import timezone

from certifications.models import CertificationProgress
from certifications.services.progress import career_follow
from tests.factories import CareerFactory, CertificationFactory, RoadmapStepFactory, retire_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock_away_from_midnight")]


def chain(*codes, fees=None):
    """Exams of `codes`, each retired in turn for the next, no successor ever moved on (the
    step's exam names the second of them, itself retired): [the exams, oldest first]."""
    fees = fees or [100 + 10 * n for n in range(len(codes))]
    exams = [
        CertificationFactory(
            name="Azure Administrator", exam_code=code, exam_fee=fee, study_hours=fee // 5
        )
        for code, fee in zip(codes, fees, strict=True)
    ]
    for older, newer in itertools.pairwise(exams):
        retire_for(older, newer)
    return exams


def text_of(html, start, end="</dl>"):
    return re.sub(r"\s+", " ", html.split(start)[1].split(end)[0])


@pytest.fixture
def on_az100():
    """A career whose one step is AZ-100 (successor AZ-102, retired for AZ-104), AZ-104 valid
    12 months: (career, [az100, az102, az104])."""
    exams = chain("AZ-100", "AZ-102", "AZ-104", fees=[100, 150, 165])
    exams[-1].validity_months = 12
    exams[-1].save()
    career = CareerFactory(title="Azure Administrator")
    RoadmapStepFactory(career=career, certification=exams[0])
    return career, exams


def test_a_visitors_step_books_the_exam_at_the_end_of_its_chain(
    client, on_az100, django_assert_num_queries
):
    """The step said "Exam fee: none: it can no longer be booked", the hero counted no fee
    and the page offered no exam to start with, though AZ-104 replaced AZ-102."""
    career, (_az100, _az102, az104) = on_az100

    # the career, salaries, hirings, steps (with the chain's exam joined), parts, related
    with django_assert_num_queries(6):
        html = client.get(career.get_absolute_url()).content.decode()

    card = text_of(html, 'class="roadmap-facts"')
    assert "<dd>$165 for AZ-104, which replaced it</dd>" in card
    assert "<dd>33 hours for AZ-104</dd>" in card
    assert "<dd>1 year for AZ-104</dd>" in card
    assert "<dt>Total exam fees</dt>\n        <dd>$165</dd>" in html
    assert f'href="{az104.get_absolute_url()}">Start with Azure Administrator (AZ-104)</a>' in html


def test_a_learners_step_records_and_books_the_exam_at_the_end_of_its_chain(
    client, learner, on_az100, django_assert_num_queries
):
    """The learner studying for AZ-104 saw "Not started" on the step, a form recording
    AZ-102 (retired) and no next exam."""
    career, (_az100, az102, az104) = on_az100
    CertificationProgress.objects.create(user=learner, certification=az104, status="studying")
    client.force_login(learner)

    # session + user, then the visitor's six
    with django_assert_num_queries(8):
        html = client.get(career.get_absolute_url()).content.decode()

    status = re.sub(r"\s+", " ", html.split('class="step-progress"')[1].split("</p>")[0])
    assert f'Studying</span> through <a href="{az104.get_absolute_url()}">' in status
    assert "Update my progress on Azure Administrator (AZ-104)" in html
    assert 'value="studying" selected' in html.split('class="step-progress"')[1]
    assert f'action="/certifications/{az102.slug}/progress/"' not in html
    assert f'href="{az104.get_absolute_url()}">Next: Azure Administrator (AZ-104)</a>' in html or (
        f'href="{az104.get_absolute_url()}">Start with Azure Administrator (AZ-104)</a>' in html
    )


# Careers that use an exam: its page, the search, the compare pages


def careers_on_a_chain(length):
    """Exams AZ-1 ... AZ-`length`, each retired for the next, no successor moved on, and a
    career whose one step names each exam but the newest: (careers, exams)."""
    exams = chain(*(f"AZ-{n}" for n in range(1, length + 1)))
    careers = []
    for exam in exams[:-1]:
        career = CareerFactory(title=f"Administrator on {exam.exam_code}")
        RoadmapStepFactory(career=career, certification=exam)
        careers.append(career)
    return careers, exams


@pytest.mark.parametrize("length", [2, 5])
def test_the_current_exams_page_lists_the_careers_naming_any_exam_it_replaced(
    client, django_assert_num_queries, length
):
    """AZ-5's page listed only the career naming AZ-4, the exam it replaced directly; the
    careers naming AZ-1 to AZ-3, whose steps a pass of AZ-5 settles, were missing."""
    careers, exams = careers_on_a_chain(length)

    # the certification, its prerequisites, the steps it settles: however long the chain
    with django_assert_num_queries(3):
        html = client.get(exams[-1].get_absolute_url()).content.decode()

    listed = html.split('id="careers-heading"')[1].split("</section>")[0]
    for career, exam in zip(careers, exams, strict=False):
        assert career.get_absolute_url() in listed
        assert f"in place of the retired Azure Administrator ({exam.exam_code})" in listed


@pytest.mark.parametrize("length", [2, 5])
def test_searching_the_current_exam_finds_the_careers_naming_any_exam_it_replaced(
    client, django_assert_num_queries, length
):
    """Searching "AZ-5" found the career naming AZ-4 alone, as did the career list's box."""
    careers, exams = careers_on_a_chain(length)
    code = exams[-1].exam_code

    # one UNION ALL of careers, certifications, providers and employers
    with django_assert_num_queries(1):
        found = client.get("/search/", {"q": code}).content.decode()
    assert all(career.get_absolute_url() in found for career in careers)
    listed = client.get("/careers/", {"q": code}).content.decode()
    assert all(career.get_absolute_url() in listed for career in careers)


@pytest.mark.parametrize("length", [2, 5])
def test_comparing_careers_shares_the_exam_at_the_end_of_a_chain(
    client, django_assert_num_queries, length
):
    """A career naming AZ-1 and one naming AZ-`length` share AZ-`length`, and the first
    one's total is that exam's fee: it had no fee and nothing shared."""
    _careers, exams = careers_on_a_chain(length)
    first = CareerFactory(title="First", slug="first")
    RoadmapStepFactory(career=first, certification=exams[0])
    last = CareerFactory(title="Last", slug="last")
    RoadmapStepFactory(career=last, certification=exams[-1])

    # the picker's choices, the careers, their salary figures, their steps
    with django_assert_num_queries(4):
        response = client.get("/careers/compare/", {"careers": ["first", "last"]})

    assert [c.exam_code for c in response.context["shared"]] == [exams[-1].exam_code]
    fees = [column["fees"] for column in response.context["columns"]]
    assert fees[0] == fees[1] == [{"amount": exams[-1].exam_fee, "currency": "USD"}]


@pytest.mark.parametrize("length", [2, 5])
def test_comparing_certifications_counts_the_careers_naming_any_exam_of_the_chain(
    client, django_assert_num_queries, length
):
    """Compared with another exam, AZ-`length`'s column listed only the career naming the
    exam it replaced directly."""
    careers, exams = careers_on_a_chain(length)
    other = CertificationFactory(slug="other")

    # the picker's choices, the certifications, their prerequisites, the steps they settle
    with django_assert_num_queries(4):
        response = client.get(
            "/certifications/compare/", {"certifications": [exams[-1].slug, other.slug]}
        )

    column = response.context["columns"][0]
    assert {step.career for step in column["steps"]} == set(careers)


# Drafts


def test_an_exam_of_a_chain_back_in_draft_is_named_nowhere(
    client, learner, on_az100, django_assert_num_queries
):
    """AZ-104, the end of AZ-100's chain, moved back to draft (its page a 404): a learner
    who had passed it read "through Azure Administrator (AZ-104), which replaced it" on the
    career page and on AZ-100's page, with a link to that 404, and held the step by it."""
    career, (az100, _az102, az104) = on_az100
    passed_on = timezone.localdate() - datetime.timedelta(days=30)
    CertificationProgress.objects.create(
        user=learner, certification=az104, status="passed", passed_on=passed_on
    )
    az104.status = "draft"
    az104.save()
    other = CareerFactory()
    visitor_pages = [
        client.get(career.get_absolute_url()),
        client.get(az100.get_absolute_url()),
        client.get("/careers/compare/", {"careers": [career.slug, other.slug]}),
    ]
    searched = client.get("/search/", {"q": "AZ-104"})
    client.force_login(learner)

    # session + user, the visitor's five (no exam to book: no related careers), and the
    # learner's passes of AZ-104, in the chain but no longer on offer (no join reaches it)
    with django_assert_num_queries(8):
        learner_page = client.get(career.get_absolute_url()).content.decode()

    assert "You hold 0 of 1 required" in learner_page
    assert "none: it can no longer be booked" in learner_page
    career_follow(user=learner, career=career)
    dashboard = client.get("/dashboard/").content.decode()
    assert "0 of 1" in dashboard and "1 of 1" not in dashboard
    pages = [learner_page, client.get(az100.get_absolute_url()).content.decode()]
    for html in pages + [response.content.decode() for response in visitor_pages]:
        assert "AZ-104" not in html and az104.get_absolute_url() not in html
    assert searched.context["total"] == 0  # neither the exam nor the career naming AZ-100


def test_a_pass_of_a_direct_successor_back_in_draft_holds_nothing(
    client, learner, django_assert_num_queries
):
    """AZ-100 retired for AZ-104, moved back to draft (its page a 404): the learner's pass of
    AZ-104 still held the step ("You hold 1 of 1 required" on the career page, the dashboard
    and the careers list), while a pass of a draft further down a chain held nothing."""
    az100, az104 = chain("AZ-100", "AZ-104")
    career = CareerFactory(title="Azure Administrator")
    RoadmapStepFactory(career=career, certification=az100)
    passed_on = timezone.localdate() - datetime.timedelta(days=30)
    CertificationProgress.objects.create(
        user=learner, certification=az104, status="passed", passed_on=passed_on
    )
    az104.status = "draft"
    az104.save()
    client.force_login(learner)
    career_follow(user=learner, career=career)

    # session + user, then the visitor's five (no exam to book: no related careers); the
    # pass of AZ-104, the successor itself, came with the steps
    with django_assert_num_queries(7):
        learner_page = client.get(career.get_absolute_url()).content.decode()

    assert "You hold 0 of 1 required" in learner_page
    assert "AZ-104" not in learner_page and az104.get_absolute_url() not in learner_page
    dashboard = client.get("/dashboard/").content.decode()
    assert "0 of 1" in dashboard and "1 of 1" not in dashboard
    cards = client.get("/careers/").content.decode()
    assert "You hold 0 of 1 required" in cards and "You hold 1 of 1" not in cards

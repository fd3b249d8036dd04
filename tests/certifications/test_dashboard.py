"""The learner dashboard: progress per followed career, next step, money and time left,
exams, renewals, recent passes, closest careers; six queries however much data there is."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from certifications.models import Certification, LearnerProfile
from certifications.roadmap import add_months
from certifications.services.account import learner_plan_update
from certifications.services.progress import (
    career_follow,
    progress_update,
)
from certifications.sharing import career_label, public_progress
from tests.factories import (
    CareerFactory,
    CertificationFactory,
    RoadmapStepFactory,
    career_on_a_renamed_exam,
    career_on_a_twice_replaced_exam,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock_away_from_midnight")]


def today():
    return timezone.localdate()


@pytest.fixture
def ai_career(db):
    """AI / ML Engineer: seven required steps and one optional, fees in USD and one in EUR."""
    career = CareerFactory(title="AI / ML Engineer", slug="ai-ml-engineer")
    for position in range(7):
        RoadmapStepFactory(
            career=career,
            position=position,
            certification=CertificationFactory(
                name=f"AI cert {position}",
                exam_fee=Decimal(100 + position),
                fee_currency="EUR" if position == 6 else "USD",
                study_hours=10,
            ),
        )
    RoadmapStepFactory(career=career, position=7, required=False)
    return career


def steps_of(career):
    return list(career.roadmap_steps.order_by("position"))


def test_dashboard_needs_sign_in(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_empty_dashboard_points_to_the_careers(client_as_learner):
    page = client_as_learner.get(reverse("dashboard")).content.decode()
    assert "You don't follow any careers yet" in page
    assert f'href="{reverse("careers:list")}"' in page


def test_followed_career_shows_progress_next_step_fees_and_hours(
    client_as_learner, learner, ai_career
):
    steps = steps_of(ai_career)
    career_follow(user=learner, career=ai_career)
    progress_update(
        user=learner, certification=steps[0].certification, status="passed", passed_on=today()
    )
    page = client_as_learner.get(reverse("dashboard")).content.decode()
    assert "1 of 7 required" in page
    assert '<progress class="learner-progress" value="1" max="7"' in page
    assert f'Next step: <a href="{ai_career.get_absolute_url()}#step-{steps[1].position}">' in page
    assert steps[1].certification.name in page
    # USD fees of steps 1-5 (101..105) and EUR 106: the held and optional steps never count.
    assert "$515" in page and "106\xa0€" in page
    assert "<dd>60</dd>" in page  # study hours left


def test_exams_left_without_study_hours_give_no_finish_date(client_as_learner, learner):
    career = CareerFactory(title="Cloud Support")
    for position in (1, 2):
        RoadmapStepFactory(
            career=career, position=position, certification=CertificationFactory(study_hours=None)
        )
    career_follow(user=learner, career=career)
    learner_plan_update(user=learner, weekly_hours=5, target_date=today())

    page = client_as_learner.get(reverse("dashboard")).content.decode()

    assert "No finish date yet: none of the exams left gives its recommended study hours." in page
    assert "not known: no study hours given for the exams left" in page
    assert "you finish around" not in page and "on track" not in page


def test_exams_left_without_study_hours_make_the_hours_and_the_finish_a_floor(
    client_as_learner, learner, django_assert_num_queries
):
    career = CareerFactory(title="Cloud Support")
    RoadmapStepFactory(
        career=career, position=1, certification=CertificationFactory(study_hours=40)
    )
    RoadmapStepFactory(
        career=career, position=2, certification=CertificationFactory(study_hours=None)
    )
    career_follow(user=learner, career=career)
    # 40 hours at 10 a week is 4 weeks, inside a 5-week target, but the second exam's time
    # is not known: neither a total, a finish date nor "on track" may leave it out unsaid.
    learner_plan_update(
        user=learner, weekly_hours=10, target_date=today() + datetime.timedelta(weeks=5)
    )

    with django_assert_num_queries(6):  # as test_dashboard_makes_six_queries names them
        page = client_as_learner.get(reverse("dashboard")).content.decode()

    assert "<dt>Study hours left</dt><dd>at least 40 (1 exam gives none)</dd>" in page
    assert (
        "Left across your goals: <strong>at least 40 study hours</strong> (1 exam gives none)"
        in page
    )
    finish = (today() + datetime.timedelta(weeks=4)).strftime("%-d %B %Y")
    assert f"{finish}</time></strong> at the earliest, as 1 exam left gives no study hours" in page
    assert "on track" not in page


def test_exams_left_none_of_which_gives_study_hours_are_not_said_to_take_none(
    client_as_learner, learner
):
    career = CareerFactory(title="Cloud Support")
    for position in (1, 2):
        RoadmapStepFactory(
            career=career, position=position, certification=CertificationFactory(study_hours=None)
        )
    career_follow(user=learner, career=career)

    page = client_as_learner.get(reverse("dashboard")).content.decode()

    assert "<dt>Study hours left</dt><dd>not known: no exam left gives them</dd>" in page
    assert "Left across your goals: an unknown number of study hours" in page
    assert "0 study hours" not in page


def test_projected_finish_on_track_and_behind(client_as_learner, learner, ai_career):
    career_follow(user=learner, career=ai_career)  # 70 hours left
    learner_plan_update(
        user=learner, weekly_hours=10, target_date=today() + datetime.timedelta(weeks=8)
    )
    page = client_as_learner.get(reverse("dashboard")).content.decode()
    finish = today() + datetime.timedelta(weeks=7)
    assert finish.strftime("%Y-%m-%d") in page
    assert "on track" in page
    learner_plan_update(
        user=learner, weekly_hours=2, target_date=today() + datetime.timedelta(weeks=8)
    )
    page = client_as_learner.get(reverse("dashboard")).content.decode()
    assert "behind" in page


def test_every_date_on_the_dashboard_reads_day_month_year_in_full(
    client_as_learner, learner, ai_career, django_assert_num_queries
):
    """One style for dates in prose: each goal's card said "19 Jul 2027" where the plan
    below it said "19 July 2027"."""
    steps = steps_of(ai_career)
    career_follow(user=learner, career=ai_career)
    progress_update(
        user=learner,
        certification=steps[0].certification,
        status="booked",
        exam_date=today() + datetime.timedelta(days=12),
    )
    progress_update(
        user=learner,
        certification=steps[1].certification,
        status="passed",
        passed_on=add_months(today(), -24) + datetime.timedelta(days=30),  # expiring soon
    )
    learner_plan_update(
        user=learner, weekly_hours=10, target_date=today() + datetime.timedelta(weeks=8)
    )

    with django_assert_num_queries(6):  # as test_dashboard_makes_six_queries names them
        page = client_as_learner.get(reverse("dashboard")).content.decode()

    dates = re.findall(r'<time datetime="([0-9-]+)">([^<]*)</time>', page)
    finish = today() + datetime.timedelta(weeks=6)  # 60 hours left at 10 a week
    assert sum(day == finish.isoformat() for day, _ in dates) == 2  # the card and the plan
    for day, text in dates:
        day = datetime.date.fromisoformat(day)
        assert text == f"{day.day} {day:%B} {day.year}"


def test_study_hours_from_before_the_limit_finish_at_the_calendars_end_not_an_error(
    client_as_learner, learner
):
    """Study hours stored before the form's 2,000 limit (the column holds 32,767) at one hour
    a week reach past year 9999: the dashboard says so instead of a server error."""
    career = CareerFactory()
    for position in range(13):
        RoadmapStepFactory(career=career, position=position)
    Certification.objects.filter(roadmap_steps__career=career).update(study_hours=32767)
    career_follow(user=learner, career=career)
    learner_plan_update(user=learner, weekly_hours=1, target_date=None)

    response = client_as_learner.get(reverse("dashboard"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "425971 study hours" in page  # 13 exams: over 8,000 years at an hour a week
    assert '<time datetime="9999-12-31">31 December 9999</time>' in page


def test_upcoming_exams_renewals_and_recent_passes(client_as_learner, learner, ai_career):
    steps = steps_of(ai_career)
    exam_day = today() + datetime.timedelta(days=12)
    progress_update(
        user=learner, certification=steps[0].certification, status="booked", exam_date=exam_day
    )
    expiring_pass = add_months(today(), -24) + datetime.timedelta(days=30)
    progress_update(
        user=learner,
        certification=steps[1].certification,
        status="passed",
        passed_on=expiring_pass,
    )
    progress_update(
        user=learner,
        certification=steps[2].certification,
        status="passed",
        passed_on=add_months(today(), -30),
    )
    progress_update(
        user=learner, certification=steps[3].certification, status="passed", passed_on=today()
    )
    page = client_as_learner.get(reverse("dashboard")).content.decode()
    upcoming = page.split('id="exams-heading"')[1].split('id="renewals-heading"')[0]
    assert steps[0].certification.name in upcoming and exam_day.isoformat() in upcoming
    renewals = page.split('id="renewals-heading"')[1].split('id="passed-heading"')[0]
    assert "Expiring soon" in renewals and steps[1].certification.name in renewals
    # How long is left (30 days: "1 month" or "4 weeks, 2 days" by the calendar), not just when.
    assert re.search(r"</time> \(in \d+\xa0(month|week)", renewals)
    assert renewals.count("(in ") == 1  # the expired one says when it expired
    assert "Expired: renew" in renewals and steps[2].certification.name in renewals
    recent = page.split('id="passed-heading"')[1].split("</section>")[0]
    assert steps[3].certification.name in recent
    assert steps[2].certification.name not in recent  # expired: not held


def test_a_learner_whose_only_pass_expired_is_not_told_they_passed_nothing(
    client_as_learner, learner, ai_career, django_assert_num_queries
):
    steps = steps_of(ai_career)
    career_follow(user=learner, career=ai_career)
    expired = add_months(today(), -30)  # valid 24 months
    progress_update(
        user=learner, certification=steps[2].certification, status="passed", passed_on=expired
    )

    with django_assert_num_queries(6):  # as test_dashboard_makes_six_queries names them
        page = client_as_learner.get(reverse("dashboard")).content.decode()

    recent = page.split('id="passed-heading"')[1].split("</section>")[0]
    assert "No certifications passed yet" not in recent
    assert "None you hold right now: 1 certification you passed has expired." in recent
    assert "Expired: renew" in page.split('id="renewals-heading"')[1]


def test_passes_still_held_years_later_are_listed_as_held_not_as_recent(
    client_as_learner, learner, django_assert_num_queries
):
    """The section was headed "Recently passed" over passes years old (a pass that never
    expires is held for good): it says what it lists, and how many it leaves out."""
    for n in range(7):
        progress_update(
            user=learner,
            certification=CertificationFactory(name=f"Lasting {n}", validity_months=None),
            status="passed",
            passed_on=add_months(today(), -12 * (n + 3)),  # 3 to 9 years ago
        )

    # As test_dashboard_makes_six_queries names them, but the 6th: no followed roadmap's steps.
    with django_assert_num_queries(5):
        page = client_as_learner.get(reverse("dashboard")).content.decode()

    held = page.split('id="passed-heading"')[1].split("</section>")[0]
    assert held.startswith(' class="h3">Certifications you hold</h2>')
    assert "Recently" not in page
    assert "Your 5 latest passes of the 7 you hold." in held
    assert re.findall(r"Lasting \d", held) == [f"Lasting {n}" for n in range(5)]


def test_a_certification_passed_once_counts_in_every_followed_roadmap(client_as_learner, learner):
    shared = CertificationFactory(name="Shared cert")
    careers = [CareerFactory(title="Alpha"), CareerFactory(title="Beta")]
    for career in careers:
        RoadmapStepFactory(career=career, certification=shared, position=0)
        RoadmapStepFactory(career=career, position=1)
        career_follow(user=learner, career=career)
    progress_update(user=learner, certification=shared, status="passed", passed_on=today())
    page = client_as_learner.get(reverse("dashboard")).content.decode()
    assert page.count("<strong>1 of 2 required</strong>") == 2


def test_the_plan_counts_a_shared_exam_once_and_when_any_followed_roadmap_requires_it(
    client_as_learner, learner
):
    shared = CertificationFactory(exam_fee=100, study_hours=30)
    alpha, beta = CareerFactory(title="Alpha"), CareerFactory(title="Beta")
    RoadmapStepFactory(career=alpha, certification=shared, required=False)  # followed first
    RoadmapStepFactory(career=beta, certification=shared)
    RoadmapStepFactory(career=beta, certification=CertificationFactory(exam_fee=50, study_hours=10))
    for career in (alpha, beta):
        career_follow(user=learner, career=career)

    page = client_as_learner.get(reverse("dashboard")).content.decode()

    assert (
        "Left across your goals: <strong>40 study hours</strong> and <strong>$150</strong>" in page
    )


def test_one_required_exam_and_one_hour_a_week_are_said_in_the_singular(
    client_as_learner, learner, django_assert_num_queries
):
    """A roadmap asking for one certification read "0 of 1 required certifications", and a
    plan of one hour a week "At 1 hours a week", on the dashboard and the career page."""
    career = CareerFactory(title="Solo")
    RoadmapStepFactory(career=career, certification=CertificationFactory(study_hours=1))
    RoadmapStepFactory(career=career, required=False)
    career_follow(user=learner, career=career)
    learner_plan_update(user=learner, weekly_hours=1, target_date=None)

    # The same six queries as every dashboard (test_dashboard_makes_six_queries).
    with django_assert_num_queries(6):
        page = client_as_learner.get(reverse("dashboard")).content.decode()
    career_page = client_as_learner.get(career.get_absolute_url()).content.decode()

    assert "<strong>0 of 1 required</strong> certification held (0%)" in page
    assert 'aria-label="Solo: 0 of 1 required certification held"' in page
    assert "<strong>1 study hour</strong>" in page
    assert "At 1 hour a week you finish around" in page
    assert "<strong>You hold 0 of 1 required</strong> certification</p>" in career_page
    assert "required certifications" not in page + career_page


def test_retired_step_held_through_its_successor_on_the_dashboard(client_as_learner, learner):
    successor = CertificationFactory(name="New exam")
    retired = CertificationFactory(
        name="Old exam", status=Certification.Status.RETIRED, successor=successor
    )
    career = CareerFactory(title="Gamma")
    RoadmapStepFactory(career=career, certification=retired)
    career_follow(user=learner, career=career)
    progress_update(user=learner, certification=successor, status="passed", passed_on=today())
    page = client_as_learner.get(reverse("dashboard")).content.decode()
    assert "1 of 1 required" in page
    assert "Every required certification held" in page


def learner_count_pages(career, *, handle):
    """The pages that count a learner's held exams on `career`, in Python or in SQL."""
    return {
        "dashboard": reverse("dashboard"),
        "career page": career.get_absolute_url(),
        "career cards": reverse("careers:list"),  # counted in SQL
        "public page": reverse("profile", kwargs={"handle": handle}),  # counted in SQL
    }


def test_a_pass_of_the_exam_that_replaced_a_step_first_holds_it_in_every_learner_count(
    client_as_learner, learner, django_assert_num_queries
):
    """AZ-100 was replaced by AZ-103, then AZ-103 by AZ-104 and AZ-100's successor moved on
    to AZ-104: a valid AZ-103 pass still holds the AZ-100 step (it counted 0 of 1)."""
    from certifications.models import LearnerProfile

    career, _az100, az103, _az104 = career_on_a_twice_replaced_exam()
    LearnerProfile.objects.create(user=learner, handle="ada", is_public=True)
    progress_update(user=learner, certification=az103, status="passed", passed_on=today())
    # Not followed yet: "closest careers" finds it by the pass (in SQL).
    with django_assert_num_queries(6):  # as test_dashboard_makes_six_queries names them
        page = client_as_learner.get(reverse("dashboard")).content.decode()
    assert "1 of 1 required (100%)" in page.split('id="closest-heading"')[1]

    career_follow(user=learner, career=career)
    pages = learner_count_pages(career, handle="ada")
    for name, url in pages.items():
        page = client_as_learner.get(url).content.decode()
        assert "1 of 1" in page and "0 of 1" not in page, name
    with django_assert_num_queries(6):
        dashboard = client_as_learner.get(reverse("dashboard")).content.decode()
    assert "Every required certification held" in dashboard


def test_closest_careers_are_ranked_by_share_of_required_steps_held(client_as_learner, learner):
    a, b = CertificationFactory(), CertificationFactory()
    near = CareerFactory(title="Near")
    far = CareerFactory(title="Far")
    none = CareerFactory(title="Untouched")
    for career, certs in ((near, [a, b]), (far, [a, b, None, None])):
        for position, cert in enumerate(certs):
            kwargs = {"certification": cert} if cert else {}
            RoadmapStepFactory(career=career, position=position, **kwargs)
    RoadmapStepFactory(career=none)
    for cert in (a, b):
        progress_update(user=learner, certification=cert, status="passed", passed_on=today())
    page = client_as_learner.get(reverse("dashboard")).content.decode()
    closest = page.split('id="closest-heading"')[1]
    assert closest.index("Near") < closest.index("Far")
    assert "2 of 2 required (100%)" in closest and "2 of 4 required (50%)" in closest
    assert "Untouched" not in closest


def test_a_pass_no_roadmap_requires_is_not_met_with_pass_a_certification(
    client_as_learner, learner
):
    """An optional step's exam (AI-901 on the AI / ML Engineer roadmap) brings no career
    closer: the learner is told why the list is empty, not asked to pass a certification."""
    optional = CertificationFactory(name="Optional Fundamentals")
    RoadmapStepFactory(
        career=CareerFactory(title="Only optional"), certification=optional, required=False
    )
    page = client_as_learner.get(reverse("dashboard")).content.decode()
    closest = page.split('id="closest-heading"')[1].split("</section>")[0]
    assert "Pass a certification and we show" in closest

    progress_update(user=learner, certification=optional, status="passed", passed_on=today())
    page = client_as_learner.get(reverse("dashboard")).content.decode()
    closest = page.split('id="closest-heading"')[1].split("</section>")[0]
    assert "Pass a certification and we show" not in closest
    assert "No published career requires the certifications you hold yet" in closest
    assert "Only optional" not in closest


def _make_rows(learner, careers_count, steps_per_career):
    for _ in range(careers_count):
        career = CareerFactory()
        for position in range(steps_per_career):
            step = RoadmapStepFactory(career=career, position=position)
            status = ["passed", "booked", "studying"][position % 3]
            progress_update(
                user=learner,
                certification=step.certification,
                status=status,
                passed_on=today() if status == "passed" else None,
                exam_date=today() + datetime.timedelta(days=5) if status == "booked" else None,
            )
        career_follow(user=learner, career=career)


def test_dashboard_makes_six_queries(client_as_learner, learner, django_assert_num_queries):
    _make_rows(learner, 2, 3)
    learner_plan_update(user=learner, weekly_hours=5, target_date=None)
    # 1 session, 2 user, 3 learner profile (plan), 4 progress rows + certification/provider/
    # successor, 5 followed-or-close published careers with held/required counts,
    # 6 the followed careers' roadmap steps + certification/provider/successor.
    with django_assert_num_queries(6):
        response = client_as_learner.get(reverse("dashboard"))
    assert response.status_code == 200


def test_dashboard_of_a_learner_who_skipped_nothing_builds_no_skip_conditions(
    client_as_learner, learner
):
    """Building the queries, not running them, was most of a dashboard's time: each condition
    on a joined column is resolved through the joins on every request, even one on an empty
    list of exams, which the SQL then drops. The learner has passes and steps in progress but
    skipped nothing: the skip conditions are not built at all."""
    from unittest import mock

    from django.db.models.sql.query import Query

    _make_rows(learner, 3, 3)
    with mock.patch.object(
        Query, "build_filter", autospec=True, side_effect=Query.build_filter
    ) as build_filter:
        response = client_as_learner.get(reverse("dashboard"))
    assert response.status_code == 200
    # 63 lookups (96 when the skip conditions were built anyway, without the 26 below); 26
    # read the chains of retired exams (Replacement subqueries): the steps a pass holds
    # through one (3 of them keeping drafts out), the exam on offer a step's chain leads to,
    # and the renewals list's exam to take next.
    assert build_filter.call_count <= 70


def test_dashboard_queries_do_not_grow_with_learners_and_rows(
    client_as_learner, learner, django_assert_num_queries
):
    _make_rows(learner, 20, 6)
    for n in range(10):
        other = get_user_model().objects.create_user(f"o{n}", f"o{n}@example.com", "pw")
        _make_rows(other, 2, 3)
    with django_assert_num_queries(6):
        response = client_as_learner.get(reverse("dashboard"))
    assert response.status_code == 200
    assert response.content.decode().count("learner-career") == 20


def test_a_booked_successor_of_a_retired_next_step_shows_as_booked(client_as_learner, learner):
    """Microsoft retired AI-900 for AI-901 under the same name: the learner who booked AI-901
    sees it booked, by its code, not the retired exam as not started."""
    name = "Microsoft Azure AI Fundamentals"
    career, _, successor = career_on_a_renamed_exam(name)
    career_follow(user=learner, career=career)
    exam_day = today() + datetime.timedelta(days=20)
    progress_update(user=learner, certification=successor, status="booked", exam_date=exam_day)

    page = client_as_learner.get(reverse("dashboard")).content.decode()

    assert f"{name} (AI-901)</a> · " in page
    assert f'state-booked">Exam booked</span> for <time datetime="{exam_day:%Y-%m-%d}">' in page
    assert f"{exam_day:%-d %B %Y}</time>" in page
    assert "Not started" not in page


def test_certifications_back_in_draft_stay_listed_without_a_broken_link(
    client_as_learner, learner, ai_career
):
    booked, expiring, passed = (step.certification for step in steps_of(ai_career)[:3])
    exam_day = today() + datetime.timedelta(days=12)
    progress_update(user=learner, certification=booked, status="booked", exam_date=exam_day)
    progress_update(
        user=learner,
        certification=expiring,
        status="passed",
        passed_on=add_months(today(), -24) + datetime.timedelta(days=30),
    )
    progress_update(user=learner, certification=passed, status="passed", passed_on=today())
    Certification.objects.filter(pk__in=[booked.pk, expiring.pk, passed.pk]).update(
        status=Certification.Status.DRAFT
    )

    page = client_as_learner.get(reverse("dashboard")).content.decode()

    for certification, heading in (
        (booked, "exams-heading"),
        (expiring, "renewals-heading"),
        (passed, "passed-heading"),
    ):
        section = page.split(f'id="{heading}"')[1].split("</section>")[0]
        assert f"{certification.name_with_code} <span" in section
        assert "not published at the moment" in section
        assert f'href="{certification.get_absolute_url()}"' not in page
    assert client_as_learner.get(booked.get_absolute_url()).status_code == 404


def test_a_followed_career_back_in_draft_is_listed_to_unfollow(
    client_as_learner, learner, ai_career, django_assert_num_queries
):
    from careers.models import Career

    steps = steps_of(ai_career)
    career_follow(user=learner, career=ai_career)
    progress_update(
        user=learner, certification=steps[0].certification, status="passed", passed_on=today()
    )
    Career.objects.filter(pk=ai_career.pk).update(status=Career.Status.DRAFT)

    with django_assert_num_queries(6):  # the same queries: the draft comes with the others
        page = client_as_learner.get(reverse("dashboard")).content.decode()

    goals = page.split('id="goals-heading"')[1].split("</section>")[0]
    assert "AI / ML Engineer" in goals and "No longer published" in goals
    assert "You don't follow any careers yet" not in goals
    assert f'href="{ai_career.get_absolute_url()}' not in page  # its page is a 404
    closest = page.split('id="closest-heading"')[1].split("</section>")[0]
    assert "AI / ML Engineer" not in closest
    unfollow = reverse("career-unfollow", args=[ai_career.slug])
    assert f'action="{unfollow}"' in goals

    response = client_as_learner.post(unfollow, {"next": reverse("dashboard")}, follow=True)

    assert "You no longer follow AI / ML Engineer." in response.content.decode()
    assert "AI / ML Engineer" not in response.content.decode().split('id="goals-heading"')[1]


@pytest.mark.parametrize("next_status", ["booked", "studying"])
def test_a_valid_pass_keeps_counting_while_the_renewal_is_studied_or_booked(
    client_as_learner, learner, ai_career, next_status
):
    steps = steps_of(ai_career)
    renewed = steps[0].certification  # fee 100, 10 hours, valid 24 months
    career_follow(user=learner, career=ai_career)
    passed_on = add_months(today(), -24) + datetime.timedelta(days=20)  # expires in 20 days
    progress_update(user=learner, certification=renewed, status="passed", passed_on=passed_on)
    before = client_as_learner.get(reverse("dashboard")).content.decode()

    exam_day = today() + datetime.timedelta(days=10)
    progress_update(
        user=learner,
        certification=renewed,
        status=next_status,
        exam_date=exam_day if next_status == "booked" else None,
        passed_on=passed_on,  # the form sends the pre-filled pass date back
    )
    page = client_as_learner.get(reverse("dashboard")).content.decode()

    assert "1 of 7 required" in page
    for left in ("$515", "<dd>60</dd>"):  # fees and hours of the six others only, as before
        assert left in before and left in page
    renewals = page.split('id="renewals-heading"')[1].split('id="passed-heading"')[0]
    assert "Expiring soon" in renewals and renewed.name in renewals
    recent = page.split('id="passed-heading"')[1].split("</section>")[0]
    assert renewed.name in recent
    career_page = client_as_learner.get(ai_career.get_absolute_url()).content.decode()
    assert "You hold 1 of 7 required" in career_page


def test_skipping_a_retired_step_through_its_successors_form_stops_counting_it(
    client_as_learner, learner
):
    career, retired, successor = career_on_a_renamed_exam()
    successor.exam_fee, successor.study_hours = Decimal(165), 90
    successor.save()
    held = CertificationFactory(name="Held cert", exam_fee=Decimal(100), study_hours=20)
    RoadmapStepFactory(career=career, certification=held, position=1)
    other = CertificationFactory(name="Other cert", exam_fee=Decimal(50), study_hours=10)
    RoadmapStepFactory(career=career, certification=other, position=2)
    career_follow(user=learner, career=career)
    progress_update(user=learner, certification=held, status="passed", passed_on=today())
    # The retired exam's own row says studying: the step shows the successor's row.
    progress_update(user=learner, certification=retired, status="studying")
    assert "1 of 3 required" in client_as_learner.get(reverse("dashboard")).content.decode()

    response = client_as_learner.post(
        reverse("progress-update", args=[successor.slug]), {"status": "skipped"}
    )

    assert response.status_code == 302
    page = client_as_learner.get(reverse("dashboard")).content.decode()
    assert "1 of 2 required" in page
    assert "$50" in page and "$215" not in page  # the skipped exam's fee is no longer left
    assert "<dd>10</dd>" in page  # nor its 90 study hours
    career_page = client_as_learner.get(career.get_absolute_url()).content.decode()
    assert "You hold 1 of 2 required" in career_page
    cards = client_as_learner.get(reverse("careers:list")).content.decode()
    assert "You hold 1 of 2 required" in cards  # counted in SQL


@pytest.mark.parametrize(
    ("successor_status", "own", "on_successor", "required"),
    [
        ("published", "skipped", None, 0),  # nothing on the successor: its own row shows
        ("published", None, "skipped", 0),
        ("published", "skipped", "studying", 1),  # the step shows "Studying through ..."
        ("published", "studying", "skipped", 0),
        (None, "skipped", None, 0),  # retired with no successor
        ("draft", "skipped", None, 0),
        ("draft", None, "skipped", 1),  # a draft successor is not the step's exam
    ],
)
def test_sql_and_python_agree_on_which_retired_steps_are_skipped(
    learner, successor_status, own, on_successor, required
):
    from careers.models import Career
    from certifications.models import CertificationProgress, RoadmapStep

    career, retired, successor = career_on_a_renamed_exam()
    if successor_status is None:
        retired.successor = None
        retired.save()
    for certification, status in ((retired, own), (successor, on_successor)):
        if status:
            CertificationProgress.objects.create(
                user=learner, certification=certification, status=status
            )
    if successor_status:
        successor.status = successor_status
        successor.save()

    steps = RoadmapStep.objects.for_career_page().filter(career=career).with_progress_for(learner)
    in_python = RoadmapStep.learner_summary(list(steps)).required
    annotations = RoadmapStep.objects.career_annotations_for(learner, today=today())
    in_sql = Career.objects.annotate(**annotations).get(pk=career.pk).required_total
    assert in_python == in_sql == required


def career_with_a_retired_step_and_its_successor():
    """Like AI / ML Engineer: a retired exam (step 1) whose successor is step 3 too, and one
    other exam (step 2). Three steps, two exams: (career, retired, successor, other)."""
    career, retired, successor = career_on_a_renamed_exam()
    successor.exam_fee, successor.study_hours = Decimal(200), 120
    successor.save()
    other = CertificationFactory(name="Other cert", exam_fee=Decimal(50), study_hours=10)
    RoadmapStepFactory(career=career, certification=other, position=1)
    RoadmapStepFactory(career=career, certification=successor, position=2)
    return career, retired, successor, other


def test_an_exam_two_steps_lead_to_counts_once_in_every_learner_count(client_as_learner, learner):
    from certifications.models import LearnerProfile

    career, _retired, successor, _other = career_with_a_retired_step_and_its_successor()
    LearnerProfile.objects.create(user=learner, handle="ada", is_public=True)
    career_follow(user=learner, career=career)
    pages = learner_count_pages(career, handle="ada")
    for name, url in pages.items():
        assert "0 of 2" in client_as_learner.get(url).content.decode(), name

    progress_update(user=learner, certification=successor, status="passed", passed_on=today())

    for name, url in pages.items():
        page = client_as_learner.get(url).content.decode()
        assert "1 of 2" in page and "of 3" not in page, name
    dashboard = client_as_learner.get(reverse("dashboard")).content.decode()
    assert "$50" in dashboard and "<dd>10</dd>" in dashboard  # only the other exam is left


@pytest.mark.parametrize(
    ("on_retired", "on_successor", "on_other", "counts"),
    [
        (None, None, None, (0, 2)),
        (None, "passed", None, (1, 2)),  # passing the shared exam settles both steps
        (None, "passed", "passed", (2, 2)),
        ("passed", None, None, (0, 2)),  # step 1 is held, but step 3 still needs the exam
        ("passed", "passed", "passed", (2, 2)),
        (None, "skipped", None, (0, 1)),  # skipping the shared exam skips both steps
        ("skipped", None, None, (0, 2)),  # step 3 still asks for the successor
        ("skipped", None, "passed", (1, 2)),
        (None, "studying", "passed", (1, 2)),
    ],
)
def test_sql_and_python_agree_on_an_exam_two_steps_lead_to(
    learner, on_retired, on_successor, on_other, counts
):
    from careers.models import Career
    from certifications.models import CertificationProgress, RoadmapStep

    career, retired, successor, other = career_with_a_retired_step_and_its_successor()
    for certification, status in (
        (retired, on_retired),
        (successor, on_successor),
        (other, on_other),
    ):
        if status:
            CertificationProgress.objects.create(
                user=learner,
                certification=certification,
                status=status,
                passed_on=today() if status == "passed" else None,
            )

    steps = RoadmapStep.objects.for_career_page().filter(career=career).with_progress_for(learner)
    summary = RoadmapStep.learner_summary(list(steps))
    annotations = RoadmapStep.objects.career_annotations_for(learner, today=today())
    in_sql = Career.objects.annotate(**annotations).get(pk=career.pk)
    assert (summary.held, summary.required) == (in_sql.held_total, in_sql.required_total) == counts
    # The dashboard hands over the rows it has loaded instead of letting them be read again.
    rows = list(CertificationProgress.objects.for_user(learner))
    annotations = RoadmapStep.objects.career_annotations_for(learner, today=today(), rows=rows)
    from_rows = Career.objects.annotate(**annotations).get(pk=career.pk)
    assert (from_rows.held_total, from_rows.required_total) == counts


def renewals_of(page):
    return page.split('id="renewals-heading"')[1].split('id="passed-heading"')[0]


def test_a_retired_pass_is_renewed_through_the_exam_that_replaced_it(client_as_learner, learner):
    from certifications.models import CertificationProgress

    _career, retired, successor = career_on_a_renamed_exam()
    expires_soon = add_months(today(), -24) + datetime.timedelta(days=40)
    CertificationProgress.objects.create(
        user=learner, certification=retired, status="passed", passed_on=expires_soon
    )
    renewals = renewals_of(client_as_learner.get(reverse("dashboard")).content.decode())
    assert "Expiring soon" in renewals and "renew it by taking" in renewals
    assert f'href="{successor.get_absolute_url()}">{successor.name_with_code}</a>' in renewals
    assert "you are on it" not in renewals

    progress_update(user=learner, certification=successor, status="studying")
    renewals = renewals_of(client_as_learner.get(reverse("dashboard")).content.decode())
    assert "AI-900" in renewals and "you are on it: studying" in renewals

    progress_update(user=learner, certification=successor, status="passed", passed_on=today())
    renewals = renewals_of(client_as_learner.get(reverse("dashboard")).content.decode())
    assert "AI-900" not in renewals


def test_an_expired_retired_pass_says_its_replacement_is_booked_and_goes_once_passed(
    client_as_learner, learner
):
    from certifications.models import CertificationProgress

    _career, retired, successor = career_on_a_renamed_exam()
    CertificationProgress.objects.create(
        user=learner, certification=retired, status="passed", passed_on=add_months(today(), -30)
    )
    exam_day = today() + datetime.timedelta(days=20)
    progress_update(user=learner, certification=successor, status="booked", exam_date=exam_day)

    renewals = renewals_of(client_as_learner.get(reverse("dashboard")).content.decode())
    assert "Expired: renew" in renewals
    assert "renew it by taking" in renewals and "you are on it: exam booked" in renewals

    progress_update(user=learner, certification=successor, status="passed", passed_on=today())
    renewals = renewals_of(client_as_learner.get(reverse("dashboard")).content.decode())
    assert "AI-900" not in renewals and "Nothing expires" in renewals


@pytest.mark.parametrize("weekly_hours", [10, None])
def test_a_target_date_gone_by_is_called_passed_not_just_behind(
    client_as_learner, learner, ai_career, weekly_hours
):
    career_follow(user=learner, career=ai_career)
    learner_plan_update(
        user=learner, weekly_hours=weekly_hours, target_date=today() + datetime.timedelta(days=3)
    )
    # The date was set in time; a week later it has gone by with exams still to take.
    LearnerProfile.objects.filter(user=learner).update(
        target_date=today() - datetime.timedelta(days=4)
    )
    gone = (today() - datetime.timedelta(days=4)).strftime("%-d %B %Y")

    page = client_as_learner.get(reverse("dashboard")).content.decode()
    plan = page.split('id="plan-heading"', 1)[1].split("</section>", 1)[0]

    assert gone in plan and "has passed" in plan
    assert "choose a new" in plan
    assert "behind</span> your target" not in plan


def test_an_exam_or_expiry_tomorrow_says_tomorrow(client_as_learner, learner, ai_career):
    exam, expiring = (step.certification for step in steps_of(ai_career)[:2])
    tomorrow = today() + datetime.timedelta(days=1)
    progress_update(user=learner, certification=exam, status="booked", exam_date=tomorrow)
    passed_on = add_months(tomorrow, -expiring.validity_months)
    progress_update(user=learner, certification=expiring, status="passed", passed_on=passed_on)

    page = client_as_learner.get(reverse("dashboard")).content.decode()
    upcoming = page.split('id="exams-heading"', 1)[1].split("</section>", 1)[0]
    renewals = page.split('id="renewals-heading"', 1)[1].split("</section>", 1)[0]

    assert f"{exam.name_with_code}</a> (tomorrow)" in upcoming
    assert "(tomorrow)" in renewals and "in 1 day" not in renewals


def test_a_goal_whose_every_step_was_skipped_says_so_not_0_of_0_required(
    client, client_as_learner, learner
):
    """A followed career whose one required step the learner skipped read "0 of 0 required
    certifications held (0%)" beside an empty bar, with "Exam fees left: none" and "set weekly
    hours": on the dashboard, the public page and its card, though the career page says
    nothing of the kind."""
    career = CareerFactory(title="Data Steward")
    step = RoadmapStepFactory(career=career, position=1)
    career_follow(user=learner, career=career)
    progress_update(user=learner, certification=step.certification, status="skipped")
    LearnerProfile.objects.update_or_create(
        user=learner, defaults={"handle": "ada", "is_public": True}
    )

    page = " ".join(client_as_learner.get(reverse("dashboard")).content.decode().split())
    shared = " ".join(client.get(reverse("profile", args=["ada"])).content.decode().split())

    assert "0 of 0" not in page and "0 of 0" not in shared
    assert "No required certification to count: every step is optional or skipped." in page
    assert "Exam fees left" not in page
    assert "No required certification to count" in shared
    assert career_label(public_progress("ada").careers[0]) == "no required certification to count"


def test_next_step_follows_roadmap_positions_not_the_order_steps_were_added(
    client_as_learner, learner
):
    career = CareerFactory(title="Reordered")
    for position, name in ((2, "Third exam"), (0, "First exam"), (1, "Second exam")):
        RoadmapStepFactory(
            career=career, position=position, certification=CertificationFactory(name=name)
        )
    career_follow(user=learner, career=career)
    page = client_as_learner.get(reverse("dashboard")).content.decode()
    assert re.search(r"Next step: <a [^>]*>First exam", page)

    first = Certification.objects.get(name="First exam")
    progress_update(user=learner, certification=first, status="passed", passed_on=today())
    page = client_as_learner.get(reverse("dashboard")).content.decode()
    assert re.search(r"Next step: <a [^>]*>Second exam", page)


def test_passes_of_one_day_are_listed_latest_recorded_first(client_as_learner, learner):
    for name in ("Recorded first", "Recorded second", "Recorded third"):
        progress_update(
            user=learner,
            certification=CertificationFactory(name=name),
            status="passed",
            passed_on=today(),
        )
    page = client_as_learner.get(reverse("dashboard")).content.decode()
    held = page.split('id="passed-heading"')[1].split("</section>")[0]
    assert held.index("Recorded third") < held.index("Recorded second")
    assert held.index("Recorded second") < held.index("Recorded first")


def test_dashboard_sorts_the_rows_it_read_in_python(
    client_as_learner, learner, django_assert_num_queries
):
    """Each ORDER BY makes Django hash every selected column to match the ordering against
    them: for the progress rows and the roadmap steps, each with three exams joined, that was
    a tenth of the dashboard's CPU, where sorting the few rows read costs nothing. The careers'
    counts are filtered in Python too: a HAVING compiled them a second time."""
    _make_rows(learner, 2, 3)
    with django_assert_num_queries(6) as queries:  # as test_dashboard_makes_six_queries
        client_as_learner.get(reverse("dashboard"))
    rows, careers, steps = (query["sql"] for query in queries.captured_queries[3:])
    assert 'FROM "certifications_certificationprogress"' in rows
    assert 'FROM "certifications_roadmapstep"' in steps
    assert "ORDER BY" not in rows and "ORDER BY" not in steps
    assert "HAVING" not in careers


def test_fees_left_say_which_booked_exams_they_leave_out(client_as_learner, learner, ai_career):
    """Booking an exam pays for it, so its fee leaves "Exam fees left" while its study hours
    stay: the card and the plan say so, or the learner's own sum is a fee short."""
    steps = steps_of(ai_career)
    career_follow(user=learner, career=ai_career)
    exam_day = today() + datetime.timedelta(days=12)
    progress_update(
        user=learner, certification=steps[0].certification, status="booked", exam_date=exam_day
    )

    page = client_as_learner.get(reverse("dashboard")).content.decode()

    card = page[page.index('id="goal-ai-ml-engineer"') :]
    # AI cert 1-5 in USD ($101 to $105), AI cert 6 in EUR; AI cert 0 ($100) is booked.
    assert "<dt>Exam fees left</dt><dd>106\xa0€ + $515 (1 booked exam already paid)</dd>" in card
    assert "in exam fees (1 booked exam already paid)." in page

"""Progress, follow and plan services: validation, idempotence, renewals, one row per pair."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from careers.models import Career
from certifications.models import (
    CareerFollow,
    Certification,
    CertificationProgress,
    LearnerProfile,
    RoadmapStep,
)
from certifications.roadmap import add_months
from certifications.services.account import learner_plan_update
from certifications.services.progress import (
    career_follow,
    career_unfollow,
    progress_note_append,
    progress_update,
)
from tests.factories import CareerFactory, CertificationFactory, RoadmapStepFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock_away_from_midnight")]


@pytest.fixture
def cert(db):
    return CertificationFactory(validity_months=24)


def test_progress_update_creates_one_row_and_is_idempotent(learner, cert):
    first = progress_update(user=learner, certification=cert, status="studying", notes="ch. 1")
    stamp = first.updated_at
    second = progress_update(user=learner, certification=cert, status="studying", notes="ch. 1")
    assert first.pk == second.pk
    assert CertificationProgress.objects.count() == 1
    second.refresh_from_db()
    assert second.updated_at == stamp  # nothing changed, nothing written


def test_booking_needs_an_exam_date(learner, cert):
    with pytest.raises(ValidationError) as error:
        progress_update(user=learner, certification=cert, status="booked")
    assert "exam_date" in error.value.message_dict
    assert not CertificationProgress.objects.exists()


def test_passing_needs_a_pass_date_that_is_not_in_the_future(learner, cert):
    with pytest.raises(ValidationError):
        progress_update(user=learner, certification=cert, status="passed")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        progress_update(user=learner, certification=cert, status="passed", passed_on=tomorrow)
    assert "passed_on" in error.value.message_dict
    assert not CertificationProgress.objects.exists()


@pytest.mark.parametrize(
    ("status", "field", "day"),
    [
        ("booked", "exam_date", datetime.date(9999, 12, 31)),  # stopped the calendar feed
        ("booked", "exam_date", datetime.date(1, 1, 1)),
        ("passed", "passed_on", datetime.date(1969, 12, 31)),
        ("studying", "passed_on", datetime.date(1, 1, 1)),  # a pass date is kept in any state
    ],
)
def test_a_mistyped_year_is_refused(learner, cert, status, field, day):
    with pytest.raises(ValidationError) as error:
        progress_update(user=learner, certification=cert, status=status, **{field: day})
    assert field in error.value.message_dict
    assert not CertificationProgress.objects.exists()


def test_an_exam_can_be_booked_up_to_three_years_ahead(learner, cert):
    today = timezone.localdate()
    furthest = today.replace(year=today.year + 3, day=min(today.day, 28))
    progress_update(user=learner, certification=cert, status="booked", exam_date=furthest)
    with pytest.raises(ValidationError):
        later = furthest + datetime.timedelta(days=40)
        progress_update(user=learner, certification=cert, status="booked", exam_date=later)
    assert CertificationProgress.objects.get().exam_date == furthest


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "data:text/html,hi", "ftp://example.com/x", "https://", "not a url"],
)
def test_verification_link_must_be_http_or_https(learner, cert, url):
    with pytest.raises(ValidationError) as error:
        progress_update(
            user=learner,
            certification=cert,
            status="passed",
            passed_on=timezone.localdate(),
            verification_url=url,
        )
    assert "verification_url" in error.value.message_dict


def test_an_unknown_status_is_refused(learner, cert):
    with pytest.raises(ValidationError):
        progress_update(user=learner, certification=cert, status="mastered")


def test_a_draft_certification_cannot_be_tracked(learner):
    draft = CertificationFactory(status=Certification.Status.DRAFT)
    with pytest.raises(ValidationError):
        progress_update(user=learner, certification=draft, status="studying")


def test_passing_again_renews_the_certification(learner, cert):
    today = timezone.localdate()
    old_pass = add_months(today, -25)
    row = progress_update(user=learner, certification=cert, status="passed", passed_on=old_pass)
    assert add_months(row.passed_on, 24) < today  # expired
    row = progress_update(user=learner, certification=cert, status="passed", passed_on=today)
    assert row.passed_on == today
    assert CertificationProgress.objects.held(today=today).filter(pk=row.pk).exists()


def test_a_passed_row_keeps_its_credential_and_drops_the_booked_date(learner, cert):
    today = timezone.localdate()
    progress_update(user=learner, certification=cert, status="booked", exam_date=today)
    row = progress_update(
        user=learner,
        certification=cert,
        status="passed",
        passed_on=today,
        credential_id="ABC-123",
        verification_url="https://verify.example.com/ABC-123",
    )
    assert row.exam_date is None
    assert row.credential_id == "ABC-123"
    assert row.verification_url == "https://verify.example.com/ABC-123"


def test_notes_none_keeps_notes_and_a_string_replaces_them(learner, cert):
    progress_update(user=learner, certification=cert, status="studying", notes="keep me")
    row = progress_update(user=learner, certification=cert, status="planning")
    assert row.notes == "keep me"
    row = progress_update(user=learner, certification=cert, status="planning", notes="")
    assert row.notes == ""


def test_note_append_adds_a_line(learner, cert):
    progress_note_append(user=learner, certification=cert, text="one")
    row = progress_note_append(user=learner, certification=cert, text="two")
    assert row.notes == "one\ntwo"
    assert row.status == "planning"


def test_progress_is_per_learner(learner, other_learner, cert):
    progress_update(user=learner, certification=cert, status="studying")
    progress_update(user=other_learner, certification=cert, status="skipped")
    assert CertificationProgress.objects.get(user=learner).status == "studying"
    assert CertificationProgress.objects.get(user=other_learner).status == "skipped"


def test_following_twice_keeps_one_follow_and_unfollow_removes_it(learner):
    career = CareerFactory()
    first = career_follow(user=learner, career=career)
    assert career_follow(user=learner, career=career).pk == first.pk
    assert CareerFollow.objects.count() == 1
    assert career_unfollow(user=learner, career=career) is True
    assert career_unfollow(user=learner, career=career) is False
    assert not CareerFollow.objects.exists()


def test_a_draft_career_cannot_be_followed(learner):
    with pytest.raises(ValidationError):
        career_follow(user=learner, career=CareerFactory(status=Career.Status.DRAFT))
    assert not CareerFollow.objects.exists()


def test_plan_update_sets_and_clears_weekly_hours_and_target_date(learner):
    target = timezone.localdate() + datetime.timedelta(days=100)
    profile = learner_plan_update(user=learner, weekly_hours=8, target_date=target)
    assert (profile.weekly_hours, profile.target_date) == (8, target)
    profile = learner_plan_update(user=learner, weekly_hours=None, target_date=None)
    assert (profile.weekly_hours, profile.target_date) == (None, None)
    assert LearnerProfile.objects.count() == 1


@pytest.mark.parametrize("hours", [0, -1, 169, 10_000])
def test_plan_update_refuses_impossible_weekly_hours(learner, hours):
    with pytest.raises(ValidationError):
        learner_plan_update(user=learner, weekly_hours=hours, target_date=None)
    assert not LearnerProfile.objects.exists()


def test_plan_update_refuses_a_target_date_in_the_past(learner):
    with pytest.raises(ValidationError):
        learner_plan_update(
            user=learner,
            weekly_hours=5,
            target_date=timezone.localdate() - datetime.timedelta(days=1),
        )


def test_passing_a_cert_counts_in_every_roadmap_that_holds_it(learner):
    shared = CertificationFactory()
    careers = [CareerFactory(), CareerFactory()]
    for career in careers:
        RoadmapStepFactory(career=career, certification=shared, position=0)
        RoadmapStepFactory(career=career, position=1)
    progress_update(
        user=learner, certification=shared, status="passed", passed_on=timezone.localdate()
    )
    for career in careers:
        steps = (
            RoadmapStep.objects.filter(career=career).for_career_page().with_progress_for(learner)
        )
        held = [s.learner.held for s in steps]
        assert held == [True, False]
    today = timezone.localdate()
    annotated = Career.objects.annotate(
        **RoadmapStep.objects.career_annotations_for(learner, today=today)
    ).filter(pk__in=[c.pk for c in careers])
    assert {(c.held_total, c.required_total) for c in annotated} == {(1, 2)}


def test_a_retired_step_is_held_when_its_successor_is_passed(learner):
    successor = CertificationFactory()
    retired = CertificationFactory(status=Certification.Status.RETIRED, successor=successor)
    career = CareerFactory()
    RoadmapStepFactory(career=career, certification=retired)
    progress_update(
        user=learner, certification=successor, status="passed", passed_on=timezone.localdate()
    )
    step = RoadmapStep.objects.for_career_page().with_progress_for(learner).get(career=career)
    assert step.learner.held and step.learner.held_via_successor
    annotated = Career.objects.annotate(
        **RoadmapStep.objects.career_annotations_for(learner, today=timezone.localdate())
    ).get(pk=career.pk)
    assert (annotated.held_total, annotated.required_total) == (1, 1)


@pytest.mark.parametrize("days_ago", [0, 1, 89, 729, 730, 731, 800])
def test_sql_and_python_agree_on_when_a_pass_expires(learner, days_ago):
    cert = CertificationFactory(validity_months=24)
    career = CareerFactory()
    RoadmapStepFactory(career=career, certification=cert)
    passed_on = timezone.localdate() - datetime.timedelta(days=days_ago)
    progress_update(user=learner, certification=cert, status="passed", passed_on=passed_on)
    today = timezone.localdate()
    step = RoadmapStep.objects.for_career_page().with_progress_for(learner).get(career=career)
    in_sql = CertificationProgress.objects.held(today=today).exists()
    assert step.learner.held == in_sql


def test_other_learners_progress_never_shows_on_my_steps(learner, other_learner, cert):
    career = CareerFactory()
    RoadmapStepFactory(career=career, certification=cert)
    progress_update(
        user=other_learner, certification=cert, status="passed", passed_on=timezone.localdate()
    )
    step = RoadmapStep.objects.for_career_page().with_progress_for(learner).get(career=career)
    assert step.learner.state == "none"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"status": "mastered"}, "status", "Choose a valid status."),
        ({"status": "passed", "passed_on": datetime.date(1969, 12, 31)}, "passed_on", "from 1970"),
        (
            {"status": "studying", "credential_id": "x" * 500},
            "credential_id",
            "Keep the credential",
        ),
        ({"status": "studying", "notes": "x" * 20000}, "notes", "Keep notes under"),
        (
            {"status": "studying", "credential_id": "ABC-\u202e321"},
            "credential_id",
            "Remove the invisible character U+202E",
        ),
    ],
)
def test_progress_the_services_refuse_keeps_nothing(learner, cert, change, field, message):
    # Forms check most of this first; the service is the last word for every other caller.
    with pytest.raises(ValidationError) as refused:
        progress_update(user=learner, certification=cert, **change)
    assert any(message in text for text in refused.value.message_dict[field])
    assert not CertificationProgress.objects.exists()


def test_no_progress_or_note_is_kept_on_a_draft_certification(learner):
    draft = CertificationFactory(status=Certification.Status.DRAFT)
    with pytest.raises(ValidationError, match="not published yet"):
        progress_update(user=learner, certification=draft, status="studying")
    with pytest.raises(ValidationError, match="not published yet"):
        progress_note_append(user=learner, certification=draft, text="chapter 1")
    assert not CertificationProgress.objects.exists()


def test_an_exam_booked_on_29_february_may_be_booked_three_years_ahead(learner, cert, monkeypatch):
    leap_day = datetime.date(2028, 2, 29)
    monkeypatch.setattr(timezone, "localdate", lambda *args: leap_day)
    row = progress_update(
        user=learner, certification=cert, status="booked", exam_date=datetime.date(2031, 2, 28)
    )
    assert row.exam_date == datetime.date(2031, 2, 28)
    with pytest.raises(ValidationError, match="3 years from today"):
        progress_update(
            user=learner, certification=cert, status="booked", exam_date=datetime.date(2031, 3, 1)
        )


def test_a_booking_stored_before_the_retirement_was_set_still_saves_other_changes(learner):
    cert = CertificationFactory()
    exam_day = timezone.localdate() + datetime.timedelta(days=20)
    progress_update(user=learner, certification=cert, status="booked", exam_date=exam_day)
    cert.retired_on = timezone.localdate()  # an editor retires it afterwards
    cert.save()

    row = progress_update(
        user=learner, certification=cert, status="booked", exam_date=exam_day, notes="moved?"
    )

    assert row.notes == "moved?"
    with pytest.raises(ValidationError) as error:
        later = exam_day + datetime.timedelta(days=1)
        progress_update(user=learner, certification=cert, status="booked", exam_date=later)
    assert "was retired on" in error.value.message_dict["exam_date"][0]

"""Roadmap logic: held, expiring, expired, next step, fees, hours and the projected finish."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from certifications import roadmap
from certifications.roadmap import ProgressSnapshot as P

TODAY = datetime.date(2026, 11, 28)


def cert(pk, *, fee=150, currency="USD", hours=40, validity=24, status="published", successor=None):
    return SimpleNamespace(
        pk=pk,
        exam_fee=Decimal(fee) if fee is not None else None,
        fee_currency=currency,
        study_hours=hours,
        validity_months=validity,
        status=status,
        successor=successor,
        successor_id=successor.pk if successor else None,
    )


def step(position, certification, *, required=True):
    return SimpleNamespace(
        pk=position, position=position, certification=certification, required=required
    )


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2024, 1, 31), 1, datetime.date(2024, 2, 29)),
        (datetime.date(2023, 1, 31), 1, datetime.date(2023, 2, 28)),
        (datetime.date(2024, 2, 29), 12, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 5, 15), 24, datetime.date(2026, 5, 15)),
        (datetime.date(2023, 11, 30), 3, datetime.date(2024, 2, 29)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(day, months, expected):
    assert roadmap.add_months(day, months) == expected


def test_a_pass_without_validity_never_expires():
    s = roadmap.standing(
        P("passed", passed_on=datetime.date(2000, 1, 1)), validity_months=None, today=TODAY
    )
    assert s.state == roadmap.PASSED and s.held and s.expires_on is None


def test_a_pass_within_90_days_of_expiry_is_expiring_soon_and_still_held():
    passed_on = roadmap.add_months(TODAY, -24) + datetime.timedelta(days=90)
    s = roadmap.standing(P("passed", passed_on=passed_on), validity_months=24, today=TODAY)
    assert s.state == roadmap.EXPIRING
    assert s.held
    assert s.days_to_expiry == 90
    assert s.label == "Expiring soon"


def test_a_pass_91_days_from_expiry_is_plainly_passed():
    passed_on = roadmap.add_months(TODAY, -24) + datetime.timedelta(days=91)
    s = roadmap.standing(P("passed", passed_on=passed_on), validity_months=24, today=TODAY)
    assert s.state == roadmap.PASSED


def test_an_expired_pass_is_not_held_and_asks_for_renewal():
    s = roadmap.standing(
        P("passed", passed_on=roadmap.add_months(TODAY, -24)), validity_months=24, today=TODAY
    )
    assert s.state == roadmap.EXPIRED
    assert not s.held
    assert s.label == "Expired: renew"


def test_no_progress_row_means_not_started():
    assert roadmap.standing(None, validity_months=24, today=TODAY).state == roadmap.NONE


def test_progress_is_held_required_over_required_and_next_step_is_first_unheld():
    a, b, c = cert(1), cert(2), cert(3)
    steps = [step(0, a), step(1, b), step(2, c)]
    summary = roadmap.roadmap_summary(steps, {1: P("passed", passed_on=TODAY)}, today=TODAY)
    assert (summary.held, summary.required, summary.percent) == (1, 3, 33)
    assert summary.next_step.step is steps[1]


@pytest.mark.parametrize(
    ("exams", "held", "percent"),
    [(200, 199, 99), (201, 1, 1), (200, 200, 100), (200, 0, 0), (3, 2, 67), (8, 1, 12)],
)
def test_the_percent_reads_done_only_when_done_and_not_started_only_when_nothing_is_held(
    exams, held, percent
):
    """A roadmap of 200 exams with one left is 99%, not a rounded 100% next to "199 of 200"."""
    steps = [step(i, cert(i + 1)) for i in range(exams)]
    progress = {i + 1: P("passed", passed_on=TODAY) for i in range(held)}
    summary = roadmap.roadmap_summary(steps, progress, today=TODAY)
    assert (summary.held, summary.required, summary.percent) == (held, exams, percent)
    assert summary.complete == (held == exams)


def test_optional_and_skipped_steps_never_count_against_the_learner():
    a, b, c, d = cert(1), cert(2), cert(3), cert(4)
    steps = [step(0, a), step(1, b, required=False), step(2, c), step(3, d)]
    progress = {1: P("passed", passed_on=TODAY), 3: P("skipped")}
    summary = roadmap.roadmap_summary(steps, progress, today=TODAY)
    assert (summary.held, summary.required) == (1, 2)
    assert summary.next_step.step is steps[3]


def test_a_retired_certification_is_held_through_its_passed_successor():
    new = cert(2)
    old = cert(1, status="retired", successor=new)
    summary = roadmap.roadmap_summary(
        [step(0, old)], {2: P("passed", passed_on=TODAY)}, today=TODAY
    )
    assert summary.held == 1 and summary.complete
    assert summary.steps[0].held_via_successor


def test_a_retired_step_is_held_through_the_exam_that_replaced_it_first():
    """AZ-100 (1) replaced by AZ-103 (2), itself replaced by AZ-104 (3), AZ-100's successor
    moved on to AZ-104: a valid AZ-103 pass holds the step, an expired one does not."""
    az104 = cert(3)
    az103 = cert(2, status="retired", successor=az104)
    az100 = cert(1, status="retired", successor=az104)
    on_az100 = step(0, az100)
    on_az100.held_chain_exam = az103  # as held_chain_passes() and the dashboard pick it
    held = roadmap.roadmap_summary([on_az100], {2: P("passed", passed_on=TODAY)}, today=TODAY)
    assert held.held == 1 and held.next_step is None
    shown = held.steps[0]
    assert shown.held_via_chain and not shown.via_successor and shown.chain_exam is az103
    assert (shown.label, shown.current.passed_on) == ("Passed", TODAY)

    long_ago = TODAY - datetime.timedelta(days=3 * 365)
    expired = roadmap.roadmap_summary([on_az100], {2: P("passed", passed_on=long_ago)}, today=TODAY)
    assert expired.held == 0 and expired.next_step.target is az104


def test_the_next_exam_of_a_retired_step_is_its_successor_once_that_is_public():
    announced = cert(2, fee=99)
    unannounced = cert(3, status="draft")
    summary = roadmap.roadmap_summary(
        [step(0, cert(1, status="retired", successor=announced)),
         step(1, cert(4, status="retired", successor=unannounced))],
        {},
        today=TODAY,
    )  # fmt: skip
    assert [s.target.pk for s in summary.steps] == [2, 4]  # never the draft's name or 404 link
    assert summary.next_step.target is announced


def test_a_retired_step_shows_the_learners_start_on_its_successor():
    successor = cert(2)
    retired = cert(1, status="retired", successor=successor)
    exam_day = TODAY + datetime.timedelta(days=17)

    booked = roadmap.roadmap_summary(
        [step(0, retired)], {1: P("studying"), 2: P("booked", exam_date=exam_day)}, today=TODAY
    ).steps[0]
    untouched = roadmap.roadmap_summary([step(0, retired)], {1: P("studying")}, today=TODAY)

    assert (booked.label, booked.current.exam_date, booked.via_successor) == (
        "Exam booked",
        exam_day,
        True,
    )
    assert (untouched.steps[0].label, untouched.steps[0].via_successor) == ("Studying", False)


def test_a_published_certifications_successor_does_not_hold_the_step():
    new = cert(2)
    current = cert(1, successor=new)
    summary = roadmap.roadmap_summary(
        [step(0, current)], {2: P("passed", passed_on=TODAY)}, today=TODAY
    )
    assert summary.held == 0


def test_expired_step_shows_renew_and_is_the_next_step():
    a = cert(1)
    summary = roadmap.roadmap_summary(
        [step(0, a)], {1: P("passed", passed_on=datetime.date(2020, 1, 1))}, today=TODAY
    )
    assert summary.held == 0
    assert summary.next_step.needs_renewal
    assert summary.next_step.label == "Expired: renew"


def test_fees_left_are_summed_per_currency_and_skip_booked_and_held_exams():
    steps = [
        step(0, cert(1, fee=100, currency="USD")),
        step(1, cert(2, fee=165, currency="USD")),
        step(2, cert(3, fee=90, currency="GBP")),
        step(3, cert(4, fee=200, currency="EUR")),
        step(4, cert(5, fee=None)),
        step(5, cert(6, fee=999, currency="USD"), required=False),
    ]
    progress = {1: P("passed", passed_on=TODAY), 4: P("booked", exam_date=TODAY)}
    summary = roadmap.roadmap_summary(steps, progress, today=TODAY)
    assert summary.fees_left == [("GBP", Decimal(90)), ("USD", Decimal(165))]


def test_an_exam_that_settles_two_steps_is_paid_for_and_studied_once():
    professional = cert(2, fee=200, hours=120)
    retired = cert(1, fee=100, hours=60, status="retired", successor=professional)
    summary = roadmap.roadmap_summary([step(0, retired), step(1, professional)], {}, today=TODAY)
    assert (summary.fees_left, summary.hours_left) == ([("USD", Decimal(200))], 120)


def test_a_retired_exam_with_no_successor_costs_nothing_left():
    steps = [step(0, cert(1, fee=100, hours=60, status="retired")), step(1, cert(2, fee=50))]
    summary = roadmap.roadmap_summary(steps, {}, today=TODAY)
    assert (summary.fees_left, summary.hours_left) == ([("USD", Decimal(50))], 40)


def test_booking_the_successor_of_a_retired_step_pays_its_fee():
    successor = cert(2, fee=99)
    steps = [step(0, cert(1, fee=100, status="retired", successor=successor))]
    summary = roadmap.roadmap_summary(steps, {2: P("booked", exam_date=TODAY)}, today=TODAY)
    assert summary.fees_left == []


def test_hours_left_and_projected_finish_on_track_and_behind():
    steps = [step(0, cert(1, hours=40)), step(1, cert(2, hours=60)), step(2, cert(3, hours=None))]
    on_track = roadmap.roadmap_summary(
        steps, {}, today=TODAY, weekly_hours=10, target_date=TODAY + datetime.timedelta(weeks=10)
    )
    assert on_track.hours_left == 100
    assert on_track.projected_finish == TODAY + datetime.timedelta(weeks=10)
    # The third exam's length is not known: the finish is a floor and promises no target.
    assert (on_track.exams_without_hours, on_track.on_track) == (1, None)
    known = roadmap.roadmap_summary(
        steps[:2],
        {},
        today=TODAY,
        weekly_hours=10,
        target_date=TODAY + datetime.timedelta(weeks=10),
    )
    assert (known.exams_without_hours, known.on_track) == (0, True)
    behind = roadmap.roadmap_summary(
        steps, {}, today=TODAY, weekly_hours=3, target_date=TODAY + datetime.timedelta(weeks=10)
    )
    assert behind.projected_finish == TODAY + datetime.timedelta(weeks=34)
    assert behind.on_track is False


def test_exams_left_without_study_hours_give_no_finish_date_not_today():
    steps = [step(0, cert(1, hours=None)), step(1, cert(2, hours=None))]
    summary = roadmap.roadmap_summary(
        steps, {1: P("passed", passed_on=TODAY)}, today=TODAY, weekly_hours=5, target_date=TODAY
    )
    assert summary.hours_left == 0 and not summary.complete
    assert summary.projected_finish is None
    assert summary.on_track is None  # not "on track" for today with an exam to take


def test_no_weekly_hours_gives_no_projection():
    summary = roadmap.roadmap_summary([step(0, cert(1))], {}, today=TODAY, target_date=TODAY)
    assert summary.projected_finish is None
    assert summary.on_track is None


def test_a_finished_roadmap_is_complete_and_on_track():
    summary = roadmap.roadmap_summary(
        [step(0, cert(1))],
        {1: P("passed", passed_on=TODAY)},
        today=TODAY,
        weekly_hours=5,
        target_date=TODAY,
    )
    assert summary.complete and summary.on_track and summary.next_step is None
    assert summary.hours_left == 0 and summary.fees_left == []


@pytest.mark.parametrize("status", ["studying", "booked", "planning"])
def test_a_valid_pass_is_held_while_the_renewal_is_under_way(status):
    passed_on = roadmap.add_months(TODAY, -24) + datetime.timedelta(days=30)
    s = roadmap.standing(
        P(status, exam_date=TODAY, passed_on=passed_on), validity_months=24, today=TODAY
    )
    assert s.state == status and s.held and s.renewing
    assert s.pass_state == roadmap.EXPIRING and s.renewal_due and s.days_to_expiry == 30


def test_an_expired_pass_under_renewal_is_not_held_nor_listed_as_due():
    s = roadmap.standing(
        P("studying", passed_on=roadmap.add_months(TODAY, -25)), validity_months=24, today=TODAY
    )
    assert s.pass_state == roadmap.EXPIRED
    assert not s.held and not s.renewal_due


def test_a_validity_beyond_the_calendar_never_fails_a_page():
    """A validity no form accepts any more (over 120 months) but a database may still hold
    from before: the expiry is the calendar's last day, not a server error."""
    assert roadmap.expiry_date(datetime.date(2026, 1, 10), 100_000) == datetime.date.max

"""Properties of the learner's roadmap maths, over any exams, roadmaps and progress rows.

Each test states a rule from certifications/roadmap.py's docstrings (or what a learner reads
on the dashboard and the career page) and checks it on generated data: the calendar's odd
days (29 February, the 31st), validities from a month to the column's limit, retired exams
with and without successors, steps two careers share, and every status. Pure functions over
plain objects: no database, a few seconds in all; derandomized, so CI sees the same cases.
"""

import calendar
import datetime
import math
from collections import defaultdict
from decimal import Decimal
from types import SimpleNamespace

from hypothesis import example, given, settings
from hypothesis import strategies as st

from careers.career_page import prepare_steps, roadmap_facts
from certifications import dashboard, roadmap
from certifications.roadmap import ProgressSnapshot as P

# Derandomized: CI meets the same cases on every run (and hypothesis keeps no database).
CALENDAR = settings(max_examples=100, deadline=None, derandomize=True, database=None)
PROPERTY = settings(max_examples=30, deadline=None, derandomize=True, database=None)

TODAY = datetime.date(2026, 11, 28)
# Days a learner meets: around today, and the ends of months (29 Feb, the 31st) more often.
near_days = st.one_of(
    st.dates(datetime.date(2010, 1, 1), datetime.date(2040, 12, 31)),
    st.builds(
        lambda year, month: datetime.date(year, month, calendar.monthrange(year, month)[1]),
        st.integers(2010, 2040),
        st.integers(1, 12),
    ),
    st.sampled_from([datetime.date(2024, 2, 29), datetime.date(2028, 2, 29), TODAY]),
)
todays = st.one_of(st.just(TODAY), near_days)
# Stored validities: none (never expires), the form's 1..120 months, and what the column
# still holds from before the form's limit (a small integer).
validities = st.one_of(st.none(), st.integers(1, 120), st.integers(121, 32767))


def months_between(earlier: datetime.date, later: datetime.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


# --- The calendar -------------------------------------------------------------------------


@CALENDAR
@given(day=st.one_of(near_days, st.dates()), months=st.integers(0, 32767))
def test_add_months_lands_in_the_month_asked_on_the_same_day_or_its_last(day, months):
    later = roadmap.add_months(day, months)

    if later == datetime.date.max:  # past the calendar's end: its last day, never an error
        assert day.year * 12 + day.month - 1 + months > datetime.MAXYEAR * 12 - 1
        return
    assert months_between(day, later) == months
    assert later.day == min(day.day, calendar.monthrange(later.year, later.month)[1])


@CALENDAR
@given(first=near_days, second=near_days, months=st.integers(1, 120))
def test_a_later_pass_never_expires_earlier(first, second, months):
    first, second = sorted([first, second])

    assert roadmap.expiry_date(first, months) <= roadmap.expiry_date(second, months)


@CALENDAR
@given(passed_on=st.one_of(st.none(), near_days), validity=validities)
def test_a_pass_expires_after_it_was_passed_or_never(passed_on, validity):
    expires_on = roadmap.expiry_date(passed_on, validity)

    if passed_on is None or validity is None:
        assert expires_on is None
    else:
        assert expires_on > passed_on
        assert months_between(passed_on, expires_on) <= validity


# --- One certification ---------------------------------------------------------------------

statuses = st.sampled_from(["planning", "studying", "booked", "passed", "skipped"])


@st.composite
def progress_rows(draw):
    """A progress row as the database allows it: booked has an exam date, passed a pass date;
    other statuses may keep an old pass (a renewal under way) or a date."""
    status = draw(statuses)
    exam_date = draw(near_days if status == "booked" else st.one_of(st.none(), near_days))
    passed_on = draw(near_days if status == "passed" else st.one_of(st.none(), near_days))
    return P(status, exam_date, passed_on)


def days_around(progress: P, validity: int | None):
    """A day to look from: any, or a few days either side of the boundaries the rules turn
    on (the exam day, the expiry day, 90 days before it)."""
    edges = [progress.exam_date]
    expires_on = roadmap.expiry_date(progress.passed_on, validity)
    if expires_on is not None and expires_on < datetime.date(9999, 1, 1):
        edges += [expires_on, expires_on - datetime.timedelta(days=roadmap.EXPIRY_WARNING_DAYS)]
    edges = [day for day in edges if day is not None]
    if not edges:
        return todays
    return st.one_of(
        todays,
        st.builds(
            lambda day, shift: day + datetime.timedelta(days=shift),
            st.sampled_from(edges),
            st.integers(-2, 2),
        ),
    )


@CALENDAR
@given(progress=progress_rows(), validity=validities, data=st.data())
def test_a_pass_is_held_until_the_day_it_expires_and_expiring_in_its_last_90_days(
    progress, validity, data
):
    today = data.draw(days_around(progress, validity))
    s = roadmap.standing(progress, validity_months=validity, today=today)

    expires_on = roadmap.expiry_date(progress.passed_on, validity)
    valid = progress.passed_on is not None and (expires_on is None or today < expires_on)
    assert s.held == valid
    assert s.expires_on == expires_on
    if expires_on is None:
        assert s.days_to_expiry is None and s.pass_state in (None, roadmap.PASSED)
    else:
        assert s.days_to_expiry == (expires_on - today).days
        # On the expiry day itself the pass is over; 90 days before it, the warning starts.
        expected = (
            roadmap.EXPIRED
            if s.days_to_expiry <= 0
            else roadmap.EXPIRING
            if s.days_to_expiry <= roadmap.EXPIRY_WARNING_DAYS
            else roadmap.PASSED
        )
        assert s.pass_state == expected
    assert s.state == (s.pass_state if progress.status == "passed" else progress.status)
    assert s.label and (s.pass_label != "") == (progress.passed_on is not None)
    # Asked how it went only for a booked exam whose day has gone by.
    assert s.awaiting_result == (progress.status == "booked" and progress.exam_date < today)
    # On the renewals list: a held pass in its last 90 days, or an expired one still "passed".
    assert s.renewal_due == (
        s.pass_state == roadmap.EXPIRING
        or (progress.status == "passed" and s.pass_state == roadmap.EXPIRED)
    )


@CALENDAR
@given(progress=progress_rows(), validity=validities, today=todays, days=st.integers(1, 4000))
def test_a_pass_once_expired_never_comes_back_as_time_goes_by(progress, validity, today, days):
    before = roadmap.standing(progress, validity_months=validity, today=today)
    later = roadmap.standing(
        progress, validity_months=validity, today=today + datetime.timedelta(days=days)
    )

    assert before.held or not later.held


# --- Roadmaps ------------------------------------------------------------------------------

CURRENCIES = ["EUR", "GBP", "USD"]


@st.composite
def worlds(draw, *, max_certs=7):
    """Certifications 1..n, each possibly retired for another one (of any status: an exam
    retired after it was named a successor stays one), and a learner's rows on some."""
    n = draw(st.integers(1, max_certs))
    certs = {}
    for pk in range(1, n + 1):
        fee = draw(st.one_of(st.none(), st.integers(0, 2000)))
        certs[pk] = SimpleNamespace(
            pk=pk,
            exam_fee=None if fee is None else Decimal(fee),
            fee_currency=draw(st.sampled_from(CURRENCIES)),
            study_hours=draw(st.one_of(st.none(), st.integers(0, 2000))),
            validity_months=draw(st.one_of(st.none(), st.integers(1, 120))),
            status=draw(st.sampled_from(["published", "retired", "draft"])),
            successor=None,
            successor_id=None,
        )
    for cert in certs.values():
        others = [pk for pk in certs if pk != cert.pk]
        if others and draw(st.booleans()):
            cert.successor = certs[draw(st.sampled_from(others))]
            cert.successor_id = cert.successor.pk
    progress = draw(st.dictionaries(st.sampled_from(sorted(certs)), progress_rows()))
    return certs, progress


@st.composite
def roadmaps(draw, certs, *, first_pk=1):
    """A career's visible steps: each exam once, published or retired, any positions."""
    visible = [pk for pk, c in certs.items() if c.status != "draft"]
    if not visible:
        return []
    chosen = draw(st.lists(st.sampled_from(visible), unique=True, max_size=len(visible)))
    return [
        SimpleNamespace(
            pk=first_pk + i,
            position=draw(st.integers(0, 10)),
            certification=certs[pk],
            required=draw(st.booleans()),
        )
        for i, pk in enumerate(chosen)
    ]


@st.composite
def learners_on_a_roadmap(draw):
    certs, progress = draw(worlds())
    # Looked at from any day, or from around one row's exam or expiry day.
    around = [days_around(row, certs[pk].validity_months) for pk, row in progress.items()]
    return certs, progress, draw(roadmaps(certs)), draw(st.one_of(todays, *around))


def exam_held(cert, progress, today) -> bool:
    """A valid pass of this exam, as Standing.held says: a pass date not yet expired."""
    row = progress.get(cert.pk)
    if row is None or row.passed_on is None:
        return False
    expires_on = roadmap.expiry_date(row.passed_on, cert.validity_months)
    return expires_on is None or today < expires_on


def exams_left(summary):
    """What the learner has left, as the dashboard shows it."""
    return summary.required - summary.held, summary.hours_left, dict(summary.fees_left)


@PROPERTY
@given(data=learners_on_a_roadmap())
def test_held_of_required_counts_each_exam_a_counting_step_leads_to_once(data):
    _certs, progress, steps, today = data

    summary = roadmap.roadmap_summary(steps, progress, today=today)

    counting = [s for s in summary.steps if s.counts]
    by_exam = defaultdict(list)
    for s in counting:
        by_exam[s.target.pk].append(s)
    assert summary.required == len(by_exam)
    # An exam is held once every counting step that leads to it is held.
    assert summary.held == sum(all(s.held for s in group) for group in by_exam.values())
    assert 0 <= summary.held <= summary.required
    assert 0 <= summary.percent <= 100
    assert (summary.percent == 100) == summary.complete
    assert (summary.percent == 0) == (summary.held == 0)
    for s in summary.steps:
        cert = s.step.certification
        # A successor moved back to draft is named nowhere: a pass of it holds nothing.
        successor = cert.successor if cert.status == "retired" else None
        retired_for = successor if successor is not None and successor.status != "draft" else None
        assert s.held == (
            exam_held(cert, progress, today)
            or (retired_for is not None and exam_held(retired_for, progress, today))
        )
        # Optional and skipped steps never count; a held step always does when required.
        assert s.counts == (s.step.required and (s.held or s.current.state != roadmap.SKIPPED))


@PROPERTY
@given(data=learners_on_a_roadmap())
def test_the_next_step_is_the_first_required_step_not_held(data):
    _certs, progress, steps, today = data

    summary = roadmap.roadmap_summary(steps, progress, today=today)

    in_order = sorted(summary.steps, key=lambda s: (s.step.position, s.step.pk))
    left = [s for s in in_order if s.counts and not s.held]
    if not left:
        assert summary.next_step is None
        assert summary.held == summary.required
    else:
        assert summary.next_step is left[0]
        assert not summary.next_step.held and summary.next_step.step.required
        assert summary.next_step.target.status != "draft"  # never a 404 link


@PROPERTY
@given(data=learners_on_a_roadmap())
def test_hours_and_fees_left_are_the_exams_left_to_take_each_once(data):
    _certs, progress, steps, today = data

    summary = roadmap.roadmap_summary(steps, progress, today=today)

    left = {s.target.pk: s for s in summary.steps if s.counts and not s.held}
    to_take = [s for s in left.values() if s.target.status != "retired"]
    assert summary.hours_left == sum(s.target.study_hours or 0 for s in to_take)
    fees = defaultdict(Decimal)
    for s in to_take:
        if s.target.exam_fee and not s.booked:
            fees[s.target.fee_currency] += s.target.exam_fee
    assert summary.fees_left == sorted(fees.items())
    assert all(amount > 0 for _, amount in summary.fees_left)
    # Never an exam the learner holds, nor one every step of which they skipped.
    for s in to_take:
        assert not exam_held(s.target, progress, today)


@PROPERTY
@given(data=st.data())
def test_an_exam_two_careers_share_is_counted_once_in_the_plan(data):
    certs, progress, steps, today = data.draw(learners_on_a_roadmap())
    # The same exams on a second career, in another order and with other step ids.
    other = data.draw(roadmaps(certs, first_pk=100))
    one = roadmap.roadmap_summary(steps + other, progress, today=today)

    both = roadmap.summarize(
        roadmap.roadmap_summary(steps, progress, today=today).steps
        + roadmap.roadmap_summary(other, progress, today=today).steps
        + roadmap.roadmap_summary(steps, progress, today=today).steps,
        today=today,
    )

    assert exams_left(both) == exams_left(one)
    assert (both.required, both.held) == (one.required, one.held)


@PROPERTY
@given(data=st.data())
def test_passing_an_exam_never_leaves_more_to_do(data):
    certs, progress, steps, today = data.draw(learners_on_a_roadmap())
    passed = data.draw(st.sampled_from(sorted(certs)))
    before = roadmap.roadmap_summary(steps, progress, today=today)

    after = roadmap.roadmap_summary(
        steps, {**progress, passed: P("passed", passed_on=today)}, today=today
    )

    (exams_before, hours_before, fees_before) = exams_left(before)
    (exams_after, hours_after, fees_after) = exams_left(after)
    assert exams_after <= exams_before
    assert hours_after <= hours_before
    assert all(fees_after[c] <= fees_before.get(c, 0) for c in fees_after)


@PROPERTY
@given(data=learners_on_a_roadmap(), days=st.integers(1, 4000))
def test_waiting_never_leaves_less_to_do(data, days):
    _certs, progress, steps, today = data
    before = roadmap.roadmap_summary(steps, progress, today=today)

    later = roadmap.roadmap_summary(steps, progress, today=today + datetime.timedelta(days=days))

    assert later.held <= before.held or later.required > before.required


@PROPERTY
@given(
    data=learners_on_a_roadmap(),
    weekly_hours=st.one_of(st.none(), st.integers(1, 168)),
    target_date=st.one_of(st.none(), near_days),
)
def test_the_projected_finish_is_never_before_today_and_on_track_by_the_target(
    data, weekly_hours, target_date
):
    _certs, progress, steps, today = data

    summary = roadmap.roadmap_summary(
        steps, progress, today=today, weekly_hours=weekly_hours, target_date=target_date
    )

    finish = summary.projected_finish
    if summary.complete:
        assert finish == today and summary.on_track is True
    elif summary.next_step is None or weekly_hours is None or not summary.hours_left:
        assert finish is None and summary.on_track is None
    else:
        weeks = math.ceil(summary.hours_left / weekly_hours)
        assert finish == today + datetime.timedelta(weeks=weeks)
        if target_date is not None:
            assert summary.on_track == (finish <= target_date)
            # A target date gone by is never "on track" while exams are left.
            assert not (target_date < today and summary.on_track)


@PROPERTY
@given(
    exams=st.integers(1, 20),
    each=st.integers(1, 32767),
    weekly_hours=st.integers(1, 168),
    today=todays,
)
@example(exams=13, each=32767, weekly_hours=1, today=TODAY)  # 8,164 years: past 9999
def test_any_stored_study_hours_at_any_pace_give_a_finish_date_not_an_error(
    exams, each, weekly_hours, today
):
    """The column holds up to 32,767 hours an exam (the form's 2,000 limit came later), and a
    plan can follow many careers: past the calendar's end, the finish is its last day."""
    hours = [each] * exams
    certs = {pk: SimpleNamespace(pk=pk, exam_fee=None, fee_currency="USD", study_hours=h,
                                 validity_months=None, status="published", successor=None,
                                 successor_id=None)
             for pk, h in enumerate(hours, start=1)}  # fmt: skip
    steps = [SimpleNamespace(pk=pk, position=pk, certification=c, required=True)
             for pk, c in certs.items()]  # fmt: skip

    summary = roadmap.roadmap_summary(steps, {}, today=today, weekly_hours=weekly_hours)

    assert summary.hours_left == sum(hours)
    weeks = math.ceil(sum(hours) / weekly_hours)
    if (datetime.date.max - today).days >= 7 * weeks:
        assert summary.projected_finish == today + datetime.timedelta(weeks=weeks)
    else:
        assert summary.projected_finish == datetime.date.max


# --- The dashboard's lists -----------------------------------------------------------------


@st.composite
def learners_around_a_renewal(draw):
    """Certifications and a learner's rows from `worlds()`, looked at from any day; or, as
    often, a retired exam with a public replacement whose pass ends within 100 days of the
    day looked from (or just did), beside a row of any status on the replacement, whose
    pass may be recent."""
    if draw(st.booleans()):
        certs, progress = draw(worlds())
        return certs, progress, draw(todays)
    replacement = SimpleNamespace(
        pk=2,
        status=draw(st.sampled_from(["published", "retired"])),
        validity_months=draw(st.one_of(st.none(), st.integers(1, 120))),
        successor=None,
        successor_id=None,
    )
    retired = SimpleNamespace(
        pk=1,
        status="retired",
        validity_months=draw(st.integers(1, 120)),
        successor=replacement,
        successor_id=2,
    )
    row = draw(progress_rows())
    passed_on = row.passed_on or draw(near_days)
    row = P(row.status, row.exam_date, passed_on)
    expires_on = roadmap.expiry_date(passed_on, retired.validity_months)
    # From the last days of the pass (and of the 90-day warning) to a few days after it ended.
    today = expires_on - datetime.timedelta(
        days=draw(st.one_of(st.integers(-5, 0), st.integers(1, 100)))
    )
    progress = {1: row}
    if draw(st.booleans()):
        renewal = draw(progress_rows())
        renewed_on = today - datetime.timedelta(days=draw(st.integers(-30, 400)))
        progress[2] = P(renewal.status, renewal.exam_date, renewal.passed_on and renewed_on)
    return {1: retired, 2: replacement}, progress, today


@CALENDAR
@given(data=learners_around_a_renewal())
def test_the_dashboard_asks_to_renew_a_pass_about_to_end_unless_its_replacement_is_held(data):
    certs, progress, today = data
    rows = {
        pk: SimpleNamespace(
            certification=certs[pk],
            status=p.status,
            exam_date=p.exam_date,
            passed_on=p.passed_on,
        )
        for pk, p in progress.items()
    }

    for pk, row in rows.items():
        t = dashboard._tracked(row, rows, today=today)
        # Due exactly when the learner's pass ends within 90 days (or has ended while the row
        # still says passed) and they hold no exam that replaced it: worked out here from the
        # row's dates alone, so that a list that drops or invents a renewal is caught.
        expires_on = roadmap.expiry_date(row.passed_on, certs[pk].validity_months)
        days_left = None if expires_on is None else (expires_on - today).days
        ending = days_left is not None and (
            0 < days_left <= roadmap.EXPIRY_WARNING_DAYS
            or (days_left <= 0 and row.status == "passed")
        )
        replacement = roadmap.replacement(certs[pk])
        renewed = replacement is not None and exam_held(replacement, progress, today)
        assert t.renewal_due == (ending and not renewed)
        if t.replacement is not None:
            assert t.replacement.status != "draft"  # never a link to a 404
        if t.standing.held:
            assert exam_held(certs[pk], progress, today)


# --- The career page's hero ----------------------------------------------------------------


def with_urls(certs):
    for cert in certs.values():
        cert.get_absolute_url = lambda cert=cert: f"/certifications/{cert.pk}/"
        cert.is_retired = cert.status == "retired"
    return certs


@PROPERTY
@given(data=st.data())
def test_the_career_pages_totals_are_a_new_learners_fees_and_hours_left(data):
    """What the hero says the required steps cost is what the learner's dashboard says is
    left before they start; the hero counts each exam once, optional ones apart."""
    certs, _progress = data.draw(worlds())
    steps = data.draw(roadmaps(with_urls(certs)))
    steps = prepare_steps(sorted(steps, key=lambda s: (s.position, s.pk)))

    facts = roadmap_facts(steps)
    required_only = roadmap_facts([s for s in steps if s.required])
    fresh = roadmap.roadmap_summary(steps, {}, today=TODAY)

    targets = {s.target.pk: s.target for s in steps if s.target}
    # "Exams you can book today": a retired exam is not one, even named as a successor.
    assert all(t.status == "published" for t in targets.values())
    assert facts["exam_count"] == len(targets)
    assert facts["required_count"] + facts["optional_count"] == facts["exam_count"]
    assert facts["merged_count"] >= 0 and facts["unbookable_count"] >= 0
    assert facts["study_hours"] == sum(t.study_hours or 0 for t in targets.values())
    assert fresh.held == 0 and fresh.required >= required_only["required_count"]
    assert fresh.hours_left == required_only["study_hours"]
    fees = {f["currency"]: f["amount"] for f in required_only["fees"] if f["amount"]}
    assert dict(fresh.fees_left) == fees

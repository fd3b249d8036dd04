"""Where a learner stands on a roadmap: pure functions over steps and progress, no queries.

Everything here is derived at read time from a progress row (status, exam date, pass date) and
the certification's validity, so "expiring soon" and "expired" are never stored and never stale.
"""

import calendar
import datetime
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

EXPIRY_WARNING_DAYS = 90

# Derived states, in the words the learner sees.
NONE = "none"
PLANNING = "planning"
STUDYING = "studying"
BOOKED = "booked"
PASSED = "passed"
EXPIRING = "expiring"
EXPIRED = "expired"
SKIPPED = "skipped"

LABELS = {
    NONE: "Not started",
    PLANNING: "Planning",
    STUDYING: "Studying",
    BOOKED: "Exam booked",
    PASSED: "Passed",
    EXPIRING: "Expiring soon",
    EXPIRED: "Expired: renew",
    SKIPPED: "Skipped",
}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if year > datetime.MAXYEAR:  # a validity no form accepts now, kept from before: never fail
        return datetime.date.max
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expiry_date(passed_on: datetime.date | None, validity_months: int | None):
    """The day a pass stops being valid, or None when it never expires (or was not passed)."""
    if passed_on is None or not validity_months:
        return None
    return add_months(passed_on, validity_months)


@dataclass(frozen=True)
class ProgressSnapshot:
    """The parts of a progress row the roadmap needs (built from annotations or a row)."""

    status: str
    exam_date: datetime.date | None = None
    passed_on: datetime.date | None = None


@dataclass(frozen=True)
class Standing:
    """One learner's derived state for one certification.

    `state` is what the learner is doing (their status, or for a passed one how the pass
    stands); `pass_state` is how their recorded pass stands whatever they do next (PASSED,
    EXPIRING, EXPIRED, or None without a pass date). A pass holds the certification until it
    expires, also while the learner studies for or books the renewal.
    """

    state: str = NONE
    exam_date: datetime.date | None = None
    passed_on: datetime.date | None = None
    expires_on: datetime.date | None = None
    days_to_expiry: int | None = None
    pass_state: str | None = None
    # Booked for a day that has gone by with no result recorded: ask how it went.
    awaiting_result: bool = False

    @property
    def label(self) -> str:
        return LABELS[self.state]

    @property
    def pass_label(self) -> str:
        return LABELS[self.pass_state] if self.pass_state else ""

    @property
    def held(self) -> bool:
        """A recorded pass that is still valid (expiring soon still counts)."""
        return self.pass_state in (PASSED, EXPIRING)

    @property
    def renewing(self) -> bool:
        """Held while the learner already works on the next exam (studying, booked...)."""
        return self.held and self.state != self.pass_state

    @property
    def renewal_due(self) -> bool:
        """For the renewals list: a held pass expiring soon, or an expired one the learner
        still calls passed (once they study for or book the renewal, it is in hand)."""
        return self.pass_state == EXPIRING or self.state == EXPIRED


def standing(progress, *, validity_months: int | None, today: datetime.date) -> Standing:
    """Derive the learner's state for a certification from its progress row (or None)."""
    if progress is None or not progress.status:
        return Standing()
    passed_on = progress.passed_on
    expires_on = expiry_date(passed_on, validity_months)
    days = None if expires_on is None else (expires_on - today).days
    if passed_on is None:
        pass_state = None
    elif expires_on is not None and expires_on <= today:
        pass_state = EXPIRED
    elif days is not None and days <= EXPIRY_WARNING_DAYS:
        pass_state = EXPIRING
    else:
        pass_state = PASSED
    if progress.status == PASSED:
        return Standing(pass_state, None, passed_on, expires_on, days, pass_state)
    # A learner studying for, or booked on, the renewal still holds an unexpired pass.
    exam_date = progress.exam_date
    return Standing(
        progress.status,
        exam_date,
        passed_on,
        expires_on,
        days,
        pass_state,
        awaiting_result=progress.status == BOOKED and exam_date is not None and exam_date < today,
    )


def day_word(day: datetime.date | None, *, today: datetime.date) -> str:
    """ "today" or "tomorrow" when `day` is one of them, else "" (how a booked exam's date
    is told to its learner, wherever it is shown)."""
    if day == today:
        return "today"
    if day == today + datetime.timedelta(days=1):
        return "tomorrow"
    return ""


def replacement(certification):
    """The exam that replaced a retired certification, once it is public (a draft one is
    not announced: its page is a 404); None for one still on offer or with no successor.
    Taking it is how a learner renews, or earns, the retired one."""
    successor = getattr(certification, "successor", None)
    if certification.status == "retired" and successor and successor.status != "draft":
        return successor
    return None


def next_exam(certification, chain_exam=None):
    """The exam a learner takes in place of a retired certification: `replacement`, unless
    that was retired in turn, or there is none (deleted: AZ-100 then names no successor),
    then `chain_exam`, the one on offer its chain leads to (AZ-100 replaced by AZ-103,
    itself replaced by AZ-104: AZ-104), when there is one."""
    successor = replacement(certification)
    moved_on = successor is None or successor.status == "retired"
    if certification.status == "retired" and moved_on and chain_exam is not None:
        return chain_exam
    return successor


@dataclass(frozen=True)
class StepStanding:
    """A roadmap step as one learner stands on it."""

    step: object
    own: Standing
    successor: Standing | None = None
    # On another exam of a retired one's chain (one that replaced it, directly or in turn,
    # certifications.models.Replacement) that the learner holds: `chain_exam`.
    chain: Standing | None = None
    chain_exam: object = None
    # The exam on offer a retired one's chain leads to (its certification's `chain_exam`):
    # the step's `target` once its successor was retired too.
    current_exam: object = None

    @property
    def held(self) -> bool:
        """Held when the certification, or its successor once it is retired, is passed and
        valid; or another exam of its chain (one that replaced it, directly or in turn)."""
        return (
            self.own.held
            or (self.successor is not None and self.successor.held)
            or self.held_via_chain
        )

    @property
    def held_via_successor(self) -> bool:
        return not self.own.held and self.held

    @property
    def held_via_chain(self) -> bool:
        """Held through an exam of its chain alone: the step shows the learner's pass of it."""
        return (
            self.chain is not None
            and self.chain.held
            and not self.own.held
            and not (self.successor is not None and self.successor.held)
        )

    @property
    def skipped(self) -> bool:
        """Skipped as the step shows it (`current`): a retired step is skipped through the
        successor its form records, unless the step is held."""
        return self.current.state == SKIPPED and not self.held

    @property
    def counts(self) -> bool:
        """Counts towards the roadmap: required and not skipped (optional steps never count)."""
        return bool(self.step.required) and not self.skipped

    @property
    def needs_renewal(self) -> bool:
        return self.own.state == EXPIRED and not self.held

    @property
    def via_successor(self) -> bool:
        """What the learner sees on this step is their standing on the successor: it holds
        the step, or they have started on it in place of the retired exam."""
        return (
            not self.own.held
            and not self.held_via_chain
            and self.target is not self.step.certification
            and self.successor.state != NONE
        )

    @property
    def renewal_via_successor(self) -> Standing | None:
        """The learner's standing on the exam that replaced a retired one they still hold,
        once they have started on it (planning, studying, booked or passed): how they renew
        the step. None otherwise; `current` then shows the step as it is."""
        if not self.own.held or self.target is self.step.certification:
            return None
        if self.successor.state in (NONE, SKIPPED):
            return None
        return self.successor

    @property
    def current(self) -> Standing:
        """The standing shown for this step (its state, exam date, pass date)."""
        if self.held_via_chain:
            return self.chain
        return self.successor if self.via_successor else self.own

    @property
    def state(self) -> str:
        return self.current.state

    @property
    def label(self) -> str:
        return LABELS[self.state]

    @property
    def target(self):
        """The certification to take next: the successor when the step's one is retired, once
        the successor is public (a draft one is not announced: its page is a 404), or the
        exam on offer its chain leads to once that successor was retired too."""
        return next_exam(self.step.certification, self.current_exam) or self.step.certification

    @property
    def booked(self) -> bool:
        """The exam to take next (`target`) is booked, so its fee is already paid."""
        if self.target is self.step.certification:
            return self.own.state == BOOKED
        return self.successor is not None and self.successor.state == BOOKED


def step_standing(step, progress_by_cert: Mapping, *, today: datetime.date) -> StepStanding:
    """Where the learner stands on one step, given their progress rows keyed by cert id."""
    certification = step.certification

    def on(exam) -> Standing:
        return standing(
            progress_by_cert.get(exam.pk), validity_months=exam.validity_months, today=today
        )

    retired = certification.status == "retired"
    # for_career_page() joins the exam on offer its chain leads to (`chain_exam`, kept by the
    # site).
    chained = retired and getattr(certification, "chain_exam_id", None)
    current_exam = certification.chain_exam if chained else None
    # The learner's standing on the exam that replaces it: the successor, or that exam once
    # the successor was retired too. A draft is named nowhere: a pass of a successor moved
    # back to draft holds nothing, as a draft further down the chain holds nothing.
    named = certification.successor if certification.successor_id else None
    replacing = next_exam(certification, current_exam) if current_exam else None
    replacing = replacing or (named if named is not None and named.status != "draft" else None)
    successor = on(replacing) if retired and replacing is not None else None
    # The exam of its chain the learner holds, picked from their passes (held_chain_passes,
    # the dashboard's held_chain_pick; tests' stubs have none).
    chain_exam = getattr(step, "held_chain_exam", None) if retired else None
    if chain_exam is None and replacing != named and named and named.status == "retired":
        # The successor, retired in turn, is an exam of its chain too: its pass still holds.
        chain_exam = named
    chain = on(chain_exam) if chain_exam is not None else None
    return StepStanding(step, on(certification), successor, chain, chain_exam, current_exam)


def held_percent(held: int, required: int) -> int:
    """`held` of `required` as a whole percent: 100 only when every one is held and 0 only
    when none is, so that 199 of 200 never reads as done (99.5 rounds to 100) nor 1 of 201 as
    not started (0.49 rounds to 0)."""
    if not required:
        return 0
    percent = round(100 * held / required)
    if 0 < held < required:
        return min(max(percent, 1), 99)
    return percent


@dataclass(frozen=True)
class RoadmapSummary:
    """One learner's progress on one roadmap: held of required exams (an exam two steps
    lead to counts once), next step, cost, time."""

    steps: list
    required: int
    held: int
    next_step: StepStanding | None
    fees_left: list  # [(currency, Decimal)], by currency code
    hours_left: int
    weekly_hours: int | None = None
    target_date: datetime.date | None = None
    projected_finish: datetime.date | None = None
    # Exams left whose study hours nobody gave: hours_left and the finish leave them out.
    exams_without_hours: int = 0
    # Exams left already booked, so paid for: fees_left leaves them out, hours_left not.
    exams_booked: int = 0

    @property
    def percent(self) -> int:
        return held_percent(self.held, self.required)

    @property
    def complete(self) -> bool:
        return self.required > 0 and self.held == self.required

    @property
    def on_track(self) -> bool | None:
        """True/False against the target date; None when there is nothing to compare."""
        if self.complete:
            return True
        if self.projected_finish is None or self.target_date is None:
            return None
        if self.projected_finish > self.target_date:
            return False
        # A finish that leaves out exams of unknown length cannot promise the target.
        return None if self.exams_without_hours else True


def summarize(
    standings: Iterable[StepStanding],
    *,
    today: datetime.date,
    weekly_hours: int | None = None,
    target_date: datetime.date | None = None,
) -> RoadmapSummary:
    """Roadmap progress = held required exams / required exams; fees and hours of what is
    left to take.

    Counts go by the exam each step leads to today (`target`), as the career page's hero
    does: two steps that lead to the same exam (a retired one and its successor, also on the
    roadmap) are one exam, required when either step counts and held once every counting
    step of it is held. Fees left leave out exams already booked (booking is when the fee is
    paid); hours left count every required exam not held yet, at its recommended study hours.
    """
    standings = sorted(standings, key=lambda s: (s.step.position, s.step.pk or 0))
    counted = [s for s in standings if s.counts]
    left = [s for s in counted if not s.held]
    required_exams = {s.target.pk for s in counted}
    exams_left = {s.target.pk for s in left}
    fees: dict[str, Decimal] = {}
    hours = without_hours = booked = 0
    # One exam can settle two steps (a retired one and the successor that is also on the
    # roadmap): it is paid for and studied once. A retired exam with no public successor can
    # no longer be booked, so it costs nothing, as the career page's totals count it.
    to_take = {s.target.pk: s for s in left if s.target.status != "retired"}.values()
    for s in to_take:
        target = s.target
        if target.exam_fee and s.booked:
            booked += 1
        elif target.exam_fee:
            fees[target.fee_currency] = fees.get(target.fee_currency, Decimal(0)) + target.exam_fee
        hours += target.study_hours or 0
        without_hours += not target.study_hours
    projected = None
    # Without the study hours of any exam left there is nothing to estimate from: "today"
    # would tell a learner with exams still to take that they were done.
    if left and weekly_hours and hours:
        # Study hours stored before the form's 2,000 limit can add up past the calendar's
        # end: the finish is then its last day, never an error.
        days = min(7 * math.ceil(hours / weekly_hours), (datetime.date.max - today).days)
        projected = today + datetime.timedelta(days=days)
    elif not left and counted:
        projected = today
    return RoadmapSummary(
        steps=standings,
        required=len(required_exams),
        held=len(required_exams) - len(exams_left),
        next_step=left[0] if left else None,
        fees_left=sorted(fees.items()),
        hours_left=hours,
        weekly_hours=weekly_hours,
        target_date=target_date,
        projected_finish=projected,
        exams_without_hours=without_hours,
        exams_booked=booked,
    )


def roadmap_summary(
    steps: Iterable,
    progress_by_cert: Mapping,
    *,
    today: datetime.date,
    weekly_hours: int | None = None,
    target_date: datetime.date | None = None,
) -> RoadmapSummary:
    """Summarize a roadmap's steps against the learner's progress rows keyed by cert id."""
    return summarize(
        [step_standing(step, progress_by_cert, today=today) for step in steps],
        today=today,
        weekly_hours=weekly_hours,
        target_date=target_date,
    )

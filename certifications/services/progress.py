"""Learner writes: certification progress and followed careers.

Every write runs in one transaction that first takes the learner's row for update, so
concurrent requests queue instead of overwriting each other: on PostgreSQL through
SELECT ... FOR UPDATE, on SQLite because settings open every transaction with BEGIN IMMEDIATE
(one writer at a time, others wait up to the busy timeout). A row that does not exist yet is
created inside a savepoint; if a concurrent request created it first, the unique constraint
refuses the second insert and we lock and update the winner's row instead. Calling a service
twice with the same input leaves the same state and writes nothing the second time.

The certification or career written about is held too (`_hold`): an editor may delete it
between the moment the view fetched it and the write, which then failed on the foreign key
as the transaction committed (a server error), or, on PostgreSQL, landed after the admin had
counted the learners' rows that stop a delete, and was erased with the page a moment after the
learner was told it was saved. Now the write waits for a delete in progress and says the page
is gone (`Removed`), and a delete waits for the write (and then sees its row).
"""

import datetime
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import dateformat, timezone
from django.utils.text import normalize_newlines

from careerportal.locks import hold_rows
from careers.models import Career
from certifications.models import (
    CareerFollow,
    Certification,
    CertificationProgress,
    progress_seen,
    validate_http_url,
)

Status = CertificationProgress.Status

NOTES_MAX = CertificationProgress._meta.get_field("notes").max_length
CREDENTIAL_MAX = CertificationProgress._meta.get_field("credential_id").max_length
URL_MAX = CertificationProgress._meta.get_field("verification_url").max_length
WEEKLY_HOURS_MAX = 168
# Dates a learner can mean: certifications since 1970, exams booked at most three years
# ahead. Outside them a mistyped year (0001, 9999) is refused rather than kept: 9999-12-31
# stopped the calendar feed, which ends an all-day event on the next day.
EARLIEST_DATE = datetime.date(1970, 1, 1)
BOOKING_YEARS_AHEAD = 3
# A booking on a day that has gone by is nearly always a mistyped date; one already sat is
# recorded with the result instead.
EXAM_DATE_PASSED = (
    "That date has passed: enter the day your exam is booked for, today or later. If you "
    "already sat it, choose Passed and enter the pass date, or Studying to take it again."
)


class Removed(Exception):
    """The certification or career was deleted while the request was on its way."""


def _hold(row) -> None:
    """Keep `row` from being deleted until the surrounding transaction ends, or raise Removed
    (careerportal/locks.py): learners saving progress on one certification never wait for
    each other, only for a delete."""
    if not hold_rows(type(row), [row.pk]):
        raise Removed(str(row))


class ProgressConflict(ValidationError):
    """The row was saved after the learner's page showed it; `seen` is when, as a form holds
    it, so that sending the form again with it replaces that save on purpose."""

    def __init__(self, message: str, *, seen: str):
        super().__init__(message, code="conflict")
        self.seen = seen


def _locked(model, *, lookup: dict):
    """The row for `lookup` (or None), locked until the surrounding transaction ends."""
    return model.objects.select_for_update().filter(**lookup).first()


def _create_or_lock(model, *, lookup: dict, defaults: dict | None = None):
    """Return (row, created) for a `lookup` that had no row a moment ago, locked."""
    try:
        with transaction.atomic():  # a savepoint: a lost race must not poison the outer one
            return model.objects.create(**lookup, **(defaults or {})), True
    except IntegrityError:
        return model.objects.select_for_update().get(**lookup), False


def _get_or_create_locked(model, *, lookup: dict, defaults: dict | None = None):
    """Return (row, created) for `lookup`, locked until the surrounding transaction ends."""
    row = _locked(model, lookup=lookup)
    if row is not None:
        return row, False
    return _create_or_lock(model, lookup=lookup, defaults=defaults)


def _years_after(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _after_retirement(certification, *, booking: bool) -> str:
    """Why an exam date (or pass date) after the certification's retirement is refused, and
    which certification to record instead when a public one replaced it."""
    message = (
        f"{certification.name_with_code} was retired on "
        f"{dateformat.format(certification.retired_on, 'j F Y')}, so "
        + ("no exam can be taken after that." if booking else "it cannot be passed after that.")
    )
    successor = certification.successor if certification.successor_id else None
    if successor is not None and successor.status != Certification.Status.DRAFT:
        todo = "Book" if booking else "Record your pass on"
        message += f" {todo} {successor.name_with_code}, which replaced it."
    return message


def _clean_progress(
    *, certification, status, exam_date, passed_on, credential_id, verification_url, notes, stored
):
    """Refuse what breaks a rule; a date `stored` already holds is not judged again (a pass
    recorded "today" in one time zone is in the future of another)."""
    errors: dict[str, list[str]] = {}
    stored_passed_on = getattr(stored, "passed_on", None)
    if certification.status == Certification.Status.DRAFT:
        errors.setdefault("__all__", []).append("This certification is not published yet.")
    if status not in Status.values:
        errors.setdefault("status", []).append("Choose a valid status.")
    today = timezone.localdate()
    retired_on = certification.retired_on
    # Like a pass date below, an exam date already stored is not judged again: it was allowed
    # when it was entered, and a booking whose day has gone by keeps asking how it went.
    if status == Status.BOOKED and exam_date is None:
        errors.setdefault("exam_date", []).append("Enter the date your exam is booked for.")
    elif status == Status.BOOKED and exam_date != getattr(stored, "exam_date", None):
        if exam_date < today:  # the learner's today: requests run in their time zone
            errors.setdefault("exam_date", []).append(EXAM_DATE_PASSED)
        elif exam_date > _years_after(today, BOOKING_YEARS_AHEAD):
            errors.setdefault("exam_date", []).append(
                f"Enter an exam date at most {BOOKING_YEARS_AHEAD} years from today."
            )
        elif retired_on and exam_date > retired_on:  # no exam after the retirement
            errors.setdefault("exam_date", []).append(
                _after_retirement(certification, booking=True)
            )
    if retired_on and passed_on and passed_on > retired_on and passed_on != stored_passed_on:
        errors.setdefault("passed_on", []).append(_after_retirement(certification, booking=False))
    if status == Status.PASSED and passed_on is None:
        errors.setdefault("passed_on", []).append("Enter the date you passed.")
    # A pass date holds the certification, which a skipped one must not: say which to keep.
    if status == Status.SKIPPED and passed_on is not None:
        errors.setdefault("passed_on", []).append(
            "A skipped certification has no pass date: empty the Pass date to skip it, or "
            "choose Passed to keep your pass."
        )
    if passed_on is not None and passed_on != stored_passed_on:
        if passed_on > today:
            errors.setdefault("passed_on", []).append("The pass date cannot be in the future.")
        elif passed_on < EARLIEST_DATE:
            errors.setdefault("passed_on", []).append(
                f"Enter a pass date from {EARLIEST_DATE.year} on."
            )
    if len(credential_id) > CREDENTIAL_MAX:
        errors.setdefault("credential_id", []).append(
            f"Keep the credential ID under {CREDENTIAL_MAX} characters."
        )
    hidden = next((c for c in credential_id if unicodedata.category(c) in ("Cc", "Cf")), None)
    if hidden is not None:
        # A right-to-left override shows "ABC-123" for a stored "321-CBA"; none is in an ID.
        errors.setdefault("credential_id", []).append(
            f"Remove the invisible character U+{ord(hidden):04X} from the credential ID: "
            "it changes how the ID reads."
        )
    if verification_url:
        try:
            validate_http_url(verification_url)
            URLValidator(schemes=["http", "https"])(verification_url)
            if len(verification_url) > URL_MAX:
                raise ValidationError(f"Keep the link under {URL_MAX} characters.")
        except ValidationError as error:
            errors.setdefault("verification_url", []).extend(error.messages)
    if notes is not None and len(notes) > NOTES_MAX:
        errors.setdefault("notes", []).append(f"Keep notes under {NOTES_MAX} characters.")
    if errors:
        raise ValidationError(errors)


def progress_problems(*, user, certification: Certification, **values) -> dict[str, list[str]]:
    """What progress_update would refuse of these values (its keyword arguments; any left out
    as it defaults them), by field, writing nothing: for a form that has problems of its own,
    so that the learner is told every one at once."""
    values = {
        "exam_date": None,
        "passed_on": None,
        "credential_id": "",
        "verification_url": "",
        "notes": None,
        **values,
    }
    notes = values["notes"]
    stored = CertificationProgress.objects.filter(user=user, certification=certification).first()
    try:
        _clean_progress(
            certification=certification,
            **{
                **values,
                "credential_id": (values["credential_id"] or "").strip(),
                "verification_url": (values["verification_url"] or "").strip(),
                "notes": normalize_newlines(notes) if notes is not None else None,
            },
            stored=stored,
        )
    except ValidationError as error:
        return error.message_dict
    return {}


def _refuse_stale(row, wanted: dict, *, seen: str | None, certification) -> None:
    """Raise ProgressConflict when a form that changes `row` was loaded before its last save."""
    saved_at = progress_seen(row.updated_at)
    if seen and seen != saved_at and any(getattr(row, n) != v for n, v in wanted.items()):
        raise ProgressConflict(
            f"You changed your progress on {certification.name} in another tab or window "
            "after this page was loaded, so nothing here is saved yet. To keep that change, "
            f"open the page of {certification.name} again; to replace it with what is "
            "below, press Save again.",
            seen=saved_at,
        )


def progress_update(
    *,
    user,
    certification: Certification,
    status: str,
    exam_date: datetime.date | None = None,
    passed_on: datetime.date | None = None,
    credential_id: str = "",
    verification_url: str = "",
    notes: str | None = None,
    seen: str | None = None,
) -> CertificationProgress:
    """Set the learner's state for a certification (creating the row); notes=None keeps them.

    `seen` is the form's record of when the row was saved as its page showed it (None: no
    check). A form from a stale tab or from the browser's history that would change a row
    saved since raises ProgressConflict, rather than undo that save (a note added in another
    tab); sending what was saved already (a double click) is no conflict and writes nothing.

    Passing again with a new pass date renews the certification (the expiry follows the date).
    A booked exam keeps its date only while booked; a pass keeps the credential fields. The
    pass date is what the form holds: kept while the learner studies for or books the renewal
    (the pass still counts until it expires), cleared by an empty field unless passed.
    """
    credential_id = (credential_id or "").strip()
    verification_url = (verification_url or "").strip()
    if notes is not None:  # one character per line break, as the form's limit counts them
        notes = normalize_newlines(notes)
    wanted = {
        "status": status,
        "exam_date": exam_date if status == Status.BOOKED else None,
        # Any status keeps the pass date it is sent (the form pre-fills it); an empty one
        # clears a date entered by mistake, which would otherwise hold the certification.
        "passed_on": passed_on,
        "credential_id": credential_id,
        "verification_url": verification_url,
    }
    if notes is not None:
        wanted["notes"] = notes
    lookup = {"user": user, "certification": certification}
    with transaction.atomic():
        _hold(certification)
        row = _locked(CertificationProgress, lookup=lookup)
        # The conflict is told before the rules: a stale page's values are judged against a
        # row it never showed (its booking's day "has passed" once another tab recorded the
        # result, as that row no longer holds the date), which hid why nothing was saved.
        if row is not None:
            _refuse_stale(row, wanted, seen=seen, certification=certification)
        _clean_progress(
            certification=certification,
            status=status,
            exam_date=exam_date,
            passed_on=passed_on,
            credential_id=credential_id,
            verification_url=verification_url,
            notes=notes,
            stored=row,
        )
        if row is None:
            row, created = _create_or_lock(CertificationProgress, lookup=lookup, defaults=wanted)
            if created:
                return row
            _refuse_stale(row, wanted, seen=seen, certification=certification)
        changed = [name for name, value in wanted.items() if getattr(row, name) != value]
        if changed:
            for name in changed:
                setattr(row, name, wanted[name])
            row.save(update_fields=[*changed, "updated_at"])
        return row


def progress_note_append(*, user, certification: Certification, text: str) -> CertificationProgress:
    """Add a line to the learner's private notes on a certification, never losing a line
    written by a concurrent request."""
    text = normalize_newlines((text or "").strip())
    if not text:
        raise ValidationError({"notes": ["Write something to add."]})
    if certification.status == Certification.Status.DRAFT:
        raise ValidationError("This certification is not published yet.")
    with transaction.atomic():
        _hold(certification)
        row, _ = _get_or_create_locked(
            CertificationProgress, lookup={"user": user, "certification": certification}
        )
        notes = f"{row.notes}\n{text}" if row.notes else text
        if len(notes) > NOTES_MAX:
            raise ValidationError({"notes": [f"Keep notes under {NOTES_MAX} characters."]})
        row.notes = notes
        row.save(update_fields=["notes", "updated_at"])
        return row


def career_follow(*, user, career: Career) -> CareerFollow:
    """Make a published career one of the learner's goals (following twice is a no-op)."""
    if career.status != Career.Status.PUBLISHED:
        raise ValidationError("Only published careers can be followed.")
    with transaction.atomic():
        _hold(career)
        follow, _ = _get_or_create_locked(CareerFollow, lookup={"user": user, "career": career})
        return follow


def career_unfollow(*, user, career: Career) -> bool:
    """Stop following a career; returns whether the learner was following it."""
    with transaction.atomic():
        deleted, _ = CareerFollow.objects.filter(user=user, career=career).delete()
        return deleted > 0

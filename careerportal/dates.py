"""The one way a typed date is read, by every form that asks for a day (a learner's exam,
pass and target dates, an editor's "reviewed on" and "retired on"), and the way a typed time
of day is read (an editor's day-in-the-life entries).

Browsers with a date picker send YYYY-MM-DD. Text comes from one without a picker, or pasted
into it, and the site knows no reader's locale: "01/02/2027" is 1 February in most of the
world and January 2 in the USA. Django's English formats read it the American way without a
word; here a numeric date is read only when one order makes sense (13/02/2027, 02/13/2027,
05/05/2027), and an ambiguous one is refused with its two readings.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError

EXPECTED = "YYYY-MM-DD (year, month, day)"
# Year first is always year, month, day (ISO 8601, and how Chinese, Japanese and Korean
# dates are written); separators as people type them.
YEAR_FIRST = re.compile(r"([0-9]{4})\s*([-/.])\s*([0-9]{1,2})\s*\2\s*([0-9]{1,2})", re.ASCII)
YEAR_LAST = re.compile(r"([0-9]{1,2})\s*([-/.])\s*([0-9]{1,2})\s*\2\s*([0-9]+)", re.ASCII)
# A month by name leaves no doubt: "1 Feb 2027", "February 1, 2027", "1. Februar" aside.
NAMED_FORMATS = [
    "%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y", "%d %b, %Y", "%d %B, %Y", "%b %d, %Y",
    "%B %d, %Y",
]  # fmt: skip


def _day(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _spoken(day: datetime.date) -> str:
    return f"{day.day} {day:%B} {day.year}"


def parse_day(text: str) -> datetime.date:
    """The date `text` names, or a ValidationError saying how to write it."""
    text = " ".join(text.split())
    invalid = ValidationError(f"Enter the date as {EXPECTED}.", code="invalid")
    no_such_day = ValidationError(
        f"There is no such day: enter the date as {EXPECTED}.", code="invalid"
    )
    if match := YEAR_FIRST.fullmatch(text):
        year, _, month, day = match.groups()
        if found := _day(int(year), int(month), int(day)):
            return found
        raise no_such_day
    if match := YEAR_LAST.fullmatch(text):
        first, _, second, year = match.groups()
        if len(year) != 4:
            raise ValidationError(
                f"Write the year in full: enter the date as {EXPECTED}.", code="invalid"
            )
        day_first = _day(int(year), int(second), int(first))
        month_first = _day(int(year), int(first), int(second))
        if day_first and month_first and day_first != month_first:
            raise ValidationError(
                f"“{text}” could be {_spoken(day_first)} or {_spoken(month_first)}: enter it as "
                f"{EXPECTED}, that is {day_first.isoformat()} or {month_first.isoformat()}.",
                code="ambiguous",
            )
        if found := day_first or month_first:
            return found
        raise no_such_day
    for named in NAMED_FORMATS:
        try:
            return datetime.datetime.strptime(text, named).date()
        except ValueError:
            continue
    raise invalid


class DayField(forms.DateField):
    """A date typed or picked: ISO, a month by name, or a numeric date only one way round
    (see `parse_day`). What was typed stays in the field with the message."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        return parse_day(str(value))


class DayInput(forms.DateInput):
    """The browser's date picker, filled in as YYYY-MM-DD, which is all it reads."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


EXPECTED_TIME = "HH:MM on the 24-hour clock, e.g. 08:30 or 17:45"
# What editors type for a time of day: "9am", "9 a.m.", "9:30 PM", "21:30", "21:30h", "21h30",
# "9.30", "9" and the admin's own "08:30:00". Django read only "09:30" and "09:30:00".
CLOCK = re.compile(
    r"(?P<hour>[0-9]{1,2})(?:\s*[:.h]\s*(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2}))?)?"
    r"\s*(?:h|(?P<half>[ap])\.?\s*m\.?)?",
    re.ASCII,
)


def parse_clock(text: str) -> datetime.time:
    """The time of day `text` names, or a ValidationError saying how to write it."""
    match = CLOCK.fullmatch(" ".join(text.split()).lower())
    if match is None:
        raise ValidationError(f"Enter the time as {EXPECTED_TIME}.", code="invalid")
    hour, minute, second = (int(match[name] or 0) for name in ("hour", "minute", "second"))
    if match["half"]:  # 12 am is midnight, 12 pm noon
        hour = hour % 12 + (12 if match["half"] == "p" else 0) if 1 <= hour <= 12 else 99
    try:
        return datetime.time(hour, minute, second)
    except ValueError:
        raise ValidationError(
            f"There is no such time: enter it as {EXPECTED_TIME}.", code="invalid"
        ) from None


class ClockField(forms.TimeField):
    """A time of day typed: the 24-hour clock, am/pm, "h" or a dot (see `parse_clock`). What
    was typed stays in the field with the message."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.time):
            return value
        return parse_clock(str(value))

"""One row of a salary CSV file, checked as the admin's salary form checks a figure.

Used by careers/salary_csv.py; the limits are the admin's too (careers/admin/salary_forms.py),
so whatever an editor saves there exports and imports again.
"""

import re

from django import forms
from django.core.exceptions import ValidationError

from careers.models import SalaryFigure
from careers.money import validate_country_code, validate_currency_code

# What a spreadsheet takes for a formula when a cell starts with it (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Thousands separators a spreadsheet may write into a number: "120,000", "120 000".
_SEPARATORS = re.compile(r"[,_ \u00a0\u202f']")
# An amount in a semicolon-separated file, where the comma is the decimal mark (German or
# French Excel): "54000", "54000,00", "54.000,00", "54 000,00". A "." only ever groups three
# digits, so "54000.50" (a decimal point) is refused rather than read as 5,400,050; and the
# comma is never dropped.
_DECIMAL_COMMA_AMOUNT = re.compile(
    r"^(?P<whole>[+-]?(?:\d{1,3}(?:[. \u00a0\u202f']\d{3})+|\d+))(?:,(?P<decimals>\d+))?$"
)
# "60.000": sixty thousand grouped the German or French way, or 60 with three decimals. Django
# reads it as 60 (it drops a ".000"), which saved a figure a thousand times too small.
_DOT_GROUPED_AMOUNT = re.compile(r"^[+-]?\d{1,3}\.\d{3}$")
_YES = {"yes", "y", "true", "1", ""}
_NO = {"no", "n", "false", "0"}
# The largest amount the figures' columns hold everywhere (PostgreSQL's integer), and the years
# a figure may describe. The admin's salary forms use the same limits, so whatever an editor
# saves there exports and imports again.
AMOUNT_MAX = 2_147_483_647
YEAR_MIN, YEAR_MAX = 1990, 2100


class WholeNumberField(forms.IntegerField):
    """A whole number as a spreadsheet writes it: "120000", "120,000" or "120 000"; with
    `decimal_comma` (a semicolon-separated file) "120000,00", "120.000,00" or "120 000,00"."""

    default_error_messages = {
        "invalid": "Enter a whole number, without decimals or currency.",
        "decimals": "Enter a whole amount: “%(value)s” has decimals (in a file separated by "
        "semicolons the comma is the decimal mark). Round it in the spreadsheet.",
        "dotted": "“%(value)s” could be %(grouped)s or a number with decimals: enter the "
        "whole amount without a dot, such as %(grouped)s.",
    }
    decimal_comma = False

    def to_python(self, value):
        text = str(value or "").strip()
        if not self.decimal_comma:
            text = _SEPARATORS.sub("", text)
            if _DOT_GROUPED_AMOUNT.match(text):
                raise ValidationError(
                    self.error_messages["dotted"],
                    code="dotted",
                    params={"value": text, "grouped": text.replace(".", "")},
                )
            return super().to_python(text)
        if not text:
            return super().to_python(text)
        amount = _DECIMAL_COMMA_AMOUNT.match(text)
        if amount is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        # "0" or "00" only: "120,000" may be an English thousands comma, so it is never 120.
        if amount["decimals"] not in (None, "0", "00"):
            raise ValidationError(
                self.error_messages["decimals"], code="decimals", params={"value": text}
            )
        return super().to_python(re.sub(r"[. \u00a0\u202f']", "", amount["whole"]))


def _unquoted(value: str) -> str:
    """A text cell without the apostrophe export_csv put before a formula-like start."""
    value = (value or "").strip()
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value


class Slugs:
    """Slugs naming careers (slug -> career id), looked up exactly, else whatever the case."""

    def __init__(self, pairs):
        self.ids = dict(pairs)
        self.by_lower: dict[str, list[str]] = {}
        for slug in sorted(self.ids):
            self.by_lower.setdefault(slug.lower(), []).append(slug)

    def matches(self, slug: str) -> list[str]:
        """The stored slug `slug` names; several for slugs that differ only in case (saved
        before slugs were lower-cased), none when it names no career."""
        return [slug] if slug in self.ids else self.by_lower.get(slug.lower(), [])


class SalaryRowForm(forms.Form):
    """One CSV row, checked as the admin's salary form checks it (codes upper-cased, P25 <=
    median <= P75), without a query: the career is looked up in a dict of slugs."""

    career = forms.CharField(max_length=50)
    country = forms.RegexField(
        regex=r"^[A-Za-z]{2}$", error_messages={"invalid": "Use an ISO code like US, GB or DE."}
    )
    level = forms.ChoiceField(
        choices=SalaryFigure.Level.choices,
        error_messages={
            "invalid_choice": "“%(value)s” is not a level: use "
            + ", ".join(SalaryFigure.Level.values[:-1])
            + f" or {SalaryFigure.Level.values[-1]}."
        },
    )
    year = forms.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX)
    median = WholeNumberField(min_value=1, max_value=AMOUNT_MAX)
    p25 = WholeNumberField(min_value=0, max_value=AMOUNT_MAX, required=False)
    p75 = WholeNumberField(min_value=0, max_value=AMOUNT_MAX, required=False)
    currency = forms.RegexField(
        regex=r"^[A-Za-z]{3}$", error_messages={"invalid": "Use an ISO code like USD, GBP or EUR."}
    )
    is_estimate = forms.CharField(required=False)
    source_name = forms.CharField(max_length=120)
    source_url = forms.URLField(max_length=200, required=False, assume_scheme="https")

    def __init__(self, data, *, careers: Slugs, former: Slugs, decimal_comma=False):
        cleaned = {key: (value or "").strip() for key, value in data.items()}
        cleaned["level"] = cleaned.get("level", "").lower()
        for key in ("source_name", "source_url"):
            cleaned[key] = _unquoted(cleaned.get(key, ""))
        super().__init__(cleaned)
        for name in ("median", "p25", "p75"):
            self.fields[name].decimal_comma = decimal_comma
        self.careers, self.former = careers, former
        self.former_slug = None  # set when the row names a renamed career by its old slug

    def clean_career(self):
        slug = self.cleaned_data["career"]
        for slugs in (self.careers, self.former):
            found = slugs.matches(slug)
            if len(found) == 1:
                if slugs is self.former:
                    self.former_slug = found[0]
                return slugs.ids[found[0]]
            if found:
                raise ValidationError(
                    f"“{slug}” could be {' or '.join(f'“{k}”' for k in found)}, slugs that "
                    "differ only in case: write the slug exactly as the career you mean has it."
                )
        raise ValidationError(f"No career has the slug “{slug}”.")

    def clean_country(self):
        code = self.cleaned_data["country"].upper()
        validate_country_code(code)
        return code

    def clean_currency(self):
        code = self.cleaned_data["currency"].upper()
        validate_currency_code(code)
        return code

    def clean_is_estimate(self):
        answer = self.cleaned_data["is_estimate"].lower()
        if answer not in _YES | _NO:
            raise ValidationError("Write yes or no.")
        return answer in _YES

    def clean(self):
        data = super().clean()
        median, p25, p75 = data.get("median"), data.get("p25"), data.get("p75")
        if median is not None and p25 is not None and p25 > median:
            self.add_error("p25", "P25 must not be above the median.")
        if median is not None and p75 is not None and p75 < median:
            self.add_error("p75", "P75 must not be below the median.")
        return data

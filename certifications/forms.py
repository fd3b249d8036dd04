"""Forms that read the certification catalogue's GET parameters."""

from django import forms
from django.utils.text import normalize_newlines

from careerportal.dates import DayField, DayInput
from careerportal.query import (
    MAX_QUERY_LENGTH,
    SearchField,
    clean_query,
    ignored_notice,
    show_values_used,
)
from certifications.models import (
    Certification,
    CertificationProgress,
    progress_seen,
    validate_http_url,
)
from certifications.services.progress import WEEKLY_HOURS_MAX


class CertificationFilterForm(forms.Form):
    """Filter and sort the catalogue; every field is optional and bad values are ignored."""

    SORTS = [
        ("name", "Name (A-Z)"),
        ("fee", "Exam fee (lowest first in each currency)"),
        ("level", "Level (foundational first)"),
        ("hours", "Study hours (fewest first)"),
    ]
    STATUSES = [
        ("current", "Currently offered"),
        ("retired", "Retired only"),
        ("all", "All, including retired"),
    ]

    q = SearchField(
        label="Name or exam code",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "e.g. AI-102"}),
    )
    provider = forms.ChoiceField(label="Provider", required=False)
    level = forms.ChoiceField(
        label="Level", required=False, choices=[("", "Any level"), *Certification.Level.choices]
    )
    fee_min = forms.DecimalField(label="Fee from", required=False, min_value=0, max_digits=8)
    fee_max = forms.DecimalField(label="Fee up to", required=False, min_value=0, max_digits=8)
    status = forms.ChoiceField(label="Status", required=False, choices=STATUSES)
    sort = forms.ChoiceField(label="Sort by", required=False, choices=SORTS)

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "All providers"), *providers]

    def values(self):
        """Cleaned values with defaults for anything missing or invalid; plus notices."""
        self.is_valid()
        defaults = {"q": "", "provider": "", "level": "", "fee_min": None, "fee_max": None}
        defaults.update(status="current", sort="name")
        values, notices = {}, []
        for name, default in defaults.items():
            if name == "q" and name in self.errors:
                values[name] = clean_query(self.data.get("q", ""))[0]
                notices.append(
                    f"Your search was shortened to its first {MAX_QUERY_LENGTH} characters."
                )
            elif name in self.errors:
                notices.append(ignored_notice(self, name))
                values[name] = default
            else:
                value = self.cleaned_data.get(name)
                values[name] = default if value in (None, "") else value
        if (
            values["fee_min"] is not None
            and values["fee_max"] is not None
            and values["fee_min"] > values["fee_max"]
        ):
            values["fee_min"], values["fee_max"] = values["fee_max"], values["fee_min"]
            notices.append("The fee range was the wrong way round, so we swapped it.")
        show_values_used(self, values)
        return values, notices


# --- Learner forms (progress on a certification, the study plan). The services validate the
# rules again (booked needs a date, a pass date not in the future, http(s) links only).


class NotesField(forms.CharField):
    """Text whose line breaks count one character each, as the browser counts them: it
    submits each as CR LF, which would otherwise count twice.

    Its textarea has no maxlength: the browser cut a longer paste at the limit without a word,
    and the learner saved notes missing their end. A longer text is refused here and shown
    back whole to shorten; static/js/char-count.js shows "4,980 / 5,000 characters" as they
    type (data-count-max)."""

    def to_python(self, value):
        return normalize_newlines(super().to_python(value))

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if attrs.pop("maxlength", None) is not None:
            attrs["data-count-max"] = str(self.max_length)
        return attrs


class FixedChoiceField(forms.ChoiceField):
    """A choice among fixed (value, label) pairs. Each form's copy of the field gets its own
    list of the same pairs, where Django deep-copies every pair and string of it (a third of
    building a progress form, seven times a learner's career page): tuples of strings, which
    nothing can change."""

    def __deepcopy__(self, memo):
        result = forms.Field.__deepcopy__(self, memo)
        result._choices = list(self._choices)
        return result


class ProgressForm(forms.Form):
    """A learner's state on one certification, as posted from a roadmap step or its page."""

    fixed_fields = True  # no instance changes its fields: {% field_row %} draws them once

    status = FixedChoiceField(label="Status", choices=CertificationProgress.Status.choices)
    exam_date = DayField(
        label="Exam date", required=False, widget=DayInput(), help_text="When booked."
    )
    passed_on = DayField(
        label="Pass date",
        required=False,
        widget=DayInput(),
        help_text="When passed. It counts until it expires, also while you renew; "
        "empty it to remove a date entered by mistake.",
    )
    credential_id = forms.CharField(label="Credential ID", required=False, max_length=120)
    verification_url = forms.CharField(
        label="Verification link",
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        validators=[validate_http_url],
    )
    notes = NotesField(
        label="Private notes",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only you can see these.",
    )
    # When the learner's row was last saved as the page showed it ("none": no row yet), so
    # that a form from a stale tab or from the browser's history does not undo a later save.
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    @classmethod
    def for_learner(cls, annotated, *, id_prefix="id", of="my"):
        """An unbound form pre-filled from a step or certification annotated by
        with_progress_for(user): `my_*` attributes, or a step's `successor_*` ones."""

        def mine(name, default=None):
            return getattr(annotated, f"{of}_{name}", None) or default

        initial = {
            "status": mine("status", CertificationProgress.Status.PLANNING),
            "exam_date": mine("exam_date"),
            "passed_on": mine("passed_on"),
            "credential_id": mine("credential_id", ""),
            "verification_url": mine("verification_url", ""),
            "notes": mine("notes", ""),
            "seen": progress_seen(mine("updated_at")),
        }
        return cls(initial=initial, auto_id=f"{id_prefix}_%s")

    @classmethod
    def for_step(cls, step, *, certification):
        """The form for one roadmap step's `certification`: its own, or the successor a
        retired one leads to, or the exam on offer its chain leads to once that successor was
        retired too (ids unique on a page with many steps)."""
        current_id = step.certification.chain_exam_id  # the exam on offer its chain leads to
        if certification is step.certification:
            of = "my"
        elif current_id is not None and certification.pk == current_id:
            of = "current"
        else:
            of = "successor"
        return cls.for_learner(step, id_prefix=f"id_step{step.position}", of=of)


class WeeklyHoursField(forms.IntegerField):
    """Study hours a week, optional: from 1 to the hours a week has. 0 would never finish,
    so the message says to leave it empty instead."""

    def __init__(self, **kwargs):
        message = f"Enter between 1 and {WEEKLY_HOURS_MAX} hours a week, or leave it empty."
        errors = {"min_value": message, "max_value": message}
        super().__init__(
            min_value=1, max_value=WEEKLY_HOURS_MAX, required=False, error_messages=errors, **kwargs
        )


class PlanForm(forms.Form):
    """The learner's study plan: hours a week and a target date (both optional)."""

    fixed_fields = True  # no instance changes its fields: {% field_row %} draws them once

    weekly_hours = WeeklyHoursField(label="Study hours a week")
    target_date = DayField(label="Target date", required=False, widget=DayInput())
    # The plan as the dashboard showed it (settings_seen of PLAN_SHOWN), so that a stale tab's
    # save does not undo hours or a date saved since, there or on the settings page.
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

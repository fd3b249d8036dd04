"""The certification form's checks: loops of successors and prerequisites, exam codes."""

from itertools import pairwise

from django import forms
from django.core.validators import MinValueValidator
from django.urls import reverse
from django.utils.html import format_html

from careerportal.admin_conflicts import EditConflictForm
from careers.admin.shared import LowerCaseSlugForm, ReviewedOnForm
from certifications.models import Certification
from certifications.services.chains import chain_of


def path_between(start, goal, links):
    """The ids on a path from `start` to `goal` following `links` ({id: [next ids]}), both
    ends included, or None when `goal` cannot be reached."""
    came_from = {start: None}
    queue = [start]
    while queue:
        here = queue.pop(0)
        if here == goal:
            path = []
            while here is not None:
                path.append(here)
                here = came_from[here]
            return path[::-1]
        for following in links.get(here, ()):
            if following not in came_from:
                came_from[following] = here
                queue.append(following)
    return None


class CertificationAdminForm(ReviewedOnForm, LowerCaseSlugForm, EditConflictForm):
    """Catches self-references and loops (successors or prerequisites that lead back to the
    certification) with plain messages before the database constraint does, and a colleague's
    save since the page was opened (EditConflictForm)."""

    class Meta:
        model = Certification
        # The admin adds the rest from its fieldsets (with its own widgets).
        fields = ["prerequisites", "successor"]
        labels = {"official_url": "Official page"}
        # The fee column holds 8 digits, two of them cents. A number beyond the column
        # (70000 in a small integer on PostgreSQL) gets the same message as the model's range.
        error_messages = {
            "exam_fee": {
                "max_digits": "An exam fee can be at most 999,999.99.",
                "max_whole_digits": "An exam fee can be at most 999,999.99.",
                "max_decimal_places": "Give the exam fee with at most two decimals.",
            },
            "duration_minutes": {
                "min_value": "An exam lasts at least 1 minute; leave it empty if unknown.",
                "max_value": "An exam lasts at most 600 minutes (10 hours).",
            },
            "study_hours": {"max_value": "Recommended study time is at most 2,000 hours."},
            "validity_months": {
                "min_value": "Validity is at least a month; empty if it never ends.",
                "max_value": "A pass stays valid at most 120 months (10 years); "
                "leave it empty if it never expires.",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # At least 1, as the model's validator and constraint say: the form field of a positive
        # column starts at 0, so "-3" months was told "at least 0", and the 0 typed next was
        # refused in other words.
        for name in ("duration_minutes", "validity_months"):
            field = self.fields.get(name)
            if field is not None:
                field.validators = [
                    validator
                    for validator in field.validators
                    if not isinstance(validator, MinValueValidator)
                ] + [MinValueValidator(1)]
                field.widget.attrs["min"] = 1

    def clean_fee_currency(self):
        # Upper-cased before the model's checks see it, as the salary form does: "eur" is EUR.
        return (self.cleaned_data.get("fee_currency") or "").strip().upper()

    def clean_prerequisites(self):
        prerequisites = self.cleaned_data["prerequisites"]
        if self.instance.pk and prerequisites.filter(pk=self.instance.pk).exists():
            raise forms.ValidationError("A certification cannot be its own prerequisite.")
        if self.instance.pk and prerequisites:
            links = Certification.objects.prerequisite_links()
            for prerequisite in prerequisites:
                loop = path_between(prerequisite.pk, self.instance.pk, links)
                if loop:
                    raise forms.ValidationError(
                        "Prerequisites cannot go round in a circle: %(loop)s.",
                        code="prerequisite_loop",
                        params={"loop": self._describe_loop(loop, "requires")},
                    )
        return prerequisites

    def clean_successor(self):
        successor = self.cleaned_data["successor"]
        if successor is None:
            return successor
        if successor.pk == self.instance.pk:
            raise forms.ValidationError("A certification cannot succeed itself.")
        if successor.status == Certification.Status.DRAFT and "successor" in self.changed_data:
            # Newly chosen only: one moved back to draft since must not block other edits.
            raise forms.ValidationError(
                "“%(name)s” is a draft, which visitors cannot see: publish it before naming "
                "it as the successor.",
                code="draft_successor",
                params={"name": successor.name_with_code},
            )
        # Checked under the lock the chain's record takes, which CertificationAdmin holds from
        # the start of a POST until its save commits: an editor naming AZ-104 as AZ-103's
        # successor while another names AZ-103 as AZ-104's each found no loop in what was
        # committed, and both saved one.
        changed = "successor" in self.changed_data
        if self.instance.pk:
            loop = path_between(
                successor.pk, self.instance.pk, Certification.objects.successor_links()
            )
            if loop:
                raise forms.ValidationError(
                    "Successors cannot go round in a circle: %(loop)s.",
                    code="successor_loop",
                    params={"loop": self._describe_loop(loop, "is replaced by")},
                )
            if changed and self.instance.pk in chain_of(successor.pk):
                # The successor links no longer say so (moved on since), the chain does.
                raise forms.ValidationError(
                    "Successors cannot go round in a circle: “%(name)s” already replaced "
                    "“%(successor)s”, directly or in turn, so “%(successor)s” cannot replace it.",
                    code="successor_loop",
                    params={
                        "name": self.instance.name_with_code,
                        "successor": successor.name_with_code,
                    },
                )
        if successor.is_retired and "successor" in self.changed_data:
            # A retired successor would send learners on to an exam they cannot take.
            newer = successor.successor
            raise forms.ValidationError(
                "“%(name)s” is retired itself: choose %(instead)s.",
                code="retired_successor",
                params={
                    "name": successor.name_with_code,
                    "instead": f"its successor, “{newer.name_with_code}”"
                    if newer
                    else "a certification that is on offer",
                },
            )
        return successor

    def _describe_loop(self, path, verb):
        """'A requires B, B requires A' for the ids of a path that leads back to this form's
        certification (the loop starts here, with the choice being made)."""
        path = [self.instance.pk, *path]
        names = {c.pk: c.name_with_code for c in Certification.objects.filter(pk__in=path)}
        return ", ".join(f"{names[here]} {verb} {names[there]}" for here, there in pairwise(path))

    def clean(self):
        cleaned = super().clean()
        successor = cleaned.get("successor")
        if successor and successor in (cleaned.get("prerequisites") or []):
            self.add_error("successor", "The successor cannot also be a prerequisite.")
        # Published or drafted again, a retired exam's date goes with its status, as the list's
        # Publish and Draft actions clear it; a date the editor typed in this save stays, and
        # Certification.clean says why it cannot.
        unretired = "status" in self.changed_data and cleaned.get("status") != "retired"
        if unretired and "retired_on" in cleaned and "retired_on" not in self.changed_data:
            cleaned["retired_on"] = None
        self._refuse_a_second_exam_code(cleaned)
        return cleaned

    def _refuse_a_second_exam_code(self, cleaned):
        """One provider's exam code belongs to one certification (letter case aside): a second
        one was saved, and the catalogue listed the exam twice. One name on two exam codes (an
        exam and its replacement) stays allowed. Checked when the code or provider is set."""
        code, provider = cleaned.get("exam_code"), cleaned.get("provider")
        if not code or provider is None or not {"exam_code", "provider"} & set(self.changed_data):
            return
        existing = (
            Certification._base_manager.filter(provider=provider, exam_code__iexact=code)
            .exclude(pk=self.instance.pk)
            .order_by("pk")
            .first()
        )
        if existing is not None:
            self.add_error(
                "exam_code",
                format_html(
                    '{} exam {} is already <a href="{}">{}</a>: edit that certification, '
                    "or correct the exam code.",
                    provider,
                    existing.exam_code,
                    reverse("admin:certifications_certification_change", args=[existing.pk]),
                    existing,
                ),
            )

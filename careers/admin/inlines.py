"""The career form's ordered parts: responsibilities, a day in the life, FAQs and
employers hiring (salary figures: salary_forms.py; the roadmap: certifications).
"""

from adminsortable2.admin import SortableStackedInline, SortableTabularInline
from django import forms
from django.db import models

from careerportal.admin_site import KeyCheckedRelationsMixin
from careerportal.dates import ClockField
from careers.admin.formsets import HoldsNamedRowsFormSet, NoRepeatsFormSet
from careers.admin.shared import COMPACT_TEXT, LimitsLongText
from careers.models import FAQ, DayInTheLifeEntry, Hiring, Responsibility


class HiringFormSet(HoldsNamedRowsFormSet):
    held = "employer"
    repeated = (
        "{held} is already row {number} of this career's employers hiring: "
        "choose another employer or remove this row."
    )


class ResponsibilityFormSet(NoRepeatsFormSet):
    repeated = ("text",)


class DayInTheLifeEntryFormSet(NoRepeatsFormSet):
    repeated = ("time_of_day", "text")


class FAQFormSet(NoRepeatsFormSet):
    repeated = ("question",)


class ResponsibilityInline(SortableTabularInline):
    model = Responsibility
    formset = ResponsibilityFormSet
    extra = 0
    formfield_overrides = {
        models.CharField: {"widget": forms.TextInput(attrs={"class": "vLargeTextField"})}
    }


class DayInTheLifeEntryInline(LimitsLongText, SortableTabularInline):
    model = DayInTheLifeEntry
    formset = DayInTheLifeEntryFormSet
    extra = 0
    # "9am" or "21:30h" was "Enter a valid time.": common ways of writing a time are read.
    formfield_overrides = {**COMPACT_TEXT, models.TimeField: {"form_class": ClockField}}


class FAQInline(LimitsLongText, SortableStackedInline):
    model = FAQ
    formset = FAQFormSet
    extra = 0


class HiringInline(KeyCheckedRelationsMixin, SortableTabularInline):
    model = Hiring
    formset = HiringFormSet
    extra = 0
    autocomplete_fields = ["employer"]
    verbose_name = "employer hiring"
    verbose_name_plural = "top employers hiring"

    def get_queryset(self, request):
        # Each row's title (str()) names its employer and career: joined, not fetched per row.
        return super().get_queryset(request).select_related("career", "employer")

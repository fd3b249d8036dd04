"""The roadmap inline on the career form.

How the roadmap reaches the career form without `careers` importing `certifications`:
careers/admin/career.py registers CareerAdmin with the inlines it owns. This module (imported
after it: admin autodiscovery follows INSTALLED_APPS, and the import below forces the
order anyway) unregisters Career and registers `CareerWithRoadmapAdmin`, a subclass that
adds `RoadmapStepInline`. The dependency points the way the apps do (certifications ->
careers), and nothing is patched at runtime: the admin site simply holds the subclass.
"""

from adminsortable2.admin import SortableTabularInline
from django.contrib import admin

from careerportal.admin_site import KeyCheckedRelationsMixin
from careers.admin.career import CareerAdmin
from careers.admin.formsets import HoldsNamedRowsFormSet
from careers.admin.inlines import (
    DayInTheLifeEntryInline,
    FAQInline,
    HiringInline,
    ResponsibilityInline,
)
from careers.admin.salary_forms import SalaryFigureInline
from careers.admin.shared import COMPACT_TEXT, LimitsLongText
from careers.career_page import PUBLIC_CERTIFICATION_STATUSES
from careers.models import Career
from certifications.admin.learner_rows import KeepsLearnerRows
from certifications.models import RoadmapStep


class RoadmapStepFormSet(HoldsNamedRowsFormSet):
    held = "certification"
    repeated = (
        "{held} is already step {number} of this roadmap: "
        "choose another certification or remove this row."
    )

    def row_shown(self, step) -> bool:
        """Whether the career page shows `step` as this save leaves it (for the career form's
        "a public career needs a roadmap" check): not on a draft certification. No query: the
        form fetched the certification it was given, the inline the others."""
        return step.certification.status in PUBLIC_CERTIFICATION_STATUSES


class RoadmapStepInline(LimitsLongText, KeyCheckedRelationsMixin, SortableTabularInline):
    model = RoadmapStep
    formset = RoadmapStepFormSet
    extra = 0
    fields = ["certification", "phase", "required", "reason"]
    autocomplete_fields = ["certification"]
    formfield_overrides = COMPACT_TEXT
    verbose_name = "roadmap step"
    verbose_name_plural = "certification roadmap"

    def get_queryset(self, request):
        # Each row's title (str()) names its career and certification: joined, not fetched.
        return super().get_queryset(request).select_related("career", "certification")


admin.site.unregister(Career)


@admin.register(Career)
class CareerWithRoadmapAdmin(KeepsLearnerRows, CareerAdmin):
    """The career form with its certification roadmap, in page order."""

    inlines = [
        ResponsibilityInline,
        RoadmapStepInline,
        SalaryFigureInline,
        HiringInline,
        DayInTheLifeEntryInline,
        FAQInline,
    ]

"""A roadmap step on its own page, and the list of every roadmap's steps."""

from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import reverse
from django.utils.html import format_html

from careers.admin.formsets import PositionField
from careers.admin.parts import CareerPartConflictForm, TouchesCareerMixin
from careers.admin.sections import WarnsOfEmptiedSections
from careers.admin.shared import LimitsLongText
from certifications.models import RoadmapStep


class RoadmapStepPageForm(CareerPartConflictForm):
    class Meta:
        model = RoadmapStep
        fields = "__all__"  # the step's own page shows every field, as before

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = self.instance.position if self.instance.pk else None
        self.fields["position"] = PositionField(
            kept=stored,
            initial=stored or PositionField.LOWEST,
            label="Position",
            help_text="The step's place in the career's roadmap: 1 is the first.",
        )

    def _post_clean(self):
        """Django's "Roadmap step with this Career and Certification already exists." said
        not where that step is: name the roadmap and link the step (one query, on that error
        only)."""
        super()._post_clean()
        if not self.has_error(NON_FIELD_ERRORS, code="unique_together"):
            return
        step = self.instance
        there = RoadmapStep.objects.filter(
            career=step.career_id, certification=step.certification_id
        ).exclude(pk=step.pk)
        there = there.values_list("pk", flat=True).first()
        if there is None:
            return
        kept = self._errors[NON_FIELD_ERRORS].as_data()
        self._errors[NON_FIELD_ERRORS] = self.error_class(
            [error for error in kept if error.code != "unique_together"], error_class="nonfield"
        )
        self.add_error(
            None,
            format_html(
                "{}\u2019s roadmap already has {}: "
                '<a href="{}">edit that step</a>, or choose another career or certification.',
                step.career,
                step.certification,
                reverse("admin:certifications_roadmapstep_change", args=[there]),
            ),
        )


@admin.register(RoadmapStep)
class RoadmapStepAdmin(
    LimitsLongText, WarnsOfEmptiedSections, TouchesCareerMixin, admin.ModelAdmin
):
    """Steps are edited on the career form; this list answers "which roadmaps use X?"."""

    section = "roadmap_steps"
    joined_on_page = ["career", "certification"]  # both named in the page's title

    form = RoadmapStepPageForm

    list_display = ["career", "position", "certification", "phase", "required"]
    list_filter = ["phase", "required", "career__status"]
    search_fields = ["career__title", "certification__name", "certification__exam_code"]
    list_select_related = ["career", "certification", "certification__provider"]
    autocomplete_fields = ["career", "certification"]
    ordering = ["career__title", "position", "id"]

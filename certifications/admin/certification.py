"""The certification list and form: status actions, successors, what a delete leaves."""

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import ngettext

from careerportal.admin_conflicts import FIELD, LockedWhileSaving
from careerportal.cache import content_changed
from careerportal.history import history_write
from careers.admin.sections import (
    SaysWhatADeleteLeaves,
    public_careers_emptied,
    say_careers_emptied,
)
from careers.admin.shared import (
    HTTPS_URLS,
    TYPED_DAYS,
    LimitsLongText,
    ReadsNamesAsShown,
    ReviewedFilter,
    ids_of,
    is_changelist,
    linked_names,
    mark_reviewed_today,
    page_link,
    related_count,
)
from certifications.admin.certification_form import CertificationAdminForm
from certifications.admin.learner_rows import KeepsLearnerRows
from certifications.models import Certification, Replacement, RoadmapStep
from certifications.services.chains import successor_chain_record, wait_for_other_chain_saves


@admin.register(Certification)
class CertificationAdmin(
    ReadsNamesAsShown,
    LimitsLongText,
    LockedWhileSaving,
    SaysWhatADeleteLeaves,
    KeepsLearnerRows,
    admin.ModelAdmin,
):
    form = CertificationAdminForm

    def get_object(self, request, object_id, from_field=None):
        if request.method == "POST":
            # The chains' lock before the row's, on every save and delete of an exam: a save
            # keeps the chain fields of the exams it replaced (certifications.services.chains)
            # under that lock, and an editor holding one of those rows while waiting for it
            # deadlocked with it (PostgreSQL stopped one save with a server error).
            wait_for_other_chain_saves()
        return super().get_object(request, object_id, from_field)

    # Explicit: the annotated (GROUP BY) queryset drops Meta.ordering. The id last, as the
    # changelist adds it: the autocompletes page exams of one name 20 at a time too.
    ordering = ["name", "-id"]
    formfield_overrides = {**HTTPS_URLS, **TYPED_DAYS}
    list_display = [
        "name",
        "page",
        "exam_code",
        "provider",
        "level",
        "status",
        "exam_fee_display",
        "successor_short",
        "used_in_roadmaps",
        "reviewed_on",
    ]
    # No provider filter: it listed every provider (310 at 100x); the search finds by provider.
    list_filter = ["status", "level", ReviewedFilter]
    # "gcp" finds Google Cloud's exams, as on the site (the provider's other names).
    search_fields = ["name", "exam_code", "provider__name", "provider__also_known_as"]
    list_select_related = ["provider", "successor"]
    prepopulated_fields = {"slug": ["name"]}
    # Searched, not listed: a select of every certification grows with the catalogue.
    autocomplete_fields = ["provider", "successor", "prerequisites"]
    actions = ["publish", "retire", "back_to_draft", mark_reviewed_today]
    fieldsets = [
        (None, {"fields": ["name", "slug", "exam_code", "provider", "level", "status", FIELD]}),
        ("Text", {"fields": ["summary", "description"]}),
        (
            "Exam facts",
            {
                "fields": [
                    ("exam_fee", "fee_currency"),
                    "duration_minutes",
                    "question_count",
                    "passing_score",
                    "exam_format",
                    "delivery",
                    "validity_months",
                    "study_hours",
                    "official_url",
                    "reviewed_on",
                ]
            },
        ),
        ("Prerequisites", {"fields": ["prerequisites"]}),
        ("Retirement", {"fields": ["retired_on", "successor", "replaced_by"]}),
    ]
    readonly_fields = ["replaced_by"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not is_changelist(request):  # forms, autocomplete: no counts needed
            # The edit form's provider and successor autocompletes show the rows joined here.
            return queryset.select_related("provider", "successor")
        return queryset.annotate(step_count=related_count(Certification, "roadmap_steps"))

    @admin.display(description="Exam fee", ordering="exam_fee")
    def exam_fee_display(self, certification):
        if certification.exam_fee is None:
            return "-"
        fee = certification.exam_fee
        amount = f"{fee:,.0f}" if fee == fee.to_integral_value() else f"{fee:,.2f}"
        return f"{amount} {certification.fee_currency}"

    @admin.display(description="Successor", ordering="successor__name")
    def successor_short(self, certification):
        successor = certification.successor
        if successor is None:
            return "-"
        return successor.exam_code or successor.name

    @admin.display(description="Its chain")
    def replaced_by(self, certification):
        """The exams that replaced it, directly or in turn (kept by the site as successors
        are named and moved on): a valid pass of any of them holds its roadmap steps."""
        if certification.pk is None:
            return "No exam replaced it."
        exams = Certification.objects.filter(replaced__replaced=certification.pk)
        names = [exam.name_with_code for exam in exams.order_by("name", "exam_code", "pk")]
        if not names:
            return "No exam replaced it."
        return "Replaced by " + ", ".join(names) + ": a valid pass of any of them holds its steps."

    @admin.display(description="Page")
    def page(self, certification):
        # As the career list: a draft's page is a preview for staff, a 404 for visitors.
        return page_link(certification, public=certification.status != Certification.Status.DRAFT)

    @admin.display(description="In roadmaps", ordering="step_count")
    def used_in_roadmaps(self, certification):
        return certification.step_count

    def view_on_site(self, certification):
        # A draft's page is a preview, linked as "Preview draft" by the change form template.
        if certification.status == Certification.Status.DRAFT:
            return None
        return certification.get_absolute_url()

    @admin.action(description="Publish selected certifications", permissions=["change"])
    def publish(self, request, queryset):
        rows = queryset.exclude(status=Certification.Status.PUBLISHED)
        self._set_from_list(
            request, rows, "published", status=Certification.Status.PUBLISHED, retired_on=None
        )

    @admin.action(description="Retire selected certifications", permissions=["change"])
    def retire(self, request, queryset):
        to_retire = queryset.exclude(status=Certification.Status.RETIRED)
        without_successor = list(
            to_retire.filter(successor__isnull=True).values_list("name", flat=True)
        )
        # Keep a retirement date the editor already entered; otherwise today.
        retiring = self._set_from_list(
            request,
            to_retire,
            "retired",
            status=Certification.Status.RETIRED,
            retired_on=Coalesce("retired_on", Value(timezone.localdate())),
        )
        self._warn_about_retired_successors(request, retiring)
        self._warn_without_successor(request, without_successor)

    def _warn_without_successor(self, request, names):
        if names:
            self.message_user(
                request,
                "No successor set for: "
                + ", ".join(names)
                + ". Learners will see them as retired with nothing to move on to.",
                messages.WARNING,
            )

    @admin.action(description="Move selected certifications back to draft", permissions=["change"])
    def back_to_draft(self, request, queryset):
        to_draft = queryset.exclude(status=Certification.Status.DRAFT)
        emptied = self._careers_emptied_by_draft(to_draft)
        # A retirement date belongs to retired certifications only (Certification.clean).
        moved = self._set_from_list(
            request,
            to_draft,
            "moved back to draft",
            status=Certification.Status.DRAFT,
            retired_on=None,
        )
        self._warn_about_predecessors(request, moved)
        if emptied:
            say_careers_emptied(self, request, "roadmap_steps", emptied)

    @staticmethod
    def _careers_emptied_by_draft(certifications) -> list:
        """The public careers whose roadmap shows no step once `certifications` are drafts
        (their steps hidden), as deleting those steps would leave them; two queries. Moving
        a public career's last exam back to draft emptied its roadmap without a word."""
        steps = RoadmapStep.objects.filter(certification__in=ids_of(certifications))
        return public_careers_emptied("roadmap_steps", steps)

    def save_model(self, request, obj, form, change):
        drafted = change and "status" in form.changed_data and obj.status == obj.Status.DRAFT
        emptied = self._careers_emptied_by_draft([obj]) if drafted else []
        retiring = "status" in form.changed_data and obj.is_retired
        if retiring and obj.retired_on is None:
            # As the list's "Retire" action does: visitors read when it was retired.
            obj.retired_on = day = timezone.localdate()
            self.message_user(
                request,
                f"Retirement date set to today ({day.day} {day:%B %Y}): change it under "
                "Retirement if the exam was retired on another day.",
                messages.INFO,
            )
        super().save_model(request, obj, form, change)
        if "successor" in form.changed_data:
            successor_chain_record(
                certification=obj, previous_successor_id=form.initial.get("successor")
            )
        if drafted:
            self._warn_about_predecessors(request, [obj.pk])
            if emptied:
                say_careers_emptied(self, request, "roadmap_steps", emptied)
        if retiring:
            if change:
                self._warn_about_retired_successors(request, [obj.pk])
            self._warn_without_successor(request, [] if obj.successor_id else [obj.name])

    def _warn_about_retired_successors(self, request, retired_ids):
        """Certifications that name one just retired as their successor now lead learners to an
        exam nobody can take (their roadmap steps offer none to book): say which, and the exam
        to name instead where the retired one names its own successor."""
        predecessors = (
            Certification.objects.filter(successor__in=retired_ids)
            .exclude(status=Certification.Status.DRAFT)
            .select_related("successor__successor")
            .order_by("name", "pk")
        )
        for predecessor in predecessors:
            retired = predecessor.successor
            newer = retired.successor
            self.message_user(
                request,
                f"“{predecessor.name_with_code}” names “{retired.name_with_code}” as its "
                "successor, which is now retired too: roadmap steps on it offer no exam to book "
                + (
                    f"until you choose “{newer.name_with_code}” as its successor instead. "
                    f"Learners who passed “{retired.name_with_code}” keep holding those steps."
                    if newer is not None and newer.status != Certification.Status.DRAFT
                    else "until you choose the exam that replaced it as its successor."
                ),
                messages.WARNING,
            )

    def _warn_about_predecessors(self, request, drafted_ids):
        """Certifications that name one just moved to draft as their successor now show no
        replacement on their pages: say which, so the editor can publish it again or choose."""
        predecessors = (
            Certification.objects.filter(successor__in=drafted_ids)
            .exclude(status=Certification.Status.DRAFT)
            .order_by("name", "pk")
        )
        names = [f"“{p.name_with_code}”" for p in predecessors.only("name", "exam_code")]
        if names:
            self.message_user(
                request,
                f"{', '.join(names)} {'names' if len(names) == 1 else 'name'} a certification "
                "now in draft as successor: visitors see no replacement on "
                f"{'its page' if len(names) == 1 else 'their pages'} until you publish it "
                "again or choose another successor.",
                messages.WARNING,
            )

    # A deleted certification's predecessors keep nothing of it: the database empties their
    # successor (SaysWhatADeleteLeaves).
    left_attribute = "successor_of"  # read by admin/includes/_successor_of.html

    def left_by_delete(self, objs) -> list:
        """The certifications, other than `objs`, that name one of them as their successor
        (with it, for its name), by name; one query."""
        ids = ids_of(objs)
        return list(
            Certification.objects.filter(successor__in=ids)
            .exclude(pk__in=ids)
            .select_related("successor")
            .order_by("name", "pk")
        )

    def say_what_was_left(self, request, left) -> None:
        history_write(
            user=request.user,
            rows=left,
            message=lambda row: f"Its successor “{row.successor}” was deleted: none now.",
        )
        one = len(left) == 1
        self.message_user(
            request,
            format_html(
                "{} named {} as {} successor and now {} none: choose another on {}.",
                linked_names(left),
                "the deleted certification" if one else "a deleted certification",
                "its" if one else "their",
                "has" if one else "have",
                "its page" if one else "their pages",
            ),
            messages.WARNING,
        )

    def _set_from_list(self, request, queryset, verb, **values) -> list[int]:
        """Give the certifications `values`, record it in their history as the editor's change
        and say how many; returns their ids. (.update() skips auto_now: the timestamp that
        a colleague's open form compares is set by hand.)"""
        # Whether a chain holds each: a new status may change where that chain leads.
        in_chain = Exists(Replacement.objects.filter(exam=OuterRef("pk")))
        rows = list(queryset.annotate(in_chain=in_chain))
        moved = [row.pk for row in rows]
        count = Certification.objects.filter(pk__in=moved).update(
            **values, updated_at=timezone.now()
        )
        chained = [row.pk for row in rows if row.in_chain]
        if "status" in values and chained:
            Certification.objects.filter(replacements__exam__in=chained).refresh_chain_exam()
        history_write(user=request.user, rows=rows, message=f"{verb.capitalize()} from the list.")
        if count:  # .update() sends no signal: visitors see it at once
            content_changed(Certification)
        message = ngettext("%(n)d certification %(verb)s.", "%(n)d certifications %(verb)s.", count)
        self.message_user(request, message % {"n": count, "verb": verb}, messages.SUCCESS)
        return moved

"""Certification content in the admin, and the roadmap inline on the career form.

How the roadmap reaches the career form without `careers` importing `certifications`:
careers/admin/career.py registers CareerAdmin with the inlines it owns. This module (imported
after it: admin autodiscovery follows INSTALLED_APPS, and the import below forces the
order anyway) unregisters Career and registers `CareerWithRoadmapAdmin`, a subclass that
adds `RoadmapStepInline`. The dependency points the way the apps do (certifications ->
careers), and nothing is patched at runtime: the admin site simply holds the subclass.
"""

from itertools import pairwise

from adminsortable2.admin import SortableTabularInline
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.validators import MinValueValidator
from django.db import router, transaction
from django.db.models import Count, Exists, OuterRef, Value
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import ngettext

from careerportal import password_events
from careerportal.admin_conflicts import FIELD, EditConflictForm, LockedWhileSaving
from careerportal.admin_deletion import ListsDeletionsBriefly
from careerportal.admin_site import KeyCheckedRelationsMixin
from careerportal.cache import content_changed
from careerportal.history import history_write
from careers.admin.career import CareerAdmin
from careers.admin.formsets import HoldsNamedRowsFormSet, PositionField
from careers.admin.inlines import (
    DayInTheLifeEntryInline,
    FAQInline,
    HiringInline,
    ResponsibilityInline,
)
from careers.admin.organisations import LogoFilesMixin, OrganisationForm, logo_thumbnail
from careers.admin.parts import CareerPartConflictForm, TouchesCareerMixin
from careers.admin.salary_forms import SalaryFigureInline
from careers.admin.sections import (
    SaysWhatADeleteLeaves,
    WarnsOfEmptiedSections,
    public_careers_emptied,
    say_careers_emptied,
)
from careers.admin.shared import (
    COMPACT_TEXT,
    HTTPS_URLS,
    TYPED_DAYS,
    LimitsLongText,
    LowerCaseSlugForm,
    ReadsNamesAsShown,
    ReviewedFilter,
    ReviewedOnForm,
    ids_of,
    is_changelist,
    linked_names,
    mark_reviewed_today,
    page_link,
    related_count,
)
from careers.career_page import PUBLIC_CERTIFICATION_STATUSES
from careers.models import Career
from certifications.models import (
    CareerFollow,
    Certification,
    CertificationProgress,
    Provider,
    ReleasedHandle,
    Replacement,
    RoadmapStep,
)
from certifications.roadmap import expiry_date
from certifications.services.account import account_traces_delete, handles_release_of_deleted
from certifications.services.chains import (
    chain_of,
    successor_chain_record,
    wait_for_other_chain_saves,
)

User = get_user_model()


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


class LearnerRowsBlockDelete(set):
    """What `get_deleted_objects` returns as "permissions needed" when learners track the
    rows: the permissions truly lacking, plus `learner_rows`, the count of learner progress
    and follows a delete would erase. The delete templates read it to say why instead."""

    def __init__(self, lacking, learner_rows):
        super().__init__(lacking)
        self.learner_rows = learner_rows

    def __bool__(self):
        return True  # the admin refuses the delete while this is truthy, even on a POST


def _delete_selected_atomically(modeladmin, request, queryset):
    """Django's bulk delete action in one transaction, as its delete page runs, so that the
    rows it counts are locked until they are deleted (KeepsLearnerRows)."""
    with transaction.atomic(using=router.db_for_write(modeladmin.model)):
        return delete_selected(modeladmin, request, queryset)


class KeepsLearnerRows(ListsDeletionsBriefly):
    """No account may delete learners' progress or follows (ReadOnlyLearnerAdmin), so a page
    that learners track cannot be deleted; the delete pages (one page or the bulk action)
    say so and point at retiring or unpublishing, instead of a missing permission.

    On PostgreSQL a learner's first save could land between the count and the delete, and
    was erased with the page just after the learner was told it was saved. A confirmed delete
    now locks its rows before counting: a learner's save in progress (which holds the row
    against deletion, certifications/services/progress.py) is counted and stops the delete,
    and one that comes later waits and is told the page is gone."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _, name, description = actions["delete_selected"]
            actions["delete_selected"] = (_delete_selected_atomically, name, description)
        return actions

    def get_deleted_objects(self, objs, request):
        if request.method == "POST":
            self._lock_rows(objs)
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        learner_models = [CertificationProgress._meta, CareerFollow._meta]
        learner_names = {str(opts.verbose_name) for opts in learner_models}
        learner_rows = sum(counts.get(str(opts.verbose_name_plural), 0) for opts in learner_models)
        if learner_rows:
            lacking = {name for name in perms_needed if str(name) not in learner_names}
            perms_needed = LearnerRowsBlockDelete(lacking, learner_rows)
        return deleted, counts, perms_needed, protected

    def _lock_rows(self, objs) -> None:
        """Lock the rows about to be deleted until the delete's transaction ends (PostgreSQL;
        SQLite's transaction is the only writer already)."""
        connection = transaction.get_connection(router.db_for_write(self.model))
        if connection.in_atomic_block and connection.features.has_select_for_update:
            pks = [obj.pk for obj in objs]
            list(self.model._base_manager.select_for_update().filter(pk__in=pks).values("pk"))


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


class ProviderAdminForm(OrganisationForm):
    class Meta:
        model = Provider
        fields = []  # the admin adds its fields


@admin.register(Provider)
class ProviderAdmin(ReadsNamesAsShown, LockedWhileSaving, LogoFilesMixin, admin.ModelAdmin):
    ordering = ["name"]  # explicit: the annotated (GROUP BY) queryset drops Meta.ordering
    formfield_overrides = HTTPS_URLS
    list_display = ["logo_thumb", "name", "website", "certification_count"]
    list_display_links = ["logo_thumb", "name"]
    search_fields = ["name", "also_known_as"]
    prepopulated_fields = {"slug": ["name"]}
    form = ProviderAdminForm
    fields = ["name", "slug", "also_known_as", "website", "logo", "logo_preview", FIELD]
    readonly_fields = ["logo_preview"]
    list_filter = [("logo", admin.EmptyFieldListFilter)]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(cert_count=Count("certifications"))

    @admin.display(description="Logo")
    def logo_thumb(self, provider):
        return logo_thumbnail(provider.logo.url, provider.name) if provider.logo else "-"

    @admin.display(description="Current logo")
    def logo_preview(self, provider):
        return logo_thumbnail(provider.logo.url, provider.name) if provider.logo else "None yet."

    @admin.display(description="Certifications", ordering="cert_count")
    def certification_count(self, provider):
        return provider.cert_count


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


# --- Learner progress: read-only for staff (owned by the learner feature). Private notes are
# never shown; staff can look, filter and search, but cannot add, change or delete.


class ReadOnlyLearnerAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LearnerListAdmin(ReadOnlyLearnerAdmin):
    """A list of every learner's rows (tens of thousands): paged through an index on its
    ordering, reading only the columns it shows, and counted once a page."""

    show_full_result_count = False  # else a second COUNT of the whole table on every page
    list_columns: list[str] = []  # the columns the list reads, joined rows' included

    def get_changelist(self, request, **kwargs):
        columns = self.list_columns

        class ListedColumnsOnly(super().get_changelist(request, **kwargs)):
            def get_queryset(self, request, exclude_parameters=None):
                return super().get_queryset(request, exclude_parameters).only(*columns)

        return ListedColumnsOnly


@admin.register(CertificationProgress)
class CertificationProgressAdmin(LearnerListAdmin):
    list_display = [
        "user",
        "certification",
        "status",
        "exam_date",
        "passed_on",
        "expires_on",
        "updated_at",
    ]
    # Filters offer fixed choices; a certification or provider is found by the search (a
    # filter listing every provider or certification grows with the catalogue).
    list_filter = [
        "status",
        "certification__level",
        ("updated_at", admin.DateFieldListFilter),  # fixed ranges: no scan of the dates
    ]
    search_fields = [
        "user__username",
        "user__email",
        "certification__name",
        "certification__exam_code",
        "certification__provider__name",
    ]
    list_select_related = ["user", "certification"]
    list_columns = [
        *["user", "certification", "status", "exam_date", "passed_on", "updated_at"],
        "user__username",
        *["certification__name", "certification__exam_code", "certification__validity_months"],
    ]
    fields = [
        "user",
        "certification",
        "status",
        "exam_date",
        "passed_on",
        "expires_on",
        "credential_id",
        "verification_url",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields

    def lookup_allowed(self, lookup, value, request=None):
        # Django lets a list filter on any of its own fields from the address
        # (?notes__icontains=...), which told staff a learner's private notes a guess at a
        # time: refused (a 400), as Django's user list refuses lookups on passwords.
        if lookup.split(LOOKUP_SEP, 1)[0] == "notes":
            return False
        return super().lookup_allowed(lookup, value, request)

    @admin.display(description="expires on")
    def expires_on(self, progress):
        return expiry_date(progress.passed_on, progress.certification.validity_months)


@admin.register(CareerFollow)
class CareerFollowAdmin(LearnerListAdmin):
    list_display = ["user", "career", "created_at"]
    # A career is found by the search: a filter listing every career grows with the site.
    list_filter = [("created_at", admin.DateFieldListFilter)]
    search_fields = ["user__username", "user__email", "career__title"]
    list_select_related = ["user", "career"]
    list_columns = ["user", "career", "created_at", "user__username", "career__title"]
    readonly_fields = fields = ["user", "career", "created_at"]


@admin.register(ReleasedHandle)
class ReleasedHandleAdmin(ReadOnlyLearnerAdmin):
    """Public handles learners gave up, kept from everyone else for HANDLE_RESERVATION_DAYS.
    Staff may look them up and free one early by deleting it (say, when its former owner asks
    for it to go to someone else); the service adds them, nobody edits them."""

    show_full_result_count = False  # one COUNT a page, as the other learner lists
    list_display = ["handle", "former_owner", "released_at", "kept_until"]
    search_fields = ["handle", "former_owner__email"]
    list_filter = [("released_at", admin.DateFieldListFilter)]
    list_select_related = ["former_owner"]
    readonly_fields = fields = ["handle", "former_owner", "released_at", "kept_until"]

    def has_delete_permission(self, request, obj=None):
        return admin.ModelAdmin.has_delete_permission(self, request, obj)

    @admin.display(description="kept until")
    def kept_until(self, released):
        return released.kept_until


admin.site.unregister(User)


@admin.register(User)
class LearnerAccountAdmin(UserAdmin):
    """Django's user admin; the list holds every learner, so it is counted once a page."""

    show_full_result_count = False

    def delete_model(self, request, obj):
        pk = obj.pk
        with transaction.atomic():
            handles_release_of_deleted(user_ids=[pk])
            super().delete_model(request, obj)
        account_traces_delete(user_ids=[pk])

    def delete_queryset(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        with transaction.atomic():
            handles_release_of_deleted(user_ids=ids)
            super().delete_queryset(request, queryset)
        account_traces_delete(user_ids=ids)

    def user_change_password(self, request, id, form_url=""):
        """Django's form to set a learner's password; one it saved (a new password, or
        password sign-in switched off) also switches off the learner's calendar feed and
        public page, as a reset does (careerportal/password_events.py)."""
        if request.method != "POST":
            return super().user_change_password(request, id, form_url)
        with transaction.atomic():
            user = self.get_object(request, unquote(id))  # None: Django's 404 below
            response = super().user_change_password(request, id, form_url)
            # A saved password always has a new hash (a new salt, or a new unusable mark);
            # a refused or conflicting form saved nothing.
            if user is not None and self._password_changed(user):
                password_events.admin_password_set(request, user)
        return response

    @staticmethod
    def _password_changed(user) -> bool:
        stored = User.objects.filter(pk=user.pk).values_list("password", flat=True).first()
        return stored != user.password

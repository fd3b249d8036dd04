"""Editors build whole career pages here: every ordered part is an inline, reordered by dragging,
the Move buttons, or without JavaScript by typing each row's Position (KeepsPositionsFormSet).

The certification roadmap inline is attached by certifications/admin/career.py (it re-registers
Career with a subclass of CareerAdmin), so this module never imports `certifications`.
"""

from adminsortable2.admin import SortableAdminBase
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import ngettext

from careerportal.admin_conflicts import FIELD, EditConflictForm, LockedWhileSaving
from careerportal.admin_site import ListedRowsFormSet
from careerportal.cache import content_changed
from careerportal.history import history_write
from careers.admin.inlines import (
    DayInTheLifeEntryInline,
    FAQInline,
    HiringInline,
    ResponsibilityInline,
)
from careers.admin.salary_forms import (
    SalaryFigureInline,
    salary_groups_written,
    warn_of_odd_salaries,
)
from careers.admin.sections import hidden_rows_note, missing_sections, sections_missing_after
from careers.admin.shared import (
    TYPED_DAYS,
    LimitsLongText,
    LowerCaseSlugForm,
    ReadsNamesAsShown,
    ReviewedFilter,
    ReviewedOnForm,
    is_changelist,
    mark_reviewed_today,
    page_link,
    related_count,
)
from careers.models import Career


class CareerAdminForm(ReviewedOnForm, LowerCaseSlugForm, EditConflictForm):
    """Refuses to make a career public with empty sections, as the list's Publish action does,
    counting the rows this same save adds or deletes in its inlines (CareerAdmin hands their
    formsets over as `instance.admin_formsets`). A career public already may still be saved
    with the sections it lacked before (it is warned), but not lose one more."""

    class Meta:
        model = Career
        fields = []  # the admin adds its fieldsets' fields

    sections_missing = None  # after clean(), for a career saved as published

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") != Career.Status.PUBLISHED:
            return cleaned
        formsets = getattr(self.instance, "admin_formsets", ())
        if not all(formset.is_valid() for formset in formsets):
            return cleaned  # their rows are not known yet: their errors come first
        missing, lacked = sections_missing_after(self.instance, formsets)
        self.sections_missing = missing
        if missing and self.instance.pk and self.initial.get("status") == Career.Status.PUBLISHED:
            emptied = [label for label in missing if label not in lacked]
            if emptied:
                self.add_error(
                    "status",
                    f"A public career cannot be left without {', '.join(emptied)}: keep or add "
                    "one, or choose Draft to hide the page while you work on it."
                    + hidden_rows_note(emptied),
                )
        elif missing:
            self.add_error(
                "status",
                f"Not published yet: add {', '.join(missing)} first (the page shows every "
                "section), or save it as a draft." + hidden_rows_note(missing),
            )
        return cleaned


@admin.register(Career)
class CareerAdmin(
    ReadsNamesAsShown, LimitsLongText, LockedWhileSaving, SortableAdminBase, admin.ModelAdmin
):
    # Explicit: the annotated (GROUP BY) queryset drops Meta.ordering. The id last, as the
    # changelist adds it: the autocompletes page careers of one title 20 at a time too.
    ordering = ["title", "-id"]
    formfield_overrides = TYPED_DAYS
    list_display = [
        "title",
        "page_link",
        "status",
        "category",
        "demand",
        "featured",
        "roadmap_length",
        "salary_count",
        "reviewed_on",
    ]
    list_filter = ["status", "category", "demand", "featured", ReviewedFilter]
    list_editable = ["featured"]
    search_fields = ["title", "alternative_titles", "tagline", "category"]
    prepopulated_fields = {"slug": ["title"]}
    actions = ["publish", "unpublish", mark_reviewed_today]
    form = CareerAdminForm
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "tagline", "status", "featured", FIELD]}),
        ("Page text", {"fields": ["overview", "suitability", "cta_text"]}),
        (
            "Facts",
            {
                "fields": [
                    "category",
                    "alternative_titles",
                    "demand",
                    "time_to_first_role",
                    "reviewed_on",
                ]
            },
        ),
        ("Search engines", {"fields": ["seo_description"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    # certifications/admin/career.py puts its RoadmapStepInline after the responsibilities.
    inlines = [
        ResponsibilityInline,
        SalaryFigureInline,
        HiringInline,
        DayInTheLifeEntryInline,
        FAQInline,
    ]

    labels = {"cta_text": "Call to action", "seo_description": "SEO description"}

    class Media:
        js = ["js/admin-sort-keys.js"]  # reorder inline rows from the keyboard too

    def get_changelist_formset(self, request, **kwargs):
        # The Featured boxes, each named with its career for a screen reader.
        return super().get_changelist_formset(request, **{"formset": ListedRowsFormSet, **kwargs})

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and db_field.name in self.labels:
            formfield.label = self.labels[db_field.name]
        return formfield

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not is_changelist(request):  # forms, autocomplete: no counts needed
            return queryset
        # Reverse names only (no import of certifications).
        return queryset.annotate(
            roadmap_count=related_count(Career, "roadmap_steps"),
            salary_figure_count=related_count(Career, "salary_figures"),
        )

    @admin.display(description="Roadmap steps", ordering="roadmap_count")
    def roadmap_length(self, career):
        return career.roadmap_count

    @admin.display(description="Salary figures", ordering="salary_figure_count")
    def salary_count(self, career):
        return career.salary_figure_count

    def view_on_site(self, career):
        # A draft's form links to its page once, as "Preview draft" (change_form.html): it
        # offered "View on site" beside it, two links to one page.
        return career.get_absolute_url() if career.is_published else None

    @admin.display(description="Page")
    def page_link(self, career):
        return page_link(career, public=career.is_published)

    @admin.action(description="Publish selected careers", permissions=["change"])
    def publish(self, request, queryset):
        """Publish complete careers; list the incomplete ones and what they lack."""
        missing = missing_sections(queryset)
        ready = [c.pk for c, gaps in missing.items() if not gaps]
        if ready:
            self._set_status(
                request, queryset.filter(pk__in=ready), Career.Status.PUBLISHED, "published"
            )
        for career, gaps in missing.items():
            if gaps:
                self.message_user(
                    request,
                    f"“{career}” was not published: add {', '.join(gaps)} first."
                    + hidden_rows_note(gaps),
                    messages.WARNING,
                )

    def _create_formsets(self, request, obj, change):
        # Django's change view makes the inline formsets, then validates the form, then them:
        # the form's publish check reads the rows they will save through its instance (`obj`).
        formsets, inlines = super()._create_formsets(request, obj, change)
        obj.admin_formsets = formsets
        return formsets, inlines

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        warn_of_odd_salaries(request, form.instance.pk, salary_groups_written(formsets))
        # Left empty before and after this save; none from the list's "featured" column,
        # whose form changes nothing else (reading it there failed every save with a 500).
        gaps = getattr(form, "sections_missing", None)
        if form.instance.is_published and gaps:
            self.message_user(
                request,
                f"“{form.instance}” is public with empty sections: {', '.join(gaps)}."
                + hidden_rows_note(gaps),
                messages.WARNING,
            )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "status" in form.changed_data and not obj.is_published:
            self._say_followers_left(request, [obj])

    @admin.action(description="Unpublish selected careers (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        moved = self._set_status(request, queryset, Career.Status.DRAFT, "moved back to draft")
        self._say_followers_left(request, moved)

    def _say_followers_left(self, request, careers) -> None:
        """Learners who follow careers just moved back to draft find them on their dashboards
        as no longer published, outside their plan: say how many (one query), as the editor
        could not tell that anyone was affected."""
        # The reverse name only: careers never imports certifications.
        follows = Career._meta.get_field("follows").related_model._base_manager
        learners = follows.filter(career__in=careers).values("user").distinct().count()
        if not learners:
            return
        one = len(careers) == 1
        self.message_user(
            request,
            ngettext("%(n)d learner follows", "%(n)d learners follow", learners) % {"n": learners}
            + (f" “{careers[0]}”" if one else " these careers")
            + ": their dashboards now show "
            + ("it" if one else "them")
            + " as no longer published, outside their plan, until "
            + ("it is" if one else "they are")
            + " published again.",
            messages.WARNING,
        )

    def _set_status(self, request, queryset, status, verb) -> list:
        """Give the careers `status`, record it and say how many; the careers changed."""
        # .update() skips auto_now, so the timestamp is set by hand.
        rows = list(queryset.exclude(status=status))
        count = Career.objects.filter(pk__in=[row.pk for row in rows]).update(
            status=status, updated_at=timezone.now()
        )
        history_write(user=request.user, rows=rows, message=f"{verb.capitalize()} from the list.")
        if count:  # .update() sends no signal: visitors see it at once
            content_changed(Career)
        message = ngettext("%(n)d career %(verb)s.", "%(n)d careers %(verb)s.", count)
        self.message_user(request, message % {"n": count, "verb": verb}, messages.SUCCESS)
        return rows

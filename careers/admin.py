"""Editors build whole career pages here: every ordered part is an inline, reordered by dragging,
the Move buttons, or without JavaScript by typing each row's Position (KeepsPositionsFormSet).

The certification roadmap inline is attached by certifications/admin.py (it re-registers
Career with a subclass of CareerAdmin), so this module never imports `certifications`.
"""

import datetime

from adminsortable2.admin import (
    CustomInlineFormSet,
    SortableAdminBase,
    SortableStackedInline,
    SortableTabularInline,
)
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Count, Exists, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext

from careerportal.admin_conflicts import FIELD, EditConflictForm, LockedWhileSaving
from careerportal.admin_deletion import ListsDeletionsBriefly
from careerportal.admin_filters import AutocompleteFilter, AutocompleteFilterMedia
from careerportal.admin_site import KeyCheckedRelationsMixin
from careerportal.cache import content_changed
from careerportal.dates import ClockField, DayField
from careerportal.history import history_write
from careerportal.locks import hold_rows
from careers import salary_csv, salary_rows, services
from careers.models import (
    FAQ,
    Career,
    DayInTheLifeEntry,
    Employer,
    FormerSlug,
    Hiring,
    Responsibility,
    SalaryFigure,
)
from careers.money import (
    country_name,
    currency_codes,
    validate_country_code,
    validate_currency_code,
)
from careers.names import without_invisible
from careers.salary_checks import CHECKED_FIELDS, deleted_salary_warnings, saved_salary_warnings

LOGO_THUMB_PX = 32
# Editors paste bare domains ("acme.com"); https is the right guess, and saying so here
# also silences Django 5.x's deprecation warning about the old http default.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}
# A date typed as 01/02/2027 is refused with its two readings, not read as January 2.
TYPED_DAYS = {models.DateField: {"form_class": DayField}}

admin.site.site_header = "CareerPortal editing"
admin.site.site_title = "CareerPortal admin"
admin.site.index_title = "Content"


def logo_thumbnail(url: str, name: str):
    """An <img> for a changelist column; size set by attributes (no inline style under CSP)."""
    return format_html(
        '<img src="{}" alt="{} logo" width="{}" height="{}" class="logo-thumb">',
        url,
        name,
        LOGO_THUMB_PX,
        LOGO_THUMB_PX,
    )


# Inline rows sit side by side: short text areas keep the form inside the window.
COMPACT_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 60})}}


class NameField(forms.CharField):
    """A name or title, without the characters no page shows (careers/names.py): "Acme\u200b"
    was saved as a second employer beside "Acme", the two identical on every page."""

    def to_python(self, value):
        return super().to_python(without_invisible(value) if isinstance(value, str) else value)


class ReadsNamesAsShown:
    """A model admin whose name or title fields (`shown_names`) are read as a page shows them
    (NameField), so the checks against names taken see the same name."""

    shown_names = ("name", "title")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.shown_names:
            kwargs["form_class"] = NameField
        return super().formfield_for_dbfield(db_field, request, **kwargs)


# The longest text an editor may give each long text field, by name: a page section, an FAQ
# answer, a line of a roadmap or a day. The demo content's longest is 450 characters; a 1 MB
# overview was saved and made a page no one reads to the end.
TEXT_LIMITS = {
    "overview": 10_000,
    "suitability": 10_000,
    "description": 10_000,
    "answer": 5_000,
    "reason": 2_000,
    "text": 2_000,
}


class LimitsLongText:
    """A model or inline admin whose long text fields (TEXT_LIMITS) take at most so many
    characters, and say so with the count typed. No maxlength on the text box: a browser cuts
    a longer text pasted into it without a word."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        limit = TEXT_LIMITS.get(db_field.name)
        if not isinstance(db_field, models.TextField) or db_field.max_length or not limit:
            return super().formfield_for_dbfield(db_field, request, **kwargs)
        formfield = super().formfield_for_dbfield(db_field, request, max_length=limit, **kwargs)
        formfield.widget.attrs.pop("maxlength", None)
        formfield.error_messages["max_length"] = (
            f"This can be at most {limit:,} characters long, and has %(show_value)d: shorten "
            "it (a page is read, not searched)."
        )
        return formfield


class ReviewedFilter(admin.SimpleListFilter):
    """Pages by when an editor last checked their facts: what to check next."""

    title = "facts checked"
    parameter_name = "reviewed"
    STALE_AFTER_DAYS = 183  # about six months: exam fees and salaries move that fast

    def lookups(self, request, model_admin):
        return [
            ("recent", "In the last 6 months"),
            ("stale", "Over 6 months ago"),
            ("never", "Never"),
        ]

    def queryset(self, request, queryset):
        cutoff = timezone.localdate() - datetime.timedelta(days=self.STALE_AFTER_DAYS)
        if self.value() == "recent":
            return queryset.filter(reviewed_on__gte=cutoff)
        if self.value() == "stale":
            return queryset.filter(reviewed_on__lt=cutoff)
        if self.value() == "never":
            return queryset.filter(reviewed_on__isnull=True)
        return queryset


@admin.action(description="Mark facts as checked today", permissions=["change"])
def mark_reviewed_today(modeladmin, request, queryset):
    """For an editor who has just checked several pages against their sources."""
    # .update() skips auto_now, so the timestamp is set by hand (a colleague's open form
    # then sees this as a save, as with the status actions).
    rows = list(queryset)
    count = queryset.model.objects.filter(pk__in=[row.pk for row in rows]).update(
        reviewed_on=timezone.localdate(), updated_at=timezone.now()
    )
    history_write(user=request.user, rows=rows, message="Marked facts as checked today.")
    if count:  # .update() sends no signal: visitors see the new date at once
        content_changed(queryset.model)
    meta = queryset.model._meta
    noun = meta.verbose_name if count == 1 else meta.verbose_name_plural
    modeladmin.message_user(request, f"{count} {noun} marked as checked today.", messages.SUCCESS)


class LogoFilesMixin:
    """Removes a logo file from storage once nothing points at it any more.

    Replacing, clearing or deleting a logo would otherwise leave its file behind for ever.
    Deletion waits for the commit, so a rolled-back save never loses a live file.
    """

    def save_model(self, request, obj, form, change):
        old = getattr(form.initial.get("logo"), "name", "") if change else ""
        super().save_model(request, obj, form, change)
        if old and old != obj.logo.name:
            self._delete_files_on_commit(obj.logo.storage, [old])

    def delete_model(self, request, obj):
        names = [obj.logo.name] if obj.logo else []
        super().delete_model(request, obj)
        self._delete_files_on_commit(obj.logo.storage, names)

    def delete_queryset(self, request, queryset):
        storage = queryset.model._meta.get_field("logo").storage
        names = [name for name in queryset.values_list("logo", flat=True) if name]
        super().delete_queryset(request, queryset)
        self._delete_files_on_commit(storage, names)

    @staticmethod
    def _delete_files_on_commit(storage, names):
        def delete():
            for name in names:
                storage.delete(name)

        if names:
            transaction.on_commit(delete)


class LogoUploadForm(forms.ModelForm):
    """A page shown again with errors cannot hold on to a file chosen in it (a browser never
    refills a file field), so a good logo would be dropped without a word: the editor is told,
    at the logo, to choose it again."""

    def full_clean(self):
        super().full_clean()
        upload = self.files.get(self.add_prefix("logo")) if self.is_bound else None
        if upload and self._errors and "logo" not in self._errors:
            self.add_error(
                "logo",
                f"“{upload.name}” is not kept while this page has errors: "
                "fix them, choose the file again, then save.",
            )


class GoneRow:
    """What the admin shows a gone row under (SaysWhichRowsWentFormSet): its title, where a
    saved row names itself; the row as posted may name nothing (no certification chosen)."""

    pk = None

    def __str__(self):
        return "Deleted since this page was opened"


class SaysWhichRowsWentFormSet(CustomInlineFormSet):
    """A career's inline whose page was opened before one of its saved rows was deleted, or
    moved to another career, elsewhere (another tab, a colleague, the row's own page).

    Django's formset made that row a new one whose hidden id failed with an error no page
    shows, and the admin pairs the posted rows with the rows still saved, place by place: each
    row after the gone one showed under the next one's title and the last was left off the
    page, with what the editor typed in it. They read "Please correct the errors below" with
    nothing to correct, and Save again never got through. Here the gone row stays on the page
    with what was typed in it and says what happened; ticking its Delete box lets it go."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.gone = self.is_bound and i < self.initial_form_count() and form.instance.pk is None
        if form.gone:  # its id names no row of this career: the row error says why
            pk = self.model._meta.pk.name
            form.fields[pk] = forms.CharField(required=False, widget=forms.HiddenInput)
        return form

    def get_queryset(self):
        """The saved rows, or once the posted rows are not those, place by place (one gone, a
        row of another year on the salary figures'), the rows the posted ones are (a title
        for the gone one), so the admin shows each row under its own title."""
        if self.is_bound and "forms" in self.__dict__:
            posted = [GoneRow() if form.gone else form.instance for form in self.initial_forms]
            if posted != list(super().get_queryset()):  # read already: no query
                return posted
        return super().get_queryset()

    def clean(self):
        super().clean()
        what = self.model._meta.verbose_name
        what = what if what.isupper() else what.lower()
        for form in self.initial_forms:
            if form.gone and not self._should_delete_form(form):
                form.add_error(
                    None,
                    f"This {what} was deleted, or moved to another career, after this page was "
                    "opened (in another tab or by a colleague), so what is typed here cannot be "
                    "saved to it. Tick its Delete box to let it go; to keep its text, copy it "
                    f"into a new {what} first.",
                )


class PositionField(forms.IntegerField):
    """A row's place as an editor types it: a whole number from 1 to 999 (a career has a few
    dozen rows of a kind). Past the column's range the model's check said "less than or equal
    to 9223372036854775807" on SQLite, 2147483647 on PostgreSQL, and 0 or a negative number
    meant nothing an editor could tell. `kept`: the row's stored position, accepted as it is,
    so a row stored outside the range by code (the default is 0) still saves unchanged."""

    LOWEST, HIGHEST = 1, 999
    MESSAGE = f"Enter a whole number from {LOWEST} to {HIGHEST}."
    default_error_messages = {"invalid": MESSAGE, "min_value": MESSAGE, "max_value": MESSAGE}
    is_hidden = False  # adminsortable2 hides an order field so marked: this one is typed in

    def __init__(self, *, kept=None, **kwargs):
        super().__init__(min_value=self.LOWEST, max_value=self.HIGHEST, **kwargs)
        self.kept = kept

    def run_validators(self, value):
        if value is None or value != self.kept:
            super().run_validators(value)


class KeepsPositionsFormSet(SaysWhichRowsWentFormSet):
    """A sortable inline (roadmap steps, responsibilities, employers hiring, day-in-the-life
    entries, FAQs) that an editor reorders with or without JavaScript.

    adminsortable2 hides the position, and only its script (dragging, or the Move buttons of
    static/js/admin-sort-keys.js) could change it. Here each saved row shows its place as a
    number box, "Position" (1, 2, 3... down the page, whatever it is stored as), which that
    script hides again: without JavaScript an editor types where rows go. A row given the
    number of a row that keeps it goes before that row when it moved up or is new, after it
    when it moved down (1 on the last of three rows makes it the first, 3 on the first makes
    it the last), and a new row without one goes last. When that changes the order, the kept
    rows are saved as 1, 2, 3...; otherwise no row's position changes.

    A saved row posted with an empty position (blanked by a script or by hand) reached the
    database as NULL and failed the save with a server error: it keeps its place."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = self.default_order_field or ""
        if name in self.form.base_fields:
            self.form.base_fields[name] = PositionField(
                required=False,
                label="Position",
                help_text="1 is the first row: type a number to move this row there.",
                widget=forms.NumberInput(attrs={"class": "_reorder_"}),
            )

    def _construct_form(self, i, **kwargs):
        name = self.default_order_field
        if name and i < self.initial_form_count():
            kwargs["initial"] = {**kwargs.get("initial", {}), name: i + 1}  # its place shown
        form = super()._construct_form(i, **kwargs)
        if name and i < self.initial_form_count():
            form.stored_position = getattr(form.instance, name)
        return form

    def clean(self):
        super().clean()
        name = self.default_order_field
        if not name:
            return
        for form in self.initial_forms:
            if getattr(form, "cleaned_data", None) and form.cleaned_data.get(name) is None:
                form.cleaned_data[name] = form.initial.get(name)
        if not any(self.errors):
            self._number_rows(name)

    def _number_rows(self, name: str) -> None:
        """Store the positions of the rows to be kept: 1, 2, 3... in the order typed when it
        differs from the page's, else each saved row's own and none for new rows (last)."""
        initial, rows = self.initial_form_count(), []
        for index, form in enumerate(self.forms):
            data = getattr(form, "cleaned_data", None)
            if data is None or self._should_delete_form(form):
                continue
            if index >= initial and not form.has_changed():
                continue  # an empty extra row: nothing is saved
            typed, shown = data.get(name), form.initial.get(name) if index < initial else None
            if typed is None:
                key = (1, 0, 0)
            elif shown is None or typed < shown:
                key = (0, typed, -1)  # new or moved up: before a row keeping the number
            else:
                key = (0, typed, int(typed > shown))
            rows.append(((*key, index), index, form))
        reordered = [index for _key, index, _form in sorted(rows)] != [i for _k, i, _f in rows]
        for number, (_key, index, form) in enumerate(sorted(rows), start=1):
            if index >= initial:
                position = number if reordered else None  # None: adminsortable2 puts it last
            else:
                position = number if reordered else form.stored_position
                if position != form.stored_position and name not in form.changed_data:
                    form.changed_data.append(name)
                elif position == form.stored_position and name in form.changed_data:
                    form.changed_data.remove(name)  # typed, yet kept in its place
            form.cleaned_data[name] = position
            setattr(form.instance, name, position)


class SwapSafeInlineFormSet(KeepsPositionsFormSet):
    """An inline formset whose rows may trade the values of a unique constraint between them
    (row 1 takes row 2's certification and row 2 takes row 1's).

    Django saves changed rows one UPDATE at a time, so a swap passes the formset's duplicate
    check (the final rows are unique) and then fails on the database's constraint halfway.
    Here, inside the admin's transaction, rows marked for deletion go first, then every row
    whose unique fields changed is deleted and saved again under the same primary key (an
    UPDATE that finds no row becomes an INSERT), and only then the other rows. Deleting is
    safe only while nothing points at these rows: `clean()` checks that first.

    Used by sortable and plain inlines alike: without an order field adminsortable2's part
    does nothing.
    """

    def _unique_fields(self) -> set[str]:
        names = {name for c in self.model._meta.total_unique_constraints for name in c.fields}
        names.update(name for group in self.model._meta.unique_together for name in group)
        return names - {self.fk.name}

    def _kept_forms(self) -> list:
        """The rows to be saved, as the inline shows them (top to bottom), with their data."""
        return [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not self._should_delete_form(form)
        ]

    def _deleted_forms(self) -> list:
        """The existing rows marked for deletion (callable from clean(), unlike deleted_forms)."""
        return [f for f in self.initial_forms if self.can_delete and self._should_delete_form(f)]

    def _moved_forms(self) -> list:
        """The kept existing rows whose values under a unique constraint changed."""
        unique, deleted = self._unique_fields(), self._deleted_forms()
        return [
            form
            for form in self.initial_forms
            if form.instance.pk is not None
            and form not in deleted
            and unique.intersection(form.changed_data)
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        pks = [form.instance.pk for form in self._moved_forms()]
        for relation in self.model._meta.related_objects if pks else []:
            referenced = relation.related_model._base_manager.filter(
                **{f"{relation.field.name}__in": pks}
            )
            if referenced.exists():
                raise forms.ValidationError(
                    "These rows are used elsewhere, so they cannot trade values in one save: "
                    "change one row, save, then change the other."
                )

    def save_existing_objects(self, commit=True):
        if not commit:
            return super().save_existing_objects(commit)
        self.changed_objects, self.deleted_objects, saved = [], [], []
        deleted, moved = self._deleted_forms(), self._moved_forms()
        for form in self.initial_forms:
            if form in deleted and form.instance.pk is not None:
                self.deleted_objects.append(form.instance)
                self.delete_existing(form.instance, commit=True)
        if moved:
            self.model._base_manager.filter(pk__in=[form.instance.pk for form in moved]).delete()
        for form in self.initial_forms:
            if form in deleted or form.instance.pk is None:
                continue
            if form in moved or form.has_changed():
                self.changed_objects.append((form.instance, form.changed_data))
                saved.append(self.save_existing(form, form.instance, commit=True))
        return saved


class HoldsNamedRowsFormSet(SwapSafeInlineFormSet):
    """Inline rows that name other pages (`held`: the foreign key, such as a roadmap step's
    certification or a hiring's employer), each held against deletion until the career is
    saved. One deleted since the form was checked failed the save with a server error as it
    committed (PostgreSQL), and a delete counting what it protects missed a row not yet
    committed. Now the save says which is gone, or the delete waits and sees the new row."""

    held = ""
    # What a row naming the same page as an earlier row is told, in place of Django's "Please
    # correct the duplicate data for …": {held} the page, {number} the row it already is.
    repeated = ""

    def validate_unique(self):
        """A page chosen on a second row is refused at that row, naming the row it already is.
        Rows count as the inline shows them: kept rows, top to bottom."""
        first = {}
        for number, form in enumerate(self._kept_forms(), start=1):
            held = form.cleaned_data.get(self.held)
            if held is None or not form.is_valid():
                continue
            if held.pk in first:
                form.add_error(self.held, self.repeated.format(held=held, number=first[held.pk]))
            else:
                first[held.pk] = number
        super().validate_unique()

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        named = {
            form.cleaned_data[self.held]
            for form in self.forms
            if form.cleaned_data.get(self.held) and not self._should_delete_form(form)
        }
        model = self.model._meta.get_field(self.held).related_model
        kept = hold_rows(model, [row.pk for row in named])
        gone = sorted(getattr(row, "name", str(row)) for row in named if row.pk not in kept)
        if gone:
            one = len(gone) == 1
            raise forms.ValidationError(
                f"{', '.join(gone)} {'was' if one else 'were'} deleted a moment ago, so "
                f"{'its row' if one else 'their rows'} cannot be saved: remove "
                f"{'it' if one else 'them'} and save again."
            )


class HiringFormSet(HoldsNamedRowsFormSet):
    held = "employer"
    repeated = (
        "{held} is already row {number} of this career's employers hiring: "
        "choose another employer or remove this row."
    )


class TouchesCareerMixin(LockedWhileSaving):
    """For a career's part edited on its own admin page (a salary figure, a roadmap step).

    The career form saves its inline rows as it showed them, so a colleague's form opened
    before this save would write the old row back. Saving or deleting the part here marks its
    career as saved (as the salary CSV import does), and that form then stops with the
    edit-conflict message of EditConflictForm instead. The career is locked while this saves
    (its time is the one compared), as the career form locks it: one order, no deadlock.
    The career's history records the change and who made it, so that message names them
    (it said "Someone else") and the career's History page lists its parts' changes.
    """

    # Read by the page's title and the edit-conflict check (its career's `updated_at`).
    joined_on_page = ["career"]

    def rows_compared(self, lookup):
        parts = self.model._base_manager.filter(**lookup).values("career_id")
        return Career._base_manager.filter(pk__in=parts)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_changelist(request):  # the list joins its columns' rows (list_select_related)
            return queryset
        # Joined to the part, not fetched on their own: a save read the career twice, for the
        # edit-conflict check and as the career field's value. On a POST the career is read
        # here after LockedWhileSaving locked it, as the lazy read was.
        return queryset.select_related(*self.joined_on_page)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        what = f"{'Changed' if change else 'Added'} {self._named(obj)} on its own page."
        moved_from = form.initial.get("career") if change else None
        self._touch_careers(request, {obj.career_id: what, moved_from: what})

    def delete_model(self, request, obj):
        career_id, what = obj.career_id, f"Deleted {self._named(obj)} on its own page."
        super().delete_model(request, obj)
        self._touch_careers(request, {career_id: what})

    def delete_queryset(self, request, queryset):
        deleted = {}
        for part in queryset.select_related("career"):
            deleted.setdefault(part.career_id, []).append(self._named(part))
        super().delete_queryset(request, queryset)
        what = {
            pk: f"Deleted {', '.join(names)} from the list page." for pk, names in deleted.items()
        }
        self._touch_careers(request, what)

    def _named(self, part) -> str:
        return f"{self.model._meta.verbose_name} “{part}”"

    @staticmethod
    def _touch_careers(request, changes: dict) -> None:
        """`services.careers_touched` by the signed-in editor ({career id: what changed})."""
        changes = {pk: what for pk, what in changes.items() if pk is not None}
        services.careers_touched(user=request.user, changes=changes)


class NoRepeatsFormSet(KeepsPositionsFormSet):
    """Refuses a row that repeats one above it on the same career, letter case and spaces
    aside (around it, or more than one inside): two saves of one FAQ were kept, and the page
    showed it twice.
    `repeated`: the fields that make two rows the same (the error goes on the last one).
    The formset alone checks: with a database constraint on (career, lower(trim(question)))
    a save that swaps two FAQs' questions, or gives one the question of one it deletes, failed
    with a server error (IntegrityError, tried on SQLite: rows are saved one at a time)."""

    repeated = ()

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        seen = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            values = [data.get(name) for name in self.repeated]
            if self._should_delete_form(form) or any(v in (None, "") for v in values):
                continue
            # Spaces inside count as one, as the page shows them (two typed, a line break, a
            # non-breaking space pasted from a document).
            key = tuple(" ".join(v.split()).casefold() if isinstance(v, str) else v for v in values)
            if key in seen:
                form.add_error(
                    self.repeated[-1],
                    f"Repeats “{seen[key]}” above (letter case and spaces aside): the page "
                    "would show it twice. Change or remove one.",
                )
            else:
                seen[key] = values[-1].strip()


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


class SalaryFigureForm(forms.ModelForm):
    """Codes are upper-cased before the database constraints see them ("gb" is fine) and must
    be ISO codes the site knows. Only a code the editor typed is checked, so a figure saved
    before the check still saves unchanged."""

    source_url = forms.URLField(
        required=False,
        max_length=200,
        assume_scheme="https",
        label="Source URL",
        widget=forms.URLInput(attrs={"size": 16}),
    )

    class Meta:
        model = SalaryFigure
        fields = [
            "career",
            "country",
            "currency",
            "level",
            "median",
            "p25",
            "p75",
            "year",
            "is_estimate",
            "source_name",
            "source_url",
        ]
        widgets = {
            "country": forms.TextInput(attrs={"size": 3, "maxlength": 2}),
            "currency": forms.TextInput(attrs={"size": 4, "maxlength": 3}),
            "source_name": forms.TextInput(attrs={"size": 12}),
        }
        labels = {"is_estimate": "Estimate", "source_name": "Source"}
        # Read as the CSV import reads them: "60.000" is refused, not saved as 60.
        field_classes = {
            "median": salary_rows.WholeNumberField,
            "p25": salary_rows.WholeNumberField,
            "p75": salary_rows.WholeNumberField,
        }

    # The CSV import's limits: a figure saved here always imports again, and an amount past
    # what the column holds is a form error on every database, never a server error.
    LIMITS = {
        "median": (1, salary_rows.AMOUNT_MAX),
        "p25": (0, salary_rows.AMOUNT_MAX),
        "p75": (0, salary_rows.AMOUNT_MAX),
        "year": (salary_rows.YEAR_MIN, salary_rows.YEAR_MAX),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (low, high) in self.LIMITS.items():
            field = self.fields.get(name)
            if field is None:
                continue
            # These replace the column's own range (a median of -5 was told both "at least 0"
            # and "at least 1"), PostgreSQL's included.
            field.validators = [
                validator
                for validator in field.validators
                if not isinstance(validator, MinValueValidator | MaxValueValidator)
            ] + [MinValueValidator(low), MaxValueValidator(high)]
            field.widget.attrs.update(min=low, max=high)

    def clean_country(self):
        code = self.cleaned_data["country"].strip().upper()
        if "country" in self.changed_data:
            validate_country_code(code)
        return code

    def clean_currency(self):
        code = self.cleaned_data["currency"].strip().upper()
        if "currency" in self.changed_data:
            validate_currency_code(code)
        return code

    def currency_changed(self) -> bool:
        """Whether this figure may now stand in another currency than its country's others."""
        return self.instance.pk is None or bool(
            {"career", "country", "currency"} & set(self.changed_data)
        )


class CareerPartConflictForm(EditConflictForm):
    """A part of a career (a salary figure, a roadmap step) on its own page. Parts have no
    `updated_at` of their own; their career's is touched by every save of the career, of any
    of its parts on their pages and by the CSV import, so it stands in: a colleague's save of
    the same figure since the page was opened stops this one instead of being undone."""

    def compared(self):
        return self.instance.career if self.instance.pk else None

    def saved_what(self) -> str:
        return f"this {self.instance._meta.verbose_name}, or its career"

    def clean(self):
        # Moving a public career's last step or figure to another career empties that
        # section of its page, which the career form refuses: refused here too, as the move
        # (unlike deleting an employer that closed) can wait for a replacement.
        cleaned = super().clean()
        if self.instance.pk is None or "career" not in self.changed_data:
            return cleaned
        opts = self.instance._meta
        section = opts.get_field("career").remote_field.get_accessor_name()
        left = public_careers_emptied(section, opts.model._base_manager.filter(pk=self.instance.pk))
        if left:
            self.add_error("career", emptied_note("move", section, left, named=True))
        return cleaned


class SalaryFigurePageForm(CareerPartConflictForm, SalaryFigureForm):
    """A figure on its own page: its currency must be the one of the career's other figures
    for the same country (the career form's inline checks its rows together instead)."""

    def clean(self):
        data = super().clean()
        career, country, currency = (data.get(k) for k in ("career", "country", "currency"))
        if career is None or not country or not currency or not self.currency_changed():
            return data
        others = SalaryFigure.objects.filter(career=career, country=country)
        if self.instance.pk is not None:
            others = others.exclude(pk=self.instance.pk)
        kept = [(country, code) for code in others.values_list("currency", flat=True).distinct()]
        used = salary_csv.currency_clashes(kept, [(country, currency)]).get(0)
        if used:
            self.add_error("currency", salary_csv.currency_clash_message(country, used))
        return data

    def _post_clean(self):
        """The database's "A figure for this country, level and year exists." said neither
        whose figure nor where it is: name the career and link the figure (one query, on that
        error only)."""
        super()._post_clean()
        errors = self._errors.get(NON_FIELD_ERRORS) if self._errors else None
        exists = next(
            c.violation_error_message
            for c in SalaryFigure._meta.constraints
            if c.name == "careers_salaryfigure_one_per_career_country_level_year"
        )
        if not errors or exists not in errors:
            return
        key = {
            name: getattr(self.instance, name) for name in ("career", "country", "level", "year")
        }
        there = SalaryFigure.objects.filter(**key).exclude(pk=self.instance.pk).first()
        if there is None:
            return
        named = figure_exists(self.instance.career, there)
        self._errors[NON_FIELD_ERRORS] = self.error_class(
            [named if error == exists else error for error in errors], error_class="nonfield"
        )


def figure_exists(career, there: SalaryFigure) -> str:
    """Why a figure cannot be saved where `there` exists: whose it is, and a link to edit it."""
    url = reverse(admin_urlname(SalaryFigure._meta, "change"), args=[there.pk])
    return format_html(
        '{} already has a figure for {}, {}, {}: <a href="{}">edit that one</a>, or choose '
        "another country, level or year.",
        career,
        country_name(there.country),
        there.get_level_display(),
        there.year,
        url,
    )


class SalaryFigureFormSet(SwapSafeInlineFormSet):
    """The career's figures: one currency a country, as its page draws one chart a country.
    A row may not repeat a figure of an earlier year, which the inline does not show (the
    database refused it as the row was saved: a server error)."""

    def _existing_object(self, pk):
        """A posted figure of the career by its id, of whatever year: the inline shows the
        latest year's, which a newer year's figures (the yearly import) change while the page
        is open, and its rows were called deleted, their edits refused (one query a row, then
        only)."""
        found = super()._existing_object(pk)
        if found is None and self.instance.pk is not None:
            found = SalaryFigure.objects.filter(career=self.instance, pk=pk)
            found = found.select_related("career").first()  # its title names the career
            self._object_dict[pk] = found
        return found

    def validate_unique(self):
        """Two rows for one country, level and year are refused at the later row, naming the
        row it repeats, in place of Django's "Please correct the duplicate data for career,
        country, level and year", which named no row. Rows count as the inline shows them."""
        first = {}
        for number, form in enumerate(self._kept_forms(), start=1):
            key = tuple(form.cleaned_data.get(name) for name in ("country", "level", "year"))
            if None in key or "" in key or not form.is_valid():
                continue
            if key in first:
                country, level, year = key
                form.add_error(
                    None,
                    f"{country_name(country)}, {SalaryFigure.Level(level).label}, {year} is "
                    f"already row {first[key]} of these figures: a career has one figure for "
                    "each country, level and year. Change this row's country, level or year, "
                    "or remove it.",
                )
            else:
                first[key] = number
        super().validate_unique()

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows = self._kept_forms()
        kept = [
            (form.cleaned_data["country"], form.cleaned_data["currency"])
            for form in rows
            if not form.currency_changed()
        ]
        written = [form for form in rows if form.currency_changed()]
        pairs = [(form.cleaned_data["country"], form.cleaned_data["currency"]) for form in written]
        # The career's figures of earlier years are not rows here (the inline shows the
        # latest year's), but their currencies count as kept all the same.
        career = self.instance
        shown = [form.instance.pk for form in self.initial_forms]
        hidden = []
        if career.pk is not None:
            hidden = SalaryFigure.objects.filter(career=career).exclude(pk__in=shown)
            hidden = list(hidden.only("country", "currency", "level", "year"))
            kept += {(figure.country, figure.currency) for figure in hidden}
        for index, used in salary_csv.currency_clashes(kept, pairs).items():
            country = written[index].cleaned_data["country"]
            written[index].add_error("currency", salary_csv.currency_clash_message(country, used))
        keys = {(figure.country, figure.level, figure.year): figure for figure in hidden}
        for form in rows:
            data = form.cleaned_data
            there = keys.get((data["country"], data["level"], data["year"]))
            if there is not None:
                form.add_error(None, figure_exists(career, there))


class SalaryFigureInline(admin.TabularInline):
    """The career's figures of its latest year only (a career gathers figures year after
    year: 400 rows made a 1.8 MB form). Every figure stays editable on the salary figure
    pages, which the inline links to, filtered to the career, with the CSV import.
    Not draggable: salary figures are ordered by country, level and year."""

    model = SalaryFigure
    form = SalaryFigureForm
    formset = SalaryFigureFormSet
    formfield_overrides = HTTPS_URLS
    extra = 0  # columns come from SalaryFigureForm.Meta.fields (the career is the parent)
    template = "admin/careers/career/salary_figure_inline.html"
    figures = None  # read by the template: the career's count and latest year of figures

    def get_queryset(self, request):
        # Each row's title (str()) names its career: joined, not fetched per row.
        latest = SalaryFigure.objects.filter(career=OuterRef("career")).order_by("-year")
        return (
            super()
            .get_queryset(request)
            .filter(year=Subquery(latest.values("year")[:1]))
            .select_related("career")
        )

    def get_formset(self, request, obj=None, **kwargs):
        # The admin asks for the formset three times a page (the forms, their fields, the
        # inline's fieldsets): the career's figures are counted once. This inline is made
        # afresh for each request.
        career = obj.pk if obj is not None else None
        if self.figures is not None and self.figures["career"] == career:
            return super().get_formset(request, obj, **kwargs)
        self.figures = {"total": 0, "career": career}
        if career is not None:
            self.figures |= obj.salary_figures.aggregate(total=Count("pk"), year=Max("year"))
            self.figures["list_url"] = (
                reverse("admin:careers_salaryfigure_changelist") + f"?career__id__exact={obj.pk}"
            )
            if self.figures["total"]:
                self.verbose_name_plural = f"salary figures of {self.figures['year']}"
        self.figures["import_url"] = reverse("admin:careers_salaryfigure_import")
        return super().get_formset(request, obj, **kwargs)


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


# What a complete career page needs (DESIGN.md), by reverse relation name.
REQUIRED_SECTIONS = {
    "responsibilities": "responsibilities",
    "roadmap_steps": "a certification roadmap",
    "salary_figures": "salary figures",
    "hirings": "employers hiring",
    "day_entries": "a day in the life",
    "faqs": "FAQs",
}


def shown_rows(model) -> QuerySet:
    """The rows of a career's part `model` that its page shows: those of its manager's
    `visible()` where it has one (a roadmap step on a draft certification is hidden:
    certifications/querysets.py; careers never imports it), else all."""
    manager = model._default_manager
    return manager.visible() if hasattr(manager, "visible") else manager.all()


def _shows_rows(name: str, *, excluding=None) -> Exists:
    """Whether a career's section `name` shows a row, not counting the ids `excluding`."""
    rows = shown_rows(Career._meta.get_field(name).related_model).filter(career=OuterRef("pk"))
    return Exists(rows.exclude(pk__in=excluding) if excluding else rows)


def missing_sections(careers, *, without: dict | None = None) -> dict:
    """Map each career to the labels of its sections that show no row (one query, EXISTS per
    section), not counting the rows whose ids `without` lists by section ({"faqs": [3, 4]})."""
    without = without or {}
    checks = {
        f"has_{name}": _shows_rows(name, excluding=without.get(name)) for name in REQUIRED_SECTIONS
    }
    return {
        career: [
            label for name, label in REQUIRED_SECTIONS.items() if not getattr(career, f"has_{name}")
        ]
        for career in careers.annotate(**checks)
    }


def hidden_rows_note(gaps) -> str:
    """What to add to a message naming `gaps` when the roadmap is one: a roadmap whose steps
    are all on draft certifications shows none, though the career form lists them."""
    if REQUIRED_SECTIONS["roadmap_steps"] not in gaps:
        return ""
    return " A roadmap step counts once its certification is published: visitors see no other."


def sections_missing_after(career, formsets) -> tuple[list, list]:
    """The labels of `career`'s sections that saving its inline `formsets` would leave empty:
    its rows in the database (those no inline shows included), less the rows the formsets
    delete or hide, plus the rows they add or change that the page will show. A formset whose
    saved rows may be hidden says which are shown with `row_shown(instance)` (a roadmap step
    on a draft certification is not: it was counted, and the career published without a
    roadmap on its page). Then the labels of those it shows no row in now, before the save.
    One query; none for a career not yet saved."""
    deleted, added = {}, set()
    for formset in formsets:
        name = formset.fk.remote_field.get_accessor_name()
        shown = getattr(formset, "row_shown", lambda instance: True)
        kept = [form for form in formset.forms if not formset._should_delete_form(form)]
        changed = [form for form in kept if form.has_changed()]
        hidden = {form for form in changed if not shown(form.instance)}
        deleted[name] = [
            form.instance.pk
            for form in formset.initial_forms
            if form not in kept or form in hidden  # deleted, or hidden by this save
        ]
        if any(form not in hidden for form in changed):
            added.add(name)
    if career.pk is None:
        empty = lacking = list(REQUIRED_SECTIONS.values())
    else:
        checks = {}
        for name in REQUIRED_SECTIONS:
            checks[f"after_{name}"] = _shows_rows(name, excluding=deleted.get(name))
            if deleted.get(name):  # else it shows a row now as it will after
                checks[f"now_{name}"] = _shows_rows(name)
        row = Career.objects.filter(pk=career.pk).annotate(**checks).first()
        empty, lacking = [], []
        for name, label in REQUIRED_SECTIONS.items():
            after = getattr(row, f"after_{name}", True)  # True: a career deleted meanwhile
            if not after:
                empty.append(label)
            if not getattr(row, f"now_{name}", after):
                lacking.append(label)
    missing = [
        label for name, label in REQUIRED_SECTIONS.items() if label in empty and name not in added
    ]
    return missing, lacking


def public_careers_emptied(section: str, rows) -> list:
    """The public careers that losing `rows` (a queryset of rows of their reverse relation
    `section`: deleted, moved to another career or hidden) leaves showing none, by title; two
    queries."""
    rows = shown_rows(rows.model).filter(pk__in=rows.values("pk"))  # hidden ones change nothing
    gone = list(rows.values_list("pk", flat=True))
    if not gone:
        return []
    careers = Career.objects.filter(
        status=Career.Status.PUBLISHED, pk__in=rows.values("career_id")
    ).order_by("title", "pk")
    emptied = missing_sections(careers, without={section: gone})
    return [career for career, gaps in emptied.items() if REQUIRED_SECTIONS[section] in gaps]


def emptied_note(change: str, section: str, careers: list, *, named: bool = False) -> str:
    """What the editor reads before a `change` ("delete", "move") that leaves public `careers`
    without `section`: the delete pages list them below it, a form error names them."""
    one = len(careers) == 1
    names = f", {', '.join(f'“{career}”' for career in careers)}," if named else ""
    return (
        f"This {change} leaves {len(careers)} public career{'' if one else 's'}{names} without "
        f"{REQUIRED_SECTIONS[section]}: visitors see {'its page' if one else 'their pages'} "
        f"without the section. Add one on {'its page' if one else 'their pages'} first, or move "
        f"{'it' if one else 'them'} back to draft."
    )


def is_changelist(request) -> bool:
    """Whether `request` is for a model's list page (where count columns are shown)."""
    match = getattr(request, "resolver_match", None)
    return bool(match and match.url_name and match.url_name.endswith("_changelist"))


def related_count(model, relation: str):
    """The number of rows of `model`'s reverse `relation` for each row, as a correlated
    subquery: counting several relations through joins multiplies their rows."""
    field = model._meta.get_field(relation)
    rows = field.related_model._base_manager.filter(**{field.field.name: OuterRef("pk")})
    counted = rows.order_by().values(field.field.name).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)


def ids_of(rows):
    """The ids of `rows` (a queryset, as a subquery; or model instances) for an `__in` lookup."""
    return rows.values("pk") if isinstance(rows, QuerySet) else [row.pk for row in rows]


def page_link(row, *, public: bool):
    """A list's link to `row`'s page on the site: "View", or "Preview draft" where visitors
    get a 404 and staff a preview."""
    label = "View" if public else "Preview draft"
    return format_html('<a href="{}">{}</a>', row.get_absolute_url(), label)


def linked_names(rows):
    """“Name”, “Name”: each of `rows` linked to its admin edit page."""
    return format_html_join(
        ", ",
        '<a href="{}">“{}”</a>',
        ((reverse(admin_urlname(row._meta, "change"), args=[row.pk]), row) for row in rows),
    )


class SaysWhatADeleteLeaves(ListsDeletionsBriefly):
    """A model admin whose deletes change pages they do not delete (a career left without a
    section, a certification without its successor), which Django's delete pages never list.
    `left_by_delete(objs)` finds those pages before the delete, for the delete pages (one page
    or the bulk action: the request's `left_attribute`, as `delete_note` makes it) and for
    `say_what_was_left`, which tells the editor after it."""

    left_attribute = ""

    def left_by_delete(self, objs) -> list:
        raise NotImplementedError

    def delete_note(self, left):
        return left

    def say_what_was_left(self, request, left: list) -> None:
        raise NotImplementedError

    def get_deleted_objects(self, objs, request):
        deleted = super().get_deleted_objects(objs, request)
        setattr(request, self.left_attribute, self.delete_note(self.left_by_delete(objs)))
        return deleted

    def delete_model(self, request, obj):
        left = self.left_by_delete([obj])
        super().delete_model(request, obj)
        if left:
            self.say_what_was_left(request, left)

    def delete_queryset(self, request, queryset):
        left = self.left_by_delete(queryset)
        super().delete_queryset(request, queryset)
        if left:
            self.say_what_was_left(request, left)


class WarnsOfEmptiedSections(SaysWhatADeleteLeaves):
    """For a page whose delete takes rows out of a career's `section` (a roadmap step, a salary
    figure, an employer with its hirings): a public career left with that section empty is
    named on the delete pages and warned about after, as the career form warns of a public
    career's empty sections. The delete went through without a word, and the career page lost
    the section. It stays the editor's call (an employer that closed goes), now made
    knowingly."""

    delete_confirmation_template = "admin/sections_delete_confirmation.html"
    delete_selected_confirmation_template = "admin/sections_delete_selected_confirmation.html"
    left_attribute = "careers_emptied"  # read by admin/includes/_careers_emptied.html
    section = ""  # the career's reverse relation that loses rows, a key of REQUIRED_SECTIONS

    def section_rows(self, ids):
        """The rows of `section` that deleting the rows of `ids` deletes: those rows."""
        return self.model._base_manager.filter(pk__in=ids)

    def left_by_delete(self, objs) -> list:
        """The public careers that deleting `objs` leaves without a row of `section`, by title;
        two queries."""
        return public_careers_emptied(self.section, self.section_rows(ids_of(objs)))

    def delete_note(self, left):
        return {"sentence": emptied_note("delete", self.section, left), "careers": left}

    def say_what_was_left(self, request, left) -> None:
        say_careers_emptied(self, request, self.section, left)


def say_careers_emptied(modeladmin, request, section: str, careers: list) -> None:
    """Warn that public `careers` show no row of `section` now, each linked to its form."""
    one = len(careers) == 1
    modeladmin.message_user(
        request,
        format_html(
            "{} {} public without {} now: add one on {}, or move {} back to draft.",
            linked_names(careers),
            "is" if one else "are",
            REQUIRED_SECTIONS[section],
            "its page" if one else "their pages",
            "it" if one else "them",
        ),
        messages.WARNING,
    )


class ReviewedOnForm(forms.ModelForm):
    """Refuses a "Reviewed on" date after today, a slip such as 2062 for 2026: visitors read
    it ("Facts last reviewed on 12 March 2062") and the "facts checked" filter counted the page
    as recent for ever. Tomorrow is allowed: the site's day is UTC's, an editor's may be ahead."""

    def clean_reviewed_on(self):
        day = self.cleaned_data.get("reviewed_on")
        latest = timezone.localdate() + datetime.timedelta(days=1)
        if day is not None and day > latest:
            raise ValidationError(
                f"{day.day} {day:%B} {day.year} is after today: give the day the facts were "
                "checked (use “Mark facts as checked today” on the list for today)."
            )
        return day


class LowerCaseSlugForm(forms.ModelForm):
    """Stores the slug in lower case and refuses one that differs only in case from another
    page's. Addresses are matched exactly (the site, the salary CSV import), so "Data-Scientist"
    next to "data-scientist" would be two pages told apart by case alone."""

    def clean_slug(self):
        slug = self.cleaned_data["slug"].lower()
        model = self._meta.model
        other = model._default_manager.filter(slug__iexact=slug).exclude(pk=self.instance.pk)
        other = other.only("slug").first()
        if other is not None:
            noun = model._meta.verbose_name
            if other.slug == slug:
                raise ValidationError(f"“{slug}” is already the slug of another {noun}.")
            raise ValidationError(
                f"“{other.slug}” is already the slug of another {noun}, "
                "and slugs differing only in case are not allowed: choose another."
            )
        return slug


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


def salary_groups_written(formsets) -> set[tuple[str, int]]:
    """The (country, year) of each salary figure the career form's save added, deleted, or
    changed in a checked field."""
    figures = [formset for formset in formsets if formset.model is SalaryFigure]
    written = [
        *(figure for formset in figures for figure in formset.new_objects),
        *(figure for formset in figures for figure in formset.deleted_objects),
        *(
            figure
            for formset in figures
            for figure, fields in formset.changed_objects
            if CHECKED_FIELDS & set(fields)
        ),
    ]
    return {(figure.country, figure.year) for figure in written}


def warn_of_odd_salaries(request, career_id, groups) -> None:
    """Say, after the save, which of the career's figures in `groups` look wrong (saved all
    the same: careers/salary_checks.py)."""
    for warning in saved_salary_warnings(career_id=career_id, groups=groups):
        messages.warning(request, warning)


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
    # certifications/admin.py puts its RoadmapStepInline after the responsibilities.
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


@admin.register(FormerSlug)
class FormerSlugAdmin(admin.ModelAdmin):
    """Old addresses that redirect to renamed pages. Made when an editor changes a slug;
    delete one to let its address answer 404 again."""

    list_display = ["slug", "model", "target_id", "created_at"]
    list_filter = ["model"]
    search_fields = ["slug"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# Warnings after an import, one message each, before the rest are counted: a file correcting
# a whole year may touch hundreds of figures.
MAX_WARNINGS = 20


class SalaryImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text=(
            "“CSV UTF-8” (comma or semicolon separated) or Excel's “Unicode text” (tabs), "
            f"with a header row, at most {salary_csv.MAX_BYTES // 1024} KiB."
        ),
        widget=forms.FileInput(
            attrs={"accept": ".csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain"}
        ),
    )


def _csv_download(figures, filename):
    response = StreamingHttpResponse(
        salary_csv.export_csv(figures), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@admin.action(description="Export selected figures as CSV", permissions=["view"])
def export_selected_csv(modeladmin, request, queryset):
    return _csv_download(queryset, "salary-figures-selected.csv")


class CurrencyChangeForm(forms.Form):
    currency = forms.ChoiceField(
        label="New currency",
        choices=[("", "Choose a currency"), *((code, code) for code in currency_codes())],
        help_text="ISO 4217 code. The amounts are kept: they are now read in this currency.",
    )


@admin.action(description=services.CURRENCY_CHANGE_ACTION, permissions=["change"])
def change_currency(modeladmin, request, queryset):
    """A career's figures for a country, every year at once: the currency they are stated in
    (one at a time, a figure's currency would clash with its country's others)."""
    form = CurrencyChangeForm(request.POST if "confirm" in request.POST else None)
    if form.is_valid():
        currency = form.cleaned_data["currency"]
        try:
            count, warnings = services.salary_figures_currency_change(
                figures=queryset, currency=currency, user=request.user
            )
        except ValidationError as refused:
            for problem in refused.messages:
                modeladmin.message_user(request, problem, messages.ERROR)
            modeladmin.message_user(request, "No currency was changed.", messages.ERROR)
            return None  # back to the list
        if count:
            message = ngettext(
                "Changed %(n)d figure to %(c)s.", "Changed %(n)d figures to %(c)s.", count
            )
            modeladmin.message_user(
                request, message % {"n": count, "c": currency}, messages.SUCCESS
            )
        else:
            modeladmin.message_user(
                request, f"The selected figures were already in {currency}.", messages.INFO
            )
        for warning in salary_csv.cut(warnings, MAX_WARNINGS, "figures to check"):
            modeladmin.message_user(request, warning, messages.WARNING)
        return None
    selection = services.salary_figures_selected(queryset)
    count = len(selection.pks)
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.model._meta,
        "title": ngettext(
            "Change the currency of %d salary figure",
            "Change the currency of %d salary figures",
            count,
        )
        % count,
        "selection": selection,
        "count": count,
        "form": form,
        "action": "change_currency",
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "back_url": request.get_full_path(),
    }
    return TemplateResponse(request, "admin/careers/salaryfigure/change_currency.html", context)


class EstimateFilter(admin.BooleanFieldListFilter):
    """Titled "By estimate" (the field's name made it "By is estimate")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "estimate"


@admin.register(SalaryFigure)
class SalaryFigureAdmin(
    AutocompleteFilterMedia, WarnsOfEmptiedSections, TouchesCareerMixin, admin.ModelAdmin
):
    """Figures one by one, or a year's refresh as a CSV file: export, edit, import."""

    section = "salary_figures"

    form = SalaryFigurePageForm
    formfield_overrides = HTTPS_URLS
    list_display = ["career", "country", "level", "median", "currency", "year", "source_name"]
    # A career is typed, not picked from a link per career: there are hundreds.
    list_filter = [
        ("career", AutocompleteFilter),
        "country",
        "level",
        "year",
        ("is_estimate", EstimateFilter),
        "currency",
    ]
    # "data engineer gb" finds a career's figures for one country; "eur" its figures in euros.
    search_fields = ["career__title", "career__slug", "source_name", "=country", "=currency"]
    list_select_related = ["career"]
    autocomplete_fields = ["career"]
    actions = [export_selected_csv, change_currency]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="careers_salaryfigure_import"),
            path("export.csv", view(self.export_view), name="careers_salaryfigure_export"),
            *super().get_urls(),
        ]

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return _csv_download(SalaryFigure.objects.all(), "salary-figures.csv")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or ({"career"} | CHECKED_FIELDS) & set(form.changed_data):
            warn_of_odd_salaries(request, obj.career_id, {(obj.country, obj.year)})

    def delete_model(self, request, obj):
        # As the career form warns of the figures its deletes leave (a level taken out).
        super().delete_model(request, obj)
        warn_of_odd_salaries(request, obj.career_id, {(obj.country, obj.year)})

    def delete_queryset(self, request, queryset):
        deleted = list(queryset.select_related(None).only("career", "country", "year"))
        super().delete_queryset(request, queryset)
        warnings = deleted_salary_warnings(deleted)
        for warning in salary_csv.cut(warnings, MAX_WARNINGS, "figures to check"):
            self.message_user(request, warning, messages.WARNING)

    def has_import_permission(self, request):
        """An import adds and changes figures: it needs both rights."""
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        # The list offers the import only to whoever import_view lets in.
        extra_context = {**(extra_context or {}), "can_import": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        problems = []
        form = SalaryImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            result, problems = salary_csv.import_csv(form.cleaned_data["file"], user=request.user)
            if result is not None:
                figures = ngettext("%d figure", "%d figures", result.created) % result.created
                self.message_user(
                    request,
                    f"Imported the file: {figures} added, {result.updated} updated, "
                    f"{result.unchanged} already as in the file.",
                    messages.SUCCESS,
                )
                if result.renamed:
                    self.message_user(
                        request,
                        "Rows naming a career by a slug it had before were saved to that "
                        "career: "
                        + ", ".join(f"{old} is now {new}" for old, new in result.renamed.items())
                        + ".",
                        messages.INFO,
                    )
                for warning in salary_csv.cut(result.warnings, MAX_WARNINGS, "figures to check"):
                    self.message_user(request, warning, messages.WARNING)
                return HttpResponseRedirect(reverse("admin:careers_salaryfigure_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import salary figures",
            "form": form,
            "problems": problems,
            "max_rows": salary_csv.MAX_ROWS,
        }
        return TemplateResponse(request, "admin/careers/salaryfigure/import.html", context)


class OrganisationForm(LogoUploadForm, LowerCaseSlugForm, EditConflictForm):
    """An employer or a provider: one name, whatever its case, and a logo."""

    def clean_name(self):
        name = self.cleaned_data["name"]
        model = self._meta.model
        other = model._default_manager.filter(name__iexact=name).exclude(pk=self.instance.pk)
        other = other.only("name").first()
        if other is not None:
            raise ValidationError(
                f"“{other.name}” is already listed; names differing only in case are one "
                f"{model._meta.verbose_name}. Edit that one instead."
            )
        return name


class EmployerAdminForm(OrganisationForm):
    class Meta:
        model = Employer
        fields = []  # the admin adds its fields


@admin.register(Employer)
class EmployerAdmin(
    ReadsNamesAsShown,
    LockedWhileSaving,
    WarnsOfEmptiedSections,
    LogoFilesMixin,
    admin.ModelAdmin,
):
    section = "hirings"

    def section_rows(self, ids):
        return Hiring.objects.filter(employer__in=ids)

    ordering = ["name"]  # explicit: the annotated (GROUP BY) queryset drops Meta.ordering
    formfield_overrides = HTTPS_URLS
    list_display = ["logo_thumb", "name", "website", "careers_count"]
    list_display_links = ["logo_thumb", "name"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    form = EmployerAdminForm
    fields = [
        "name",
        "slug",
        "website",
        "description",
        "logo",
        "logo_preview",
        "listed_on",
        FIELD,
    ]
    readonly_fields = ["logo_preview", "listed_on"]
    list_filter = [("logo", admin.EmptyFieldListFilter)]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(hiring_count=Count("hirings"))

    @admin.display(description="Logo")
    def logo_thumb(self, employer):
        return logo_thumbnail(employer.logo_url, employer.name)

    @admin.display(description="Current logo")
    def logo_preview(self, employer):
        if not employer.pk:
            return "Saved after upload."
        note = "" if employer.logo else " (generated monogram: no logo uploaded)"
        return format_html("{}{}", logo_thumbnail(employer.logo_url, employer.name), note)

    @admin.display(description="Listed on careers")
    def listed_on(self, employer):
        # Order and notes are edited on each career's form; this is where to find them.
        if not employer.pk:
            return "-"
        hirings = employer.hirings.select_related("career").order_by("career__title", "career_id")
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>{}',
            (
                (
                    reverse("admin:careers_career_change", args=[h.career_id]),
                    h.career.title,
                    "" if h.career.is_published else " (draft)",
                )
                for h in hirings
            ),
        )
        return links or "None yet: add this employer on a career's form."

    @admin.display(description="Careers hiring for", ordering="hiring_count")
    def careers_count(self, employer):
        return employer.hiring_count

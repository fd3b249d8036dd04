"""What every content admin shares, the certifications admin's included: field
overrides, names and long texts read as pages show them, the facts-checked filter and
action, review dates and slugs, and the list columns' helpers.
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from careerportal.cache import content_changed
from careerportal.dates import DayField
from careerportal.history import history_write
from careers.names import without_invisible

# Editors paste bare domains ("acme.com"); https is the right guess, and saying so here
# also silences Django 5.x's deprecation warning about the old http default.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}
# A date typed as 01/02/2027 is refused with its two readings, not read as January 2.
TYPED_DAYS = {models.DateField: {"form_class": DayField}}


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

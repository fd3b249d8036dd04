"""The employer list and form."""

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from careerportal.admin_conflicts import FIELD, LockedWhileSaving
from careers.admin.organisations import LogoFilesMixin, OrganisationForm, logo_thumbnail
from careers.admin.sections import WarnsOfEmptiedSections
from careers.admin.shared import HTTPS_URLS, ReadsNamesAsShown
from careers.models import Employer, Hiring


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

"""The provider list and form."""

from django.contrib import admin
from django.db.models import Count

from careerportal.admin_conflicts import FIELD, LockedWhileSaving
from careers.admin.organisations import LogoFilesMixin, OrganisationForm, logo_thumbnail
from careers.admin.shared import HTTPS_URLS, ReadsNamesAsShown
from certifications.models import Provider


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

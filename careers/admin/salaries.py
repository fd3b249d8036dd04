"""The salary figure list: a figure's own page, CSV export and import, and the action
changing the currency of a career's figures for a country.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import ngettext

from careerportal.admin_filters import AutocompleteFilter, AutocompleteFilterMedia
from careers import salary_csv, services
from careers.admin.parts import TouchesCareerMixin
from careers.admin.salary_forms import SalaryFigurePageForm, warn_of_odd_salaries
from careers.admin.sections import WarnsOfEmptiedSections
from careers.admin.shared import HTTPS_URLS
from careers.models import SalaryFigure
from careers.money import currency_codes
from careers.salary_checks import CHECKED_FIELDS, deleted_salary_warnings

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

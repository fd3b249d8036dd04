"""A salary figure's form, on its own page and in the career form's inline of the
latest year's figures, and the warnings after a save.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Count, Max, OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html

from careers import salary_csv, salary_rows
from careers.admin.formsets import SwapSafeInlineFormSet
from careers.admin.parts import CareerPartConflictForm
from careers.admin.shared import HTTPS_URLS
from careers.models import SalaryFigure
from careers.money import country_name, validate_country_code, validate_currency_code
from careers.salary_checks import CHECKED_FIELDS, saved_salary_warnings


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

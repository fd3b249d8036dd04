"""Forms that read the public list and compare pages' GET parameters."""

from django import forms

from careerportal.query import (
    MAX_QUERY_LENGTH,
    SearchField,
    clean_query,
    ignored_notice,
    show_values_used,
)
from careers.models import Career, SalaryFigure
from careers.money import country_name

# The salary country a page shows first when it has figures.
DEFAULT_COUNTRY = "US"


def salary_countries(codes) -> list[tuple[str, str]]:
    """Menu choices for the countries that have salary figures: the default first, the rest
    by name. With no figures at all, the default alone, so the menu is never empty."""
    codes = set(codes) or {DEFAULT_COUNTRY}
    rest = sorted((country_name(code), code) for code in codes - {DEFAULT_COUNTRY})
    first = [(DEFAULT_COUNTRY, country_name(DEFAULT_COUNTRY))] if DEFAULT_COUNTRY in codes else []
    return first + [(code, name) for name, code in rest]


class CareerFilterForm(forms.Form):
    """Search, filter and sort the career list; every field is optional."""

    SORTS = [
        ("title", "Title (A-Z)"),
        ("salary", "Median salary (highest first)"),
        ("certs", "Number of certifications"),
    ]

    q = SearchField(
        label="Search careers",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "e.g. machine learning"}),
    )
    category = forms.ChoiceField(label="Category", required=False)
    demand = forms.ChoiceField(
        label="Demand", required=False, choices=[("", "Any demand"), *Career.Demand.choices]
    )
    sort = forms.ChoiceField(label="Sort by", required=False, choices=SORTS)
    country = forms.ChoiceField(label="Country", required=False)
    level = forms.ChoiceField(label="Level", required=False, choices=SalaryFigure.Level.choices)

    DEFAULTS = {"sort": "title", "country": "US", "level": "mid"}

    def __init__(self, data=None, *args, categories=(), countries=(), **kwargs):
        countries = countries or salary_countries(())
        self.DEFAULTS = {**self.DEFAULTS, "country": countries[0][0]}
        if data is not None:
            # Missing choices show their default (mid level, US) rather than the first option.
            data = data.copy()
            for name, value in self.DEFAULTS.items():
                data.setdefault(name, value)
        super().__init__(data, *args, **kwargs)
        self.fields["category"].choices = [("", "All categories")] + [(c, c) for c in categories]
        self.fields["country"].choices = countries

    def values(self):
        """Cleaned values, with defaults for anything missing or invalid; plus notices."""
        self.is_valid()
        defaults = {"q": "", "category": "", "demand": "", "sort": "title"}
        defaults["country"] = self.DEFAULTS["country"]
        defaults["level"] = "mid"
        values, notices = {}, []
        for name, default in defaults.items():
            if name == "q" and name in self.errors:
                values[name] = clean_query(self.data.get("q", ""))[0]
                notices.append(
                    f"Your search was shortened to its first {MAX_QUERY_LENGTH} characters."
                )
            elif name == "country" and name in self.errors:
                country = dict(self.fields["country"].choices)[default]
                notices.append(
                    f"We have no salary figures for “{str(self.data.get(name))[:10]}”; "
                    f"showing {country} figures."
                )
                values[name] = default
            elif name in self.errors:
                notices.append(ignored_notice(self, name))
                values[name] = default
            else:
                values[name] = self.cleaned_data.get(name) or default
        show_values_used(self, values)
        return values, notices


class CompareForm(forms.Form):
    """The country to compare careers' salaries in (the careers are three text boxes the
    template draws, sharing one list of suggestions)."""

    country = forms.ChoiceField(label="Salary country", required=False)

    def __init__(self, *args, countries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = countries or salary_countries(())

"""A list filter for a foreign key with many rows: picked by typing, as in the admin's forms.

Django's related filters list every row as a link (RelatedOnlyFieldListFilter: every row that
is used, read with a DISTINCT over the whole list on each page view). Salary figures belong
to hundreds of careers, so that sidebar would be hundreds of links long. `AutocompleteFilter`
shows one field instead: the admin's own autocomplete (select2 asking the related admin's
search, as `autocomplete_fields` do), a Filter button and an "All" link. It reads the chosen
row only, to show its name, and nothing when none is chosen; to an editor who may view the
related rows it lists them all as options while there are at most LISTED_UP_TO (one query),
so the field works without JavaScript too. Its parameter is the one the related filter uses
(`career__id__exact`), so existing links to a filtered list still work.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ERROR_FLAG, PAGE_VAR
from django.contrib.admin.widgets import AutocompleteSelect

from careerportal.admin_site import LISTED_UP_TO, KeyCheckedAutocompleteSelect


class AutocompleteFilter(admin.FieldListFilter):
    """For `list_filter = [("career", AutocompleteFilter)]`; the ModelAdmin also needs
    `AutocompleteFilterMedia`, and the related model's admin its `search_fields`."""

    template = "admin/autocomplete_filter.html"

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.lookup_kwarg = f"{field_path}__{field.target_field.name}__exact"
        self.value = (params.get(self.lookup_kwarg) or [""])[-1]
        self.kept = [
            (name, value)
            for name, values in request.GET.lists()
            if name not in (self.lookup_kwarg, PAGE_VAR, ERROR_FLAG)
            for value in values
        ]
        super().__init__(field, request, params, model, model_admin, field_path)
        if not self.value:  # the field sent empty ("All" chosen in it): no filter
            self.used_parameters.pop(self.lookup_kwarg, None)
        self.admin_site = model_admin.admin_site
        # As in the admin's forms (KeyCheckedRelationsMixin): only to whoever may search them.
        related = self.admin_site._registry.get(field.related_model)
        self.listed_up_to = LISTED_UP_TO if related and related.has_view_permission(request) else 0

    def expected_parameters(self):
        return [self.lookup_kwarg]

    def get_facet_queryset(self, changelist):
        return {}  # no counts: they would be one per row of the related model

    def choices(self, changelist):
        yield {
            "selected": bool(self.value),
            "all_url": changelist.get_query_string(remove=[self.lookup_kwarg]),
            "kept": self.kept,
            "field": self._widget_html(),
        }

    def _widget_html(self):
        related = self.field.related_model
        widget = KeyCheckedAutocompleteSelect(
            self.field, self.admin_site, attrs={"data-width": "100%"}
        )
        widget.listed_up_to = self.listed_up_to
        chooser = forms.ModelChoiceField(
            queryset=related._default_manager.all(),
            to_field_name=self.field.target_field.name,
            widget=widget,
            required=False,
        )
        return chooser.widget.render(
            self.lookup_kwarg,
            self.value or None,
            attrs={"id": f"filter-{self.field_path}", "aria-label": f"Choose a {self.title}"},
        )


class AutocompleteFilterMedia:
    """For a ModelAdmin whose list has an AutocompleteFilter: its scripts and styles."""

    @property
    def media(self):
        return super().media + AutocompleteSelect(None, self.admin_site).media

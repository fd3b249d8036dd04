"""The admin site: Django's, signed into through the site's rate-limited sign-in, with posted
keys checked before they reach a query.

Django's admin has its own sign-in form, which counts no failed attempts: a password could
be guessed there as fast as requests go. CareerPortalAdminSite sends it to allauth's sign-in
(ACCOUNT_RATE_LIMITS) and answers a signed-in learner with a 403.

Django's admin lets a posted value that cannot be a key (only a hand-made request sends one:
"abc" for an id, or an id past 2**63) reach a query, which fails with a server error: when an
autocomplete select is shown again with the form's errors, in any many-to-many field on
SQLite, and in the rows an action is asked to run on. KeyCheckedRelationsMixin answers each
with a form error or a message.
"""

import re

from allauth.account.decorators import secure_admin_login
from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.contrib.admin.views.main import ERROR_FLAG, IGNORED_PARAMS, PAGE_VAR
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.forms.models import BaseModelFormSet
from django.http import HttpResponseRedirect
from django.template.response import SimpleTemplateResponse

from careerportal import password_events
from careerportal.admin_counts import CountsTheListOnce
from careerportal.admin_deleted_meanwhile import KeepsWhatWasTypedForADeletedRow
from careerportal.admin_deletion import ListsDeletionsBriefly


def _is_key(field, value) -> bool:
    """Whether `value` can be a value of the key `field` (its type and the database's range)."""
    try:
        field.clean(value, None)
    except ValidationError:
        return False
    return True


# A related table with up to this many rows is listed whole in its autocomplete select.
LISTED_UP_TO = 300


class KeyCheckedAutocompleteMixin:
    """Django's autocomplete select, except that a posted value which cannot be a key ("abc"
    for an id) is left out when the form is shown again with its errors, instead of going
    into a query that fails.

    `selected_object`, when the form's row was read with it (an inline row's foreign key,
    joined to the row; KeyCheckedRelationsMixin.render_change_form hands it over), labels the
    selected option without the query Django makes for it: one query a row, in a career's
    form one per roadmap step and per hiring.

    `listed_up_to` rows: Django's select holds the chosen row only, for select2 to search the
    others, so without JavaScript a salary figure's add page offered no career at all. With
    it set, a related table of up to that many rows is read in one query and every row is an
    option (select2 still searches over them); a longer one keeps Django's way.

    `rows_read`, a dict shared by the widgets of one request (KeyCheckedRelationsMixin hands
    it over), holds the rows each listing query read, so that two fields listing the same
    rows (a certification's successor and prerequisites) read them once."""

    selected_object = None
    listed_up_to = 0
    rows_read = None

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field  # a many-to-many relation has no field_name
        opts = remote.model._meta
        key = opts.get_field(getattr(remote, "field_name", None) or opts.pk.name)
        value = [v for v in value if _is_key(key, v)]
        if self.listed_up_to and (rows := self._rows_if_few()) is not None:
            return self._groups_of_all(name, rows, key, {str(v) for v in value})
        known = self.selected_object
        if known is not None and [str(v) for v in value] == [str(key.value_from_object(known))]:
            return self._groups_with(name, known, key)
        return super().optgroups(name, value, attr)

    def _rows_if_few(self) -> list | None:
        """Every row the field accepts, in its order, or None if there are more than
        `listed_up_to`. Long text columns stay unread: labels are names and titles."""
        queryset = self.choices.queryset.using(self.db)
        long_text = [
            f.attname for f in queryset.model._meta.concrete_fields if type(f) is models.TextField
        ]
        listing = queryset.defer(*long_text)[: self.listed_up_to + 1]
        if self.rows_read is None:
            rows = list(listing)
        else:
            sql, params = listing.query.sql_with_params()
            key = (listing.db, sql, repr(params))
            if key not in self.rows_read:
                self.rows_read[key] = list(listing)
            rows = self.rows_read[key]
        return rows if len(rows) <= self.listed_up_to else None

    def _groups_of_all(self, name, rows, key, chosen: set[str]):
        labelled = [
            (key.value_from_object(row), self.choices.field.label_from_instance(row))
            for row in rows
        ]
        chosen &= {str(value) for value, _ in labelled}  # a row deleted meanwhile is none
        options = []
        if not self.allow_multiple_selected and (not self.is_required or not chosen):
            # As Django's plain select: no row is taken for the editor's choice unseen.
            options.append(self.create_option(name, "", "---------", not chosen, 0))
        for value, label in labelled:
            options.append(
                self.create_option(name, value, label, str(value) in chosen, len(options))
            )
        return [(None, options, 0)]

    def _groups_with(self, name, known, key):
        """The option groups Django's optgroups returns for one selected row, without its
        query (django/contrib/admin/widgets.py, AutocompleteMixin.optgroups)."""
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        selected = key.value_from_object(known)
        label = self.choices.field.label_from_instance(known)
        options.append(self.create_option(name, selected, label, {str(selected)}, len(options)))
        return [(None, options, 0)]


class KeyCheckedAutocompleteSelect(KeyCheckedAutocompleteMixin, AutocompleteSelect):
    pass


def _label_from_rows_read(form) -> None:
    """Give each autocomplete of `form` the page its row already holds, if it holds it."""
    for field in form.fields.values():
        widget = getattr(field.widget, "widget", field.widget)  # inside the add/change links
        if isinstance(widget, KeyCheckedAutocompleteSelect) and widget.field.is_cached(
            form.instance
        ):
            widget.selected_object = getattr(form.instance, widget.field.name)


class KeyCheckedAutocompleteSelectMultiple(KeyCheckedAutocompleteMixin, AutocompleteSelectMultiple):
    pass


class KeyCheckedMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, except that a posted value which cannot be a key is an invalid choice before
    the query: SQLite cannot even bind an id past 2**63 in `pk__in`."""

    def _check_values(self, value):
        model = self.queryset.model
        key = model._meta.get_field(self.to_field_name) if self.to_field_name else model._meta.pk
        for item in value:
            if not _is_key(key, item):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super()._check_values(value)


# A date filter's parts ("?updated_at__year=2024&updated_at__month=5"): Python's dates hold only
# these, and a value beyond them failed the list's query with a server error.
DATE_PART_RANGES = {"year": (1, 9999), "iso_year": (1, 9999), "month": (1, 12), "day": (1, 31)}
DATE_PART_MESSAGE = (
    "A date in the address is out of range ({shown}): a year is 1 to 9999, a month 1 to 12, "
    "a day 1 to 31. The list is shown without it."
)


def _dates_out_of_range(params) -> list[str]:
    """The parameters naming a date part (`<field>__year`, `__month__gte`...) whose value is
    not a whole number in that part's range (each of a list's, for `__in`)."""
    bad = []
    for key, values in params.lists():
        parts = [part for part in key.split("__")[1:] if part in DATE_PART_RANGES]
        if not parts:
            continue
        low, high = DATE_PART_RANGES[parts[-1]]
        numbers = [item.strip() for value in values for item in value.split(",")]
        if not all(n.isascii() and n.isdigit() and low <= int(n) <= high for n in numbers):
            bad.append(key)
    return bad


# Lookups no link of the admin makes, which failed the list's query with a server error when
# typed into its address: a pattern (`?title__regex=(`: each database reads its own dialect,
# and refuses a pattern it cannot) and a range without its two ends (`?id__range=1`).
LOOKUP_MESSAGE = (
    "A filter in the address cannot be used ({shown}): a range takes two values "
    "(“?id__range=1,9”), and patterns are not searched. The list is shown without it."
)


def _lookups_refused(params) -> list[str]:
    """The parameters of a pattern lookup, or of a range without exactly two values."""
    bad = []
    for key, values in params.lists():
        lookup = key.split("__")[-1] if "__" in key else ""
        pattern = lookup in ("regex", "iregex")
        if pattern or (lookup == "range" and any(len(v.split(",")) != 2 for v in values)):
            bad.append(key)
    return bad


# A whole number past 64 bits in a filter (`?career=99999999999999999999`, `?id__in=1,<past
# 2**63>`: an id pasted wrong): SQLite cannot take it, and the list failed with a server
# error. A value that is no number at all ("abc") keeps Django's own answer (`?e=1`).
NUMBER_MESSAGE = (
    "A number in the address is too large for any row to have ({shown}). The list is shown "
    "without it."
)
WHOLE_NUMBER = re.compile(r"\s*[-+]?\d+\s*")
NUMBER_LOOKUPS = {"exact", "in", "range", "gt", "gte", "lt", "lte"}


def _numbers_too_large(model, params) -> list[str]:
    """The parameters filtering a whole-number column (an id, a key, a count) by a whole
    number past 64 bits (any of a list's, for `__in` and `__range`)."""
    bad = []
    for key, values in params.lists():
        path, _, lookup = key.rpartition(LOOKUP_SEP)
        try:
            field = get_fields_from_path(model, path if lookup in NUMBER_LOOKUPS else key)[-1]
        except (FieldDoesNotExist, NotRelationField):
            continue
        if field.is_relation:  # filtered by the key of the row it points at
            forward = field.concrete and (field.many_to_one or field.one_to_one)
            field = field.target_field if forward else field.related_model._meta.pk
        if not isinstance(field, models.IntegerField):
            continue
        items = [item for value in values for item in value.split(",")]
        if any(WHOLE_NUMBER.fullmatch(n) and not -(2**63) <= int(n) < 2**63 for n in items):
            bad.append(key)
    return bad


# A filter the list's query refuses (`?id__in=a,b`, `?nope=1`, `?updated_at__lt=abc`): Django
# sends the list to `?e=1`, unfiltered, without a word, so an editor read the whole list as the
# filtered one; and to an address holding `e=1` already it answered "Database error: something's
# wrong with your database installation".
FILTER_MESSAGE = (
    "A filter in the address cannot be used ({shown}): it names no field of this list, or a "
    "value that field cannot hold. The list is shown without filters."
)
LIST_PARAMETERS = {*IGNORED_PARAMS, PAGE_VAR, ERROR_FLAG}


def _filter_refused(request, response) -> bool:
    """Whether Django's list refused a filter in the address (its answers above)."""
    if isinstance(response, SimpleTemplateResponse):
        return response.template_name == "admin/invalid_setup.html"
    return isinstance(response, HttpResponseRedirect) and response.url == _unfiltered(request)


def _unfiltered(request) -> str:
    return f"{request.path}?{ERROR_FLAG}=1"


class _RowAmongThoseRead(forms.ModelChoiceField):
    """A list_editable row's hidden id, found among the rows its formset read in one query;
    Django's id field read each row again, one query a row shown (42 rows: 56 queries to save
    one ticked checkbox)."""

    def __init__(self, formset, *args, **kwargs):
        self.formset = formset
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            key = self.formset._pk_field.to_python(value)
        except ValidationError:
            key = None
        row = None if key is None else self.formset._existing_object(key)
        if row is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return row


def name_each_field(form, row: str = "") -> None:
    """Names each field of a row (`row`: the row's own name) for a screen reader, which says it
    when the field is reached with Tab: a tabular inline's cells and a list's editable column
    sit under column headings, none a <label>, so every roadmap step's reason was read out as
    "edit text" (axe: 133 unnamed fields on the AI / ML Engineer form)."""
    for field in form.fields.values():
        if field.label and not field.widget.is_hidden:
            name = f"{field.label}: {row}" if row else str(field.label)
            field.widget.attrs.setdefault("aria-label", name)


class ListedRowsFormSet(BaseModelFormSet):
    """The formset of a list's editable columns, reading its rows once; each field is named
    with its column and row ("Featured: AI / ML Engineer")."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        name_each_field(form, str(form.instance))
        name = self._pk_field.name
        field = form.fields.get(name)
        if type(field) is forms.ModelChoiceField:  # the hidden id Django added
            form.fields[name] = _RowAmongThoseRead(
                self, field.queryset, initial=field.initial, required=False, widget=field.widget
            )


def _rows_read_in(request) -> dict:
    """The rows the autocompletes of `request`'s page listed (KeyCheckedAutocompleteMixin),
    kept on the request: read again by the next request, never shown from another's."""
    if not hasattr(request, "_autocomplete_rows_read"):
        request._autocomplete_rows_read = {}
    return request._autocomplete_rows_read


class KeyCheckedRelationsMixin:
    """Admins and inlines whose related-object fields refuse a posted value that cannot be a
    key of the related model (only a hand-made request sends one) with a form error; Django's
    own let it reach a query, which failed with a server error."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeyCheckedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
            kwargs["widget"].listed_up_to = self._listed_up_to(db_field, request)
            kwargs["widget"].rows_read = _rows_read_in(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeyCheckedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
            kwargs["widget"].listed_up_to = self._listed_up_to(db_field, request)
            kwargs["widget"].rows_read = _rows_read_in(request)
        kwargs.setdefault("form_class", KeyCheckedMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _listed_up_to(self, db_field, request) -> int:
        """How many rows the autocomplete of `db_field` may list (see KeyCheckedAutocompleteMixin):
        on a page's own form, to whoever may search them (the rule of Django's autocomplete
        view); none in an inline, where its rows cannot be added without JavaScript anyway
        and the list would be repeated in every row."""
        if isinstance(self, InlineModelAdmin):
            return 0
        related = self.admin_site._registry.get(db_field.remote_field.model)
        return LISTED_UP_TO if related and related.has_view_permission(request) else 0

    def get_object(self, request, object_id, from_field=None):
        # An empty "?_to_field=" (a popup's address, cut short) passes Django's check, which
        # skips an empty value, and was then looked up as a field named "": a server error
        # on every change and delete page. It means the key, as no value does.
        return super().get_object(request, object_id, from_field or None)

    def render_change_form(self, request, context, *args, **kwargs):
        # Rendered after this: the rows were read (an inline's select_related, the page's
        # title naming the row's career), so their autocompletes need not read them again.
        forms = [context["adminform"].form] if "adminform" in context else []
        for inline in context.get("inline_admin_formsets", []):
            forms += inline.formset.forms
        for form in forms:
            _label_from_rows_read(form)
        return super().render_change_form(request, context, *args, **kwargs)

    def get_changelist_formset(self, request, **kwargs):
        return super().get_changelist_formset(request, **{"formset": ListedRowsFormSet, **kwargs})

    def changelist_view(self, request, extra_context=None):
        """Rows edited in the list (list_editable) that cannot exist change nothing; a date
        part out of range in the address (a date filter's `?updated_at__year=99999`), a
        pattern, a range without two ends or a number no row can have is left out with a
        message instead of failing the query; any other filter the query refuses drops the
        list's filters, as Django does, and says so."""

        def allowed(keys):
            # A lookup the list may not filter by at all (a learner's notes) keeps Django's 400.
            return [key for key in keys if self.lookup_allowed(key, request.GET[key], request)]

        refused = [
            (message, bad)
            for message, bad in (
                (DATE_PART_MESSAGE, _dates_out_of_range(request.GET)),
                (LOOKUP_MESSAGE, allowed(_lookups_refused(request.GET))),
                (NUMBER_MESSAGE, allowed(_numbers_too_large(self.model, request.GET))),
            )
            if bad
        ]
        if refused:
            query = request.GET.copy()
            for message, bad in refused:
                for key in bad:
                    del query[key]
                shown = ", ".join(f"{key}={request.GET[key]}"[:80] for key in bad)
                self.message_user(request, message.format(shown=shown), "warning")
            return HttpResponseRedirect(f"{request.path}?{query.urlencode()}".rstrip("?"))
        if request.method == "POST" and "_save" in request.POST:
            row_id = re.compile(rf"form-\d+-{re.escape(self.model._meta.pk.name)}")
            ids = [v for k, v in request.POST.items() if row_id.fullmatch(k) and v]
            if not all(_is_key(self.model._meta.pk, value) for value in ids):
                return self._nothing_changed(request)
        response = super().changelist_view(request, extra_context)
        if _filter_refused(request, response):
            filters = [(k, v) for k, v in request.GET.items() if k not in LIST_PARAMETERS]
            filters = filters or list(request.GET.items())
            shown = ", ".join(f"{key}={value}"[:80] for key, value in filters)
            self.message_user(request, FILTER_MESSAGE.format(shown=shown), "warning")
            return HttpResponseRedirect(_unfiltered(request))
        return response

    def response_action(self, request, queryset):
        """An action on rows that cannot exist changes nothing and says so. An action that
        changes rows with `.update()`, which sends no signal, tells the page cache itself
        (`content_changed`) when it changed any: one that refused every row (publishing
        incomplete careers, an export, a delete's confirmation page) refreshes nothing, and
        with the page cache down no longer tells the editor a change was saved."""
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(_is_key(self.model._meta.pk, value) for value in selected):
            return self._nothing_changed(request)
        return super().response_action(request, queryset)

    def _nothing_changed(self, request):
        self.message_user(
            request, "Some rows sent do not exist, so nothing was changed.", "warning"
        )
        return HttpResponseRedirect(request.get_full_path())


class CareerPortalAdminSite(admin.AdminSite):
    """The admin site (careerportal.apps.AdminConfig makes it `admin.site`): signed into through
    the site's sign-in; every model admin registered on it, Django's and allauth's included,
    checks posted keys, lists what a delete takes along in a fixed number of queries
    (ListsDeletionsBriefly), counts an unfiltered list once (CountsTheListOnce) and keeps what
    was typed on a page deleted meanwhile (KeepsWhatWasTypedForADeletedRow). Inlines
    opt in by inheriting KeyCheckedRelationsMixin."""

    def login(self, request, extra_context=None):
        return secure_admin_login(super().login)(request, extra_context)

    def password_change(self, request, extra_context=None):
        """A staff member's own new password, set here instead of on the Account page, also
        switches off their calendar feed, as that page's form does (password_events)."""
        before = request.user.password
        response = super().password_change(request, extra_context)
        if request.method == "POST" and request.user.password != before:
            password_events.admin_own_password_changed(request, request.user)
        return response

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        # An admin with its own get_deleted_objects builds on ListsDeletionsBriefly itself.
        mixins = [
            mixin
            for mixin in (
                KeyCheckedRelationsMixin,
                ListsDeletionsBriefly,
                CountsTheListOnce,
                KeepsWhatWasTypedForADeletedRow,
            )
            if not issubclass(admin_class, mixin)
        ]
        if mixins:
            bases = (*mixins, admin_class)
            admin_class = type(admin_class.__name__, bases, {"__module__": admin_class.__module__})
        super().register(model_or_iterable, admin_class, **options)

"""The delete pages (one object or the bulk action) in a number of queries that does not grow
with the rows a delete would take along.

Django's list names every related row with str(), and a name that reads a foreign key
(“Employer hires Career”) fetches it row by row: an employer hiring for 300 careers made 309
queries. Here the keys those names read are loaded in one query per key and model, and a
model with more than LIST_AT_MOST rows in one place is one line with its count instead of
a name per row (the summary above the list counts every model as before).
"""

from collections import defaultdict

from django.contrib.admin.utils import NestedObjects, quote
from django.db import router
from django.db.models import prefetch_related_objects
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst

LIST_AT_MOST = 20


class _Unlisted:
    """A row of a model with too many rows to name one by one (shown as one counted line)."""

    __slots__ = ["model"]

    def __init__(self, model):
        self.model = model


def _load_named_keys(rows):
    """Fetch, one query per foreign key, what the rows' names may read (already loaded skipped)."""
    rows = list(rows)
    if rows:
        keys = [f.name for f in rows[0]._meta.concrete_fields if f.many_to_one]
        prefetch_related_objects(rows, *keys)


def _many_to_many_of(model):
    """The many-to-many field whose table Django made as `model`, or None. Its rows had
    Django's names ("From_certification-to_certification relationship: Certification_
    prerequisites object (1)"), which told an editor nothing."""
    owner = model._meta.auto_created
    if not owner:
        return None
    fields = owner._meta.many_to_many
    return next((field for field in fields if field.remote_field.through is model), None)


def _plural(model):
    """`model`'s plural as the delete pages write it: "prerequisites links" for a
    many-to-many field's rows."""
    field = _many_to_many_of(model)
    if field is not None:
        return f"{field.verbose_name} links"
    return model._meta.verbose_name_plural


def _collapse(items):
    """`items` (Django's nested list) with each run of one model's unlisted rows as one line."""
    out, run_model, run_size, run_children = [], None, 0, []

    def close_run():
        if run_model is not None:
            out.append(
                f"{capfirst(_plural(run_model))}: {run_size} "
                f"(too many to list one by one; counted in the summary)"
            )
            if run_children:
                out.append(_collapse(run_children))

    for index, item in enumerate(items):
        if isinstance(item, list):
            previous = items[index - 1] if index else None
            if isinstance(previous, _Unlisted):
                run_children.extend(item)
            else:
                out.append(_collapse(item))
            continue
        if isinstance(item, _Unlisted) and item.model is run_model:
            run_size += 1
            continue
        close_run()
        run_model, run_size, run_children = None, 0, []
        if isinstance(item, _Unlisted):
            run_model, run_size = item.model, 1
        else:
            out.append(item)
    close_run()
    return out


def deleted_objects_in_brief(objs, request, admin_site):
    """Django's admin.utils.get_deleted_objects (the same four values) in a fixed number of
    queries: names read already loaded keys, and big groups of rows are counted, not named."""
    try:
        first = objs[0]
    except IndexError:
        return [], {}, set(), []
    collector = NestedObjects(using=router.db_for_write(first._meta.model), origin=objs)
    collector.collect(objs)

    protected_by_model = defaultdict(list)
    for obj in collector.protected:
        protected_by_model[type(obj)].append(obj)
    listed = set()
    for groups in (collector.model_objs, protected_by_model):
        for model, rows in groups.items():
            if len(rows) <= LIST_AT_MOST:
                listed.add((id(groups), model))
                _load_named_keys(rows)

    perms_needed = set()

    def format_callback(obj, groups=collector.model_objs):
        model, opts = type(obj), obj._meta
        registered = admin_site.is_registered(model)
        if registered and not admin_site.get_model_admin(model).has_delete_permission(request, obj):
            perms_needed.add(opts.verbose_name)
        if (id(groups), model) not in listed:
            return _Unlisted(model)
        field = _many_to_many_of(model)
        if field is not None:  # "Prerequisites of Advanced (EX-001): Base (EX-000)"
            owner = getattr(obj, field.m2m_field_name())
            chosen = getattr(obj, field.m2m_reverse_field_name())
            return f"{capfirst(field.verbose_name)} of {owner}: {chosen}"
        no_edit_link = f"{capfirst(opts.verbose_name)}: {obj}"
        if not registered:
            return no_edit_link
        try:
            url = reverse(
                f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                args=[quote(obj.pk)],
            )
        except NoReverseMatch:  # edited inline only
            return no_edit_link
        return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj)

    to_delete = _collapse(collector.nested(format_callback))
    protected = _collapse(
        [
            format_callback(obj, protected_by_model)
            for rows in protected_by_model.values()
            for obj in rows
        ]
    )
    model_count = {_plural(model): len(rows) for model, rows in collector.model_objs.items()}
    return to_delete, model_count, perms_needed, protected


class ListsDeletionsBriefly:
    """A model admin whose delete pages use deleted_objects_in_brief."""

    def get_deleted_objects(self, objs, request):
        return deleted_objects_in_brief(objs, request, self.admin_site)

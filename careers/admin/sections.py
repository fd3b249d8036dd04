"""What a complete career page needs, and the public careers a delete or a move
leaves with a section empty.
"""

from django.contrib import messages
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.html import format_html

from careerportal.admin_deletion import ListsDeletionsBriefly
from careers.admin.shared import ids_of, linked_names
from careers.models import Career

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

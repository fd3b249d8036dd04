"""How a career's inline rows are saved: a row gone since the page was opened, places
typed without JavaScript, rows trading unique values, pages held until the save, rows
repeating one another.
"""

from adminsortable2.admin import CustomInlineFormSet
from django import forms

from careerportal.admin_site import name_each_field
from careerportal.locks import hold_rows


class GoneRow:
    """What the admin shows a gone row under (SaysWhichRowsWentFormSet): its title, where a
    saved row names itself; the row as posted may name nothing (no certification chosen)."""

    pk = None

    def __str__(self):
        return "Deleted since this page was opened"


class SaysWhichRowsWentFormSet(CustomInlineFormSet):
    """A career's inline whose page was opened before one of its saved rows was deleted, or
    moved to another career, elsewhere (another tab, a colleague, the row's own page).

    Django's formset made that row a new one whose hidden id failed with an error no page
    shows, and the admin pairs the posted rows with the rows still saved, place by place: each
    row after the gone one showed under the next one's title and the last was left off the
    page, with what the editor typed in it. They read "Please correct the errors below" with
    nothing to correct, and Save again never got through. Here the gone row stays on the page
    with what was typed in it and says what happened; ticking its Delete box lets it go."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        name_each_field(form)  # each cell sits under a column heading, not a <label>

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.gone = self.is_bound and i < self.initial_form_count() and form.instance.pk is None
        if form.gone:  # its id names no row of this career: the row error says why
            pk = self.model._meta.pk.name
            form.fields[pk] = forms.CharField(required=False, widget=forms.HiddenInput)
        return form

    def get_queryset(self):
        """The saved rows, or once the posted rows are not those, place by place (one gone, a
        row of another year on the salary figures'), the rows the posted ones are (a title
        for the gone one), so the admin shows each row under its own title."""
        if self.is_bound and "forms" in self.__dict__:
            posted = [GoneRow() if form.gone else form.instance for form in self.initial_forms]
            if posted != list(super().get_queryset()):  # read already: no query
                return posted
        return super().get_queryset()

    def clean(self):
        super().clean()
        what = self.model._meta.verbose_name
        what = what if what.isupper() else what.lower()
        for form in self.initial_forms:
            if form.gone and not self._should_delete_form(form):
                form.add_error(
                    None,
                    f"This {what} was deleted, or moved to another career, after this page was "
                    "opened (in another tab or by a colleague), so what is typed here cannot be "
                    "saved to it. Tick its Delete box to let it go; to keep its text, copy it "
                    f"into a new {what} first.",
                )


class PositionField(forms.IntegerField):
    """A row's place as an editor types it: a whole number from 1 to 999 (a career has a few
    dozen rows of a kind). Past the column's range the model's check said "less than or equal
    to 9223372036854775807" on SQLite, 2147483647 on PostgreSQL, and 0 or a negative number
    meant nothing an editor could tell. `kept`: the row's stored position, accepted as it is,
    so a row stored outside the range by code (the default is 0) still saves unchanged."""

    LOWEST, HIGHEST = 1, 999
    MESSAGE = f"Enter a whole number from {LOWEST} to {HIGHEST}."
    default_error_messages = {"invalid": MESSAGE, "min_value": MESSAGE, "max_value": MESSAGE}
    is_hidden = False  # adminsortable2 hides an order field so marked: this one is typed in

    def __init__(self, *, kept=None, **kwargs):
        super().__init__(min_value=self.LOWEST, max_value=self.HIGHEST, **kwargs)
        self.kept = kept

    def run_validators(self, value):
        if value is None or value != self.kept:
            super().run_validators(value)


class KeepsPositionsFormSet(SaysWhichRowsWentFormSet):
    """A sortable inline (roadmap steps, responsibilities, employers hiring, day-in-the-life
    entries, FAQs) that an editor reorders with or without JavaScript.

    adminsortable2 hides the position, and only its script (dragging, or the Move buttons of
    static/js/admin-sort-keys.js) could change it. Here each saved row shows its place as a
    number box, "Position" (1, 2, 3... down the page, whatever it is stored as), which that
    script hides again: without JavaScript an editor types where rows go. A row given the
    number of a row that keeps it goes before that row when it moved up or is new, after it
    when it moved down (1 on the last of three rows makes it the first, 3 on the first makes
    it the last), and a new row without one goes last. When that changes the order, the kept
    rows are saved as 1, 2, 3...; otherwise no row's position changes.

    A saved row posted with an empty position (blanked by a script or by hand) reached the
    database as NULL and failed the save with a server error: it keeps its place."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = self.default_order_field or ""
        if name in self.form.base_fields:
            self.form.base_fields[name] = PositionField(
                required=False,
                label="Position",
                help_text="1 is the first row: type a number to move this row there.",
                widget=forms.NumberInput(attrs={"class": "_reorder_"}),
            )

    def _construct_form(self, i, **kwargs):
        name = self.default_order_field
        if name and i < self.initial_form_count():
            kwargs["initial"] = {**kwargs.get("initial", {}), name: i + 1}  # its place shown
        form = super()._construct_form(i, **kwargs)
        if name and i < self.initial_form_count():
            form.stored_position = getattr(form.instance, name)
        return form

    def clean(self):
        super().clean()
        name = self.default_order_field
        if not name:
            return
        for form in self.initial_forms:
            if getattr(form, "cleaned_data", None) and form.cleaned_data.get(name) is None:
                form.cleaned_data[name] = form.initial.get(name)
        if not any(self.errors):
            self._number_rows(name)

    def _number_rows(self, name: str) -> None:
        """Store the positions of the rows to be kept: 1, 2, 3... in the order typed when it
        differs from the page's, else each saved row's own and none for new rows (last)."""
        initial, rows = self.initial_form_count(), []
        for index, form in enumerate(self.forms):
            data = getattr(form, "cleaned_data", None)
            if data is None or self._should_delete_form(form):
                continue
            if index >= initial and not form.has_changed():
                continue  # an empty extra row: nothing is saved
            typed, shown = data.get(name), form.initial.get(name) if index < initial else None
            if typed is None:
                key = (1, 0, 0)
            elif shown is None or typed < shown:
                key = (0, typed, -1)  # new or moved up: before a row keeping the number
            else:
                key = (0, typed, int(typed > shown))
            rows.append(((*key, index), index, form))
        reordered = [index for _key, index, _form in sorted(rows)] != [i for _k, i, _f in rows]
        for number, (_key, index, form) in enumerate(sorted(rows), start=1):
            if index >= initial:
                position = number if reordered else None  # None: adminsortable2 puts it last
            else:
                position = number if reordered else form.stored_position
                if position != form.stored_position and name not in form.changed_data:
                    form.changed_data.append(name)
                elif position == form.stored_position and name in form.changed_data:
                    form.changed_data.remove(name)  # typed, yet kept in its place
            form.cleaned_data[name] = position
            setattr(form.instance, name, position)


class SwapSafeInlineFormSet(KeepsPositionsFormSet):
    """An inline formset whose rows may trade the values of a unique constraint between them
    (row 1 takes row 2's certification and row 2 takes row 1's).

    Django saves changed rows one UPDATE at a time, so a swap passes the formset's duplicate
    check (the final rows are unique) and then fails on the database's constraint halfway.
    Here, inside the admin's transaction, rows marked for deletion go first, then every row
    whose unique fields changed is deleted and saved again under the same primary key (an
    UPDATE that finds no row becomes an INSERT), and only then the other rows. Deleting is
    safe only while nothing points at these rows: `clean()` checks that first.

    Used by sortable and plain inlines alike: without an order field adminsortable2's part
    does nothing.
    """

    def _unique_fields(self) -> set[str]:
        names = {name for c in self.model._meta.total_unique_constraints for name in c.fields}
        names.update(name for group in self.model._meta.unique_together for name in group)
        return names - {self.fk.name}

    def _kept_forms(self) -> list:
        """The rows to be saved, as the inline shows them (top to bottom), with their data."""
        return [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not self._should_delete_form(form)
        ]

    def _deleted_forms(self) -> list:
        """The existing rows marked for deletion (callable from clean(), unlike deleted_forms)."""
        return [f for f in self.initial_forms if self.can_delete and self._should_delete_form(f)]

    def _moved_forms(self) -> list:
        """The kept existing rows whose values under a unique constraint changed."""
        unique, deleted = self._unique_fields(), self._deleted_forms()
        return [
            form
            for form in self.initial_forms
            if form.instance.pk is not None
            and form not in deleted
            and unique.intersection(form.changed_data)
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        pks = [form.instance.pk for form in self._moved_forms()]
        for relation in self.model._meta.related_objects if pks else []:
            referenced = relation.related_model._base_manager.filter(
                **{f"{relation.field.name}__in": pks}
            )
            if referenced.exists():
                raise forms.ValidationError(
                    "These rows are used elsewhere, so they cannot trade values in one save: "
                    "change one row, save, then change the other."
                )

    def save_existing_objects(self, commit=True):
        if not commit:
            return super().save_existing_objects(commit)
        self.changed_objects, self.deleted_objects, saved = [], [], []
        deleted, moved = self._deleted_forms(), self._moved_forms()
        for form in self.initial_forms:
            if form in deleted and form.instance.pk is not None:
                self.deleted_objects.append(form.instance)
                self.delete_existing(form.instance, commit=True)
        if moved:
            self.model._base_manager.filter(pk__in=[form.instance.pk for form in moved]).delete()
        for form in self.initial_forms:
            if form in deleted or form.instance.pk is None:
                continue
            if form in moved or form.has_changed():
                self.changed_objects.append((form.instance, form.changed_data))
                saved.append(self.save_existing(form, form.instance, commit=True))
        return saved


class HoldsNamedRowsFormSet(SwapSafeInlineFormSet):
    """Inline rows that name other pages (`held`: the foreign key, such as a roadmap step's
    certification or a hiring's employer), each held against deletion until the career is
    saved. One deleted since the form was checked failed the save with a server error as it
    committed (PostgreSQL), and a delete counting what it protects missed a row not yet
    committed. Now the save says which is gone, or the delete waits and sees the new row."""

    held = ""
    # What a row naming the same page as an earlier row is told, in place of Django's "Please
    # correct the duplicate data for …": {held} the page, {number} the row it already is.
    repeated = ""

    def validate_unique(self):
        """A page chosen on a second row is refused at that row, naming the row it already is.
        Rows count as the inline shows them: kept rows, top to bottom."""
        first = {}
        for number, form in enumerate(self._kept_forms(), start=1):
            held = form.cleaned_data.get(self.held)
            if held is None or not form.is_valid():
                continue
            if held.pk in first:
                form.add_error(self.held, self.repeated.format(held=held, number=first[held.pk]))
            else:
                first[held.pk] = number
        super().validate_unique()

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        named = {
            form.cleaned_data[self.held]
            for form in self.forms
            if form.cleaned_data.get(self.held) and not self._should_delete_form(form)
        }
        model = self.model._meta.get_field(self.held).related_model
        kept = hold_rows(model, [row.pk for row in named])
        gone = sorted(getattr(row, "name", str(row)) for row in named if row.pk not in kept)
        if gone:
            one = len(gone) == 1
            raise forms.ValidationError(
                f"{', '.join(gone)} {'was' if one else 'were'} deleted a moment ago, so "
                f"{'its row' if one else 'their rows'} cannot be saved: remove "
                f"{'it' if one else 'them'} and save again."
            )


class NoRepeatsFormSet(KeepsPositionsFormSet):
    """Refuses a row that repeats one above it on the same career, letter case and spaces
    aside (around it, or more than one inside): two saves of one FAQ were kept, and the page
    showed it twice.
    `repeated`: the fields that make two rows the same (the error goes on the last one).
    The formset alone checks: with a database constraint on (career, lower(trim(question)))
    a save that swaps two FAQs' questions, or gives one the question of one it deletes, failed
    with a server error (IntegrityError, tried on SQLite: rows are saved one at a time)."""

    repeated = ()

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        seen = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            values = [data.get(name) for name in self.repeated]
            if self._should_delete_form(form) or any(v in (None, "") for v in values):
                continue
            # Spaces inside count as one, as the page shows them (two typed, a line break, a
            # non-breaking space pasted from a document).
            key = tuple(" ".join(v.split()).casefold() if isinstance(v, str) else v for v in values)
            if key in seen:
                form.add_error(
                    self.repeated[-1],
                    f"Repeats “{seen[key]}” above (letter case and spaces aside): the page "
                    "would show it twice. Change or remove one.",
                )
            else:
                seen[key] = values[-1].strip()

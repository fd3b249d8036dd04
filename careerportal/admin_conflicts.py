"""Two editors on one page: the second save does not silently undo the first.

Django's admin saves whatever the form holds, so an editor who opened a career before a
colleague saved it wrote the old text back over the colleague's work without a word.
`EditConflictForm` remembers when the row was last saved as the editor opened it (a hidden
field, filled from `updated_at`). If it was saved since, the save stops with a message, the
editor's input stays on the page, and pressing Save again replaces the other version on
purpose. No extra query: the admin reads the row afresh for every POST.

Two saves at the same moment both read the row before either had committed, so both passed
the check and the second wrote over the first without a word (PostgreSQL; SQLite runs the
admin's save as one write transaction, which the other waits for). `LockedWhileSaving` makes
the admin lock the row as it reads it for a POST, so the second save waits for the first and
then sees its time: one query more per save, on PostgreSQL only.
"""

import datetime

from django import forms
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.utils import timezone

FIELD = "seen_updated_at"


def said_when(moment) -> str:
    """`moment` in the editor's own time zone (the middleware's), named: "0:15 (UTC) on
    1 December 2026"."""
    at = timezone.localtime(moment)
    return f"{at.hour}:{at:%M} ({at.tzname()}) on {at.day} {at:%B %Y}"


def said_who(user) -> str:
    """An editor as a colleague knows them: "Ada Lovelace (ada@example.com)"."""
    who = user.get_full_name() or user.get_username()
    return who + (f" ({user.email})" if user.email and user.email != who else "")


class EditConflictForm(forms.ModelForm):
    """For a model with `updated_at` (auto_now). Put FIELD in the admin's first fieldset."""

    seen_updated_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        saved_at = self.last_saved()
        if saved_at:
            self.fields[FIELD].initial = saved_at.isoformat()

    def compared(self):
        """The row whose `updated_at` and admin history tell whether, and by whom, the page
        was saved since it was opened (None for a new one): the form's own row."""
        return self.instance if self.instance.pk else None

    def last_saved(self):
        """When the compared row was last saved (None for a new one)."""
        row = self.compared()
        return row.updated_at if row is not None else None

    def saved_what(self) -> str:
        """What the conflict message says someone else saved."""
        return f"this {self.instance._meta.verbose_name}"

    def clean(self):
        cleaned = super().clean()
        saved_at = self.last_saved()
        seen = cleaned.get(FIELD) or ""
        if saved_at is None or not seen or seen == saved_at.isoformat():
            return cleaned
        # The page shown again knows the other version now: the next Save replaces it.
        self.data = self.data.copy()
        self.data[self.add_prefix(FIELD)] = saved_at.isoformat()
        when = said_when(saved_at)
        saver = self.saved_by(saved_at)
        if saver is not None and saver.pk == self.editor_id:
            raise ValidationError(
                f"You saved {self.saved_what()} in another tab or window at {when}, after this "
                "page was opened, so nothing you changed here is saved yet. To keep that "
                "version, close this page and reload the other; to replace it with this page's, "
                f"press Save again.{self.fields_differing('that')}"
            )
        who = "Someone else" if saver is None else said_who(saver)
        raise ValidationError(
            f"{who} saved {self.saved_what()} at {when}, after you opened it, so "
            "nothing you changed is saved yet. To keep their version, open this page in a new "
            "tab and copy your changes across; to replace their version with yours, press Save "
            f"again.{self.fields_differing('their')}"
        )

    def fields_differing(self, whose: str) -> str:
        """The fields of this page that differ from the saved version, which Save again would
        write over: the editor's own changes and the other save's, told apart at a glance.
        The form's initial values are the saved row's, read afresh for this POST."""
        labels = [
            str(self.fields[name].label or name)
            for name in self.changed_data
            if name != FIELD and not self.fields[name].disabled
        ]
        if not labels:
            return ""
        return f" Save again would change these fields of {whose} version: {', '.join(labels)}."

    editor_id = None  # the signed-in editor's id, set by LockedWhileSaving.get_form

    def saved_by(self, saved_at):
        """Who made the admin save recorded at `saved_at`, from the compared row's history
        (None when another way saved it: the CSV import, a list action)."""
        row = self.compared()
        if row is None:
            return None
        entry = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(row),
                object_id=str(row.pk),
                action_flag__in=[ADDITION, CHANGE],
                # The history is written just after the row, in the same transaction.
                action_time__range=(saved_at, saved_at + datetime.timedelta(minutes=1)),
            )
            .select_related("user")
            .order_by("action_time")
            .first()
        )
        return entry.user if entry is not None else None


class LockedWhileSaving:
    """For a ModelAdmin whose form is an EditConflictForm: a POST (save or delete) locks the
    row whose `updated_at` the form compares until the admin's transaction ends."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.editor_id = request.user.pk  # a class made for this request: safe to set
        return form

    def get_object(self, request, object_id, from_field=None):
        if request.method == "POST":
            self._lock(object_id, from_field)
        return super().get_object(request, object_id, from_field)

    def rows_compared(self, lookup: dict):
        """The rows whose `updated_at` the form compares, for the object `lookup` finds."""
        return self.model._base_manager.filter(**lookup)

    def _lock(self, object_id, from_field) -> None:
        connection = transaction.get_connection(router.db_for_write(self.model))
        if not (connection.in_atomic_block and connection.features.has_select_for_update):
            return
        opts = self.model._meta
        field = opts.get_field(from_field) if from_field else opts.pk
        try:
            value = field.to_python(object_id)
        except ValidationError:
            return  # get_object answers for a malformed id
        # NO KEY: the lock an UPDATE takes anyway, which lets foreign keys to the row be
        # checked (a learner's progress on a certification) while it is held.
        rows = self.rows_compared({field.name: value}).order_by().select_for_update(no_key=True)
        list(rows.values_list("pk", flat=True))

"""The admin's history for changes made outside a change form: the list pages' actions, the
salary CSV import, a currency change, a career's part saved on its own page.

Django writes history for change forms alone, so such a change left none: a colleague's form
opened before it then stopped with "Someone else saved this" (careerportal.admin_conflicts
names the editor from this history), and the History page did not show it.
"""

from collections.abc import Callable, Iterable

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models


def history_write(
    *, user, rows: Iterable[models.Model], message: str | Callable[[models.Model], str]
) -> None:
    """Record in each of `rows`' history a change by `user` saying `message` (a text, or a
    function giving each row's); one query however many rows."""
    LogEntry.objects.bulk_create(
        LogEntry(
            user_id=user.pk,
            content_type=ContentType.objects.get_for_model(row, for_concrete_model=False),
            object_id=str(row.pk),
            object_repr=str(row)[:200],
            action_flag=CHANGE,
            change_message=message(row) if callable(message) else message,
        )
        for row in rows
    )

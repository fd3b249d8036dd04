"""A career's part (a salary figure, a roadmap step) edited on its own page."""

from careerportal.admin_conflicts import EditConflictForm, LockedWhileSaving
from careers import services
from careers.admin.sections import emptied_note, public_careers_emptied
from careers.admin.shared import is_changelist
from careers.models import Career


class TouchesCareerMixin(LockedWhileSaving):
    """For a career's part edited on its own admin page (a salary figure, a roadmap step).

    The career form saves its inline rows as it showed them, so a colleague's form opened
    before this save would write the old row back. Saving or deleting the part here marks its
    career as saved (as the salary CSV import does), and that form then stops with the
    edit-conflict message of EditConflictForm instead. The career is locked while this saves
    (its time is the one compared), as the career form locks it: one order, no deadlock.
    The career's history records the change and who made it, so that message names them
    (it said "Someone else") and the career's History page lists its parts' changes.
    """

    # Read by the page's title and the edit-conflict check (its career's `updated_at`).
    joined_on_page = ["career"]

    def rows_compared(self, lookup):
        parts = self.model._base_manager.filter(**lookup).values("career_id")
        return Career._base_manager.filter(pk__in=parts)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_changelist(request):  # the list joins its columns' rows (list_select_related)
            return queryset
        # Joined to the part, not fetched on their own: a save read the career twice, for the
        # edit-conflict check and as the career field's value. On a POST the career is read
        # here after LockedWhileSaving locked it, as the lazy read was.
        return queryset.select_related(*self.joined_on_page)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        what = f"{'Changed' if change else 'Added'} {self._named(obj)} on its own page."
        moved_from = form.initial.get("career") if change else None
        self._touch_careers(request, {obj.career_id: what, moved_from: what})

    def delete_model(self, request, obj):
        career_id, what = obj.career_id, f"Deleted {self._named(obj)} on its own page."
        super().delete_model(request, obj)
        self._touch_careers(request, {career_id: what})

    def delete_queryset(self, request, queryset):
        deleted = {}
        for part in queryset.select_related("career"):
            deleted.setdefault(part.career_id, []).append(self._named(part))
        super().delete_queryset(request, queryset)
        what = {
            pk: f"Deleted {', '.join(names)} from the list page." for pk, names in deleted.items()
        }
        self._touch_careers(request, what)

    def _named(self, part) -> str:
        return f"{self.model._meta.verbose_name} “{part}”"

    @staticmethod
    def _touch_careers(request, changes: dict) -> None:
        """`services.careers_touched` by the signed-in editor ({career id: what changed})."""
        changes = {pk: what for pk, what in changes.items() if pk is not None}
        services.careers_touched(user=request.user, changes=changes)


class CareerPartConflictForm(EditConflictForm):
    """A part of a career (a salary figure, a roadmap step) on its own page. Parts have no
    `updated_at` of their own; their career's is touched by every save of the career, of any
    of its parts on their pages and by the CSV import, so it stands in: a colleague's save of
    the same figure since the page was opened stops this one instead of being undone."""

    def compared(self):
        return self.instance.career if self.instance.pk else None

    def saved_what(self) -> str:
        return f"this {self.instance._meta.verbose_name}, or its career"

    def clean(self):
        # Moving a public career's last step or figure to another career empties that
        # section of its page, which the career form refuses: refused here too, as the move
        # (unlike deleting an employer that closed) can wait for a replacement.
        cleaned = super().clean()
        if self.instance.pk is None or "career" not in self.changed_data:
            return cleaned
        opts = self.instance._meta
        section = opts.get_field("career").remote_field.get_accessor_name()
        left = public_careers_emptied(section, opts.model._base_manager.filter(pk=self.instance.pk))
        if left:
            self.add_error("career", emptied_note("move", section, left, named=True))
        return cleaned

"""A page deleted by a colleague while an editor was changing it: what the editor typed is
kept.

Django's admin answered that save with its home page and "Career with ID “7” doesn't exist.
Perhaps it was deleted?": everything typed on the page, its rows included, was gone.
`KeepsWhatWasTypedForADeletedRow` shows the page again as the add form holding it, saying who
deleted the row and when; nothing is saved, so the delete stands unless the editor presses
Save, which adds it as a new row on purpose.
"""

from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from careerportal.admin_conflicts import said_when, said_who


class KeepsWhatWasTypedForADeletedRow:
    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # An account's add page (UserAdmin.add_form) asks for other fields than its change
        # page, so it could not hold what was typed: Django's answer stands there.
        kept = request.method == "POST" and getattr(self, "add_form", None) is None
        if not kept or not self.has_add_permission(request):
            return super()._get_obj_does_not_exist_redirect(request, opts, object_id)
        request._deleted_meanwhile = self._deleted_how(opts, object_id)
        request.POST = self._as_new_rows(request)
        add_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        return self._changeform_view(request, None, add_url, None)

    def get_form(self, request, obj=None, **kwargs):
        # `change` passed on by name only: Django's UserAdmin.get_form takes no third argument.
        form = super().get_form(request, obj, **kwargs)
        said = getattr(request, "_deleted_meanwhile", None)
        if said is None:
            return form

        class Stopped(form):
            def clean(self):
                super().clean()
                raise ValidationError(said)

        return Stopped

    def _deleted_how(self, opts, object_id) -> str:
        """Who deleted the row and when, from the admin's history, and what Save does now."""
        entry = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(self.model),
                object_id=str(object_id),
                action_flag=DELETION,
            )
            .select_related("user")
            .order_by("-action_time")
            .first()
        )
        name = opts.verbose_name
        if entry is None:
            said = f"This {name} was deleted while you were changing it."
        else:
            who, when = said_who(entry.user), said_when(entry.action_time)
            said = f"{who} deleted this {name} at {when}, while you were changing it."
        return (
            f"{said} Nothing was saved. What you typed is below: Save adds it as a new {name}, "
            "or leave this page to let the delete stand."
        )

    def _as_new_rows(self, request):
        """The posted form with its inline rows made new ones: the rows it changed went with
        the deleted row."""
        data = request.POST.copy()
        for formset, _inline in self.get_formsets_with_inlines(request):
            prefix = formset.get_default_prefix()
            initial = data.get(f"{prefix}-INITIAL_FORMS", "")
            rows = min(int(initial), formset.absolute_max) if initial.isdigit() else 0
            data[f"{prefix}-INITIAL_FORMS"] = "0"
            for index in range(rows):
                for field in (formset.model._meta.pk.name, formset.fk.name):
                    data.pop(f"{prefix}-{index}-{field}", None)
        return data

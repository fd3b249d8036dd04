"""Employers and providers: logo thumbnails and files, one name whatever its case."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import format_html

from careerportal.admin_conflicts import EditConflictForm
from careers.admin.shared import LowerCaseSlugForm

LOGO_THUMB_PX = 32


def logo_thumbnail(url: str, name: str):
    """An <img> for a changelist column; size set by attributes (no inline style under CSP)."""
    return format_html(
        '<img src="{}" alt="{} logo" width="{}" height="{}" class="logo-thumb">',
        url,
        name,
        LOGO_THUMB_PX,
        LOGO_THUMB_PX,
    )


class LogoFilesMixin:
    """Removes a logo file from storage once nothing points at it any more.

    Replacing, clearing or deleting a logo would otherwise leave its file behind for ever.
    Deletion waits for the commit, so a rolled-back save never loses a live file.
    """

    def save_model(self, request, obj, form, change):
        old = getattr(form.initial.get("logo"), "name", "") if change else ""
        super().save_model(request, obj, form, change)
        if old and old != obj.logo.name:
            self._delete_files_on_commit(obj.logo.storage, [old])

    def delete_model(self, request, obj):
        names = [obj.logo.name] if obj.logo else []
        super().delete_model(request, obj)
        self._delete_files_on_commit(obj.logo.storage, names)

    def delete_queryset(self, request, queryset):
        storage = queryset.model._meta.get_field("logo").storage
        names = [name for name in queryset.values_list("logo", flat=True) if name]
        super().delete_queryset(request, queryset)
        self._delete_files_on_commit(storage, names)

    @staticmethod
    def _delete_files_on_commit(storage, names):
        def delete():
            for name in names:
                storage.delete(name)

        if names:
            transaction.on_commit(delete)


class LogoUploadForm(forms.ModelForm):
    """A page shown again with errors cannot hold on to a file chosen in it (a browser never
    refills a file field), so a good logo would be dropped without a word: the editor is told,
    at the logo, to choose it again."""

    def full_clean(self):
        super().full_clean()
        upload = self.files.get(self.add_prefix("logo")) if self.is_bound else None
        if upload and self._errors and "logo" not in self._errors:
            self.add_error(
                "logo",
                f"“{upload.name}” is not kept while this page has errors: "
                "fix them, choose the file again, then save.",
            )


class OrganisationForm(LogoUploadForm, LowerCaseSlugForm, EditConflictForm):
    """An employer or a provider: one name, whatever its case, and a logo."""

    def clean_name(self):
        name = self.cleaned_data["name"]
        model = self._meta.model
        other = model._default_manager.filter(name__iexact=name).exclude(pk=self.instance.pk)
        other = other.only("name").first()
        if other is not None:
            raise ValidationError(
                f"“{other.name}” is already listed; names differing only in case are one "
                f"{model._meta.verbose_name}. Edit that one instead."
            )
        return name

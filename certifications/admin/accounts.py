"""Accounts: Django's user admin, counted once a page, which cleans up after a
deleted learner and tells one whose password staff set.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import transaction

from careerportal import password_events
from certifications.services.account import account_traces_delete, handles_release_of_deleted

User = get_user_model()


admin.site.unregister(User)


@admin.register(User)
class LearnerAccountAdmin(UserAdmin):
    """Django's user admin; the list holds every learner, so it is counted once a page."""

    show_full_result_count = False

    def delete_model(self, request, obj):
        pk = obj.pk
        with transaction.atomic():
            handles_release_of_deleted(user_ids=[pk])
            super().delete_model(request, obj)
        account_traces_delete(user_ids=[pk])

    def delete_queryset(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        with transaction.atomic():
            handles_release_of_deleted(user_ids=ids)
            super().delete_queryset(request, queryset)
        account_traces_delete(user_ids=ids)

    def user_change_password(self, request, id, form_url=""):
        """Django's form to set a learner's password; one it saved (a new password, or
        password sign-in switched off) also switches off the learner's calendar feed and
        public page, as a reset does (careerportal/password_events.py)."""
        if request.method != "POST":
            return super().user_change_password(request, id, form_url)
        with transaction.atomic():
            user = self.get_object(request, unquote(id))  # None: Django's 404 below
            response = super().user_change_password(request, id, form_url)
            # A saved password always has a new hash (a new salt, or a new unusable mark);
            # a refused or conflicting form saved nothing.
            if user is not None and self._password_changed(user):
                password_events.admin_password_set(request, user)
        return response

    @staticmethod
    def _password_changed(user) -> bool:
        stored = User.objects.filter(pk=user.pk).values_list("password", flat=True).first()
        return stored != user.password

"""Learners' rows (progress, follows, released handles): read-only for staff."""

from django.contrib import admin
from django.db.models.constants import LOOKUP_SEP

from certifications.models import CareerFollow, CertificationProgress, ReleasedHandle
from certifications.roadmap import expiry_date

# --- Learner progress: read-only for staff (owned by the learner feature). Private notes are
# never shown; staff can look, filter and search, but cannot add, change or delete.


class ReadOnlyLearnerAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LearnerListAdmin(ReadOnlyLearnerAdmin):
    """A list of every learner's rows (tens of thousands): paged through an index on its
    ordering, reading only the columns it shows, and counted once a page."""

    show_full_result_count = False  # else a second COUNT of the whole table on every page
    list_columns: list[str] = []  # the columns the list reads, joined rows' included

    def get_changelist(self, request, **kwargs):
        columns = self.list_columns

        class ListedColumnsOnly(super().get_changelist(request, **kwargs)):
            def get_queryset(self, request, exclude_parameters=None):
                return super().get_queryset(request, exclude_parameters).only(*columns)

        return ListedColumnsOnly


@admin.register(CertificationProgress)
class CertificationProgressAdmin(LearnerListAdmin):
    list_display = [
        "user",
        "certification",
        "status",
        "exam_date",
        "passed_on",
        "expires_on",
        "updated_at",
    ]
    # Filters offer fixed choices; a certification or provider is found by the search (a
    # filter listing every provider or certification grows with the catalogue).
    list_filter = [
        "status",
        "certification__level",
        ("updated_at", admin.DateFieldListFilter),  # fixed ranges: no scan of the dates
    ]
    search_fields = [
        "user__username",
        "user__email",
        "certification__name",
        "certification__exam_code",
        "certification__provider__name",
    ]
    list_select_related = ["user", "certification"]
    list_columns = [
        *["user", "certification", "status", "exam_date", "passed_on", "updated_at"],
        "user__username",
        *["certification__name", "certification__exam_code", "certification__validity_months"],
    ]
    fields = [
        "user",
        "certification",
        "status",
        "exam_date",
        "passed_on",
        "expires_on",
        "credential_id",
        "verification_url",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields

    def lookup_allowed(self, lookup, value, request=None):
        # Django lets a list filter on any of its own fields from the address
        # (?notes__icontains=...), which told staff a learner's private notes a guess at a
        # time: refused (a 400), as Django's user list refuses lookups on passwords.
        if lookup.split(LOOKUP_SEP, 1)[0] == "notes":
            return False
        return super().lookup_allowed(lookup, value, request)

    @admin.display(description="expires on")
    def expires_on(self, progress):
        return expiry_date(progress.passed_on, progress.certification.validity_months)


@admin.register(CareerFollow)
class CareerFollowAdmin(LearnerListAdmin):
    list_display = ["user", "career", "created_at"]
    # A career is found by the search: a filter listing every career grows with the site.
    list_filter = [("created_at", admin.DateFieldListFilter)]
    search_fields = ["user__username", "user__email", "career__title"]
    list_select_related = ["user", "career"]
    list_columns = ["user", "career", "created_at", "user__username", "career__title"]
    readonly_fields = fields = ["user", "career", "created_at"]


@admin.register(ReleasedHandle)
class ReleasedHandleAdmin(ReadOnlyLearnerAdmin):
    """Public handles learners gave up, kept from everyone else for HANDLE_RESERVATION_DAYS.
    Staff may look them up and free one early by deleting it (say, when its former owner asks
    for it to go to someone else); the service adds them, nobody edits them."""

    show_full_result_count = False  # one COUNT a page, as the other learner lists
    list_display = ["handle", "former_owner", "released_at", "kept_until"]
    search_fields = ["handle", "former_owner__email"]
    list_filter = [("released_at", admin.DateFieldListFilter)]
    list_select_related = ["former_owner"]
    readonly_fields = fields = ["handle", "former_owner", "released_at", "kept_until"]

    def has_delete_permission(self, request, obj=None):
        return admin.ModelAdmin.has_delete_permission(self, request, obj)

    @admin.display(description="kept until")
    def kept_until(self, released):
        return released.kept_until

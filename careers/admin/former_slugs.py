"""Old addresses of renamed pages, which redirect to them."""

from django.contrib import admin

from careers.models import FormerSlug


@admin.register(FormerSlug)
class FormerSlugAdmin(admin.ModelAdmin):
    """Old addresses that redirect to renamed pages. Made when an editor changes a slug;
    delete one to let its address answer 404 again."""

    list_display = ["slug", "model", "target_id", "created_at"]
    list_filter = ["model"]
    search_fields = ["slug"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

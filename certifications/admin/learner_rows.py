"""A page that learners track cannot be deleted: the delete pages say why."""

from django.contrib.admin.actions import delete_selected
from django.db import router, transaction

from careerportal.admin_deletion import ListsDeletionsBriefly
from certifications.models import CareerFollow, CertificationProgress


class LearnerRowsBlockDelete(set):
    """What `get_deleted_objects` returns as "permissions needed" when learners track the
    rows: the permissions truly lacking, plus `learner_rows`, the count of learner progress
    and follows a delete would erase. The delete templates read it to say why instead."""

    def __init__(self, lacking, learner_rows):
        super().__init__(lacking)
        self.learner_rows = learner_rows

    def __bool__(self):
        return True  # the admin refuses the delete while this is truthy, even on a POST


def _delete_selected_atomically(modeladmin, request, queryset):
    """Django's bulk delete action in one transaction, as its delete page runs, so that the
    rows it counts are locked until they are deleted (KeepsLearnerRows)."""
    with transaction.atomic(using=router.db_for_write(modeladmin.model)):
        return delete_selected(modeladmin, request, queryset)


class KeepsLearnerRows(ListsDeletionsBriefly):
    """No account may delete learners' progress or follows (ReadOnlyLearnerAdmin), so a page
    that learners track cannot be deleted; the delete pages (one page or the bulk action)
    say so and point at retiring or unpublishing, instead of a missing permission.

    On PostgreSQL a learner's first save could land between the count and the delete, and
    was erased with the page just after the learner was told it was saved. A confirmed delete
    now locks its rows before counting: a learner's save in progress (which holds the row
    against deletion, certifications/services/progress.py) is counted and stops the delete,
    and one that comes later waits and is told the page is gone."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _, name, description = actions["delete_selected"]
            actions["delete_selected"] = (_delete_selected_atomically, name, description)
        return actions

    def get_deleted_objects(self, objs, request):
        if request.method == "POST":
            self._lock_rows(objs)
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        learner_models = [CertificationProgress._meta, CareerFollow._meta]
        learner_names = {str(opts.verbose_name) for opts in learner_models}
        learner_rows = sum(counts.get(str(opts.verbose_name_plural), 0) for opts in learner_models)
        if learner_rows:
            lacking = {name for name in perms_needed if str(name) not in learner_names}
            perms_needed = LearnerRowsBlockDelete(lacking, learner_rows)
        return deleted, counts, perms_needed, protected

    def _lock_rows(self, objs) -> None:
        """Lock the rows about to be deleted until the delete's transaction ends (PostgreSQL;
        SQLite's transaction is the only writer already)."""
        connection = transaction.get_connection(router.db_for_write(self.model))
        if connection.in_atomic_block and connection.features.has_select_for_update:
            pks = [obj.pk for obj in objs]
            list(self.model._base_manager.select_for_update().filter(pk__in=pks).values("pk"))

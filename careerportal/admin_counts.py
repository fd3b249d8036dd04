"""An admin list counts its rows once when nothing filters them.

Django's list counts the rows it pages through and, to say "5 results (40 total)" under a
search or filter, every row of the table: with no search or filter the two are the same
COUNT, made twice on every list page an editor opens. CountsTheListOnce makes it once there;
a searched or filtered list still counts both, as before.
"""

from django.core.exceptions import EmptyResultSet


def _rows_sql(queryset) -> tuple:
    """The query picking `queryset`'s rows, whatever their order and joined rows."""
    queryset = queryset.order_by()
    queryset.query.select_related = False
    sql, params = queryset.query.sql_with_params()
    return queryset.db, sql, repr(params)


def _same_rows(queryset, other) -> bool:
    try:
        return _rows_sql(queryset) == _rows_sql(other)
    except EmptyResultSet:  # a filter no row can match: counted as Django does
        return False


class CountsTheListOnce:
    """Model admins whose list, unsearched and unfiltered, counts its rows once."""

    def get_changelist(self, request, **kwargs):
        class CountedOnce(super().get_changelist(request, **kwargs)):
            def get_results(self, request):
                counted_twice = self.model_admin.show_full_result_count and _same_rows(
                    self.queryset, self.root_queryset
                )
                if not counted_twice:
                    return super().get_results(request)
                # An empty queryset's COUNT is answered without a query.
                root, self.root_queryset = self.root_queryset, self.root_queryset.none()
                try:
                    super().get_results(request)
                finally:
                    self.root_queryset = root
                # Every row is a row shown, so the total is the count just made.
                self.full_result_count = self.result_count
                self.show_admin_actions = bool(self.result_count)
                return None

        return CountedOnce

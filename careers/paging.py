"""Pagination that never fails: a bad or out-of-range page shows the first or last page."""

from django.core.paginator import Paginator


def paginate(object_list, *, per_page: int, page: str | None):
    """Return (page, notice): the page to show (already evaluated) and a note if adjusted."""
    paginator = Paginator(object_list, per_page)
    page_obj = paginator.get_page(page)
    notice = ""
    if page not in (None, "") and str(page_obj.number) != str(page).strip():
        notice = f"There is no page “{page[:20]}”; showing page {page_obj.number}."
    # Evaluate here so no query runs while the template renders.
    page_obj.object_list = list(page_obj.object_list)
    return page_obj, notice

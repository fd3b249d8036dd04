"""Pagination that never fails: a bad or out-of-range page shows the first or last page."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator


def paginate(object_list, *, per_page: int, page: str | None):
    """Return (page, notice): the page to show (already evaluated) and a note if adjusted.

    Not a whole number: the first page. Below 1: the first page. Past the end: the last.
    "02" or "2.0" is page 2 and needs no note.
    """
    paginator = Paginator(object_list, per_page)
    try:
        number = paginator.validate_number(page if page not in (None, "") else 1)
    except PageNotAnInteger:
        number = 1
    except EmptyPage:
        number = paginator.num_pages if _is_past_the_end(page) else 1
    page_obj = paginator.page(number)
    notice = ""
    if page not in (None, "") and _as_number(page) != page_obj.number:
        notice = f"There is no page “{page[:20]}”; showing page {page_obj.number}."
    # Evaluate here so no query runs while the template renders.
    page_obj.object_list = list(page_obj.object_list)
    return page_obj, notice


def _as_number(page: str) -> float | None:
    try:
        return float(page)
    except (TypeError, ValueError, OverflowError):
        return None


def _is_past_the_end(page: str) -> bool:
    number = _as_number(page)
    return number is not None and number >= 1

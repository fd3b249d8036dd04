"""Pagination that never fails: a bad or out-of-range page shows the first or last page."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator


def paginate(object_list, *, per_page: int, page: str | None, count: int | None = None):
    """Return (page, notice): the page to show (already evaluated) and a note if adjusted.

    Not a whole number: the first page. Below 1: the first page. Past the end: the last.
    "02" or "2.0" is page 2 and needs no note. `count`: the number of rows, when the caller
    has it already (no COUNT query then).
    """
    paginator = Paginator(object_list, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is never computed
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
    page_obj.links = page_links(paginator, page_obj.number)
    return page_obj, notice


def page_links(paginator: Paginator, number: int) -> list[int | None]:
    """The page numbers to link, None where a run of them is left out: the first and last, and
    two either side of this one. Each link repeats the page's whole query string, so linking
    every page made a list's HTML grow with the catalogue: 128 links for 1,535 certifications,
    and 1.1 MB sent (and kept in the page cache) for one request carrying 8 KB of parameters."""
    return [
        None if n == paginator.ELLIPSIS else n
        for n in paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)
    ]


def _as_number(page: str) -> float | None:
    try:
        return float(page)
    except (TypeError, ValueError, OverflowError):
        return None


def _is_past_the_end(page: str) -> bool:
    number = _as_number(page)
    return number is not None and number >= 1

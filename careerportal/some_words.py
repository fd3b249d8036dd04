"""A search no row holds every word of: which of its words any row holds, and the text
without those none holds ("cloud engineer london" searched as "cloud engineer"), for the
site search (`careerportal.search.search_some`) and the career and certification lists."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections
from django.db.models import Q

from careerportal import query

# The most words of a text that no row holds every word of are looked up one by one (each a
# condition on every searched field): later ones are left out, and the page says so.
WEIGHED_WORDS = 8


@dataclass
class LeftOut:
    """A text's words sorted by whether any row holds them (`left_out`)."""

    searched: str  # the text without the words left out
    matched: list[str]  # the words of the first WEIGHED_WORDS some row holds
    unmatched: list[str]  # the words no row holds
    unweighed: list[str]  # the words after the first WEIGHED_WORDS, not looked up
    url: str = ""  # a list's address searching `searched` alone (`list_page_without`)


def held(words: list[str], kinds: list[tuple[object, Callable[[str], Q]]]) -> list[bool]:
    """Whether any of the rows of `kinds` (a queryset and the condition a word meets in one of
    its rows) holds each of the words: one query of an EXISTS a word and kind, each ending at
    the first row it finds."""
    selects, params = [], []
    for word in words:
        found = []
        for rows, match in kinds:
            subquery = rows.filter(match(word)).order_by().values("pk").query
            sql, subquery_params = subquery.get_compiler(rows.db).as_sql()
            found.append(f"EXISTS ({sql})")
            params.extend(subquery_params)
        selects.append(f"({' OR '.join(found)})")
    with connections[kinds[0][0].db].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(selects)}", params)
        return [bool(found) for found in cursor.fetchone()]


def left_out(text: str, kinds) -> LeftOut | None:
    """For a text of two words or more: which of its first WEIGHED_WORDS words the rows of
    `kinds` hold (one query, `held`), and the text without the others. None for one word."""
    words = query.kept_words(text)
    if len(words) < 2:
        return None
    weighed, unweighed = words[:WEIGHED_WORDS], words[WEIGHED_WORDS:]
    found = held(weighed, kinds)
    unmatched = [word for word, any_row in zip(weighed, found, strict=True) if not any_row]
    dropped = {*unmatched, *unweighed}
    searched = " ".join(word for word in query.read_words(text) if word not in dropped)
    matched = [word for word in weighed if word not in dropped]
    return LeftOut(searched, matched, unmatched, unweighed)


def list_page_without(request, text: str, kinds, page_for):
    """For a list whose search for the text found nothing: what `page_for(searched)` gives (a
    tuple, the list's page first) for the words `kinds` hold (`left_out`), and the LeftOut,
    when some words were left out and the page finds any; else None. The LeftOut's url
    searches those words with the list's filters and sort kept."""
    left = left_out(text, kinds)
    if left is None or not left.matched or not (left.unmatched or left.unweighed):
        return None
    found = page_for(left.searched)
    if not found[0].paginator.count:
        return None
    params = request.GET.copy()
    params["q"] = left.searched
    params.pop("page", None)
    left.url = f"?{params.urlencode()}"
    return found, left

"""A search no row holds every word of: which of its words any row holds, and the text
without those none holds ("cloud engineer london" searched as "cloud engineer"), for the
site search (`careerportal.search.search_some`) and the career and certification lists."""

from collections.abc import Callable
from dataclasses import dataclass, field

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
    typed: str = ""  # the text as typed, when `searched` respells some of its words
    # Words left out as typed whose respelling some row holds, but not with the words
    # searched ("kuberntes engineer"): (respelling, a list's address searching it alone).
    respellings: list[tuple[str, str]] = field(default_factory=list)


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


def _weighed(text: str) -> list[str]:
    """The words of a text of two words or more that are looked up (the first
    WEIGHED_WORDS); [] for one word."""
    words = query.kept_words(text)
    return words[:WEIGHED_WORDS] if len(words) >= 2 else []


def _sorted(text: str, held_words: dict[str, bool]) -> LeftOut | None:
    """The text's words sorted by `held_words` (whether a row holds each weighed word, as
    `held` tells); None for a text of one word."""
    weighed = _weighed(text)
    if not weighed:
        return None
    unweighed = query.kept_words(text)[WEIGHED_WORDS:]
    unmatched = [word for word in weighed if not held_words[word]]
    dropped = {*unmatched, *unweighed}
    searched = " ".join(word for word in query.read_words(text) if word not in dropped)
    matched = [word for word in weighed if word not in dropped]
    return LeftOut(searched, matched, unmatched, unweighed)


def left_out(text: str, kinds) -> LeftOut | None:
    """For a text of two words or more: which of its first WEIGHED_WORDS words the rows of
    `kinds` hold (one query, `held`), and the text without the others. None for one word."""
    weighed = _weighed(text)
    if not weighed:
        return None
    return _sorted(text, dict(zip(weighed, held(weighed, kinds), strict=True)))


def list_page_without(request, text: str, kinds, page_for, *, respelled: str = ""):
    """For a list whose search for the text found nothing: what `page_for(searched)` gives (a
    tuple, the list's page first) for the words `kinds` hold (`left_out`), and the LeftOut,
    when some words were left out and the page finds any; else None. The LeftOut's url
    searches those words with the list's filters and sort kept.

    Given the text `respelled` in the list's words ("kuberntes london" as "kubernetes
    london"), its words are looked up in the same query, and it is searched first: without
    the words no row holds, respelled, and the LeftOut says it was (`typed`); then the text as
    typed, when that finds nothing."""
    texts = list(dict.fromkeys(t for t in (respelled, text) if t))
    words = list(dict.fromkeys(word for t in texts for word in _weighed(t)))
    if not words:
        return None
    held_words = dict(zip(words, held(words, kinds), strict=True))
    searched = set()
    for candidate in texts:
        left = _sorted(candidate, held_words)
        if left is None or not left.matched or not (left.unmatched or left.unweighed):
            continue
        if left.searched in searched:
            continue
        searched.add(left.searched)
        found = page_for(left.searched)
        if not found[0].paginator.count:
            continue
        if set(query.read_words(left.searched)) - set(query.read_words(text)):
            left.typed = text
        elif respelled:
            left.respellings = [
                (word, _searching(request, word))
                for word in _respellings(text, respelled, left.unmatched)
                if held_words.get(word)
            ]
        left.url = _searching(request, left.searched)
        return found, left
    return None


def _respellings(text: str, respelled: str, words: list[str]) -> list[str]:
    """The respellings (`query.respelled`, which replaces a word by one word) of those of
    the text's words that have one."""
    typed = query.query_words(text)
    respelled_words = respelled.split(" ")
    if len(typed) != len(respelled_words):
        return []
    respelling = dict(zip(typed, respelled_words, strict=True))
    return [respelling[word] for word in words if respelling.get(word, word) != word]


def _searching(request, text: str) -> str:
    """The list's address searching the text, its other filters and sort kept."""
    params = request.GET.copy()
    params["q"] = text
    params.pop("page", None)
    return f"?{params.urlencode()}"

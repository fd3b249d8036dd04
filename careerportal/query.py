"""What a search box takes: words without control characters, at most 100 characters.

Control characters become spaces: none is anything a person searches for. (A NUL byte, which
PostgreSQL refuses in any query, never gets this far: careerportal.middleware answers 400.)
"""

from functools import reduce
from operator import or_

from django import forms
from django.db.models import Q

MAX_QUERY_LENGTH = 100
CONTROLS = dict.fromkeys([*range(32), *range(127, 160)], " ")


def clean_query(raw) -> tuple[str, bool]:
    """The query's words, one space apart and cut to MAX_QUERY_LENGTH; and whether it was cut."""
    words = " ".join(str(raw).translate(CONTROLS).split())
    return words[:MAX_QUERY_LENGTH].rstrip(), len(words) > MAX_QUERY_LENGTH


# Trimmed from either end of a word ("engineer," "(aws)"); kept inside one ("AI-102", "c++").
_AROUND_WORDS = ".,;:!?()[]{}<>\"'`/\\|&*~"


def query_words(text) -> list[str]:
    """The query's distinct words, lowercased, without the punctuation around them; the whole
    query when that leaves none ("/")."""
    words = [w.strip(_AROUND_WORDS) for w in str(text or "").lower().split()]
    words = list(dict.fromkeys(w for w in words if w))
    return words or ([str(text).strip().lower()] if str(text or "").strip() else [])


def every_word_in(text, *fields: str) -> Q:
    """Rows where each word of the text is in at least one of the fields, in any order: "ai ml"
    finds "AI / ML Engineer" and "learning machine" finds "Machine Learning Engineer"."""
    condition = Q()
    for word in query_words(text):
        condition &= reduce(or_, (Q(**{f"{field}__icontains": word}) for field in fields))
    return condition


class SearchField(forms.CharField):
    """An optional search box; a longer query is an error the form answers with `clean_query`."""

    def __init__(self, **kwargs):
        super().__init__(required=False, max_length=MAX_QUERY_LENGTH, **kwargs)

    def to_python(self, value):
        return " ".join(super().to_python(value).translate(CONTROLS).split())

    def bound_data(self, data, initial):
        return self.to_python(data)  # the box shows the query that was run

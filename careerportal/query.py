"""What a search box takes: words without control characters, at most 100 characters.

Control characters become spaces: none is anything a person searches for. (A NUL byte, which
PostgreSQL refuses in any query, never gets this far: careerportal.middleware answers 400.)
"""

from django import forms

MAX_QUERY_LENGTH = 100
CONTROLS = dict.fromkeys([*range(32), *range(127, 160)], " ")


def clean_query(raw) -> tuple[str, bool]:
    """The query's words, one space apart and cut to MAX_QUERY_LENGTH; and whether it was cut."""
    words = " ".join(str(raw).translate(CONTROLS).split())
    return words[:MAX_QUERY_LENGTH].rstrip(), len(words) > MAX_QUERY_LENGTH


class SearchField(forms.CharField):
    """An optional search box; a longer query is an error the form answers with `clean_query`."""

    def __init__(self, **kwargs):
        super().__init__(required=False, max_length=MAX_QUERY_LENGTH, **kwargs)

    def to_python(self, value):
        return " ".join(super().to_python(value).translate(CONTROLS).split())

    def bound_data(self, data, initial):
        return self.to_python(data)  # the box shows the query that was run

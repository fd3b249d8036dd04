"""What a search box takes: words without control characters, at most 100 characters.

Control characters become spaces: none is anything a person searches for. (A NUL byte, which
PostgreSQL refuses in any query, never gets this far: careerportal.middleware answers 400.)

A query is read in Unicode's composed form (NFC): "é" typed as "e" and a combining accent, as
some keyboards and a text copied from a PDF give it, finds what the single character "é" finds
(what editors save: the admin's text boxes send what the browser holds, in practice composed).
"""

import difflib
import functools
import re
import sys
import unicodedata
from functools import reduce
from operator import or_
from typing import NamedTuple

from django import forms
from django.db.models import CharField, F, Q, TextField, Value
from django.db.models.lookups import IContains, Lookup

MAX_QUERY_LENGTH = 100
# A query word shorter than this, or holding a digit (an exam code), is never respelled.
MIN_RESPELLED = 4
# How alike (difflib's ratio, 0 to 1) a word on the site must be to stand in for a query word:
# "kubernets" and "kubernetes" are 0.95, "enginer" and "engineer" 0.93, "basket" and "master" 0.5.
RESPELL_CUTOFF = 0.8
# Words looked up per query: a typo is a word or two, not a sentence (bounds the time).
MAX_RESPELLED = 5
CONTROLS = dict.fromkeys([*range(32), *range(127, 160)], " ")


@functools.cache
def _word_pattern() -> re.Pattern:
    """A word of the site's texts: letters and digits with the combining marks that belong to
    them (Hindi and Thai vowel signs, the dot of a lowercased Turkish "İ", an accent NFC has no
    single character for), joined by "-", ".", "+" or "#" ("ai-102", "node.js"). Python's \\w
    leaves the marks out, which cut "डेटा" into "ड" and "ट", and "İstanbul" into "i" and
    "stanbul". Built on first use (2,408 marks, 0.06 s), so a worker that never respells a
    query never pays for it."""
    marks = [
        code
        for code in (*range(0x300, 0x20000), *range(0xE0100, 0xE01F0))
        if unicodedata.category(chr(code)).startswith("M")
    ]
    # As 299 ranges of consecutive marks, which the regex engine checks far faster
    # than 2,400 single characters.
    spans = []
    for code in marks:
        if spans and spans[-1][1] == code - 1:
            spans[-1][1] = code
        else:
            spans.append([code, code])
    char = "[\\w" + "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in spans) + "]"
    return re.compile(rf"{char}+(?:[-.+#]{char}+)*")


# A word of a text that is all ASCII (most of the site's), where no combining mark can be.
_ASCII_WORD = re.compile(r"\w+(?:[-.+#]\w+)*")


def clean_query(raw) -> tuple[str, bool]:
    """The query's words, one space apart, composed (NFC) and cut to MAX_QUERY_LENGTH; and
    whether it was cut."""
    words = " ".join(unicodedata.normalize("NFC", str(raw).translate(CONTROLS)).split())
    return words[:MAX_QUERY_LENGTH].rstrip(), len(words) > MAX_QUERY_LENGTH


# Trimmed from either end of a word ("engineer," "(aws)"); kept inside one ("AI-102", "c++").
_AROUND_WORDS = ".,;:!?()[]{}<>\"'`/\\|&*~"


def query_words(text) -> list[str]:
    """The query's distinct words, lowercased, without the punctuation around them; the whole
    query when that leaves none ("/")."""
    words = [w.strip(_AROUND_WORDS) for w in str(text or "").lower().split()]
    words = list(dict.fromkeys(w for w in words if w))
    return words or ([str(text).strip().lower()] if str(text or "").strip() else [])


def folded(text: str) -> str:
    """A text as searches compare it beyond ASCII: lower case, composed, and a Turkish "İ"
    as the "i" databases lower it to (Python lowers it to "i" and a combining dot)."""
    return unicodedata.normalize("NFC", text.lower()).replace("i\u0307", "i")


# The SQL name SQLite knows `folded` by (careerportal.apps registers it on each connection).
FOLDED_SQL = "careerportal_folded"


def fold_or_null(text):
    return None if text is None else folded(text)


@CharField.register_lookup
@TextField.register_lookup
class FoldedContains(Lookup):
    """`icontains` for a word beyond ASCII: the texts compared folded (`folded`), so that
    "übersetzer" finds "Übersetzer" on SQLite, whose LIKE folds A-Z alone, "İZMİR" finds
    "İzmir" on PostgreSQL, whose UPPER makes its "i" an "I", and "école" finds an "École"
    saved decomposed (NFD), as a text pasted from some PDFs or macOS file names is. On SQLite
    it costs a Python call a row, so plain ASCII words keep `icontains`."""

    lookup_name = "folded_contains"

    def as_sql(self, compiler, connection):  # databases the site does not run on
        return IContains(self.lhs, folded(str(self.rhs))).as_sql(compiler, connection)

    def as_sqlite(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"instr({FOLDED_SQL}({lhs}), %s) > 0", (*lhs_params, folded(str(self.rhs)))

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        sql = f"strpos(lower(normalize(({lhs})::text, NFC)), %s) > 0"
        return sql, (*lhs_params, folded(str(self.rhs)))


def every_word_in(text, *fields: str) -> Q:
    """Rows where each word of the text is in at least one of the fields, in any order: "ai ml"
    finds "AI / ML Engineer" and "learning machine" finds "Machine Learning Engineer". A word
    beyond ASCII is compared folded (`FoldedContains`)."""
    condition = Q()
    for word in query_words(text):
        lookup = "icontains" if word.isascii() else "folded_contains"
        condition &= reduce(or_, (Q(**{f"{field}__{lookup}": word}) for field in fields))
    return condition


# Columns of searched_texts: the most fields one kind of row is searched by.
TEXT_COLUMNS = 5


def searched_texts(queryset, *fields):
    """The fields' values as rows of TEXT_COLUMNS texts (blanks after the fields), so that the
    texts of several models combine in one UNION."""
    blank = Value("", output_field=CharField())
    columns = [F(field) for field in fields] + [blank] * (TEXT_COLUMNS - len(fields))
    names = [f"searched_{n}" for n in range(TEXT_COLUMNS)]
    return (
        queryset.order_by().annotate(**dict(zip(names, columns, strict=True))).values_list(*names)
    )


def _site_lower(text: str) -> str:
    """The text in lower case, composed, but with a Turkish "İ" kept: Python lowers it to "i"
    and a combining dot, a spelling no database finds it by, so "Did you mean" would offer a
    link to an empty list."""
    return unicodedata.normalize("NFC", text.lower().replace("i\u0307", "İ"))


def words_in(rows) -> set[str]:
    """The distinct lowercased words of rows of texts (what values_list gives), composed."""
    words = set()
    for row in rows:
        for text in row:
            if text.isascii():
                words.update(_ASCII_WORD.findall(text.lower()))
            else:
                words.update(_word_pattern().findall(_site_lower(text)))
    return words


def misspelt(text) -> list[str]:
    """The words of the text that could be typos: 4 letters or more, no digit."""
    words = [w for w in query_words(text) if len(w) >= MIN_RESPELLED]
    return [w for w in words if not any(c.isdigit() for c in w)][:MAX_RESPELLED]


def respelled(text, vocabulary) -> str:
    """The query with each word that appears nowhere in the vocabulary (the words a search
    can match) replaced by the most alike word that does: "kubernets" becomes "kubernetes".
    "" when no word could be replaced. Short words and words with digits are kept: an exam
    code is matched without its dashes, and "aws" is too short to guess from."""
    replacements = {}
    for word in misspelt(text):
        if any(word in known for known in vocabulary):
            continue  # it matches on its own (as part of a longer word, say)
        alike = difflib.get_close_matches(word, vocabulary, n=1, cutoff=RESPELL_CUTOFF)
        if alike:
            replacements[word] = alike[0]
    if not replacements:
        return ""
    return " ".join(replacements.get(word, word) for word in query_words(text))


class SearchedRow(NamedTuple):
    """A row a list searches, read for its "Did you mean": the facts its other filters compare,
    the words of its texts (each word's string shared by every row that has it) and its texts
    in lower case, one a line (as `finds` compares them; no query word holds a line break)."""

    facts: tuple
    words: tuple[str, ...]
    text: str


def searched_rows(rows) -> list[SearchedRow]:
    """SearchedRows of (facts, texts) pairs: the words found once, for every later search."""
    return [
        SearchedRow(
            tuple(facts),
            tuple(sys.intern(word) for word in words_in([texts])),
            "\n".join(text.lower() for text in texts),
        )
        for facts, texts in rows
    ]


def respelling_that_finds(request, text, read_rows, *, kept, everywhere, filters) -> dict | None:
    """ "Did you mean" for a list that found nothing: the same list with its query respelled in
    the words of the rows `read_rows()` gives (SearchedRows, read only when a word of the query
    could be a typo) whose facts pass `kept` (its other filters), else in
    those passing `everywhere` (what the list shows with `filters` cleared: the link drops them
    and says so), as {"words", "url", "widened"}; else None. Never a link to another empty
    list."""
    if not misspelt(text):
        return None
    rows = read_rows()
    for within, dropping in ((kept, ()), (everywhere, filters)):
        chosen = [row for row in rows if within(row.facts)]
        vocabulary = set()
        for row in chosen:
            vocabulary.update(row.words)
        words = respelled(text, vocabulary)
        if not words or not finds(words, [row.text for row in chosen]):
            continue
        params = request.GET.copy()
        params["q"] = words
        for name in ("page", *dropping):
            params.pop(name, None)
        widened = any(request.GET.get(name) for name in dropping)
        return {"words": words, "url": f"?{params.urlencode()}", "widened": widened}
    return None


def finds(text, rows) -> bool:
    """Whether a search for the text (every word in one of a row's texts, as `every_word_in`
    matches) finds any of these rows (their texts in lower case, one a line)."""
    words = query_words(text)
    return any(all(word in row for word in words) for row in rows)


def show_values_used(form, values) -> None:
    """Bind a filter form again to the values its page used, for each menu whose value was
    replaced (the page's notice says so): a menu cannot show an option it does not have, so
    it shows the option used instead of a raw "Select a valid choice" beside another one. A
    typed value the page ignored stays in its box with its error beside it."""
    replaced = [
        name
        for name in form.errors
        if name in values and isinstance(form.fields.get(name), forms.ChoiceField)
    ]
    if not replaced:
        return
    data = form.data.copy()
    for name in replaced:
        data[name] = "" if values[name] is None else str(values[name])
    form.data = data
    form.full_clean()


class SearchField(forms.CharField):
    """An optional search box; a longer query is an error the form answers with `clean_query`."""

    def __init__(self, **kwargs):
        super().__init__(required=False, max_length=MAX_QUERY_LENGTH, **kwargs)

    def to_python(self, value):
        text = super().to_python(value).translate(CONTROLS)
        return " ".join(unicodedata.normalize("NFC", text).split())

    def bound_data(self, data, initial):
        return self.to_python(data)  # the box shows the query that was run

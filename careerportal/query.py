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
from django.db.models.lookups import IContains, IExact, IStartsWith, Lookup

MAX_QUERY_LENGTH = 100
# A query word shorter than this, or holding a digit (an exam code), is never respelled.
MIN_RESPELLED = 4
# How alike (difflib's ratio, 0 to 1) a word on the site must be to stand in for a query word:
# "kuberntes" and "kubernetes" are 0.95, "enginer" and "engineer" 0.93, "basket" and "master" 0.5.
RESPELL_CUTOFF = 0.8
# Words looked up per query: a typo is a word or two, not a sentence (bounds the time).
MAX_RESPELLED = 5
CONTROLS = dict.fromkeys([*range(32), *range(127, 160)], " ")
# Characters that show nothing, dropped: a soft hyphen, the zero-width space and word joiner,
# direction marks and isolates, a byte-order mark (none is in a word anyone means; the zero-
# width joiner and non-joiner are kept, as they shape Persian and Indic words and emoji). And
# the blank "letters" pasted as invisible names (Hangul fillers, the blank Braille pattern),
# read as spaces.
INVISIBLE = {
    **dict.fromkeys([0xAD, 0x61C, 0x180E, 0x200B, 0x200E, 0x200F, *range(0x202A, 0x202F)]),
    **dict.fromkeys([*range(0x2060, 0x2065), *range(0x2066, 0x2070)]),
    **dict.fromkeys([0xFEFF, *range(0xFFF9, 0xFFFC)]),
    **dict.fromkeys([0x115F, 0x1160, 0x2800, 0x3164, 0xFFA0], " "),
}


def _runs(codes) -> list[list[int]]:
    """The code points as [first, last] runs of consecutive ones, in the order given: a
    regular expression class of a few hundred ranges instead of thousands of characters."""
    runs = []
    for code in codes:
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return runs


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
    char = "[\\w" + "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in _runs(marks)) + "]"
    return re.compile(rf"{char}+(?:[-.+#]{char}+)*")


# A word of a text that is all ASCII (most of the site's), where no combining mark can be.
_ASCII_WORD = re.compile(r"\w+(?:[-.+#]\w+)*")


def clean_query(raw) -> tuple[str, bool]:
    """The query's words, one space apart, composed (NFC) and cut to MAX_QUERY_LENGTH; and
    whether it was cut. A query of nothing visible (format characters, a lone combining mark
    or variation selector) is empty: it answered "Nothing matches “​”"."""
    text = str(raw).translate(CONTROLS).translate(INVISIBLE)
    words = " ".join(unicodedata.normalize("NFC", text).split())
    if not any(unicodedata.category(char)[0] not in "CMZ" for char in words):
        return "", False
    return words[:MAX_QUERY_LENGTH].rstrip(), len(words) > MAX_QUERY_LENGTH


# Trimmed from either end of a word ("engineer," "(aws)", "“cloud”", single curly quotes too);
# kept inside one ("AI-102", "c++").
_AROUND_WORDS = ".,;:!?()[]{}<>\"'`\\|&*~“”„«»" + "\u2018\u2019\u201a\u2039\u203a"
# Part two words as a space does: "AI/ML engineer" is "AI / ML Engineer" as the site spells it.
_BETWEEN_WORDS = re.compile(r"[\s/]+")


def query_words(text) -> list[str]:
    """The query's distinct words, lowercased, without the punctuation around them, and
    without a "word" of no letter or digit ("—", "❤", an emoji), which no text holds as a
    word; the whole query when that leaves none ("/", "😀")."""
    words = [w.strip(_AROUND_WORDS) for w in _BETWEEN_WORDS.split(str(text or "").lower())]
    words = list(dict.fromkeys(w for w in words if any(c.isalnum() for c in w)))
    return words or ([str(text).strip().lower()] if str(text or "").strip() else [])


def folded(text: str) -> str:
    """A text as searches compare it: in Unicode's compatibility form (NFKC: composed, and a
    ligature "ﬁ" pasted from a PDF, a long s or full-width letters as the plain letters),
    in lower case, with "ß" as "ss" (as str.casefold() spells it: "strasse" finds "Straße")
    and a "İ" as "i" (Python lowers it to "i" and a combining dot; databases to "i"). Every
    letter whose casefold is ASCII folds to it (tests/test_search_folding.py checks them
    all). Accents are kept, as typed: "ecole" does not find "École" ("Did you mean" offers
    "école"). `_postgresql_folded` is the same in SQL."""
    if text.isascii():
        return text.lower()
    composed = unicodedata.normalize("NFKC", text).replace("İ", "i")  # as PostgreSQL's translate()
    return composed.lower().replace("ß", "ss").replace("i\u0307", "i")


@functools.cache
def into_ascii() -> str:
    """A regular expression class (PostgreSQL's, and Python's) of the characters beyond ASCII
    whose fold holds an ASCII letter or digit ("ß", "İ", "ﬁ", "²", full-width letters), and
    the combining dot that makes an "I" before it a "İ": where folding can find an ASCII
    word that `icontains` does not. Built on first use (1,400 characters, 0.08 s)."""
    codes = [0x307] + [code for code in range(0x80, 0x20000) if _into_ascii(chr(code))]
    runs = _runs(codes)
    return "[" + "".join(chr(low) + ("-" + chr(high)) * (high > low) for low, high in runs) + "]"


def _into_ascii(char: str) -> bool:
    return any(c.isascii() and c.isalnum() for c in folded(char))


# The SQL name SQLite knows `folded` by (careerportal.apps registers it on each connection).
FOLDED_SQL = "careerportal_folded"


def fold_or_null(text):
    return None if text is None else folded(text)


def _postgresql_folded(sql: str) -> str:
    """`folded` in PostgreSQL's SQL, for the column `sql`: lower() makes "ẞ" a "ß" as Python
    does, and "İ" an "i" (libc) or an "i" and a combining dot (ICU); translate() first makes
    it an "i" where lower() knows no letter beyond ASCII (the C locale)."""
    lowered = f"lower(translate(normalize(({sql})::text, NFKC), 'İ', 'i'))"
    return f"replace(replace({lowered}, 'ß', 'ss'), 'i\u0307', 'i')"


@CharField.register_lookup
@TextField.register_lookup
class FoldedContains(Lookup):
    """`icontains` with both texts folded (`folded`), on SQLite and PostgreSQL alike: "istanbul"
    finds "İstanbul", "strasse" and "STRASSE" find "Straße" and "straße" finds "Strasse",
    "übersetzer" finds "Übersetzer" on SQLite (whose LIKE folds A-Z alone), "İZMİR" finds
    "İzmir" on PostgreSQL (whose UPPER makes its "i" an "I"), "certified" finds "Certiﬁed"
    with a ligature, and "école" finds an "École" saved decomposed (NFD), as a text pasted
    from some PDFs or macOS file names is.

    A word that folds to ASCII (nearly every query) is compared as `icontains` compares it,
    then, in a text it was not found in, folded, but only where folding can add ASCII: in a
    text beyond ASCII (told by its length in bytes) and, on PostgreSQL, holding a character
    `into_ascii` finds (there normalize() takes 7 µs for a summary with a typographic
    apostrophe, 6 times the LIKE; on SQLite, checking for them in Python costs what
    folding does). So an ASCII search of ASCII texts costs about what `icontains` did; on
    SQLite a text beyond ASCII that lacks the word costs a Python call (1 µs) a word.
    A word beyond ASCII is compared with every text folded."""

    lookup_name = "folded_contains"
    like = IContains  # what an ASCII word is compared with first

    def _found(self, folded_column: str, vendor: str) -> str:
        """SQL that holds when the folded column matches the folded word (`_needle`), the
        one %s."""
        position = "instr" if vendor == "sqlite" else "strpos"
        return f"{position}({folded_column}, %s) > 0"

    def _needle(self, word: str, vendor: str) -> str:
        """What `_found` compares the folded column with: the folded word."""
        return word

    def _ascii_sql(self, compiler, connection, word: str):
        """SQL and params that hold when the column, as it is, holds the ASCII word."""
        return self.like(self.lhs, word).as_sql(compiler, connection)

    def as_sql(self, compiler, connection):  # databases the site does not run on
        return self.like(self.lhs, folded(str(self.rhs))).as_sql(compiler, connection)

    def _either(self, compiler, connection, params, folded_sql, beyond_ascii):
        """`folded_sql` (the column's `params`, then the needle) alone for a word beyond
        ASCII; for an ASCII word, `_ascii_sql` (LIKE) first, then `folded_sql` where
        `beyond_ascii` (SQL and its params) says folding the text can add ASCII."""
        word = folded(str(self.rhs))
        needle = self._needle(word, connection.vendor)
        if not word.isascii():
            return folded_sql, (*params, needle)
        like, like_params = self._ascii_sql(compiler, connection, word)
        beyond_sql, beyond_params = beyond_ascii
        sql = f"({like} OR ({beyond_sql} AND {folded_sql}))"
        return sql, (*like_params, *beyond_params, *params, needle)

    def as_sqlite(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        folded_sql = self._found(f"{FOLDED_SQL}({lhs})", connection.vendor)
        beyond_ascii = f"length({lhs}) <> length(CAST({lhs} AS BLOB))"
        return self._either(compiler, connection, params, folded_sql, (beyond_ascii, params * 2))

    def as_postgresql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        folded_sql = self._found(_postgresql_folded(lhs), connection.vendor)
        text = f"({lhs})::text"
        beyond_ascii = f"octet_length({text}) <> char_length({text}) AND {text} ~ %s"
        beyond_params = (*params, *params, *params, into_ascii())
        return self._either(compiler, connection, params, folded_sql, (beyond_ascii, beyond_params))


@CharField.register_lookup
@TextField.register_lookup
class FoldedStartsWith(FoldedContains):
    """`istartswith` with both texts folded, as `FoldedContains` compares them: "istanbul veri"
    starts "İstanbul Veri Mühendisi"."""

    lookup_name = "folded_startswith"
    like = IStartsWith

    def _found(self, folded_column, vendor):
        position = "instr" if vendor == "sqlite" else "strpos"
        return f"{position}({folded_column}, %s) = 1"


@CharField.register_lookup
@TextField.register_lookup
class FoldedExact(FoldedContains):
    """`iexact` with both texts folded, as `FoldedContains` compares them: "istanbul veri
    mühendisi" is the title "İstanbul Veri Mühendisi"."""

    lookup_name = "folded_exact"
    like = IExact

    def _found(self, folded_column, vendor):
        return f"{folded_column} = %s"


# A query word of this many characters or fewer, all ASCII once folded, is found only where a
# word of the text starts ("ai" hides in "maintain" and "training", "ml" in "html", "soc" in
# "associate", "aws" in "laws"): one or two characters must be the whole word ("bi" is not
# "big", "ai" not "airflow"), three may start a longer one ("llm" finds "LLMs", "sec"
# "security", "cka" "CKAD"). Longer words are found anywhere, as before ("kube" in
# "kubernetes"), and so is a short word in a script written without spaces ("数据").
SHORT_WORD = 3
# Around a word: anything but an ASCII letter or digit ("AI-102", "(AI)", "AI/ML", "c++ ").
_NOT_WORD = "[^0-9a-z]"
# Inside a word written in camel case, where one of its words starts: a capital after a small
# letter ("Open|AI", "Dev|Ops") or the last capital of a run before a small word ("ML|Ops",
# "JP|Morgan"; two small letters, so that a plural "APIs" or "LLMs" stays one word). A short
# word is found at those starts too: "ai" in "OpenAI", "ops" in "DevOps" and "MLOps", "ml" in
# "MLOps", never inside a word written in one case ("maintain", "HTML", "Associate"). The
# same expression in Python and in PostgreSQL (lookbehind, as both know it).
CAMEL_BOUNDARY = "(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z]{2})"
_CAMEL_BOUNDARY = re.compile(CAMEL_BOUNDARY)
# The SQL name SQLite knows `camel_parted` by (careerportal.apps registers it).
CAMEL_PARTED_SQL = "careerportal_camel_parted"


def camel_parted(text):
    """The text with a space where a camel-case word's words meet ("Open AI", "ML Ops")."""
    return None if text is None else _CAMEL_BOUNDARY.sub(" ", text)


def _short_word_lookup(spelling: str) -> str | None:
    """The lookup that finds a short spelling as a word ("folded_word" for one or two
    characters, "folded_word_start" for three), or None for a longer one."""
    word = folded(spelling)
    if len(word) > SHORT_WORD or not word.isascii():
        return None
    return "folded_word" if len(word) < SHORT_WORD else "folded_word_start"


@CharField.register_lookup
@TextField.register_lookup
class FoldedWord(FoldedContains):
    """The word, folded as `FoldedContains` compares it, as a whole word of the text: with no
    ASCII letter or digit just before or after it ("ai" is in "AI-102" and "Applied (AI)", not
    in "maintain"), in the text as it is or parted at its camel-case words (`camel_parted`:
    "ai" is in "OpenAI"). In SQL both databases run alike: the text padded with a space each
    side, lowered (or folded), matched with GLOB on SQLite and a regular expression on
    PostgreSQL (LIKE knows no class of characters)."""

    lookup_name = "folded_word"
    whole = True  # nothing of a word after it either; FoldedWordStart lets a word go on

    def _needle(self, word, vendor):
        after = _NOT_WORD if self.whole else ""
        if vendor == "sqlite":
            glob = "".join(f"[{char}]" if char in "*?[" else char for char in word)
            return f"*{_NOT_WORD}{glob}{after}*"
        return f"{_NOT_WORD}{re.escape(word)}{after}"

    def _found(self, folded_column, vendor):
        operator = "GLOB" if vendor == "sqlite" else "~"
        return f"(' ' || {folded_column} || ' ') {operator} %s"

    def _ascii_sql(self, compiler, connection, word):
        # LIKE first: it drops nearly every text, and costs a twentieth of the GLOB (whose
        # leading "*[^0-9a-z]" retries at each character). The text parted at its camel-case
        # words last, only for a text that holds the letters but not the word, and holds
        # them with a capital first, as a camel-case word starts ("Ai", "AI": one position
        # test each, where parting costs SQLite a Python call).
        like, like_params = super()._ascii_sql(compiler, connection, word)
        lhs, params = self.process_lhs(compiler, connection)
        needle = self._needle(word, connection.vendor)
        as_is = self._found(f"lower({lhs})", connection.vendor)
        position = "instr" if connection.vendor == "sqlite" else "strpos"
        starts = {word[:1].upper() + word[1:2], word[:2].upper()}
        capital = " OR ".join(f"{position}({lhs}, %s) > 0" for _ in starts)
        parted = self._found(f"lower({_camel_parted_sql(lhs, connection)})", connection.vendor)
        sql = f"({like} AND ({as_is} OR (({capital}) AND {parted})))"
        capital_params = [param for start in sorted(starts) for param in (*params, start)]
        return sql, (*like_params, *params, needle, *capital_params, *params, needle)


@CharField.register_lookup
@TextField.register_lookup
class FoldedWordStart(FoldedWord):
    """The word, folded, at the start of a word of the text ("llm" in "LLMs", not in
    "fullmoon")."""

    lookup_name = "folded_word_start"
    whole = False


def _camel_parted_sql(lhs: str, connection) -> str:
    """`camel_parted` in SQL, for the column `lhs`."""
    if connection.vendor == "sqlite":
        return f"{CAMEL_PARTED_SQL}({lhs})"
    return f"regexp_replace(({lhs})::text, '{CAMEL_BOUNDARY}', ' ', 'g')"


def found_as_searched(spelling: str, text: str) -> bool:
    """Whether a search for the spelling (folded) finds it in the text (lowered, and folded
    beyond ASCII), as `every_word_in` compares them: a short word as a word, else anywhere."""
    lookup = _short_word_lookup(spelling)
    if lookup is None:
        return spelling in text
    after = "(?![0-9a-z])" if lookup == "folded_word" else ""
    return re.search(f"(?<![0-9a-z]){re.escape(spelling)}{after}", text) is not None


# What visitors type for what the site's texts spell out: a query word also matches a text
# holding one of these ("k8s" finds "Kubernetes", "sec+" finds "CompTIA Security+").
SYNONYMS = {
    "k8s": ("kubernetes",),
    "kube": ("kubernetes",),
    "gcp": ("google cloud",),
    "aws": ("amazon web services",),
    "ml": ("machine learning",),
    "ai": ("artificial intelligence",),
    "genai": ("generative ai",),
    "llm": ("large language model",),
    "nlp": ("natural language processing",),
    "sec+": ("security+",),
    "net+": ("network+",),
    "infosec": ("information security", "cybersecurity"),
    "secops": ("security operations",),
    "appsec": ("application security",),
    "pentest": ("penetration test",),
    "sre": ("site reliability",),
    "devops": ("platform engineer", "site reliability"),
    "swe": ("software engineer",),
    "sysadmin": ("system administrator",),
    "dba": ("database administrator",),
    "bi": ("business intelligence",),
}
# Words a visitor adds around what they look for ("data scientist salary", "aws exam"): left
# out of a query that has other words, since no title or name says them.
_FILLER_WORDS = """a an and the of for in on to how what is become best top highest near me
    salary salaries pay paid wage wages income job jobs career careers role roles
    cert certs certificate certificates certification certifications exam exams
    course courses training uk usa us"""
FILLER = frozenset(_FILLER_WORDS.split())
# "security plus" and "comptia a plus" as the exams are spelt: "security+", "a+".
_PLUS = re.compile(r"(\w)\s+plus\b", re.IGNORECASE)


def _singular(word: str) -> str:
    """The word without a plural ending ("engineers", "salaries"), for words of 5 letters or
    more ("aws" and "ops" stay)."""
    if len(word) < 5 or not word.isalpha() or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") else word


# Endings of a word for a field of work whose stem, the word without them, also starts the
# word for the work or for the person doing it: "engineering" and "engineer", "science" and
# "scientist", "management" and "manager", "analysis" and "analyst". (A stemmer such as
# Snowball would not do: it makes "science" "scienc", a stem of no "scientist", and it cuts
# "engineering" to "engin", which is also in "Kubernetes Engine".)
_FIELD_ENDINGS = (
    ("ing", ""),  # engineering: engineer; programming: programmer; learning: learner
    ("ment", ""),  # management: manager; development: developer; deployment
    ("ation", "at"),  # administration: administrator; automation: automated
    ("ence", "en"),  # science: scientist, scientific; intelligence: intelligent
    ("ance", "an"),  # compliance: compliant; governance; finance: financial
    ("ysis", "y"),  # analysis: analyst, analytics
)
# The least a stem keeps: the words shorter stems come from ("testing": "test", in "latest";
# "dance", "string", "station") are no field's name, and a stem is found inside longer words.
MIN_STEM = 5


def _stem(word: str) -> str:
    """The word's stem for the work or the person doing it (`_FIELD_ENDINGS`): "engineering"
    gives "engineer" and "science" "scien"; the word itself when it has none of those
    endings or its stem would be shorter than MIN_STEM."""
    if word.isalpha():
        for ending, kept in _FIELD_ENDINGS:
            stem = word[: -len(ending)] + kept
            if word.endswith(ending) and len(stem) >= MIN_STEM:
                return stem
    return word


def _joined(words: list[str]) -> list[str]:
    """The words with two in a row that spell one of the SYNONYMS joined: "dev ops" is
    "devops" (the platform and reliability careers), as "ml ops" is found as "MLOps"."""
    joined = []
    for word in words:
        if joined and joined[-1] + word in SYNONYMS:
            joined[-1] += word
        else:
            joined.append(word)
    return joined


def read_words(text) -> list[str]:
    """The query's words as a search reads them: two that spell one of the SYNONYMS joined,
    "security plus" as "security+"."""
    return _joined(query_words(_PLUS.sub(r"\1+", str(text or ""))))


def kept_words(text) -> list[str]:
    """The query's words a search looks for (`read_words`): FILLER words left out when others
    remain."""
    words = read_words(text)
    return [w for w in words if w not in FILLER] or words


def _spellings(word: str) -> tuple[str, ...]:
    """What a text may hold for the query word: the word (singular: a text holding "engineer"
    holds "engineers" too), its stem (`_stem`: "engineering" is also found as "engineer") and
    its SYNONYMS."""
    singular = _singular(word)
    stem = _stem(singular)
    candidates = dict.fromkeys((word, singular, stem))
    # A form that starts with another is found wherever that one is ("engineering" where
    # "engineer" is): the shorter alone does.
    forms = [f for f in candidates if not any(f != g and f.startswith(g) for g in candidates)]
    return tuple(dict.fromkeys((*forms, *SYNONYMS.get(word, SYNONYMS.get(singular, ())))))


def search_terms(text) -> list[tuple[str, ...]]:
    """The words a search looks for (`kept_words`), each as the texts it accepts
    (`_spellings`)."""
    return [_spellings(word) for word in kept_words(text)]


# How many query words in a row may be spelled out for the short word of their initials:
# "machine learning" for "ML", "site reliability engineer" for "SRE".
INITIALISM_WORDS = (2, 3)


def _initialisms(words: list[str]) -> list[tuple[range, str, str]]:
    """(positions, short word, phrase) for each run of INITIALISM_WORDS query words, each of
    letters alone and longer than a SHORT_WORD (a short word is itself an abbreviation): the
    short word their initials spell and the run as a text spells it out, singular."""
    runs = []
    for size in INITIALISM_WORDS:
        for first in range(len(words) - size + 1):
            run = words[first : first + size]
            if all(word.isalpha() and len(word) > SHORT_WORD for word in run):
                short = "".join(word[0] for word in run)
                runs.append((range(first, first + size), short, " ".join(map(_singular, run))))
    return runs


def _in_any(spellings, fields) -> Q:
    """Rows with one of the spellings in one of the fields (a SHORT_WORD as a word)."""
    return reduce(
        or_,
        (
            Q(**{f"{field}__{_short_word_lookup(s) or 'folded_contains'}": s})
            for s in spellings
            for field in fields
        ),
    )


def every_word_in(text, *fields: str, spelled_out_in=()) -> Q:
    """Rows where each word of the text (`search_terms`) is in at least one of the fields, in
    any order, both folded (`FoldedContains`; a SHORT_WORD as a word, `FoldedWord`): "ai ml"
    finds "AI / ML Engineer" (and not "HTML Maintainer"), "learning machine" finds "Machine
    Learning Engineer", "istanbul" finds "İstanbul Veri Mühendisi" and "k8s" finds
    "Kubernetes".

    With `spelled_out_in` (a row's texts), words in a row (`_initialisms`) are also in the
    fields where these hold the short word of their initials and the row's `spelled_out_in`
    texts spell them out: "machine learning engineer" is every word of the title "AI / ML
    Engineer" of a career whose tagline says "machine learning". The row's own texts say what
    its abbreviation stands for; no list of them is kept, and "ML" in a row that never says
    "machine learning" stands for nothing."""
    words = kept_words(text)
    runs = _initialisms(words) if spelled_out_in else []
    condition = Q()
    for position, word in enumerate(words):
        found = _in_any(_spellings(word), fields)
        for positions, short, phrase in runs:
            if position in positions:
                # The phrase first: a LIKE, false in nearly every row, spares the short
                # word's GLOB.
                found |= _in_any((phrase,), spelled_out_in) & _in_any((short,), fields)
        condition &= found
    return condition


# Columns of searched_texts: the most fields one kind of row is searched by.
TEXT_COLUMNS = 5


def searched_texts(queryset, *fields, facts=()):
    """The fields' values as rows of TEXT_COLUMNS texts (blanks after the fields), so that the
    texts of several models combine in one UNION; after the `facts` fields' values, if any."""
    blank = Value("", output_field=CharField())
    columns = [F(field) for field in fields] + [blank] * (TEXT_COLUMNS - len(fields))
    names = [f"searched_{n}" for n in range(TEXT_COLUMNS)]
    return (
        queryset.order_by()
        .annotate(**dict(zip(names, columns, strict=True)))
        .values_list(*facts, *names)
    )


def _site_lower(text: str) -> str:
    """The text in lower case, composed, but with a Turkish "İ" kept: Python lowers it to "i"
    and a combining dot, which "Did you mean" would offer as a word of its own ("stanbul")."""
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
    """The words of the text that could be typos: 4 letters or more, no digit, not one of
    the SYNONYMS ("devops")."""
    words = [w for w in query_words(text) if len(w) >= MIN_RESPELLED and w not in SYNONYMS]
    return [w for w in words if not any(c.isdigit() for c in w)][:MAX_RESPELLED]


def respelled(text, vocabulary) -> str:
    """The query with each word that appears nowhere in the vocabulary (the words a search
    can match) replaced by the most alike word that does: "kuberntes" becomes "kubernetes".
    "" when no word could be replaced. Short words and words with digits are kept: an exam
    code is matched without its dashes, and "aws" is too short to guess from."""
    replacements = {}
    for word in misspelt(text):
        key = folded(word)
        if any(
            word in known or key in (known if known.isascii() else folded(known))
            for known in vocabulary
        ):
            continue  # it matches on its own (as part of a longer word, or folded, say)
        alike = difflib.get_close_matches(word, vocabulary, n=1, cutoff=RESPELL_CUTOFF)
        if alike:
            replacements[word] = alike[0]
    if not replacements:
        return ""
    return " ".join(replacements.get(word, word) for word in query_words(text))


class SearchedRow(NamedTuple):
    """A row a list searches, read for its "Did you mean": the facts its other filters compare,
    the words of its texts (each word's string shared by every row that has it) and its texts
    in lower case and, beyond ASCII, folded too, one a line (as `finds` compares them; no
    query word holds a line break)."""

    facts: tuple
    words: tuple[str, ...]
    text: str


def searched_rows(rows) -> list[SearchedRow]:
    """SearchedRows of (facts, texts) pairs: the words found once, for every later search."""
    return [
        SearchedRow(
            tuple(facts),
            tuple(sys.intern(word) for word in words_in([texts])),
            "\n".join(_as_compared(texts)),
        )
        for facts, texts in rows
    ]


def _as_compared(texts):
    """Each text in lower case, as `icontains` compares an ASCII word, then parted at its
    camel-case words as `FoldedWord` also compares a short one, then folded as
    `FoldedContains` compares the others, when those differ."""
    for text in texts:
        yield text.lower()
        parted = camel_parted(text)
        if parted != text:
            yield parted.lower()
        if not text.isascii():
            yield folded(text)


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
        chosen, vocabulary = _chosen(rows, within)
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


def respelled_within(text, read_rows, *, kept) -> str:
    """The text respelled (`respelled`) in the words of the rows `read_rows()` gives whose
    facts pass `kept` (the list's other filters), whether or not it finds any, or "": what a
    list leaving out the words none of its rows holds searches when the respelling alone
    finds nothing ("kuberntes london" as "kubernetes london"). The rows are read only when a
    word of the text could be a typo."""
    if not misspelt(text):
        return ""
    return respelled(text, _chosen(read_rows(), kept)[1])


def _chosen(rows, within) -> tuple[list[SearchedRow], set[str]]:
    """The SearchedRows whose facts pass `within`, and their words."""
    chosen = [row for row in rows if within(row.facts)]
    vocabulary = set()
    for row in chosen:
        vocabulary.update(row.words)
    return chosen, vocabulary


def finds(text, rows) -> bool:
    """Whether a search for the text (every word in one of a row's texts, as `every_word_in`
    matches) finds any of these rows (their texts as SearchedRow.text holds them)."""
    terms = [[folded(s) for s in spellings] for spellings in search_terms(text)]
    return any(
        all(any(found_as_searched(s, row) for s in spellings) for spellings in terms)
        for row in rows
    )


# Why a filter's value was ignored, by the code of the field's error: the notice says it in
# words a visitor can act on (the field's own error may be Django's wording).
IGNORED_BECAUSE = {
    "invalid_choice": "it is not one of the choices",
    "invalid": "it is not a number",
    "min_value": "it must be {limit_value} or more",
    "max_value": "it must be {limit_value} or less",
    "max_digits": "it must have at most {max} digits",
    "max_whole_digits": "it must have at most {max} digits before the decimal point",
    "max_decimal_places": "it must have at most {max} decimal places",
}


def ignored_notice(form, name: str) -> str:
    """The notice for a filter whose value the page ignored: which filter, what was given
    (cut short), and why, from the first error of the form's field `name`."""
    error = form.errors.as_data()[name][0]
    because = IGNORED_BECAUSE.get(error.code)
    if because is None or (error.code == "invalid" and not _numeric(form.fields[name])):
        reason = " ".join(error.messages).rstrip(".")
        because = reason[:1].lower() + reason[1:]
    else:
        because = because.format(**(error.params or {}))
    given = str(form.data.get(name))[:40]
    return f"{form.fields[name].label}: “{given}” was ignored: {because}."


def _numeric(field) -> bool:
    return isinstance(field, forms.DecimalField | forms.IntegerField | forms.FloatField)


def show_values_used(form, values) -> None:
    """Bind a filter form again to the values its page used, for each menu whose value was
    replaced (the page's notice says so): a menu cannot show an option it does not have, so
    it shows the option used instead of a raw "Select a valid choice" beside another one; and
    a search box its query cut short (the notice says so), as run, not with "Ensure this value
    has at most 100 characters" beside the results. A typed value the page ignored stays in
    its box with its error beside it."""
    replaced = [
        name
        for name in form.errors
        if name in values and isinstance(form.fields.get(name), forms.ChoiceField | SearchField)
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

"""One ranked search over careers, certifications, providers and employers.

All four kinds come back from ONE query (a UNION of four SELECTs with the same columns), so
the search page stays at a fixed query count however many rows match. Matching compares
texts folded ("istanbul" finds "İstanbul", "strasse" finds "Straße": careerportal.query's
FoldedContains, LIKE for an ASCII word in an ordinary text) and REPLACE, on SQLite and
PostgreSQL alike.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import add

from django.db.models import Case, CharField, Exists, F, IntegerField, OuterRef, Q, Value, When

from careerportal import query
from careerportal.cache import per_content_version
from careerportal.query import SHORT_WORD, every_word_in
from careerportal.some_words import left_out
from careers.models import Career, Employer
from careers.querysets import SEARCHED as CAREER_TEXTS
from careers.querysets import own_words
from certifications.models import Certification, Provider, code_beside
from certifications.querysets import SEARCHED as CERTIFICATION_TEXTS
from certifications.querysets import squash

RESULT_LIMIT = 200  # across all kinds; a person never reads more
GROUP_SHOWN = 10  # per kind on the page; the rest are a link to the filtered catalogue
KINDS = [
    ("career", "Careers"),
    ("certification", "Certifications"),
    ("provider", "Providers"),
    ("employer", "Employers"),
]
# EXACT title or code, then PREFIX, then every word in the title (WORDS), then the rest, and
# last a career found only through the certifications on its roadmap (ROADMAP).
EXACT, PREFIX, WORDS, CONTAINS, ROADMAP = 0, 1, 2, 3, 4


@dataclass
class Hit:
    kind: str
    title: str
    slug: str
    detail: str
    code: str
    status: str
    rank: int
    words: int = 0  # how many of the words it holds, in a search for some (`search_some`)

    @property
    def code_beside_title(self) -> str:
        return code_beside(self.title, self.code)


def _starts(field: str, text: str) -> Q:
    """The field starts with the text, and holds its words as a search finds them: "Airflow
    Engineer" starts with "ai" but is no title starting with the word "ai"."""
    return Q(**{f"{field}__folded_startswith": text}) & every_word_in(text, field)


def _rank(field: str, text: str, *, texts, contains=None) -> Case:
    """EXACT when the field equals the text, then PREFIX, WORDS (an abbreviation in the
    field counting for the words the row's `texts` spell it out in), else CONTAINS (or,
    given `contains`, CONTAINS where it holds and ROADMAP elsewhere)."""
    return Case(
        When(Q(**{f"{field}__folded_exact": text}), then=Value(EXACT)),
        When(_starts(field, text), then=Value(PREFIX)),
        When(every_word_in(text, field, spelled_out_in=texts), then=Value(WORDS)),
        *([When(contains, then=Value(CONTAINS))] if contains is not None else []),
        default=Value(CONTAINS if contains is None else ROADMAP),
        output_field=IntegerField(),
    )


def _columns(queryset, *, kind, title, detail, code, status, rank, words=None):
    text = CharField()
    columns = {"hit_words": words} if words is not None else {}
    return queryset.annotate(
        hit_kind=Value(kind, output_field=text),
        hit_title=title,
        hit_slug=F("slug"),
        hit_detail=detail,
        hit_code=code,
        hit_status=status,
        hit_rank=rank,
        **columns,
    ).values_list(
        "hit_kind",
        "hit_title",
        "hit_slug",
        "hit_detail",
        "hit_code",
        "hit_status",
        "hit_rank",
        *columns,
    )


def _kinds() -> list[tuple[str, object, Callable[[str], Q]]]:
    """Each kind's public rows and the condition a text's words meet in one of them: a career
    also matches through its roadmap ("AI-102" or "MLflow" finds the careers that ask for that
    certification, or for a retired exam it replaced, as the career list's search does)."""
    certifications = Certification.objects.public().with_code_key()  # code_key: match's
    public_certs = Certification.objects.public().filter(provider=OuterRef("pk"))
    return [
        ("career", Career.objects.published().order_by(), Career.objects.match),
        ("certification", certifications.order_by(), certifications.match),
        (
            "provider",
            Provider.objects.filter(Exists(public_certs)).order_by(),
            lambda text: every_word_in(text, "name", "also_known_as"),
        ),
        ("employer", Employer.objects.order_by(), lambda text: every_word_in(text, "name")),
    ]


def _hit_columns(kind: str, text: str) -> dict:
    """The `_columns` of a kind's hits, ranked for the text."""
    blank = Value("", output_field=CharField())
    if kind == "career":
        # Careers found through their roadmap after those matching by their own words.
        rank = _rank("title", text, texts=CAREER_TEXTS, contains=own_words(text))
        return {
            "title": F("title"),
            "detail": F("tagline"),
            "code": blank,
            "status": blank,
            "rank": rank,
        }
    if kind == "certification":
        columns = {"title": F("name"), "detail": F("provider__name"), "code": F("exam_code")}
        return columns | {"status": F("status"), "rank": _certification_rank(text)}
    texts = ("name", "also_known_as") if kind == "provider" else ("name", "description")
    detail = blank if kind == "provider" else F("description")
    rank = _rank("name", text, texts=texts)
    return {"title": F("name"), "detail": detail, "code": blank, "status": blank, "rank": rank}


def _certification_rank(text: str) -> Case:
    """EXACT for the exam code or name, typed any way; PREFIX, WORDS or CONTAINS as `_rank`."""
    key = squash(text)
    return Case(
        When(Q(exam_code__iexact=text) | Q(name__folded_exact=text), then=Value(EXACT)),
        When(Q(code_key=key) if key else Q(pk__in=[]), then=Value(EXACT)),
        When(_starts("exam_code", text) | _starts("name", text), then=Value(PREFIX)),
        # "cka" starts CKAD and "az9" AZ-900; "ml" is no word of MLS-C01.
        When(
            Q(code_key__startswith=key) if len(key) >= SHORT_WORD else Q(pk__in=[]),
            then=Value(PREFIX),
        ),
        When(
            every_word_in(text, "name", spelled_out_in=CERTIFICATION_TEXTS),
            then=Value(WORDS),
        ),
        default=Value(CONTAINS),
        output_field=IntegerField(),
    )


# A retired exam after the ones on offer it matches as well as ("published" sorts before
# "retired"; the other kinds have no status): "machine learning" listed AWS's retired MLS-C01
# above MLA-C01, which replaced it. Kind and slug last: hits of one title and rank keep one
# order (PostgreSQL sorts ties in whatever order it reads them, and a save moves a row), so
# the same ones are shown.
_ORDER = ("hit_rank", "hit_status", "hit_title", "hit_kind", "hit_slug")


def search(text: str) -> list[Hit]:
    """Every public match for the text, best first: exact code or title, prefix, all words in
    the title, the rest. A row matches when each word of the text is in one of its fields."""
    text = text.strip()
    if not text:
        return []
    first, *others = [
        _columns(rows.filter(match(text)), kind=kind, **_hit_columns(kind, text))
        for kind, rows, match in _kinds()
    ]
    rows = first.union(*others, all=True).order_by(*_ORDER)[:RESULT_LIMIT]
    return [Hit(*row) for row in rows]


@dataclass
class SomeWords:
    """What a search for some of a text's words found (`search_some`)."""

    hits: list[Hit]
    searched: str  # the text without the words left out
    unmatched: list[str]  # the words no row holds
    unweighed: list[str]  # the words after the first WEIGHED_WORDS, not searched
    every_word: bool  # whether the best hit holds every word searched


def _holding(match, words: list[str]) -> Case:
    """How many of the words a row holds (`match`)."""
    return reduce(add, (Case(When(match(word), then=Value(1)), default=Value(0)) for word in words))


def _held_kinds() -> list:
    """The rows a word is looked for in (`some_words.held`): careers by their own words
    alone, and no provider: a career found through its roadmap, or a provider by its names,
    holds a word only where one of its public certifications does."""
    certifications = Certification.objects.public().with_code_key()
    return [
        (Career.objects.published(), own_words),
        (certifications, certifications.match),
        (Employer.objects.all(), lambda word: every_word_in(word, "name")),
    ]


def search_some(text: str) -> SomeWords | None:
    """For a text of two words or more that no row holds every word of (`search` found
    nothing): which of its first WEIGHED_WORDS words any row holds (one query,
    `some_words.left_out`), then the rows holding any of those, the most words first, then as
    `search` ranks them for those words (one more, when a row holds any). None for a text of
    one word."""
    found = left_out(text, _held_kinds())
    if found is None:
        return None
    searched, matched = found.searched, found.matched
    if not matched:
        return SomeWords([], searched, found.unmatched, found.unweighed, every_word=False)
    first, *others = [
        _columns(
            rows,
            kind=kind,
            **_hit_columns(kind, searched),
            words=_holding(match, matched),
        )
        for kind, rows, match in _kinds()
    ]
    rows = first.union(*others, all=True).order_by("-hit_words", *_ORDER)[:RESULT_LIMIT]
    hits = [Hit(*row) for row in rows if row[-1]]  # the rows holding no word last
    every_word = hits[0].words == len(matched)
    return SomeWords(hits, searched, found.unmatched, found.unweighed, every_word)


# "cka vs ckad", "aws or azure": a visitor weighing two or three things up, which no one page
# holds together; searched each on its own when the whole text finds nothing.
_VERSUS = re.compile(r"\s+(?:vs\.?|versus|v|or)\s+", re.IGNORECASE)


def weighed_up(text: str) -> list[str]:
    """The two or three things the text weighs up ("cka vs ckad": "cka", "ckad"), or []."""
    parts = [part for part in (p.strip() for p in _VERSUS.split(text)) if part]
    return parts if 2 <= len(parts) <= 3 else []


def search_each(parts: list[str]) -> tuple[list[Hit], list[Hit]]:
    """Every hit of any part (once, in the parts' order) and the hit each part clearly means,
    ranked above its others and no worse than WORDS ("aws" means no one exam): one query a
    part."""
    hits, best, seen = [], [], set()
    for part in parts:
        found = search(part)
        if found and found[0].rank <= WORDS and (len(found) == 1 or found[1].rank > found[0].rank):
            best.append(found[0])
        for hit in found:
            if (hit.kind, hit.slug) not in seen:
                seen.add((hit.kind, hit.slug))
                hits.append(hit)
    return hits[:RESULT_LIMIT], best


def comparable(best: list[Hit], parts: list[str]) -> list[Hit]:
    """The hit each part means when every part means a different career, or a different
    certification (what a compare page takes), else []."""
    kinds = {hit.kind for hit in best}
    distinct = len({hit.slug for hit in best}) == len(best) == len(parts)
    return best if distinct and kinds in ({"career"}, {"certification"}) else []


def grouped(hits: list[Hit]) -> list[dict]:
    """Hits grouped by kind, the group of the best hit first ("CKA" shows the exam before the
    careers that ask for it; a hit holding more words before one holding fewer; kinds of an
    equal best hit in KINDS order): the best GROUP_SHOWN of each, and the count."""
    best = {}
    for hit in hits:  # best first (holding the most words, in a search for some)
        best.setdefault(hit.kind, (-hit.words, hit.rank))
    groups = []
    last = (0, ROADMAP)
    for kind, label in sorted(KINDS, key=lambda kind_label: best.get(kind_label[0], last)):
        items = [hit for hit in hits if hit.kind == kind]
        if items:
            groups.append(
                {
                    "kind": kind,
                    "label": label,
                    "hits": items[:GROUP_SHOWN],
                    "count": len(items),
                    "more": max(len(items) - GROUP_SHOWN, 0),
                }
            )
    return groups


@per_content_version
def site_words() -> frozenset[str]:
    """Every word a search can match: the searched fields of public careers, certifications
    (with their providers' names) and employers (one query, again only after a change)."""
    rows = (
        Career.objects.published()
        .searched_texts()
        .union(
            Certification.objects.public().searched_texts(),
            query.searched_texts(Employer.objects.all(), "name"),
            all=True,
        )
    )
    return frozenset(query.words_in(rows))


def respelled(text: str) -> str:
    """The query respelled in the site's words ("kuberntes" becomes "kubernetes"), or ""."""
    return query.respelled(text, site_words()) if query.misspelt(text) else ""

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
from operator import add, or_

from django.db import connections
from django.db.models import Case, CharField, Exists, F, IntegerField, OuterRef, Q, Value, When

from careerportal import query
from careerportal.cache import per_content_version
from careerportal.query import SHORT_WORD, every_word_in
from careerportal.some_words import WEIGHED_WORDS, left_out
from careers.models import Career, Employer
from careers.querysets import SEARCHED as CAREER_TEXTS
from careers.querysets import TITLES as CAREER_TITLES
from careers.querysets import UNTITLED as CAREER_UNTITLED
from careers.querysets import own_words
from certifications.models import Certification, Provider, code_beside
from certifications.querysets import SEARCHED as CERTIFICATION_TEXTS
from certifications.querysets import TITLES as CERTIFICATION_TITLES
from certifications.querysets import UNTITLED as CERTIFICATION_UNTITLED
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
# In a search for some of the words, a word in what a row is called (its title) counts
# TITLED + 1 in the row's score, a word it holds elsewhere 1: a score of TITLED or more says
# its title holds one, and the score modulo TITLED how many it holds (TITLED is more than the
# words weighed). One sum, each word's conditions tried once: a column saying whether the
# title holds one tried them all again (SQLite: 13% more steps).
TITLED = WEIGHED_WORDS + 1


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
    titled: bool = False  # whether its title holds one of them, in a search for some

    @property
    def best_first(self) -> tuple:
        """What ranks the hit among others (`search_some`'s order): one whose title holds a
        word first, then the most words, then its rank."""
        return (not self.titled, -self.words, self.rank)

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


def _kinds() -> list[tuple[str, object, Callable[[str], Q], Callable[[str], tuple]]]:
    """Each kind's public rows, the condition a text's words meet in one of them and, apart,
    the conditions they meet in what it is called (a career's title or alternative titles, an
    exam's name or code, a provider's or employer's names) and elsewhere (None: nowhere else):
    a career also matches through its roadmap ("AI-102" or "MLflow" finds the careers that ask
    for that certification, or for a retired exam it replaced, as the career list's search
    does)."""
    certifications = Certification.objects.public().with_code_key()  # code_key: match's
    public_certs = Certification.objects.public().filter(provider=OuterRef("pk"))
    return [
        (
            "career",
            Career.objects.published().order_by(),
            Career.objects.match,
            lambda text: (
                every_word_in(text, *CAREER_TITLES),
                Career.objects.match(text, fields=CAREER_UNTITLED),
            ),
        ),
        (
            "certification",
            certifications.order_by(),
            certifications.match,
            lambda text: (
                certifications.match(text, fields=CERTIFICATION_TITLES),
                every_word_in(text, *CERTIFICATION_UNTITLED),
            ),
        ),
        (
            "provider",
            Provider.objects.filter(Exists(public_certs)).order_by(),
            _provider_names,
            lambda text: (_provider_names(text), None),
        ),
        (
            "employer",
            Employer.objects.order_by(),
            _employer_name,
            lambda text: (_employer_name(text), None),
        ),
    ]


def _provider_names(text: str) -> Q:
    return every_word_in(text, "name", "also_known_as")


def _employer_name(text: str) -> Q:
    return every_word_in(text, "name")


def _hit_columns(kind: str, text: str, *, own: Q | None = None) -> dict:
    """The `_columns` of a kind's hits, ranked for the text; a career ROADMAP where `own`
    (by default, every word of the text in its own texts) does not hold."""
    blank = Value("", output_field=CharField())
    if kind == "career":
        # Careers found through their roadmap after those matching by their own words.
        own = own_words(text) if own is None else own
        rank = _rank("title", text, texts=CAREER_TEXTS, contains=own)
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
        for kind, rows, match, _ in _kinds()
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


def _score(parts, words: list[str]) -> Case:
    """A row's score for the words it holds (TITLED): each word's conditions (`parts`: in its
    title, elsewhere) tried once, the title first."""
    scores = []
    for word in words:
        in_title, elsewhere = parts(word)
        held_elsewhere = [When(elsewhere, then=Value(1))] if elsewhere is not None else []
        scores.append(
            Case(When(in_title, then=Value(TITLED + 1)), *held_elsewhere, default=Value(0))
        )
    return reduce(add, scores)


def _held_kinds() -> list:
    """The rows a word is looked for in (`some_words.held`): careers by their own words
    alone, and no provider: a career found through its roadmap, or a provider by its names,
    holds a word only where one of its public certifications does."""
    certifications = Certification.objects.public().with_code_key()
    return [
        (Career.objects.published(), own_words),
        (certifications, certifications.match),
        (Employer.objects.all(), _employer_name),
    ]


def search_some(text: str) -> SomeWords | None:
    """For a text of two words or more that no row holds every word of (`search` found
    nothing): which of its first WEIGHED_WORDS words any row holds (one query,
    `some_words.left_out`), then the rows holding any of those (one more, when a row holds
    any): those whose title holds one first, then those holding the most (`Hit.best_first`),
    then as `search` ranks them for those words, a career holding one in its own texts ahead
    of those found through their roadmap alone. None for a text of one word."""
    found = left_out(text, _held_kinds())
    if found is None:
        return None
    searched, matched = found.searched, found.matched
    if not matched:
        return SomeWords([], searched, found.unmatched, found.unweighed, every_word=False)
    own = reduce(or_, (own_words(word) for word in matched))
    first, *others = [
        _columns(
            rows,
            kind=kind,
            **_hit_columns(kind, searched, own=own),
            words=_score(parts, matched),
        )
        for kind, rows, _, parts in _kinds()
    ]
    rows = _best_first(first.union(*others, all=True))
    hits = [
        Hit(*row[:-1], words=row[-1] % TITLED, titled=row[-1] >= TITLED)
        for row in rows
        if row[-1]  # the rows holding no word last
    ]
    every_word = any(hit.words == len(matched) for hit in hits)
    return SomeWords(hits, searched, found.unmatched, found.unweighed, every_word)


def _best_first(hits) -> list[tuple]:
    """The first RESULT_LIMIT rows of `hits` (a UNION of `_columns` with a score), those whose
    title holds a word first, then by the words they hold, then in `_ORDER`: the UNION in a
    subquery, whose ORDER BY may compute with its score where the UNION's names columns only."""
    sql, params = hits.query.get_compiler(hits.db).as_sql()
    score = "hit_words"
    order = (
        f"CASE WHEN {score} >= {TITLED} THEN 0 ELSE 1 END, {score} %% {TITLED} DESC, "
        + ", ".join(_ORDER)
    )
    with connections[hits.db].cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM ({sql}) AS hits ORDER BY {order} LIMIT %s", (*params, RESULT_LIMIT)
        )
        return cursor.fetchall()


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
    careers that ask for it; in a search for some words, `Hit.best_first`; kinds of an equal
    best hit in KINDS order): the best GROUP_SHOWN of each, and the count."""
    best = {}
    for hit in hits:  # best first (`Hit.best_first`, in a search for some)
        best.setdefault(hit.kind, hit.best_first)
    groups = []
    last = (0, 0, ROADMAP)
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

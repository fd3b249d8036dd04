"""One ranked search over careers, certifications, providers and employers.

All four kinds come back from ONE query (a UNION of four SELECTs with the same columns), so
the search page stays at a fixed query count however many rows match. Matching uses
LOWER/LIKE (icontains) and REPLACE, which SQLite and PostgreSQL both have.
"""

import difflib
import re
from dataclasses import dataclass

from django.db.models import Case, CharField, Exists, F, IntegerField, OuterRef, Q, Value, When

from careerportal.query import every_word_in, query_words
from careers.models import Career, Employer
from certifications.models import Certification, Provider, RoadmapStep
from certifications.querysets import squash

RESULT_LIMIT = 200  # across all kinds; a person never reads more
GROUP_SHOWN = 10  # per kind on the page; the rest are a link to the filtered catalogue
KINDS = [
    ("career", "Careers"),
    ("certification", "Certifications"),
    ("provider", "Providers"),
    ("employer", "Employers"),
]
# A query word shorter than this, or holding a digit (an exam code), is never respelled.
MIN_RESPELLED = 4
# How alike (difflib's ratio, 0 to 1) a word on the site must be to stand in for a query word:
# "kubernets" and "kubernetes" are 0.95, "enginer" and "engineer" 0.93, "basket" and "master" 0.5.
RESPELL_CUTOFF = 0.8
# Words looked up per query: a typo is a word or two, not a sentence (bounds the time).
MAX_RESPELLED = 5
_WORD = re.compile(r"\w+(?:[-.+#]\w+)*")
# EXACT title or code, then PREFIX, then every word in the title (WORDS), then the rest.
EXACT, PREFIX, WORDS, CONTAINS = 0, 1, 2, 3


@dataclass
class Hit:
    kind: str
    title: str
    slug: str
    detail: str
    code: str
    status: str
    rank: int


def _rank(field: str, text: str, *, code_key: str = "") -> Case:
    """EXACT when the field (or the squashed exam code) equals the text, then PREFIX, WORDS,
    else CONTAINS."""
    exact = Q(**{f"{field}__iexact": text})
    prefix = Q(**{f"{field}__istartswith": text})
    if code_key:
        exact |= Q(code_key=code_key)
        prefix |= Q(code_key__startswith=code_key)
    return Case(
        When(exact, then=Value(EXACT)),
        When(prefix, then=Value(PREFIX)),
        When(every_word_in(text, field), then=Value(WORDS)),
        default=Value(CONTAINS),
        output_field=IntegerField(),
    )


def _columns(queryset, *, kind, title, detail, code, status, rank):
    text = CharField()
    return queryset.annotate(
        hit_kind=Value(kind, output_field=text),
        hit_title=title,
        hit_slug=F("slug"),
        hit_detail=detail,
        hit_code=code,
        hit_status=status,
        hit_rank=rank,
    ).values_list(
        "hit_kind", "hit_title", "hit_slug", "hit_detail", "hit_code", "hit_status", "hit_rank"
    )


def search(text: str) -> list[Hit]:
    """Every public match for the text, best first: exact code or title, prefix, all words in
    the title, the rest. A row matches when each word of the text is in one of its fields."""
    text = text.strip()
    if not text:
        return []
    key = squash(text)
    blank = Value("", output_field=CharField())
    # A career also matches through its roadmap: "AI-102" or "MLflow" finds the careers that
    # ask for that certification, or for a retired exam it replaced (ranked after careers
    # matching by their own words).
    matching_certs = Certification.objects.public().matching(text).values("pk")
    on_roadmap = RoadmapStep.objects.visible().filter(
        Q(certification__in=matching_certs)
        | Q(certification__status="retired", certification__successor__in=matching_certs),
        career=OuterRef("pk"),
    )
    careers = _columns(
        Career.objects.published()
        .filter(Q(pk__in=Career.objects.matching(text).values("pk")) | Exists(on_roadmap))
        .order_by(),
        kind="career",
        title=F("title"),
        detail=F("tagline"),
        code=blank,
        status=blank,
        rank=_rank("title", text),
    )
    certifications = _columns(
        Certification.objects.public()
        .matching(text)  # annotates code_key, the squashed exam code
        .order_by(),
        kind="certification",
        title=F("name"),
        detail=F("provider__name"),
        code=F("exam_code"),
        status=F("status"),
        rank=Case(
            When(Q(exam_code__iexact=text) | Q(name__iexact=text), then=Value(EXACT)),
            When(Q(code_key=key) if key else Q(pk__in=[]), then=Value(EXACT)),
            When(
                Q(exam_code__istartswith=text) | Q(name__istartswith=text),
                then=Value(PREFIX),
            ),
            When(Q(code_key__startswith=key) if key else Q(pk__in=[]), then=Value(PREFIX)),
            When(every_word_in(text, "name"), then=Value(WORDS)),
            default=Value(CONTAINS),
            output_field=IntegerField(),
        ),
    )
    public_certs = Certification.objects.public().filter(provider=OuterRef("pk"))
    providers = _columns(
        Provider.objects.filter(
            Exists(public_certs), every_word_in(text, "name", "also_known_as")
        ).order_by(),
        kind="provider",
        title=F("name"),
        detail=blank,
        code=blank,
        status=blank,
        rank=_rank("name", text),
    )
    employers = _columns(
        Employer.objects.filter(every_word_in(text, "name")).order_by(),
        kind="employer",
        title=F("name"),
        detail=F("description"),
        code=blank,
        status=blank,
        rank=_rank("name", text),
    )
    rows = careers.union(certifications, providers, employers, all=True).order_by(
        "hit_rank", "hit_title"
    )[:RESULT_LIMIT]
    return [Hit(*row) for row in rows]


def grouped(hits: list[Hit]) -> list[dict]:
    """Hits grouped by kind in a fixed order: the best GROUP_SHOWN of each, and the count."""
    groups = []
    for kind, label in KINDS:
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


def site_words() -> set[str]:
    """Every word a search can match, lowercased: the searched fields of public careers,
    certifications, providers and employers (one query)."""
    blank = Value("", output_field=CharField())

    def texts(queryset, *fields):
        columns = [F(field) if field else blank for field in fields]
        return (
            queryset.order_by()
            .annotate(**{f"text_{n}": column for n, column in enumerate(columns)})
            .values_list("text_0", "text_1", "text_2", "text_3")
        )

    public_certs = Certification.objects.public().filter(provider=OuterRef("pk"))
    rows = texts(
        Career.objects.published(), "title", "tagline", "alternative_titles", "category"
    ).union(
        texts(Certification.objects.public(), "name", "exam_code", "summary", ""),
        texts(Provider.objects.filter(Exists(public_certs)), "name", "also_known_as", "", ""),
        texts(Employer.objects.all(), "name", "", "", ""),
        all=True,
    )
    return {word for row in rows for text in row for word in _WORD.findall(text.lower())}


def respelled(text: str) -> str:
    """The query with each word that appears nowhere on the site replaced by the most alike
    word that does ("kubernets" becomes "kubernetes"); "" when no word could be replaced.
    Short words and words with digits are kept: an exam code is matched without its dashes."""
    words = query_words(text)
    unknown = [w for w in words if len(w) >= MIN_RESPELLED and not any(c.isdigit() for c in w)]
    unknown = unknown[:MAX_RESPELLED]
    if not unknown:
        return ""
    vocabulary = site_words()
    replacements = {}
    for word in unknown:
        if any(word in known for known in vocabulary):
            continue  # it matches on its own (as part of a longer word, say)
        alike = difflib.get_close_matches(word, vocabulary, n=1, cutoff=RESPELL_CUTOFF)
        if alike:
            replacements[word] = alike[0]
    if not replacements:
        return ""
    return " ".join(replacements.get(word, word) for word in words)

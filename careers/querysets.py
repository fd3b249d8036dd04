from django.contrib.auth import get_permission_codename, get_user_model
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from careerportal.prepared import PreparedQuery
from careerportal.query import every_word_in, searched_texts

# What a text search of careers looks in.
SEARCHED = ("title", "tagline", "alternative_titles", "category")
# What a career is called: a word found there ranks it, in a search for some of a text's
# words, above those found only in its tagline, category or roadmap (careerportal.search).
TITLES = ("title", "alternative_titles")
UNTITLED = tuple(field for field in SEARCHED if field not in TITLES)


def page_row(query, queryset, slug: str, user):
    """The row whose page is at `slug`, found by the prepared `query` (careerportal/prepared.py)
    with `user`'s id when signed in and drafts when they may preview them, or None."""
    signed_in = user is not None and user.is_authenticated
    ids = (slug, user.pk) if signed_in else (slug,)
    drafts = may_preview_drafts(user, queryset.model)
    rows = query(*ids, drafts=drafts, using=queryset.db)
    return rows[0] if rows else None


def may_preview_drafts(user, model) -> bool:
    """Whether `user` may see `model`'s drafts on the site: active staff with the admin's
    view permission on it (a superuser has every permission without a query)."""
    if user is None or not (user.is_active and user.is_staff):
        return False
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.{get_permission_codename('view', opts)}")


def own_words(text) -> Q:
    """Careers with every word of the text in their own SEARCHED texts."""
    return every_word_in(text, *SEARCHED)


class CareerQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        """The row a natural-key fixture names (dumpdata --natural-foreign/--natural-primary)."""
        return self.get(slug=slug)

    def published(self):
        """Careers visible to the public."""
        return self.filter(status=self.model.Status.PUBLISHED)

    def visible_to(self, user):
        """Published careers, plus drafts for staff who may view careers in the admin (for
        previews). Only staff get the permission check, so other visitors' pages make no
        extra query."""
        if may_preview_drafts(user, self.model):
            return self.all()
        return self.published()

    def with_followed(self, user):
        """Annotate `is_followed`: whether the signed-in `user` follows each career (an
        EXISTS; nothing for anonymous). Follows are reached through Career.follows, so careers
        imports nothing of certifications."""
        if user is None or not user.is_authenticated:
            return self
        follows = self.model.follows.rel.related_model.objects.filter(
            user=user, career=OuterRef("pk")
        )
        return self.annotate(is_followed=Exists(follows))

    def for_page(self, slug: str, user):
        """The career whose page is at `slug`, as `visible_to(user)` and `with_followed(user)`
        find it, or None: its SQL is compiled once per process (`_CAREER_PAGE`)."""
        return page_row(_CAREER_PAGE, self, slug, user)

    def for_list_page(self, *, q, country, level, sort, **filters):
        """The career list's careers: published, matching the text `q`, with `cert_count` and
        the `median_salary` of `country` and `level`, those of `filters` (category, demand)
        whose values are not blank, in the order `sort` names (LIST_ORDERS)."""
        careers = (
            self.published()
            .matching(q)
            .with_cert_count()
            .with_median_salary(country=country, level=level)
            .filter(**{name: value for name, value in filters.items() if value})
        )
        # The id last: careers of one title keep their order from page to page (PostgreSQL
        # sorts ties in whatever order it reads them, and a save moves a row).
        return careers.order_by(*LIST_ORDERS[sort], "pk")

    def list_page_menus(self) -> list[tuple]:
        """`published().with_salary_countries("category")`, what the career list's menus
        offer: compiled once per process (`_LIST_MENUS`)."""
        return _LIST_MENUS(using=self.db)

    def for_list(self):
        """Careers with what a list card shows: roadmap length and category."""
        return self.annotate(
            roadmap_length=models.Count("roadmap_steps", distinct=True),
        )

    def matching(self, text):
        """Careers with every word of the text in their title, tagline, alternative titles or
        category (`own_words`), or asking on their roadmap for a certification the text finds
        ("k8s" or "CKA" finds the careers that ask for the CKA): what the site search finds.
        The steps are reached through Career.roadmap_steps, so careers imports nothing of
        certifications."""
        text = (text or "").strip()
        return self.filter(self.match(text)) if text else self

    def match(self, text, fields=SEARCHED) -> Q:
        """The condition `matching` filters by, for a text that is not blank: every word in
        the `fields` of the career's own texts, or the text finding an exam on its roadmap."""
        steps = self.model.roadmap_steps.rel.related_model.objects
        on_roadmap = steps.on_certifications_matching(text).filter(career=OuterRef("pk"))
        return every_word_in(text, *fields) | Exists(on_roadmap)

    def searched_texts(self):
        """The texts `matching` searches, one row per career (for respelling a query)."""
        return searched_texts(self, *SEARCHED)

    def searched_texts_by_filter(self):
        """((category, demand), (searched texts...)) for each career, and for each certification
        on its roadmap (`matching` finds a career through either): what a list that found
        nothing needs to respell its query within its other filters, in one query."""
        steps = self.model.roadmap_steps.rel.related_model.objects.filter(career__in=self)
        own = searched_texts(self, *SEARCHED, facts=("category", "demand"))
        rows = own.union(steps.certification_texts("category", "demand"), all=True)
        return [
            ((category, demand), tuple(text or "" for text in texts))
            for category, demand, *texts in rows
        ]

    def attach_learner_progress(self, careers: list, user) -> list:
        """Set `held_total` and `required_total` (as `with_learner_progress` counts them) on
        `careers`, rows already read, for the signed-in learner: counted for these rows only,
        so that a list pages and sorts without aggregating every career (with 1,200 careers,
        a 12-row page took 0.3 s more). Nothing for anonymous; no query for no rows."""
        if not careers or user is None or not user.is_authenticated:
            return careers
        counts = {
            pk: (held, required)
            for pk, held, required in self.model._default_manager.filter(
                pk__in=[career.pk for career in careers]
            )
            .with_learner_progress(user)
            .values_list("pk", "held_total", "required_total")
        }
        for career in careers:
            career.held_total, career.required_total = counts[career.pk]
        return careers

    def with_learner_progress(self, user):
        """Annotate `held_total` and `required_total`: the signed-in learner's held required
        steps of each career (nothing for anonymous). The rules (held, expired, skipped,
        successors) live in certifications and arrive through the reverse relation, so this
        module imports nothing of it; they are aggregates on the same query, not new ones."""
        if user is None or not user.is_authenticated:
            return self
        steps = self.model.roadmap_steps.rel.related_model.objects
        return self.annotate(**steps.career_annotations_for(user, today=timezone.localdate()))

    def with_cert_count(self):
        """Annotate `cert_count`: certifications on the roadmap a visitor can see.

        A correlated subquery, not a join with GROUP BY: the database then counts the steps of
        the page's rows only, and the paginator's COUNT reads no step at all (at 10x the bench
        data, the join counted every career's steps twice a request)."""
        steps = self.model.roadmap_steps.rel.related_model.objects.filter(
            career=OuterRef("pk"), certification__status__in=["published", "retired"]
        )
        counted = steps.order_by().values("career").annotate(n=Count("pk")).values("n")
        return self.annotate(
            cert_count=Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)
        )

    def with_median_salary(self, *, country, level):
        """Annotate `median_salary` and `salary_currency`: the latest figure for country+level."""
        from careers.models import SalaryFigure

        latest = SalaryFigure.objects.filter(
            career=OuterRef("pk"), country=country, level=level
        ).order_by("-year")
        return self.annotate(
            median_salary=Subquery(latest.values("median")[:1]),
            salary_currency=Subquery(latest.values("currency")[:1]),
        )

    def with_salary_countries(self, *fields):
        """Distinct rows ("career", *fields) of these careers, and ("country", code, None...)
        for each country with salary figures on them, as ONE query (a UNION); `fields[0]`
        must be text. Why: the list and compare pages build their menus (categories or
        careers, and salary countries) up front, and one round trip keeps their budgets."""
        text = models.CharField()
        own = self.order_by().values_list(Value("career", output_field=text), *fields)
        padding = [
            Value(None, output_field=self.model._meta.get_field(name).__class__())
            for name in fields[1:]
        ]
        countries = (
            self.order_by()
            .filter(salary_figures__isnull=False)
            .values_list(Value("country", output_field=text), "salary_figures__country", *padding)
        )
        return own.union(countries)

    def for_compare(self, *, country):
        """Careers with their salary figures in one country and their visible roadmap steps."""
        from careers.models import SalaryFigure

        step_model = self.model.roadmap_steps.rel.related_model
        return self.prefetch_related(
            Prefetch(
                "salary_figures",
                queryset=SalaryFigure.objects.filter(country=country).order_by(
                    "level_rank", "-year"
                ),
            ),
            Prefetch("roadmap_steps", queryset=step_model.objects.for_career_page()),
        )

    def for_detail(self):
        """A career with its salaries, employers and roadmap prefetched (three queries).

        The career page reads the same lists with `page_sections()`, compiled once per
        process; the three ordered text sections come from `ordered_parts()`.
        """
        from careers.models import Hiring, SalaryFigure

        steps = self.model.roadmap_steps.rel.related_model.objects.for_career_page()
        return self.prefetch_related(
            Prefetch(
                "salary_figures",
                queryset=SalaryFigure.objects.order_by("country", "level_rank", "-year", "id"),
            ),
            Prefetch(
                "hirings",
                queryset=Hiring.objects.select_related("employer").order_by("position", "id"),
            ),
            Prefetch("roadmap_steps", queryset=steps),
        )

    def ordered_parts(self, career_ids) -> list[tuple]:
        """Responsibilities, day entries and FAQs of the careers with these ids as ONE query
        (UNION ALL), read as rows; the ids go into the query as values, not as a subquery to
        compile. Its SQL is compiled once per process (`_ORDERED_PARTS`): building and
        compiling this UNION of four queries took 1.2 ms of each career page's 9.

        Why: the career page has eight row sets and a budget of six queries. These three are
        the ones with the same shape (a career's ordered text, no joins, a few hundred bytes
        each), so one UNION ALL costs one round trip and keeps each list's own order, on
        SQLite and PostgreSQL alike. Salaries, hirings and roadmap steps keep their own
        prefetches: their columns and joins differ (a UNION would pad rows with NULLs) and
        the learner feature annotates the steps query. JSON aggregation would tie us to one
        database; copying the text onto Career would duplicate every write.

        Each row is (kind, id, position, time, title, body): kind is "day", "faq" or
        "responsibility"; time is set for day entries only; title is the responsibility
        text, the entry text or the question; body is the FAQ answer's HTML, else "". Rows come
        ordered by kind, position, id; `split_ordered_parts()` makes model instances again.

        The roadmap cards' prerequisites ride along as rows of kind "prerequisite" (a few
        short texts, like the rest): id is the certification a roadmap step is on, position
        the public certification it requires, title that one's name and body its slug and
        exam code, tab-separated; `prerequisites_in()` reads them.
        """
        return _ORDERED_PARTS(career_ids, using=self.db)

    def _ordered_parts_query(self, career_ids):
        """The queryset `ordered_parts()` runs (its SQL compiled once)."""
        from careers.models import FAQ, DayInTheLifeEntry, Responsibility

        def shaped(model, kind, *, time_of_day, title, body):
            return (
                model.objects.filter(career_id__in=career_ids)
                .order_by()
                .annotate(
                    kind=Value(kind, output_field=models.CharField()),
                    part_time=time_of_day,
                    part_title=title,
                    part_body=body,
                )
                .values_list("kind", "id", "position", "part_time", "part_title", "part_body")
            )

        no_time = Value(None, output_field=models.TimeField())
        empty = Value("", output_field=models.TextField())
        day = shaped(
            DayInTheLifeEntry, "day", time_of_day=F("time_of_day"), title=F("text"), body=empty
        )
        return day.union(
            shaped(
                Responsibility, "responsibility", time_of_day=no_time, title=F("text"), body=empty
            ),
            shaped(FAQ, "faq", time_of_day=no_time, title=F("question"), body=F("answer_html")),
            self._prerequisite_rows(career_ids, time_of_day=no_time),
            all=True,
        ).order_by("kind", "position", "id")

    def page_sections(self, career, user) -> dict[str, list]:
        """The career page's salary figures, hirings (employer joined) and roadmap steps,
        unordered (`for_career_page()`, with the learner's progress joined when signed in),
        as `for_detail()` prefetches them: three queries, each compiled once per process
        (`_SECTIONS`); building and compiling them, and the prefetch machinery, took 1.5 ms
        of each career page's 7."""
        ids = (career.pk, user.pk) if user is not None and user.is_authenticated else (career.pk,)
        sections = {}
        for name, query in _SECTIONS.items():
            rows = query(*(ids if name == "roadmap_steps" else ids[:1]), using=self.db)
            field = getattr(self.model, name).field
            for row in rows:  # as a prefetch does: each row knows its career
                field.set_cached_value(row, career)
            sections[name] = rows
        return sections

    def related_for_page(self, career, target_ids, *, limit: int) -> list:
        """The first `limit` of `related_to(career, target_ids)` (with `shared_count`), holding
        the fields a related-career card shows; the SQL is compiled once per process
        (`_RELATED`): 0.7 ms of each career page."""
        fields = ["id", "title", "slug", "tagline"]
        related = []
        for *values, shared_count in _RELATED(career.pk, target_ids, limit=limit, using=self.db):
            other = self.model.from_db(self.db, fields, values)
            other.shared_count = shared_count
            related.append(other)
        return related

    def _prerequisite_rows(self, career_ids, *, time_of_day):
        """`ordered_parts()` rows of the public certifications that these careers' roadmap
        certifications require (the models are reached through Career.roadmap_steps, so
        careers imports nothing of certifications)."""
        step_model = self.model.roadmap_steps.rel.related_model
        certification_model = step_model._meta.get_field("certification").related_model
        requires = certification_model.prerequisites.through.objects
        text = models.TextField()
        return (
            requires.filter(
                from_certification__roadmap_steps__career_id__in=career_ids,
                to_certification__status__in=["published", "retired"],
            )
            .order_by()
            .annotate(
                kind=Value("prerequisite", output_field=models.CharField()),
                step_certification=F("from_certification_id"),
                required_id=F("to_certification_id"),
                part_time=time_of_day,
                part_title=Cast("to_certification__name", text),
                part_body=Concat(
                    "to_certification__slug",
                    Value("\t"),
                    "to_certification__exam_code",
                    output_field=text,
                ),
            )
            .values_list(
                "kind", "step_certification", "required_id", "part_time", "part_title", "part_body"
            )
        )

    def related_to(self, career, target_ids=None):
        """Published careers other than `career` whose roadmaps lead to any of the exams in
        `target_ids` (the exams `career`'s steps lead to today; by default read in the same
        query, as a subquery, for a caller that has not loaded its steps).

        Each carries `shared_count`, the number of those exams it leads to, counted as the
        compare page and the roadmap rules count them: a retired exam counts as its published
        successor, else as the exam on offer its chain leads to (none when there is none), a
        draft exam not at all, and an exam two steps lead to once. Most shared first; drafts
        never appear here.
        """
        if target_ids is None:
            own = self.model._default_manager.filter(pk=career.pk)
            target_ids = own.values(step_target=_step_target())
        # From those exams, through the indexes, to the steps that can lead to them (on one
        # of them, on a retired exam they succeed, or on one whose chain leads to them) and
        # on to those steps' careers. Working out where every step of every career leads,
        # then keeping the few that lead there, read the whole of both tables: at 10x the
        # demo data SQLite took 2.3 times its work at 1x, PostgreSQL 1.5 ms of CPU.
        steps = self.model.roadmap_steps.rel.related_model._default_manager
        exams = steps.model._meta.get_field("certification").related_model._default_manager
        candidates = exams.filter(
            Q(pk__in=target_ids) | Q(successor__in=target_ids) | Q(chain_exam__in=target_ids)
        )
        leading = (
            steps.filter(certification__in=candidates.values("pk"))
            .alias(step_target=_step_target(steps=""))
            .filter(step_target__in=target_ids)
        )
        shared = (
            leading.filter(career=OuterRef("pk"))
            .order_by()
            .values("career")
            .annotate(count=Count("step_target", distinct=True))
            .values("count")
        )
        return (
            self.published()
            .exclude(pk=career.pk)
            .filter(pk__in=leading.values("career"))
            .annotate(shared_count=Subquery(shared))
            .order_by("-shared_count", "title", "pk")
        )


# The career list's sorts; alphabetical whatever the case.
LIST_ORDERS = {
    "title": [Lower("title")],
    "salary": [F("median_salary").desc(nulls_last=True), Lower("title")],
    "certs": ["-cert_count", Lower("title")],
}


def _list_menus_query():
    from careers.models import Career

    return Career.objects.published().with_salary_countries("category")


_LIST_MENUS = PreparedQuery(_list_menus_query)


def _list_page_query(country, level, *values, filters, sort, start, size):
    """A page of `for_list_page()` without a text to match: `filters` name the fields of
    `values` (a filter left blank changes the SQL: compiled apart)."""
    from careers.models import Career

    careers = Career.objects.for_list_page(
        q="", country=country, level=level, sort=sort, **dict(zip(filters, values, strict=True))
    )
    return careers[start : start + size]


# Compiled once per process for each sort, set of filters and page.
LIST_PAGE = PreparedQuery(_list_page_query)


def _ordered_parts_query(career_ids):
    from careers.models import Career

    return Career.objects.all()._ordered_parts_query(career_ids)


_ORDERED_PARTS = PreparedQuery(_ordered_parts_query)


def _related_query(career_id, target_ids, *, limit):
    from careers.models import Career

    return (
        Career.objects.related_to(Career(pk=career_id), target_ids)
        .values_list("pk", "title", "slug", "tagline", "shared_count")
        .order_by("-shared_count", "title", "pk")[:limit]
    )


_RELATED = PreparedQuery(_related_query)


def _career_page_query(slug, user_id=None, *, drafts):
    from careers.models import Career

    careers = Career.objects.all() if drafts else Career.objects.published()
    if user_id is not None:
        careers = careers.with_followed(get_user_model()(pk=user_id))
    return careers.filter(slug=slug)


_CAREER_PAGE = PreparedQuery(_career_page_query)


def _salary_figures_query(career_id):
    from careers.models import SalaryFigure

    return SalaryFigure.objects.filter(career=career_id).order_by(
        "country", "level_rank", "-year", "id"
    )


def _hirings_query(career_id):
    from careers.models import Hiring

    return (
        Hiring.objects.filter(career=career_id)
        .select_related("employer")
        .order_by("position", "id")
    )


def _roadmap_steps_query(career_id, user_id=None):
    """Unordered: the page sorts its few steps itself (career_page.roadmap_order)."""
    from careers.models import Career

    steps = Career.roadmap_steps.rel.related_model.objects.for_career_page()
    if user_id is not None:
        steps = steps.with_progress_for(get_user_model()(pk=user_id))
    unshown = [f"{exam}__{name}" for exam in _STEP_EXAMS for name in _UNSHOWN_EXAM_FIELDS]
    unshown += [f"certification__provider__{name}" for name in _UNSHOWN_PROVIDER_FIELDS]
    return steps.filter(career=career_id).order_by().defer(*unshown)


# What the career page (roadmap, JSON-LD, a learner's progress forms) never shows of the exams
# its steps join, left unread: 12 of each exam's 26 columns, 3 of its provider's 7, whose
# reading (and datetimes parsed) cost the page's view a sixth of its time. Reading one of them
# on the page would cost a query a step, which its query-count tests would tell.
_STEP_EXAMS = ("certification", "certification__successor", "certification__chain_exam")
_UNSHOWN_EXAM_FIELDS = (
    "summary",
    "description",
    "description_html",
    "duration_minutes",
    "question_count",
    "passing_score",
    "exam_format",
    "delivery",
    "official_url",
    "reviewed_on",
    "retired_on",
    "updated_at",
)
_UNSHOWN_PROVIDER_FIELDS = ("logo", "also_known_as", "updated_at")


_SECTIONS = {
    "salary_figures": PreparedQuery(_salary_figures_query),
    "hirings": PreparedQuery(_hirings_query),
    "roadmap_steps": PreparedQuery(_roadmap_steps_query),
}


def _step_target(steps="roadmap_steps__"):
    """The exam each of a career's roadmap steps leads to today, as `prepare_steps()` sets
    `step.target`: the step's own exam while published, a retired one's successor while that
    is published, else the exam on offer its chain of retirements leads to (`chain_exam`,
    kept by certifications with the exam), else NULL (drafts, and retired exams nobody can
    book any more). `steps` is the path from the query's model to the steps ("" from a
    roadmap step itself)."""
    exam = f"{steps}certification"
    return Case(
        When(**{f"{exam}__status": "published"}, then=F(f"{exam}_id")),
        When(
            **{f"{exam}__status": "retired", f"{exam}__successor__status": "published"},
            then=F(f"{exam}__successor_id"),
        ),
        When(**{f"{exam}__status": "retired"}, then=F(f"{exam}__chain_exam_id")),
        default=None,
    )


def split_ordered_parts(rows, career):
    """Turn `ordered_parts()` rows into (responsibilities, day_entries, faqs) instances."""
    from careers.models import FAQ, DayInTheLifeEntry, Responsibility

    responsibilities, day_entries, faqs = [], [], []
    made = {
        "responsibility": (_maker(Responsibility, "text"), responsibilities),
        "day": (_maker(DayInTheLifeEntry, "time_of_day", "text"), day_entries),
        "faq": (_maker(FAQ, "question", "answer_html"), faqs),
    }
    for kind, pk, position, time_of_day, title, body in rows:
        if kind == "prerequisite":
            continue  # prerequisites_in() reads these
        make, found = made[kind]
        if kind == "responsibility":
            part = make(pk, position, career, text=title)
        elif kind == "day":
            part = make(pk, position, career, time_of_day=time_of_day, text=title)
        else:
            # body is answer_html, sanitised when the FAQ was saved (careers/markdown.py); the
            # UNION's column type is the day entries' plain text, so it arrives unmarked.
            part = make(pk, position, career, question=title, answer_html=mark_safe(body))
        found.append(part)
    return responsibilities, day_entries, faqs


def _maker(model, *fields):
    """A function making `model` instances from (pk, position, career, **fields), the other
    fields deferred, as Model.from_db() makes them from a row: by position, not by keyword
    (19 parts were a tenth of the career page's view), the career cached as a prefetch does."""
    concrete = model._meta.concrete_fields
    names = ["id", "position", "career_id", *fields]
    career_field = model._meta.get_field("career")

    def make(pk, position, career, **values):
        row = dict(values, id=pk, position=position, career_id=career.pk)
        part = model.from_db(None, names, [row[f.attname] for f in concrete if f.attname in row])
        career_field.set_cached_value(part, career)
        return part

    return make


class EmployerQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        """The row a natural-key fixture names (dumpdata --natural-foreign/--natural-primary)."""
        return self.get(slug=slug)

    def for_list(self):
        """Employers with `career_count`: the published careers they hire for."""
        return self.annotate(
            career_count=Count(
                "hirings", filter=Q(hirings__career__status="published"), distinct=True
            )
        )

    def for_detail(self, *, shown: int):
        """An employer with `career_count` and the first `shown` of its `published_hirings()`
        as the list `employer.shown_hirings` (one prefetch query, however many it hires for)."""
        first = Prefetch("hirings", published_hirings()[:shown], to_attr="shown_hirings")
        return self.for_list().prefetch_related(first)


def published_hirings():
    """Hirings for published careers, the career joined, by career title (an employer's)."""
    from careers.models import Hiring

    return (
        Hiring.objects.filter(career__status="published")
        .select_related("career")
        .order_by(Lower("career__title"), "id")
    )


def prerequisites_in(rows) -> dict[int, list[dict]]:
    """From `ordered_parts()` rows: each roadmap certification's id -> the public
    certifications it requires, as {"id", "name", "url"} (the name with its exam code), each
    once."""
    required = {}
    for kind, certification_id, required_id, _, name, body in rows:
        if kind != "prerequisite":
            continue
        slug, _, exam_code = body.partition("\t")
        listed = required.setdefault(certification_id, {})
        listed.setdefault(
            required_id,
            {
                "id": required_id,
                # As Certification.name_with_code: "CKA" once, though the name holds it.
                "name": f"{name} ({exam_code})" if exam_code and exam_code not in name else name,
                "url": reverse("certifications:detail", args=[slug]),
            },
        )
    return {pk: list(listed.values()) for pk, listed in required.items()}

import datetime
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Lower, Replace
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from careerportal.prepared import PreparedQuery
from careerportal.query import SHORT_WORD, every_word_in, searched_texts
from careers.querysets import may_preview_drafts, page_row

# The statuses a visitor may see a certification in (drafts are a 404).
PUBLIC = ["published", "retired"]
LEVEL_ORDER = ["foundational", "associate", "professional", "specialty"]
# What a text search of certifications looks in (besides the exam code without its dashes).
SEARCHED = ("name", "exam_code", "summary", "provider__name", "provider__also_known_as")
# What a certification is called: a word found there ranks it, in a search for some of a
# text's words, above those found only in its summary or provider's names (careerportal.search).
TITLES = ("name", "exam_code")
UNTITLED = tuple(field for field in SEARCHED if field not in TITLES)

# What a certification's page shows of it besides its own fields (`for_detail()`).
DETAIL_JOINS = ("provider", "successor", "successor__provider")
# A shorter squashed query ("c" from "c++") is in nearly every exam code.
MIN_CODE_KEY = 2


def squash(text: str) -> str:
    """An exam code reduced to lowercase letters and digits: 'AI-102' -> 'ai102'."""
    return re.sub(r"[^0-9a-z]", "", (text or "").lower())


def squashed(field: str):
    """The database-side twin of `squash` (portable: LOWER and REPLACE exist everywhere)."""
    expression = Lower(field)
    for char in "- _./":
        expression = Replace(expression, models.Value(char), models.Value(""))
    return expression


def compiled(queryset) -> RawSQL:
    """The queryset's SQL, unordered and compiled once, as a subquery other queries name
    (`pk__in`): Django copies a nested queryset's every condition again at each query it is
    nested in, and compiles it again wherever it is named. Only for a queryset that refers
    to no outer query (OuterRef)."""
    sql, params = queryset.order_by().query.get_compiler(queryset.db).as_sql()
    return RawSQL(sql, params)


class CertificationQuerySet(models.QuerySet):
    def with_progress_for(self, user):
        """Annotate the learner's progress on each certification (`my_*`, as on roadmap
        steps), their pass of its successor (`successor_status`, `successor_passed_on`) and
        who they are (`learner_id`: a retired one's `learner_chain` reads their passes of the
        other exams of its chain): LEFT JOINs on the page's own query, nothing for anonymous
        visitors."""
        if user is None or not user.is_authenticated:
            return self
        mine = models.FilteredRelation(
            "progress_rows", condition=models.Q(progress_rows__user=user)
        )
        successor = models.FilteredRelation(
            "successor__progress_rows", condition=models.Q(successor__progress_rows__user=user)
        )
        return self.annotate(
            my_progress=mine, successor_progress=successor, learner_id=models.Value(user.pk)
        ).annotate(
            **progress_fields("my"),
            successor_status=models.F("successor_progress__status"),
            successor_passed_on=models.F("successor_progress__passed_on"),
        )

    def refresh_chain_exam(self):
        """Set these certifications' `chain_exam` from their Replacement rows: the first exam
        of the chain that is on offer (None when none is), as recorded. One UPDATE, which an
        exam's new status needs for the chains that hold it."""
        from certifications.models import Replacement

        current = Replacement.objects.filter(
            replaced=models.OuterRef("pk"), exam__status="published"
        ).order_by("pk")
        return self.update(chain_exam=models.Subquery(current.values("exam_id")[:1]))

    def get_by_natural_key(self, slug):
        """The row a natural-key fixture names (dumpdata --natural-foreign/--natural-primary)."""
        return self.get(slug=slug)

    def public(self):
        """Certifications a visitor may see: published and retired ones (never drafts)."""
        S = self.model.Status
        return self.filter(status__in=[S.PUBLISHED, S.RETIRED])

    def visible_to(self, user):
        """Public certifications, plus drafts for staff who may view certifications in the
        admin (for previews)."""
        if may_preview_drafts(user, self.model):
            return self.all()
        return self.public()

    def for_page(self, slug: str, user):
        """The certification whose page is at `slug`, as `visible_to(user)`, `for_detail()`
        (without the prerequisites: `prerequisites_for_page()`) and `with_progress_for(user)`
        find it, or None: its SQL is compiled once per process (`_CERTIFICATION_PAGE`)."""
        return page_row(_CERTIFICATION_PAGE, self, slug, user)

    def prerequisites_for_page(self, certification) -> list:
        """The public certifications `certification` requires, as `for_detail()` prefetches
        them (provider and successor joined, by name): compiled once per process."""
        return _PREREQUISITES(certification.pk, using=self.db)

    def published(self):
        """Certifications currently on offer."""
        return self.filter(status=self.model.Status.PUBLISHED)

    def successor_links(self):
        """{certification id: [its successor's id]} for every certification that has one."""
        rows = self.filter(successor__isnull=False).values_list("pk", "successor_id")
        return {pk: [successor_id] for pk, successor_id in rows}

    def prerequisite_links(self):
        """{certification id: [ids of the certifications it requires]}, in one query."""
        links = {}
        rows = self.model.prerequisites.through.objects.values_list(
            "from_certification_id", "to_certification_id"
        )
        for pk, required_id in rows:
            links.setdefault(pk, []).append(required_id)
        return links

    def for_list(self):
        """Certifications with provider and successor joined, for lists and cards."""
        return self.select_related("provider", "successor")

    def matching(self, text):
        """Certifications with every word of the text in their name, exam code, summary or
        provider's names ("gcp ml" finds Google Cloud's Machine Learning Engineer), or whose
        exam code is the text without its punctuation ("ai102" and "AI 102" find AI-102)."""
        text = (text or "").strip()
        if not text:
            return self
        return self.with_code_key().filter(self.match(text))

    def with_code_key(self):
        """Annotate `code_key`, the exam code squashed (`squash`), which `match` compares."""
        return self.annotate(code_key=squashed("exam_code"))

    def match(self, text, fields=SEARCHED) -> models.Q:
        """The condition `matching` filters by, for a text that is not blank, on rows
        `with_code_key()`: every word in the `fields`, or the text as the exam code."""
        condition = every_word_in(text, *fields)
        key = squash(text)
        if len(key) >= MIN_CODE_KEY:
            # A short code starts the exam's ("ai" finds AI-102 and AIF-C01, not DAI-1); a
            # longer one may be anywhere in it ("c03" and "102" are words of it anyway).
            lookup = "startswith" if len(key) <= SHORT_WORD else "contains"
            condition |= models.Q(**{f"code_key__{lookup}": key})
        return condition

    def searched_texts(self):
        """The texts `matching` searches, one row per certification (for respelling)."""
        return searched_texts(self, *SEARCHED)

    def searched_texts_by_filter(self):
        """((status, provider slug, level, fee), (searched texts...)) for each certification:
        what a catalogue that found nothing needs to respell its query within its other
        filters, in one query."""
        rows = self.order_by().values_list(
            "status", "provider__slug", "level", "exam_fee", *SEARCHED
        )
        return [(tuple(row[:4]), tuple(text or "" for text in row[4:])) for row in rows]

    def fee_currencies(self) -> tuple[list[str], int]:
        """The currencies these certifications' fees are in, those of the most exams first
        (then by code), and how many certifications there are, free ones included: one
        grouped query, which also serves as the list's count."""
        rows = (
            self.order_by()
            .values_list("fee_currency")
            .annotate(exams=models.Count("pk"), priced=models.Count("exam_fee"))
        )
        total, priced = 0, []
        for currency, exams, with_fee in rows:
            total += exams
            if with_fee:
                priced.append((-with_fee, currency))
        return [currency for _, currency in sorted(priced)], total

    def by_fee(self, currencies: list[str]):
        """Free exams first, then the fees in each of `currencies` in that order, lowest first
        within each: fees in different currencies are never compared with each other (300
        USD, 250 GBP and 30,000 JPY have no order without an exchange rate, and the site
        keeps none). Then by name."""
        group = models.Case(
            models.When(exam_fee__isnull=True, then=models.Value(-1)),
            *[models.When(fee_currency=c, then=models.Value(n)) for n, c in enumerate(currencies)],
            default=models.Value(len(currencies)),
            output_field=models.IntegerField(),
        )
        # The id last: exams of one fee and name keep their order from page to page.
        return self.alias(fee_group=group).order_by("fee_group", "exam_fee", Lower("name"), "pk")

    def with_level_rank(self):
        """Annotate `level_rank`: 0 for foundational up to 3 for specialty, for sorting."""
        return self.annotate(
            level_rank=models.Case(
                *[models.When(level=level, then=rank) for rank, level in enumerate(LEVEL_ORDER)],
                default=len(LEVEL_ORDER),
                output_field=models.IntegerField(),
            )
        )

    def popular(self, limit: int = 6):
        """The `limit` published certifications on the most published roadmaps, then by name,
        with `career_count`. The counting reads only the roadmap steps (narrow rows, grouped by
        certification id) and only the top ones are read in full: with 3,000 certifications,
        grouping every certification's full row took 146 ms to show six."""
        from certifications.models import RoadmapStep

        on_roadmaps = (
            RoadmapStep.objects.filter(career__status="published")
            .order_by()
            .values("certification_id")
            .annotate(n=models.Count("career_id", distinct=True))
        )
        top = (
            on_roadmaps.filter(certification__status="published")
            .order_by("-n", "certification__name", "certification_id")
            .values("certification_id")[:limit]
        )
        count = on_roadmaps.filter(certification_id=models.OuterRef("pk")).values("n")
        return (
            self.filter(pk__in=top)
            .for_list()
            .annotate(career_count=models.Subquery(count))
            .order_by("-career_count", "name", "pk")
        )

    def alongside(self, certification):
        """Other public certifications on the published roadmaps that hold `certification`:
        the natural ones to compare it with. Same level first, then those sharing the most
        careers (`shared_careers`), then by name."""
        careers = self.model.roadmap_steps.rel.related_model.objects.filter(
            certification=certification, career__status="published"
        ).values("career")
        return (
            self.public()
            .exclude(pk=certification.pk)
            .filter(roadmap_steps__career__in=careers)
            .annotate(
                shared_careers=models.Count("roadmap_steps__career", distinct=True),
                same_level=models.Case(
                    models.When(level=certification.level, then=0),
                    default=1,
                    output_field=models.IntegerField(),
                ),
            )
            .select_related("provider")
            .order_by("same_level", "-shared_careers", "name", "pk")
        )

    def for_detail(self):
        """A certification with provider, successor and prerequisites (two queries); the
        roadmaps it counts in come from RoadmapStep.objects.leading_to()."""
        return self.select_related(*DETAIL_JOINS).prefetch_related(
            models.Prefetch("prerequisites", queryset=self.model.objects.as_prerequisites())
        )

    def as_prerequisites(self):
        """Public certifications as a page lists them as prerequisites: provider and successor
        joined, by name. The id last: exams of one name keep one order (PostgreSQL sorts ties
        in whatever order it reads them, and a save moves a row)."""
        return self.public().for_list().order_by("name", "pk")


def _certification_page_query(slug, user_id=None, *, drafts):
    from certifications.models import Certification

    certifications = Certification.objects.all() if drafts else Certification.objects.public()
    if user_id is not None:
        certifications = certifications.with_progress_for(get_user_model()(pk=user_id))
    return certifications.select_related(*DETAIL_JOINS).filter(slug=slug)


_CERTIFICATION_PAGE = PreparedQuery(_certification_page_query)


def _prerequisites_query(certification_id):
    from certifications.models import Certification

    return Certification.objects.as_prerequisites().filter(required_for=certification_id)


_PREREQUISITES = PreparedQuery(_prerequisites_query)


class RoadmapStepQuerySet(models.QuerySet):
    def with_progress_for(self, user):
        """Annotate each step with the learner's progress on its certification (`my_*`), on
        that certification's successor (`successor_*`, which a retired step's form edits) and
        on the exam on offer its chain leads to (`current_*`: for_career_page() must come
        first), and who they are (`learner_id`): LEFT JOINs, no extra query.
        RoadmapStep.learner_summary() finds the exam of a retired step's chain they hold
        (`held_chain_passes`).

        `step.learner` (RoadmapStep) turns these into a roadmap.StepStanding.
        """
        if user is None or not user.is_authenticated:
            return self
        mine = models.FilteredRelation(
            "certification__progress_rows",
            condition=models.Q(certification__progress_rows__user=user),
        )
        successor = models.FilteredRelation(
            "certification__successor__progress_rows",
            condition=models.Q(certification__successor__progress_rows__user=user),
        )
        # On the exam on offer its chain leads to (the certification's `chain_exam`), which
        # the step's form edits once the successor was retired too.
        current = models.FilteredRelation(
            "certification__chain_exam__progress_rows",
            condition=models.Q(certification__chain_exam__progress_rows__user=user),
        )
        return self.annotate(
            my_progress=mine,
            successor_progress=successor,
            current_progress=current,
            learner_id=models.Value(user.pk),
        ).annotate(**progress_fields("my", "successor", "current"))

    @staticmethod
    def career_annotations_for(user, *, today, rows=None):
        """Annotations a Career queryset adds to show one learner's progress on each career
        (`required_total`, `held_total`); careers reaches this through the reverse relation.
        `rows`: the learner's progress rows with their certification, when already loaded
        (else one query reads them)."""
        return _career_step_annotations(user, today=today, rows=rows)

    def with_step_number(self):
        """Annotate `step_number`: the step's 1-based place among its career's visible steps,
        counting itself: a step on a draft (listed on the draft's staff preview) gets the place
        it takes once published, where it read "Step None"."""
        earlier = (
            (self.model.objects.visible() | self.model.objects.filter(id=models.OuterRef("id")))
            .filter(career=models.OuterRef("career"))
            .filter(
                models.Q(position__lt=models.OuterRef("position"))
                | models.Q(position=models.OuterRef("position"), id__lte=models.OuterRef("id"))
            )
            .order_by()
            .values("career")
            .annotate(n=models.Count("id"))
            .values("n")
        )
        return self.annotate(step_number=models.Subquery(earlier[:1]))

    def settled_by(self, *certifications):
        """The steps that passing one of `certifications` settles, in any career: steps on
        it, and on a retired exam it replaced, as its successor or in turn (a step on a
        retired exam is settled by any exam of its chain, certifications.models.Replacement,
        read as a subquery however long the chain). Unordered and bare: what a subquery of
        their careers needs, which picks the published ones itself (joined here, the careers
        were the query's way in: SQLite read every published career's steps to find these)."""
        from certifications.models import Replacement

        chains = Replacement.objects.filter(exam__in=certifications).values("replaced_id")
        replaced = models.Q(certification__status="retired") & (
            models.Q(certification__successor__in=certifications)
            | models.Q(certification__in=chains)
        )
        return self.filter(certification__in=exams_settled_by(certifications)).filter(
            models.Q(certification__in=certifications) | replaced
        )

    def leading_to(self, *certifications):
        """`settled_by()`'s steps of published careers, with `step_number` and the career, by
        career title."""
        return (
            self.settled_by(*certifications)
            .filter(career__status="published")
            .with_step_number()
            .select_related("career", "certification")
            .order_by("career__title", "position", "id")
        )

    def on_certifications_matching(self, text):
        """Visible steps on a certification the text finds (`CertificationQuerySet.matching`:
        "CKA", "k8s", "AI-102"), or on a retired one whose successor it finds, or an exam of
        its chain (one that replaced it in turn): how a search finds the careers that ask for
        an exam."""
        from certifications.models import Certification, Replacement

        # Each match compiled once, here: named three times in the steps' query, then nested
        # in a career's EXISTS and the search's UNION, its conditions were copied at every
        # level (6 of the search page's 16 ms of CPU).
        public = Certification.objects.public()
        found = compiled(public.matching(text).values("pk"))
        # Searched among successors and the exams of chains alone (a few exams), not the
        # whole catalogue again.
        successors = Certification.objects.filter(status="retired").values("successor_id")
        replacing = Replacement.objects.values("exam_id")
        found_successors = compiled(
            public.filter(models.Q(pk__in=successors) | models.Q(pk__in=replacing))
            .matching(text)
            .values("pk")
        )
        chains = Replacement.objects.filter(exam__in=found_successors).values("replaced_id")
        return self.visible().filter(
            models.Q(certification__in=found)
            | models.Q(certification__status="retired")
            & (
                models.Q(certification__successor__in=found_successors)
                | models.Q(certification__in=chains)
            )
        )

    def certification_texts(self, *career_fields):
        """Rows of each visible step's career's `career_fields`, then the texts a search of its
        certification reads (and, for a retired one, a row of its public successor's and of
        each public exam of its chain), as `on_certifications_matching` finds them: what
        respelling a career search needs of the roadmaps (one UNION)."""
        facts = [f"career__{field}" for field in career_fields]
        steps = self.visible()
        retired = steps.filter(certification__status="retired")
        successors = retired.filter(certification__successor__status__in=PUBLIC)
        chains = retired.filter(certification__replacements__exam__status__in=PUBLIC)
        return searched_texts(steps, *(f"certification__{f}" for f in SEARCHED), facts=facts).union(
            searched_texts(
                successors, *(f"certification__successor__{f}" for f in SEARCHED), facts=facts
            ),
            searched_texts(
                chains, *(f"certification__replacements__exam__{f}" for f in SEARCHED), facts=facts
            ),
            all=True,
        )

    def visible(self):
        """Steps whose certification a visitor may see (drafts hidden)."""
        return self.filter(certification__status__in=["published", "retired"])

    def for_career_page(self):
        """Steps with certification, provider and successor joined, in roadmap order.

        What a visitor's roadmap shows, no more: the successor's provider is shown nowhere,
        and of the exams further down a chain of retirements only the one on offer
        (`certification.chain_exam`, kept by the site: what a step books once its successor
        was retired too) is joined; `held_chain_passes()` finds the one a learner holds. Each
        joined certification is 26 columns that Django compiles and reads on every career
        page."""
        return (
            self.visible()
            .select_related(
                "certification",
                "certification__provider",
                "certification__successor",
                "certification__chain_exam",
            )
            .order_by("position", "id")
        )


# --- Learner progress (read side). Held/expired logic mirrors certifications/roadmap.py. ---


class AddMonths(models.Func):
    """SQL date + N months, clamped to the month's end like roadmap.add_months (31 Jan + 1 =
    28/29 Feb), so lists agree with the dashboard on the day a pass expires."""

    output_field = models.DateField()
    arity = 2

    def as_sqlite(self, compiler, connection, **extra_context):
        day, months = (compiler.compile(e) for e in self.get_source_expressions())
        (day_sql, day_params), (months_sql, months_params) = day, months
        sql = (
            f"MIN(date({day_sql}, '+' || ({months_sql}) || ' months'), "
            f"date({day_sql}, 'start of month', '+' || (({months_sql}) + 1) || ' months', "
            f"'-1 day'))"
        )
        return sql, (*day_params, *months_params, *day_params, *months_params)

    def as_postgresql(self, compiler, connection, **extra_context):
        (day_sql, day_params), (months_sql, months_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        return (
            f"(({day_sql}) + make_interval(months => ({months_sql})::int))::date",
            (*day_params, *months_params),
        )

    def as_sql(self, compiler, connection, **extra_context):
        raise NotImplementedError(f"AddMonths is not written for {connection.vendor}")


def held_progress_q(*, today, prefix=""):
    """Q for a progress row that holds its certification on `today`: a pass date that has not
    expired, whatever the status (roadmap.Standing.held: renewing keeps the pass)."""
    validity = models.F(f"{prefix}certification__validity_months")
    return models.Q(**{f"{prefix}passed_on__isnull": False}) & (
        models.Q(**{f"{prefix}certification__validity_months__isnull": True})
        | models.Q(GreaterThan(AddMonths(models.F(f"{prefix}passed_on"), validity), today))
    )


class CertificationProgressQuerySet(models.QuerySet):
    def for_user(self, user):
        """The learner's own rows (none for anonymous), with certification, provider, successor."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user=user).select_related(
            "certification", "certification__provider", "certification__successor"
        )

    def held(self, *, today):
        """Rows that hold their certification on `today` (a pass that has not expired)."""
        return self.filter(held_progress_q(today=today))

    def with_chain(self, *, today):
        """Rows with what the chain of their (retired) certification says of a renewal:
        `chain_held`, whether the learner holds on `today` an exam that replaced it, directly
        or in turn (it is renewed), and `next_exam_id` with `certification.chain_exam`
        joined: the exam to take in its place, its successor while that is on offer, else
        the one on offer its chain leads to. In the rows' own query."""
        from certifications.models import Replacement

        # A draft is named nowhere: a pass of an exam moved back to draft renews nothing.
        later = Replacement.objects.filter(
            replaced=models.OuterRef("certification_id"), exam__status__in=PUBLIC
        ).filter(
            models.Q(exam__progress_rows__user=models.OuterRef("user_id"))
            & held_progress_q(today=today, prefix="exam__progress_rows__")
        )
        return (
            self.annotate(chain_held=models.Exists(later))
            .annotate(
                next_exam_id=models.Case(
                    models.When(
                        certification__successor__status="published",
                        then=models.F("certification__successor_id"),
                    ),
                    default=Coalesce("certification__chain_exam_id", "certification__successor_id"),
                )
            )
            .select_related("certification__chain_exam")
        )


class ReleasedHandleQuerySet(models.QuerySet):
    def kept(self):
        """Handles still kept from other learners: given up less than HANDLE_RESERVATION_DAYS
        ago (older rows wait for the next claim of their handle to be deleted)."""
        days = datetime.timedelta(days=settings.HANDLE_RESERVATION_DAYS)
        return self.filter(released_at__gt=timezone.now() - days)

    def kept_for(self, user):
        """The handles `user` gave up that are still kept for them, the first to be lost first."""
        return self.kept().filter(former_owner=user).order_by("released_at", "handle")


class LearnerProfileQuerySet(models.QuerySet):
    def with_kept_handles(self):
        """Profiles with `has_kept_handles`: whether their learner gave up a handle that is
        still kept for them to take back, in the profile's own query (so that a learner with
        none, most of them, costs no query for the list)."""
        from certifications.models import ReleasedHandle

        kept = ReleasedHandle.objects.kept().filter(former_owner=models.OuterRef("user"))
        return self.annotate(has_kept_handles=models.Exists(kept))


class CareerFollowQuerySet(models.QuerySet):
    def for_user(self, user):
        """The careers a learner follows (none for anonymous), oldest goal first."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user=user).select_related("career")


def exams_settled_by(certifications):
    """The ids of the exams on whose roadmap steps a pass of one of `certifications` (ids or
    instances) may count, as a subquery: those exams, the ones they succeed and those whose
    chains they are in, whatever their status (the caller's own condition decides). Three
    lookups joined by UNION ALL, each through an index (the exam's id, `successor`, the
    chain's exam), so that a query of steps starts from these few exams: one condition
    OR-ing them read the whole table of exams on PostgreSQL, which can combine indexes
    for an OR but not a subquery."""
    from certifications.models import Certification, Replacement

    ids = [getattr(certification, "pk", certification) for certification in certifications]
    own = Certification.objects.filter(pk__in=ids).order_by().values("pk")
    succeeded = Certification.objects.filter(successor__in=ids).order_by().values("pk")
    chains = Replacement.objects.filter(exam__in=ids).order_by().values("replaced_id")
    return own.union(succeeded, chains, all=True)


def steps_held_q(held_ids, *, prefix="") -> models.Q:
    """Roadmap steps (their certification at `prefix`, e.g. "roadmap_steps__certification",
    else a RoadmapStep's own) that a pass of one of `held_ids` holds: steps on it, and on a
    retired exam it replaced, directly or in turn (its successor, or an exam of its chain:
    certifications.models.Replacement, read as a subquery), never through a draft. As
    roadmap.StepStanding.held."""
    from certifications.models import Replacement

    cert = prefix or "certification"
    replaced = Replacement.objects.filter(exam__in=held_ids, exam__status__in=PUBLIC)
    replaced = replaced.values("replaced_id")
    # A draft is named nowhere: a pass of a successor moved back to draft holds nothing.
    successor = models.Q(
        **{f"{cert}__successor__in": held_ids, f"{cert}__successor__status__in": PUBLIC}
    )
    return models.Q(**{f"{cert}__in": held_ids}) | (
        models.Q(**{f"{cert}__status": "retired"})
        & (successor | models.Q(**{f"{cert}__in": replaced}))
    )


PROGRESS_FIELDS = (
    "status",
    "exam_date",
    "passed_on",
    "credential_id",
    "verification_url",
    "notes",
    "updated_at",
)


def progress_fields(*names: str) -> dict:
    """`{name}_status`, `{name}_exam_date`...: the fields of the progress row joined as
    `{name}_progress`, for each of `names`, as `with_progress_for` annotates them."""
    return {
        f"{name}_{field}": models.F(f"{name}_progress__{field}")
        for name in names
        for field in PROGRESS_FIELDS
    }


def chain_passes(user_id, exam_ids) -> dict:
    """{exam id: (exam, roadmap.ProgressSnapshot)}: the learner's recorded passes of
    `exam_ids`, with the exam (one query; none without ids)."""
    from certifications import roadmap
    from certifications.models import CertificationProgress

    if not exam_ids:
        return {}
    rows = CertificationProgress.objects.filter(
        user_id=user_id, certification__in=exam_ids, passed_on__isnull=False
    ).select_related("certification")
    return {
        row.certification_id: (
            row.certification,
            roadmap.ProgressSnapshot(row.status, passed_on=row.passed_on),
        )
        for row in rows
    }


def held_chain_pick(certification, passes: dict, *, today):
    """(exam, roadmap.ProgressSnapshot) of the exam of a retired `certification`'s chain
    (`chain_ids`) that the learner holds on `today`, from their `passes` (as chain_passes):
    the latest valid pass among the exams a visitor may see, the first recorded of a day;
    None when there is none."""
    from certifications import roadmap

    picked = None
    for pk in certification.chain_ids:
        exam, progress = passes.get(pk, (None, None))
        # A draft is named nowhere: a pass of an exam moved back to draft holds nothing.
        if exam is None or exam.status not in PUBLIC:
            continue
        if not roadmap.standing(progress, validity_months=exam.validity_months, today=today).held:
            continue
        if picked is None or progress.passed_on > picked[1].passed_on:
            picked = (exam, progress)
    return picked


def held_chain_passes(steps, *, today) -> None:
    """Give each retired step of `steps` (annotated by RoadmapStepQuerySet.with_progress_for)
    the exam of its chain the learner holds, `held_chain_exam` with `held_chain_progress`
    (held_chain_pick). Their passes of its successor and of the exam on offer came with the
    steps; those of the other exams of the chains (an exam moved past) take one query, none
    on a roadmap without one."""
    from certifications import roadmap

    chained = [
        step
        for step in steps
        if step.certification.status == "retired" and step.certification.chain_ids
    ]
    passes, known = {}, set()
    for step in chained:
        certification = step.certification
        joined = [
            (certification.successor, step.successor_status, step.successor_passed_on),
            (certification.chain_exam, step.current_status, step.current_passed_on),
        ]
        for exam, status, passed_on in joined:
            if exam is not None:
                known.add(exam.pk)
                if passed_on is not None:
                    passes[exam.pk] = (exam, roadmap.ProgressSnapshot(status, passed_on=passed_on))
    others = {pk for step in chained for pk in step.certification.chain_ids} - known
    if others:
        passes |= chain_passes(chained[0].learner_id, others)
    for step in chained:
        picked = held_chain_pick(step.certification, passes, today=today)
        step.held_chain_exam, step.held_chain_progress = picked or (None, None)


def learner_exams(user, *, today, rows=None) -> tuple[list, list, list]:
    """(held, skipped, tracked): the certification ids the learner holds on `today`
    (roadmap.Standing.held), has marked skipped, and has any row on. From `rows`, their
    progress rows with the certification joined, when the caller has them; else one query."""
    from certifications import roadmap
    from certifications.models import CertificationProgress

    if rows is None:
        rows = CertificationProgress.objects.filter(user=user).values_list(
            "certification_id", "status", "passed_on", "certification__validity_months"
        )
    else:
        rows = [
            (r.certification_id, r.status, r.passed_on, r.certification.validity_months)
            for r in rows
        ]
    held, skipped, tracked = [], [], []
    for certification_id, status, passed_on, validity_months in rows:
        tracked.append(certification_id)
        if status == roadmap.SKIPPED:
            skipped.append(certification_id)
        progress = roadmap.ProgressSnapshot(status, passed_on=passed_on)
        if roadmap.standing(progress, validity_months=validity_months, today=today).held:
            held.append(certification_id)
    return sorted(held), sorted(skipped), sorted(tracked)


def _career_step_annotations(user, *, today, rows=None):
    """Annotations for a Career queryset: `required_total` and `held_total` for one learner,
    in exams (two steps that lead to the same exam count once).

    Only published/retired certifications count (drafts are invisible); a retired step is held
    through its successor too, and through any exam of its chain (`steps_held_q`). The
    learner's held, skipped and tracked exams are read first (from `rows`, or one small
    query) and enter the SQL as lists: one aggregate over the roadmap join, with no
    correlated subquery to build and compile on every request.
    """
    held_ids, skipped_ids, tracked_ids = learner_exams(user, today=today, rows=rows)
    return career_annotations_from(held_ids, skipped_ids, tracked_ids)


def career_annotations_from(held_ids, skipped_ids, tracked_ids) -> dict:
    """`_career_step_annotations()` for the learner's held, skipped and tracked exams, as
    `learner_exams()` gives them (`tracked_ids` is read only with `skipped_ids`): their SQL
    depends on nothing else, so a query using them can be compiled once per process."""
    cert = "roadmap_steps__certification"
    public = ["published", "retired"]
    retired = models.Q(**{f"{cert}__status": "retired"})
    counted = models.Q(roadmap_steps__required=True, **{f"{cert}__status__in": public})
    # A condition on an empty list of exams is left out rather than built: the SQL compiler
    # drops it anyway (IN () matches nothing), and resolving these joined lookups is most of
    # the dashboard's query-building time. Most learners have skipped nothing.
    held = None
    if held_ids:
        held = steps_held_q(held_ids, prefix=cert)
    if skipped_ids:
        # Skipped required steps never count against the learner (unless held via a
        # successor). As roadmap.StepStanding.skipped: a retired step shows, and is skipped
        # through, its public successor once the learner has a row on that; otherwise its own.
        through_successor = retired & models.Q(
            **{f"{cert}__successor__status__in": public, f"{cert}__successor__in": tracked_ids}
        )
        skipped = (through_successor & models.Q(**{f"{cert}__successor__in": skipped_ids})) | (
            ~through_successor & models.Q(**{f"{cert}__in": skipped_ids})
        )
        counted &= ~skipped | held if held else ~skipped
    # As roadmap.summarize: count the exam each step leads to today (a retired step's public
    # successor), once; it is held when no counting step that leads to it is left.
    exam = models.Case(
        models.When(
            retired & models.Q(**{f"{cert}__successor__status__in": public}),
            then=models.F(f"{cert}__successor_id"),
        ),
        default=models.F(f"{cert}_id"),
    )
    required = models.Count(exam, filter=counted, distinct=True)
    left = models.Count(exam, filter=counted & ~held if held else counted, distinct=True)
    # held_total refers to required_total rather than repeating it: the same SQL, with the
    # count resolved once.
    return {"required_total": required, "held_total": models.F("required_total") - left}

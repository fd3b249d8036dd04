import copy

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_safe
from django.views.generic import DetailView

from careerportal.cache import per_content_version
from careerportal.compare import (
    MAX_PICKS,
    SUGGESTED,
    read_picks,
    suggested_comparisons,
    unique_aliases,
)
from careerportal.prepared import PreparedQuery
from careerportal.query import (
    SearchedRow,
    respelled_within,
    respelling_that_finds,
    searched_rows,
)
from careerportal.some_words import WEIGHED_WORDS, list_page_without
from careers.former_slugs import FollowsFormerSlugs, renamed_picks
from careers.models import Career
from careers.paging import paginate
from careers.views import admin_form_url
from certifications import seo
from certifications.forms import CertificationFilterForm
from certifications.models import (
    Certification,
    Provider,
    Replacement,
    RoadmapStep,
    name_with_code,
)
from certifications.querysets import squash

CAREERS_SHOWN = 12  # on a certification's page; the rest are one link away, 24 a page
CATALOGUE_FILTERS = ("status", "provider", "level", "fee_min", "fee_max")
TICKS_READ = 24  # of the catalogue's compare ticks in its address; the first MAX_PICKS are kept
STATUSES_SHOWN = {"current": {"published"}, "retired": {"retired"}, "all": {"published", "retired"}}


def _within_filters(values, status, provider, level, fee) -> bool:
    """Whether a certification with these facts passes the catalogue's other filters."""
    return (
        status in STATUSES_SHOWN[values["status"]]
        and values["provider"] in ("", provider)
        and values["level"] in ("", level)
        and (values["fee_min"] is None or (fee is not None and fee >= values["fee_min"]))
        and (values["fee_max"] is None or fee is None or fee <= values["fee_max"])
    )


@per_content_version
def _searched_certifications() -> list[SearchedRow]:
    """The public certifications' searched words by the catalogue's filters, read once per
    content version: a search that finds nothing costs no query and no reading of every text."""
    return searched_rows(Certification.objects.public().searched_texts_by_filter())


def _respelling(request, values):
    """ "Did you mean" for a catalogue search that found nothing: a respelling that finds
    certifications with the other filters kept, else one that finds some with them cleared
    (its link drops them and says so), else None."""
    return respelling_that_finds(
        request,
        values["q"],
        _searched_certifications,
        kept=lambda facts: _within_filters(values, *facts),
        # Cleared filters show what the catalogue shows by default: the certifications on offer.
        everywhere=lambda facts: facts[0] in STATUSES_SHOWN["current"],
        filters=CATALOGUE_FILTERS,
    )


def _compare_picks(request, shown) -> tuple[set[str], list, list[str]]:
    """The catalogue's compare ticks carried in its address (`certifications=`, as the compare
    page takes them), so ticks survive moving between pages: the slugs to tick on this page,
    the picked certifications on other pages (one query, only when there are some), and
    notices for ticks left out (unknown, or past the first MAX_PICKS)."""
    # Bounded: without JavaScript a visitor can tick a whole page (12) besides the 3 carried;
    # an address may carry any number.
    slugs = list(dict.fromkeys(request.GET.getlist("certifications")))[:TICKS_READ]
    on_page = {certification.slug: certification for certification in shown}
    elsewhere = [slug for slug in slugs if slug not in on_page]
    found = {}
    if elsewhere:
        found = {
            certification.slug: certification
            for certification in Certification.objects.public()
            .filter(slug__in=elsewhere)
            .only("name", "slug", "exam_code")
        }
    known = [slug for slug in slugs if slug in on_page or slug in found]
    notices = []
    if unknown := len(slugs) - len(known):
        notices.append(
            f"{unknown} ticked certification{pluralize(unknown, ' was,s were')} not found"
            f" and {pluralize(unknown, 'is,are')} left out."
        )
    if len(known) > MAX_PICKS:
        notices.append(
            "You can compare at most three certifications at a time: the first three ticked"
            " are kept."
        )
    kept = known[:MAX_PICKS]
    return (
        set(kept) & on_page.keys(),
        [found[slug] for slug in kept if slug in found],
        notices,
    )


# The id of the catalogue's compare form, which its tick boxes belong to.
COMPARE_FORM = "compare-picks"


@require_safe
@login_not_required
def certification_list(request):
    """The public catalogue: filter by provider, level, fee and status; sort; 12 a page."""
    # Only providers with a public exam: one with drafts only is a vendor not yet announced.
    public = Certification.objects.public().filter(provider=OuterRef("pk"))
    providers = list(
        Provider.objects.filter(Exists(public))
        .order_by(Lower("name"), "name")
        .values_list("slug", "name")
    )
    form = CertificationFilterForm(request.GET, providers=providers)
    values, notices = form.values()
    page, notice, any_status, fee_currencies = _catalogue_page(request, values, values["q"])
    respelling = retired_matches = left = None
    if values["q"] and not page.paginator.count and values["status"] == "current":
        # The search found only what the default status hides: say so rather than respell.
        retired_matches = _retired_matches(request, any_status)
    if values["q"] and not page.paginator.count and not retired_matches:
        respelling = _respelling(request, values)
    if values["q"] and not page.paginator.count and not retired_matches and not respelling:
        # "aws practitioner free": the certifications holding the words some one holds.
        certifications = Certification.objects.public().with_code_key()
        shorter = list_page_without(
            request,
            values["q"],
            [(certifications, certifications.match)],
            lambda searched: _catalogue_page(request, values, searched),
            # "kuberntes london": "kubernetes" in the catalogue's words, then without "london".
            respelled=respelled_within(
                values["q"],
                _searched_certifications,
                kept=lambda facts: _within_filters(values, *facts),
            ),
        )
        if shorter:
            (page, notice, _, fee_currencies), left = shorter
    if notice:
        notices.append(notice)
    picks, picked_elsewhere, pick_notices = _compare_picks(request, page.object_list)
    notices += pick_notices
    if page.object_list:
        # Without JavaScript the filters belong to the compare form as well, whose ticks no
        # form of their own could send: changing a filter or the sort, or moving to another
        # page (a button of that form), keeps this page's ticks and the filters alike.
        # static/js/compare.js gives them back to their own form.
        for field in form.fields.values():
            field.widget.attrs["form"] = COMPARE_FORM
    return render(
        request,
        "certifications/certification_list.html",
        {
            "form": form,
            "values": values,
            "notices": notices,
            "page_obj": page,
            "certifications": page.object_list,
            "respelling": respelling,
            "left_out": left,
            "weighed_words": WEIGHED_WORDS,
            "picks": picks,
            "picked_elsewhere": picked_elsewhere,
            # Changing a filter or the sort keeps the ticks, in the order they were made.
            "all_picks": [c.slug for c in picked_elsewhere]
            + [c.slug for c in page.object_list if c.slug in picks],
            "retired_matches": retired_matches,
            # Said on the page when the fees sorted are in more than one currency.
            "fee_currencies": fee_currencies if fee_currencies and len(fee_currencies) > 1 else (),
            "filtered": any(values[k] not in ("", None) for k in ("q", "provider", "level"))
            or values["fee_min"] is not None
            or values["fee_max"] is not None,
        },
    )


def _catalogue_page(request, values, q):
    """The catalogue's page of certifications matching `q` with its filters and sort: (page,
    its notice, the same search of any status, the currencies of the fees sorted)."""
    certifications = Certification.objects.public().for_list().matching(q)
    if values["provider"]:
        certifications = certifications.filter(provider__slug=values["provider"])
    if values["level"]:
        certifications = certifications.filter(level=values["level"])
    if values["fee_min"] is not None:
        certifications = certifications.filter(exam_fee__gte=values["fee_min"])
    if values["fee_max"] is not None:
        # A free exam (no fee) is within any maximum.
        certifications = certifications.filter(exam_fee__lte=values["fee_max"]) | (
            certifications.filter(exam_fee__isnull=True)
        )
    any_status = certifications
    certifications = certifications.filter(status__in=STATUSES_SHOWN[values["status"]])
    fee_currencies = count = None
    if values["sort"] == "fee":
        fee_currencies, count = certifications.fee_currencies()
        certifications = certifications.by_fee(fee_currencies)
    else:
        name = Lower("name")  # alphabetical: "Certified ..." before "CISSP"
        order = {
            "name": [name],
            "level": ["level_rank", name],
            "hours": [F("study_hours").asc(nulls_last=True), name],
        }[values["sort"]]
        # The id last: exams of one name keep their order from page to page (PostgreSQL
        # sorts ties in whatever order it reads them, and a save moves a row).
        certifications = certifications.with_level_rank().order_by(*order, "pk")
    page, notice = paginate(certifications, per_page=12, page=request.GET.get("page"), count=count)
    return page, notice, any_status, fee_currencies


def _retired_matches(request, certifications):
    """How many retired certifications the list's search and filters find, with the link
    that shows them, as {"count", "url"}; None when there are none (one COUNT query)."""
    count = certifications.filter(status=Certification.Status.RETIRED).count()
    if not count:
        return None
    params = request.GET.copy()
    params["status"] = "all"
    params.pop("page", None)
    return {"count": count, "url": f"?{params.urlencode()}"}


@require_safe
@login_not_required
def certification_compare(request):
    """Two or three certifications side by side: exam facts, cost, time, validity, the
    careers each counts in, and, signed in, the learner's own standing. Four queries: the
    picker's choices, the picked certifications, their prerequisites, the roadmap steps."""
    choices = list(
        Certification.objects.public()
        .order_by(Lower("name"), "exam_code", "pk")
        .values_list("slug", "name", "exam_code", "status")
    )
    labels = {slug: _choice_label(name, code, status) for slug, name, code, status in choices}
    # An exam code is also read without its dash or spaces ("az104"), as the search reads it.
    aliases = unique_aliases(
        (slug, (labels[slug], name_with_code(name, code), name, code, squash(code)))
        for slug, name, code, _ in choices
    )
    typed = request.GET.getlist("certifications")
    aliases |= renamed_picks(Certification.objects.public(), typed, labels)
    slugs, notices, unfound = read_picks(typed, labels, noun="certifications", aliases=aliases)
    picked = slugs if 2 <= len(slugs) <= MAX_PICKS else []
    if len(slugs) > MAX_PICKS:
        slugs = slugs[:MAX_PICKS]  # the picker shows the first three to start from
    context = {
        "notices": notices,
        "picker": _picker(labels, slugs, unfound),
        "choice_labels": labels.values(),
        "alone": None,
        "columns": [],
    }
    alone = (
        Certification.objects.public().filter(slug=slugs[0]).first() if len(slugs) == 1 else None
    )
    if alone:  # come from a certification's page: offer the likely comparisons
        context["alone"] = alone
        others = Certification.objects.alongside(alone)[:SUGGESTED]
        context["suggestions"] = suggested_comparisons(
            reverse("certifications:compare"),
            "certifications",
            alone.slug,
            [(other.slug, other.name_with_code) for other in others],
        )
    if picked:
        certifications = (
            Certification.objects.public()
            .filter(slug__in=picked)
            .for_detail()
            .with_progress_for(request.user)
        )
        by_slug = {certification.slug: certification for certification in certifications}
        context.update(_certification_comparison([by_slug[slug] for slug in picked]))
    return render(request, "certifications/certification_compare.html", context)


def _choice_label(name, exam_code, status):
    """What the picker suggests for a certification, and takes back when submitted."""
    label = name_with_code(name, exam_code)
    return f"{label} (retired)" if status == Certification.Status.RETIRED else label


def _picker(labels, slugs, unfound):
    """The compare page's three text boxes, each holding the label of the certification
    picked in that place, then what was typed and not found, to be corrected rather than
    typed again. They share one list of suggestions (`choice_labels`), sent once."""
    places = ["First certification", "Second certification", "Third (optional)"]
    values = [labels[slug] for slug in slugs] + unfound
    return [
        {
            "id": f"compare-{place}",
            "label": label,
            "selected": slugs[place] if place < len(slugs) else "",
            "value": values[place] if place < len(values) else "",
        }
        for place, label in enumerate(places)
    ]


def one_step_per_career(steps, certification_id):
    """The steps a certification settles, one per career: the step on the certification
    itself before one it settles as a retired exam's successor (the AI / ML Engineer asks for
    Google's ML Engineer exam as step 6, and in place of TensorFlow's as step 3). The other
    steps it settles for that career are kept on the step as `also_settles`."""
    chosen = {}
    for step in steps:
        step = copy.copy(step)  # a step may settle two compared exams: note each separately
        step.also_settles = []
        kept = chosen.get(step.career_id)
        if kept is None:
            chosen[step.career_id] = step
        elif (
            step.certification_id == certification_id and kept.certification_id != certification_id
        ):
            step.also_settles = [kept, *kept.also_settles]
            chosen[step.career_id] = step
        else:
            kept.also_settles.append(step)
    return list(chosen.values())


def _certification_comparison(certifications):
    """Columns for the compare table, each with the steps its certification settles and the
    marks (lowest fee, fewest study hours, longest validity) it earns against the others."""
    by_id = {certification.pk: [] for certification in certifications}
    # Which compared exams replaced each step's, in turn (Replacement): one EXISTS each.
    chains = {
        f"replaced_by_{pk}": Exists(
            Replacement.objects.filter(replaced=OuterRef("certification_id"), exam=pk)
        )
        for pk in by_id
    }
    for step in RoadmapStep.objects.leading_to(*certifications).annotate(**chains):
        # A step counts for its own certification and, when that one is retired, for its
        # successor and the exams of its chain: the AI / ML Engineer's MLS-C01 step is
        # settled by MLA-C01 too.
        settled_by = {step.certification_id}
        if step.certification.is_retired:
            settled_by.add(step.certification.successor_id)
            settled_by |= {pk for pk in by_id if getattr(step, f"replaced_by_{pk}")}
        for certification_id in settled_by & by_id.keys():
            by_id[certification_id].append(step)
    by_id = {pk: one_step_per_career(steps, pk) for pk, steps in by_id.items()}
    columns = [
        {"certification": certification, "steps": by_id[certification.pk]}
        for certification in certifications
    ]
    _mark_best(columns, "cheapest", _fee_key(certifications))
    _mark_best(columns, "quickest", lambda c: c.study_hours)
    # A certification that never expires is the longest valid.
    _mark_best(columns, "longest", lambda c: -(c.validity_months or 10_000))
    careers_of = [{step.career for step in column["steps"]} for column in columns]
    in_all = set.intersection(*careers_of) if careers_of else set()
    return {
        "columns": columns,
        "careers_in_all": sorted(in_all, key=lambda career: (career.title, career.pk)),
        "any_reviewed": any(certification.reviewed_on for certification in certifications),
        # A retired exam's fee can be the lowest and carry no star: the caption says why.
        "any_retired": any(certification.is_retired for certification in certifications),
    }


def _fee_key(certifications):
    """Fees compare only in one currency: a key for each certification's fee (a free exam
    costs 0), or a key that ranks nothing when the currencies differ."""
    currencies = {
        c.fee_currency for c in certifications if c.exam_fee is not None and not c.is_retired
    }
    if len(currencies) > 1:
        return lambda certification: None
    return lambda certification: certification.exam_fee or 0


def _mark_best(columns, mark, key):
    """Set `column[mark]` on the columns with the lowest key, when the keys differ at all
    (a tie everywhere marks nothing); columns without a key are never marked, nor are
    retired exams: nobody can book them, so they are no one's best choice."""
    keys = [
        None if column["certification"].is_retired else key(column["certification"])
        for column in columns
    ]
    known = [value for value in keys if value is not None]
    best = min(known) if len(set(known)) > 1 else None
    for column, value in zip(columns, keys, strict=True):
        column[mark] = best is not None and value == best


@method_decorator(login_not_required, name="dispatch")
class CertificationDetailView(FollowsFormerSlugs, DetailView):
    model = Certification

    def get_queryset(self):
        user = self.request.user
        # The learner's own progress rides on the same query (one LEFT JOIN).
        return Certification.objects.visible_to(user).for_detail().with_progress_for(user)

    def get_object(self, queryset=None):
        """The certification as DetailView finds it in get_queryset(), by a query compiled
        once per process (`Certification.objects.for_page()`)."""
        if queryset is not None:
            return super().get_object(queryset)
        slug = self.kwargs[self.slug_url_kwarg]
        certification = Certification.objects.for_page(slug, self.request.user)
        if certification is None:
            raise Http404(f"No {Certification._meta.verbose_name} found matching the query")
        return certification

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        certification = self.object
        steps = one_step_per_career(_FIRST_STEPS_SETTLED(certification.pk), certification.pk)
        # Counted in SQL only when the first few fill the list: most exams lead to fewer.
        if len(steps) == CAREERS_SHOWN:
            career_count = careers_leading_to(certification).count()
        else:
            career_count = len(steps)
        prerequisites = Certification.objects.prerequisites_for_page(certification)
        is_draft = certification.status == Certification.Status.DRAFT
        successor = certification.successor
        if successor is not None and successor.status == Certification.Status.DRAFT:
            successor = None
        context.update(
            steps=steps,
            more_careers=career_count - len(steps),
            prerequisites=prerequisites,
            successor=successor,
            is_draft=is_draft,
            admin_url=admin_form_url(self.request.user, certification),
        )
        if not is_draft:  # a staff preview of a draft must not hand crawlers its data
            context["credential_ld"] = seo.credential(certification, site_url=settings.SITE_URL)
            context["breadcrumbs_ld"] = seo.breadcrumbs(certification, site_url=settings.SITE_URL)
        return context


def careers_leading_to(certification):
    """The published careers whose roadmap passing `certification` settles (a step on it, or
    on a retired exam it succeeds), by title as `RoadmapStep.objects.leading_to` lists them."""
    # The bare steps: building leading_to()'s step numbers for a subquery that selects
    # only career ids cost a tenth of the certification page's CPU.
    steps = RoadmapStep.objects.settled_by(certification)
    return (
        Career.objects.published().filter(pk__in=steps.values("career_id")).order_by("title", "id")
    )


def steps_settled_by(certification, careers):
    """One step per career of `careers` (a queryset of career ids, or a list) that passing
    `certification` settles, by career title, each with its step number (one query)."""
    steps = RoadmapStep.objects.leading_to(certification).filter(career__in=careers)
    return one_step_per_career(steps, certification.pk)


def _first_steps_settled_query(certification_id):
    """`steps_settled_by()` the certification for the first CAREERS_SHOWN careers it leads to."""
    certification = Certification(pk=certification_id)
    first = careers_leading_to(certification).values("pk")[:CAREERS_SHOWN]
    return RoadmapStep.objects.leading_to(certification).filter(career__in=first)


# Compiled once per process, as the page's other queries are (`for_page()`).
_FIRST_STEPS_SETTLED = PreparedQuery(_first_steps_settled_query)


@method_decorator(login_not_required, name="dispatch")
class CertificationCareersView(DetailView):
    """Every career a certification counts in, 24 a page, where its page shows the first 12.
    Four queries: the certification, COUNT, the page of careers, their steps."""

    model = Certification
    template_name = "certifications/certification_careers.html"

    def get_queryset(self):
        return Certification.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        certification = self.object
        careers = careers_leading_to(certification).only("pk")
        page, notice = paginate(careers, per_page=24, page=self.request.GET.get("page"))
        context.update(
            page_obj=page,
            steps=steps_settled_by(certification, [career.pk for career in page.object_list]),
            notices=[notice] if notice else [],
            is_draft=certification.status == Certification.Status.DRAFT,
        )
        return context

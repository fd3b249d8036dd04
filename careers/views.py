from collections import defaultdict

from django.contrib.auth.decorators import login_not_required
from django.db.models.functions import Lower
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control
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
from careerportal.prepared import PreparedPages
from careerportal.query import (
    SearchedRow,
    respelled_within,
    respelling_that_finds,
    searched_rows,
)
from careerportal.some_words import WEIGHED_WORDS, list_page_without
from careers.career_page import (
    career_page_context,
    first_required_step,
    prepare_steps,
    roadmap_facts,
)
from careers.former_slugs import FollowsFormerSlugs, renamed_picks
from careers.forms import CareerFilterForm, CompareForm, salary_countries
from careers.images import monogram_png
from careers.models import Career, Employer, SalaryFigure
from careers.paging import paginate
from careers.querysets import LIST_PAGE, may_preview_drafts, published_hirings


def admin_form_url(user, row) -> str | None:
    """The admin form of `row` (a career or certification) for staff who may view it there,
    for its page's "Edit it in the admin" (a draft's preview notice included); else None.
    No query: the permissions were read when the page chose what `user` may see."""
    if not may_preview_drafts(user, type(row)):
        return None
    return reverse(f"admin:{row._meta.app_label}_{row._meta.model_name}_change", args=[row.pk])


@method_decorator(login_not_required, name="dispatch")
class CareerDetailView(FollowsFormerSlugs, DetailView):
    """The career page. A visitor's page costs six queries, none while rendering:

    1. the career (visible to this user), 2. its salary figures, 3. its hirings joined with
    employers, 4. its roadmap steps joined with certification, provider, successor and the
    exam on offer a chain of retirements leads to (`Career.objects.page_sections()` reads
    2-4), 5. responsibilities + day entries + FAQs as one UNION (`ordered_parts()`), 6. related
    careers with their shared-certification counts. 2-6 are compiled to SQL once per process.
    Per-user data belongs in existing queries: annotate the steps in `page_sections()` and
    the career in `get_queryset()`.
    """

    model = Career

    # Signed in, the learner's progress rides on queries the page makes anyway: each step's
    # progress as LEFT JOINs on the steps query, "following?" as an EXISTS on the career
    # query. The certifications models are reached through the reverse relations
    # (`Career.roadmap_steps`, `Career.follows`), so careers imports nothing of certifications
    # and the rules (held, expired, next step) stay in certifications.roadmap.

    def get_queryset(self):
        return Career.objects.visible_to(self.request.user).with_followed(self.request.user)

    def get_object(self, queryset=None):
        """The career as DetailView finds it in get_queryset(), by a query compiled once per
        process (`Career.objects.for_page()`)."""
        if queryset is not None:
            return super().get_object(queryset)
        career = Career.objects.for_page(self.kwargs[self.slug_url_kwarg], self.request.user)
        if career is None:
            raise Http404(f"No {Career._meta.verbose_name} found matching the query")
        return career

    def get_cta(self, steps, learner_roadmap=None):
        """The exam the call to action points at (a retired step's successor), the learner's
        next one once signed in; and whether that is to renew a pass of theirs that expired."""
        step = first_required_step(steps)
        if learner_roadmap is None or step is None:
            return (step.target if step else None), False
        if step.required:
            standing = learner_roadmap.next_step
            return (standing.target, standing.needs_renewal) if standing else (None, False)
        # Every step is optional, so none counts and the summary names no next step: the
        # first the learner neither holds nor skipped is still a good one to take.
        step = next(
            (s for s in steps if s.target and not s.learner.held and not s.learner.skipped), None
        )
        return (step.target, step.learner.needs_renewal) if step else (None, False)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sections = Career.objects.page_sections(self.object, self.request.user)
        context.update(career_page_context(self.object, **sections))
        learner_roadmap = Career.roadmap_steps.rel.related_model.learner_summary(context["steps"])
        context["learner_roadmap"] = learner_roadmap
        context["cta_certification"], context["cta_renew"] = self.get_cta(
            context["steps"], learner_roadmap
        )
        # The editor's "start with" sentence names the first step: a learner whose next step is
        # another one (an earlier one skipped) is told about theirs instead.
        context["cta_visitor_certification"], _ = self.get_cta(context["steps"])
        first_step = first_required_step(context["steps"])
        context["cta_optional"] = first_step is not None and not first_step.required
        context["is_draft"] = not self.object.is_published
        context["admin_url"] = admin_form_url(self.request.user, self.object)
        return context


@require_safe
@login_not_required
def career_list(request):
    """Published careers: text search, category and demand filters, sorting, 12 a page."""
    menus = Career.objects.list_page_menus()
    categories = sorted({value for kind, value in menus if kind == "career"})
    countries = salary_countries(value for kind, value in menus if kind == "country")
    form = CareerFilterForm(request.GET, categories=categories, countries=countries)
    values, notices = form.values()
    filters = {name: values[name] for name in ("category", "demand")}
    page, notice = _list_page(request, values["q"], values, filters)
    respelling = left = None
    if values["q"] and not page.paginator.count:
        respelling = _respelling(request, values)
    if values["q"] and not page.paginator.count and not respelling:
        # "cloud engineer london": the careers holding the words some career holds.
        # "kuberntes london": "kubernetes" in the careers' words, then without "london".
        shorter = list_page_without(
            request,
            values["q"],
            [(Career.objects.published(), Career.objects.match)],
            lambda searched: _list_page(request, searched, values, filters),
            respelled=respelled_within(values["q"], _searched_careers, kept=_kept(values)),
        )
        if shorter:
            (page, notice), left = shorter
    if notice:
        notices.append(notice)
    Career.objects.attach_learner_progress(page.object_list, request.user)
    level_name = SalaryFigure.Level(values["level"]).label
    country_name = dict(countries)[values["country"]]
    salaries = [c.median_salary for c in page.object_list]
    if values["sort"] == "salary" and salaries and not any(salaries):
        notices.append(
            f"No career here has a {level_name.lower()}-level salary figure for {country_name}, "
            "so they are listed by title."
        )
    filtered = any(values[k] for k in ("q", "category", "demand"))
    return render(
        request,
        "careers/career_list.html",
        {
            "form": form,
            "values": values,
            "notices": notices,
            "page_obj": page,
            "careers": page.object_list,
            "filtered": filtered,
            "respelling": respelling,
            "left_out": left,
            "weighed_words": WEIGHED_WORDS,
            "country_name": country_name,
            "level_name": level_name,
        },
    )


def _list_page(request, q, values, filters):
    """The page of careers matching `q` with the list's filters and sort, and its notice."""
    careers = Career.objects.for_list_page(
        q=q,
        country=values["country"],
        level=values["level"],
        sort=values["sort"],
        **filters,
    )
    if not q:  # a search's SQL varies with its words: compiled each time
        set_filters = [name for name, value in filters.items() if value]
        careers = PreparedPages(
            careers,
            LIST_PAGE,
            values["country"],
            values["level"],
            *(filters[name] for name in set_filters),
            size=12,
            prepared=3,
            filters=tuple(set_filters),
            sort=values["sort"],
        )
    return paginate(careers, per_page=12, page=request.GET.get("page"))


@per_content_version
def _searched_careers() -> list[SearchedRow]:
    """The published careers' searched words by category and demand, read once per content
    version: a search that finds nothing costs no query and no reading of every text."""
    return searched_rows(Career.objects.published().searched_texts_by_filter())


def _respelling(request, values):
    """ "Did you mean" for a career search that found nothing: a respelling that finds careers
    with the category and demand kept, else one that finds careers without them (its link
    drops them), else None."""
    return respelling_that_finds(
        request,
        values["q"],
        _searched_careers,
        kept=_kept(values),
        everywhere=lambda facts: True,
        filters=("category", "demand"),
    )


def _kept(values):
    """Whether a career's facts (`_searched_careers`) pass the list's category and demand."""
    return lambda facts: values["category"] in ("", facts[0]) and values["demand"] in ("", facts[1])


@require_safe
@login_not_required
def career_compare(request):
    """Two or three published careers side by side in one country's salaries; one career
    picked, the careers to set beside it. Queries: the picker's choices (with categories),
    then the picked careers, their salary figures and their roadmap steps; or, for one
    pick, that career and its related careers."""
    menus = list(Career.objects.published().with_salary_countries("slug", "title", "category"))
    choices = sorted((row[1:] for row in menus if row[0] == "career"), key=_by_title)
    titles = {slug: title for slug, title, _ in choices}
    countries = salary_countries(row[1] for row in menus if row[0] == "country")
    country = request.GET.get("country") or countries[0][0]
    notices = []
    if country not in dict(countries):
        notices.append(
            f"We have no salary figures for “{country[:10]}”; showing {countries[0][1]} figures."
        )
        country = countries[0][0]
    aliases = unique_aliases((slug, [title]) for slug, title in titles.items())
    typed = request.GET.getlist("careers")
    aliases |= renamed_picks(Career.objects.published(), typed, titles)
    slugs, pick_notices, unfound = read_picks(
        typed, titles, noun="careers", aliases=aliases, tell_repeats=True
    )
    notices += pick_notices
    alone = None
    if len(slugs) == 1:  # come from a career's page: offer the likely comparisons
        picked = Career.objects.published().filter(slug=slugs[0])
        alone = picked.only("slug", "title", "category").first()
    if request.GET.getlist("careers") and len(slugs) < 2 and not alone:
        notices.append("Pick at least two careers to compare.")
    form = CompareForm(initial={"country": country}, countries=countries)
    places = ["First career", "Second career", "Third (optional)"]
    # What was typed and not found stays in a box, to be corrected rather than typed again.
    values = [titles[slug] for slug in slugs] + unfound
    picker = [
        {"id": f"compare-{n}", "label": label, "value": values[n] if n < len(values) else ""}
        for n, label in enumerate(places)
    ]
    context = {"form": form, "notices": notices, "country": country, "columns": []}
    # Three text boxes sharing one list of suggestions, sent once: the only part that grows.
    context.update(picker=picker, choice_labels=titles.values(), alone=alone)
    context["country_name"] = dict(countries)[country]
    if alone:
        # A chosen country stays chosen in the comparisons offered.
        kept = {"country": country} if request.GET.get("country") == country else {}
        context["suggestions"] = suggested_comparisons(
            reverse("careers:compare"), "careers", alone.slug, _alongside(alone, choices), **kept
        )
    if 2 <= len(slugs) <= MAX_PICKS:
        careers = Career.objects.published().filter(slug__in=slugs).for_compare(country=country)
        by_slug = {c.slug: c for c in careers}
        context.update(_comparison([by_slug[s] for s in slugs if s in by_slug]))
    return render(request, "careers/career_compare.html", context)


def _alongside(career, choices) -> list[tuple[str, str]]:
    """(slug, title) of up to SUGGESTED published careers to compare `career` with: its
    related careers as its page lists them (those sharing the most exams, one query), then
    others of its category by title, from `choices` ((slug, title, category) of every
    published career, by title)."""
    related = Career.objects.related_to(career).only("slug", "title")[:SUGGESTED]
    chosen = {other.slug: other.title for other in related}
    for slug, title, category in choices:
        if len(chosen) >= SUGGESTED:
            break
        if category == career.category and slug != career.slug:
            chosen.setdefault(slug, title)
    return list(chosen.items())


def _by_title(slug_title_and_category):
    """Alphabetical whatever the case; the slug settles careers of one title."""
    slug, title, _category = slug_title_and_category
    return title.lower(), slug


def _comparison(careers):
    """The table rows a comparison shows, built from prefetched careers (no queries)."""
    # Totals and sharing go by the exam each step leads to today, as on the career page: a
    # retired exam counts as its successor (passing AI-901 holds an AI-900 step too).
    cert_careers = defaultdict(list)  # exam id -> the careers whose roadmap leads to it
    columns = []
    for career in careers:
        steps = prepare_steps(career.roadmap_steps.all())
        for cert_id in dict.fromkeys(step.target.pk for step in steps if step.target):
            cert_careers[cert_id].append(career)
        latest = {}
        for figure in career.salary_figures.all():  # newest year first per level
            latest.setdefault(figure.level, figure)
        facts = roadmap_facts(steps)
        columns.append({"career": career, "steps": steps, "salaries": latest, **facts})
    shared_ids = {cert_id for cert_id, sharing in cert_careers.items() if len(sharing) > 1}
    shared = {}
    for column in columns:
        for step in column["steps"]:
            step.is_shared = step.target is not None and step.target.pk in shared_ids
            if step.is_shared and step.target.pk not in shared:
                # Which careers it counts for: with three picked, some exams serve only two.
                step.target.shared_by = cert_careers[step.target.pk]
                step.target.shared_by_all = len(step.target.shared_by) == len(columns)
                shared[step.target.pk] = step.target
    salary_rows = [
        {"level": label, "cells": [column["salaries"].get(level) for column in columns]}
        for level, label in SalaryFigure.Level.choices
    ]
    return {
        "columns": columns,
        "salary_rows": salary_rows,
        "shared": sorted(shared.values(), key=lambda c: c.name),
    }


@require_safe
@login_not_required
def employer_list(request):
    """Employers by name, 24 a page, each with how many published careers it hires for."""
    employers = Employer.objects.for_list().order_by(Lower("name"), "id")
    page, notice = paginate(employers, per_page=24, page=request.GET.get("page"))
    return render(
        request,
        "careers/employer_list.html",
        {
            "page_obj": page,
            "employers": page.object_list,
            "notices": [notice] if notice else [],
        },
    )


CAREERS_SHOWN = 12  # on an employer's page; the rest are one link away, 24 a page


@method_decorator(login_not_required, name="dispatch")
class EmployerDetailView(FollowsFormerSlugs, DetailView):
    """An employer and the first 12 published careers it hires for, with how many more there
    are. Two queries: the employer with its career count, its first hirings with careers."""

    model = Employer

    def get_queryset(self):
        return Employer.objects.for_detail(shown=CAREERS_SHOWN)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        hirings = self.object.shown_hirings
        context.update(hirings=hirings, more_careers=self.object.career_count - len(hirings))
        return context


@method_decorator(login_not_required, name="dispatch")
class EmployerCareersView(DetailView):
    """Every published career an employer hires for, 24 a page. Three queries: the employer,
    COUNT, the page of hirings with their careers."""

    model = Employer
    template_name = "careers/employer_careers.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        hirings = published_hirings().filter(employer=self.object)
        page, notice = paginate(hirings, per_page=24, page=self.request.GET.get("page"))
        context.update(page_obj=page, hirings=page.object_list, notices=[notice] if notice else [])
        return context


@require_safe
@login_not_required
@cache_control(public=True, max_age=86400)
def employer_monogram(request, slug):
    employer = get_object_or_404(Employer.objects.only("name"), slug=slug)
    return HttpResponse(monogram_png(employer.name), content_type="image/png")

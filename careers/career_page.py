"""The career page's context: every section evaluated into plain lists and objects.

The view calls `career_page_context()` once the career and its sections are loaded; it
runs the two remaining queries (the UNION of ordered text parts and the related careers)
so that rendering the template runs none.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote

from careerportal.urlcache import reverse_plain
from careers.models import Career, SalaryFigure
from careers.money import country_name, format_money
from careers.querysets import prerequisites_in, split_ordered_parts

PUBLIC_CERTIFICATION_STATUSES = {"published", "retired"}
RELATED_LIMIT = 6


@dataclass
class CountrySalaries:
    """The latest figure per level for one country (and its one currency)."""

    code: str
    currency: str
    name: str
    by_level: dict[str, SalaryFigure] = field(default_factory=dict)

    @property
    def figures(self) -> list[SalaryFigure]:
        return sorted(self.by_level.values(), key=lambda f: f.level_rank)


@dataclass
class SalaryTable:
    """Salary figures shaped for the chart, the table and the JSON-LD."""

    countries: list[CountrySalaries]
    levels: list[tuple[str, str]]  # (value, label) of the levels any country has
    years: list[int]
    sources: list[tuple[str, str]]  # (name, url) in order of first appearance
    is_estimate: bool

    @property
    def rows(self):
        """One row per level: (label, [figure or None for each country])."""
        return [
            (label, [country.by_level.get(level) for country in self.countries])
            for level, label in self.levels
        ]

    def __bool__(self):
        return bool(self.countries)


def salary_table(figures: list[SalaryFigure]) -> SalaryTable:
    """Keep the latest year per country and level; countries in the order editors added them.

    `figures` must be ordered by country, level and newest year first (as
    `Career.objects.page_sections()` reads them), so the first figure seen for a (country,
    level) is the latest.
    """
    groups: dict[tuple[str, str], CountrySalaries] = {}
    first_id: dict[tuple[str, str], int] = {}
    seen: set[tuple[str, str]] = set()
    for figure in figures:
        if (figure.country, figure.level) in seen:
            continue
        seen.add((figure.country, figure.level))
        key = (figure.country, figure.currency)
        if key not in groups:
            groups[key] = CountrySalaries(
                figure.country, figure.currency, country_name(figure.country)
            )
        groups[key].by_level[figure.level] = figure
        first_id[key] = min(first_id.get(key, figure.pk), figure.pk)
    countries = sorted(groups.values(), key=lambda c: first_id[(c.code, c.currency)])
    shown = [f for country in countries for f in country.figures]
    for f in shown:
        # The table's texts, written here: as `money` filters on the figures' fields (36
        # template variables with three countries) they cost three times as much.
        f.median_text = format_money(f.median, f.currency)
        f.range_text = ""
        if f.p25 is not None and f.p75 is not None:
            low, high = format_money(f.p25, f.currency), format_money(f.p75, f.currency)
            f.range_text = f"{low} \N{EN DASH} {high}"
    present = {f.level for f in shown}
    sources: list[tuple[str, str]] = []
    for f in sorted(shown, key=lambda f: f.pk):
        if (f.source_name, f.source_url) not in sources:
            sources.append((f.source_name, f.source_url))
    return SalaryTable(
        countries=countries,
        levels=[(v, label) for v, label in SalaryFigure.Level.choices if v in present],
        years=sorted({f.year for f in shown}),
        sources=sources,
        is_estimate=any(f.is_estimate for f in shown),
    )


def prepare_steps(steps) -> list:
    """Number the visible steps 1..n; attach `url` (the certification's page, reversed once
    for the roadmap and the JSON-LD), `public_successor` (None for drafts), `target`: the
    exam a visitor would book for the step today, the successor of a retired one while that
    is on offer, else the exam on offer at the end of its chain of retirements (None when
    there is none), `successor_step`: the number of the other step that is already on that
    exam (None when there is none), and `priced_at`: the number of the step whose line
    carries the fee of this step's exam when that is another one (the step on that exam
    itself, else the first that leads to it), so a roadmap's lines add up to the total
    `roadmap_facts` counts."""
    steps = list(steps)
    numbers = {}
    for number, step in enumerate(steps, start=1):
        certification = step.certification
        step.number = number
        step.url = certification.get_absolute_url()
        successor = certification.successor
        public = successor is not None and successor.status in PUBLIC_CERTIFICATION_STATUSES
        step.public_successor = successor if public else None
        if not certification.is_retired:
            step.target = certification
        elif public and not successor.is_retired:
            step.target = successor
        else:
            # A successor retired since it was named can no longer be booked either: the
            # step books the exam on offer its chain leads to (`chain_exam`, joined by
            # for_career_page()), if any.
            chained = getattr(certification, "chain_exam_id", None)  # (tests' stubs: none)
            step.target = certification.chain_exam if chained else None
        numbers.setdefault(certification.pk, number)
    priced = {}  # exam id -> the number of the step that shows its fee
    for step in steps:
        replacement = step.target if step.certification.is_retired else None
        step.successor_step = numbers.get(replacement.pk) if replacement else None
        if step.target:
            priced.setdefault(step.target.pk, numbers.get(step.target.pk, step.number))
    for step in steps:
        owner = priced.get(step.target.pk) if step.target else None
        step.priced_at = owner if owner != step.number else None
    return steps


def attach_missing_prerequisites(steps, prerequisites) -> None:
    """Set each step's `missing_prerequisites`: the certifications its exam requires (from
    `prerequisites_in()`) that no step of this roadmap is on or leads to."""
    on_roadmap = {step.certification.pk for step in steps}
    on_roadmap |= {step.target.pk for step in steps if step.target}
    for step in steps:
        required = prerequisites.get(step.certification.pk, [])
        step.missing_prerequisites = [p for p in required if p["id"] not in on_roadmap]


def roadmap_facts(steps) -> dict:
    """Totals for the hero's facts strip: the fees (per currency) and study hours of the
    exams the roadmap leads to today, each once (a retired step counts as its successor),
    with the counts the hero needs to say how it added them up."""
    targets = {step.target.pk: step.target for step in steps if step.target}.values()
    required_targets = {step.target.pk for step in steps if step.target and step.required}
    fees: dict[str, Decimal] = defaultdict(Decimal)
    for certification in targets:
        if certification.exam_fee is not None:
            fees[certification.fee_currency] += certification.exam_fee
    bookable_steps = [step for step in steps if step.target]
    return {
        "step_count": len(steps),
        "exam_count": len(targets),
        "required_count": len(required_targets),
        "optional_count": len(targets) - len(required_targets),
        "replaced_count": sum(1 for step in bookable_steps if step.certification.is_retired),
        "merged_count": len(bookable_steps) - len(targets),
        "unbookable_count": len(steps) - len(bookable_steps),
        "missing_prerequisite_count": len(
            {p["id"] for step in steps for p in getattr(step, "missing_prerequisites", [])}
        ),
        "fees": [{"amount": amount, "currency": currency} for currency, amount in fees.items()],
        "study_hours": sum(certification.study_hours or 0 for certification in targets),
        # Left out of the study time, which is then a floor, not an estimate.
        "without_hours_count": sum(1 for certification in targets if not certification.study_hours),
    }


def first_required_step(steps):
    """The call to action's step: the first required step with an exam to book, else (every
    bookable step is optional) the first step with one."""
    bookable = [step for step in steps if step.target]
    return next((s for s in bookable if s.required), bookable[0] if bookable else None)


def roadmap_order(step) -> tuple:
    """A roadmap step's sort key: the order RoadmapStep.Meta.ordering gives the steps (the
    career page reads them unordered, see Career.objects.page_sections)."""
    return (step.position, step.pk)


def link_related(career: Career, related: list) -> None:
    """Set each related career's `url` and `compare_url`, its "Compare with" link beside
    `career` ("" on a draft's page, which no comparison can name), as the cards link them."""
    compare = reverse_plain("careers:compare") if career.is_published else ""
    for other in related:
        other.url = other.get_absolute_url()
        other.compare_url = ""
        if compare:
            pair = f"careers={quote(career.slug)}&careers={quote(other.slug)}"
            other.compare_url = f"{compare}?{pair}"


def career_page_context(career: Career, *, roadmap_steps, salary_figures, hirings) -> dict:
    """Everything the career page shows, as lists, from the career and its sections (as
    `Career.objects.page_sections()` reads them); runs the UNION and related-careers queries."""
    steps = prepare_steps(sorted(roadmap_steps, key=roadmap_order))
    parts = list(Career.objects.ordered_parts([career.pk]))
    responsibilities, day_entries, faqs = split_ordered_parts(parts, career)
    attach_missing_prerequisites(steps, prerequisites_in(parts))
    target_ids = {s.target.pk for s in steps if s.target}
    related = []
    if target_ids:
        related = Career.objects.related_for_page(career, target_ids, limit=RELATED_LIMIT)
        link_related(career, related)
    return {
        "steps": steps,
        "facts": roadmap_facts(steps),
        "responsibilities": responsibilities,
        "day_entries": day_entries,
        "faqs": faqs,
        "salaries": salary_table(salary_figures),
        "hirings": hirings,
        "related_careers": related,
    }

"""Salary figures that are allowed but probably wrong, as warnings for the editor who just
saved or deleted some (the career form, a figure's own page, the salary list's currency
action and delete, the CSV import). Nothing is refused: a figure may be odd and true, and
what was typed is kept.

A career's figures for one country and year are compared level by level (entry, mid, senior,
lead): a level paid more than a higher one ("Entry $180,000 is above Lead $150,000"), a level
OUT_OF_LINE times or more the one below it (a zero typed too many or too few), and figures in
a currency that is not legal tender in the country (careers/cldr.py; the site converts no
currency, so "85,000" in USD for Germany is shown as $85,000).
"""

from collections.abc import Iterable
from itertools import pairwise
from typing import NamedTuple

from careers.models import SalaryFigure
from careers.money import country_currencies, country_name, format_money

# No career's pay rises five times from one level to the next; a zero typed too many (or too
# few) makes it ten.
OUT_OF_LINE = 5


class Figure(NamedTuple):
    country: str
    year: int
    level: str
    median: int
    currency: str

    @property
    def shown(self) -> str:
        """Entry $180,000."""
        return f"{SalaryFigure.Level(self.level).label} {format_money(self.median, self.currency)}"


def figure_of(row) -> Figure:
    """A SalaryFigure (or anything with its fields) as the checks read it."""
    return Figure(*(getattr(row, field) for field in Figure._fields))


# A change to any other field of a figure (its source, its percentiles) is not checked again.
CHECKED_FIELDS = frozenset(Figure._fields)


def saved_salary_warnings(*, career_id: int, groups: set[tuple[str, int]]) -> list[str]:
    """salary_warnings for the career's stored figures of `groups` ((country, year) pairs
    just written): one query, none without groups."""
    if not groups:
        return []
    rows = SalaryFigure.objects.filter(
        career_id=career_id,
        country__in={country for country, _ in groups},
        year__in={year for _, year in groups},
    ).values_list(*Figure._fields)
    return salary_warnings(map(Figure._make, rows), groups=groups)


def salary_warnings(figures: Iterable[Figure], *, groups=None, career="") -> list[str]:
    """One sentence per oddity in `figures` (one career's, named `career` if given), by
    country and year; only the (country, year) pairs in `groups` when given."""
    by_group: dict[tuple[str, int], list[Figure]] = {}
    for figure in figures:
        key = (figure.country, figure.year)
        if groups is None or key in groups:
            by_group.setdefault(key, []).append(figure)
    warnings = []
    for (country, year), group in sorted(by_group.items()):
        where = f"{country_name(country)}, {year}"
        where = f"{career} in {where}" if career else where
        warnings += [f"Check the salary figures for {where}: {odd}." for odd in _oddities(group)]
    return warnings


def _oddities(group: list[Figure]) -> list[str]:
    ranks = SalaryFigure.LEVEL_RANKS
    levels = sorted(group, key=lambda figure: ranks.get(figure.level, 0))
    found = []
    for index, lower in enumerate(levels):
        # The highest level paid less: one sentence however many levels lie between.
        below = [higher for higher in levels[index + 1 :] if higher.median < lower.median]
        if below:
            found.append(f"{lower.shown} is above {below[-1].shown}")
    for lower, higher in pairwise(levels):
        if higher.median >= OUT_OF_LINE * lower.median:
            found.append(
                f"{higher.shown} is {round(higher.median / lower.median)} times {lower.shown}"
            )
    country = group[0].country
    usual = country_currencies(country)
    unusual = {figure.currency for figure in levels} - set(usual) if usual else set()
    for currency in sorted(unusual):
        odd = [figure.shown for figure in levels if figure.currency == currency]
        listed = " and ".join([", ".join(odd[:-1]), odd[-1]] if len(odd) > 1 else odd)
        found.append(
            f"{listed} {'is' if len(odd) == 1 else 'are'} in {currency}, not "
            f"{' or '.join(usual)}, the currency of {country_name(country)}"
        )
    return found


def written_salary_warnings(figures, *, written, titles: dict[int, str]) -> list[str]:
    """salary_warnings for the careers' countries and years that the SalaryFigure rows
    `written` changed, as they now stand (`figures`: every figure of those careers), each
    naming its career (`titles`: {career id: title} of the careers with figures), careers in
    title order. No query."""
    groups: dict[int, set] = {}
    for figure in written:
        groups.setdefault(figure.career_id, set()).add((figure.country, figure.year))
    by_career: dict[int, list] = {}
    for figure in figures:
        if figure.career_id in groups:
            by_career.setdefault(figure.career_id, []).append(figure_of(figure))
    warnings = []
    for career_id in sorted(by_career, key=lambda pk: titles[pk]):
        career = titles[career_id]
        warnings += salary_warnings(by_career[career_id], groups=groups[career_id], career=career)
    return warnings


def deleted_salary_warnings(deleted) -> list[str]:
    """written_salary_warnings for the figures left in the careers' countries and years of
    the SalaryFigure rows `deleted`: a level taken out may leave the two around it far apart
    (Entry $50,000, Senior $260,000). One query, none when nothing was deleted."""
    if not deleted:
        return []
    left = (
        SalaryFigure.objects.filter(
            career__in={figure.career_id for figure in deleted},
            country__in={figure.country for figure in deleted},
            year__in={figure.year for figure in deleted},
        )
        .select_related("career")
        .only("career__title", *Figure._fields)
    )
    titles = {figure.career_id: figure.career.title for figure in left}
    return written_salary_warnings(left, written=deleted, titles=titles)

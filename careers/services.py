"""Writes with rules that span several rows: a country's salary figures changing currency."""

from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from careerportal.cache import content_changed
from careerportal.history import history_write
from careers.models import Career, SalaryFigure
from careers.money import country_name, validate_currency_code
from careers.salary_checks import written_salary_warnings

# The salary figure list's action (careers/admin/salaries.py), named in messages that send
# editors to it.
CURRENCY_CHANGE_ACTION = "Change the currency of the selected figures"


@dataclass
class FigureGroup:
    """One career's figures for one country, and how many of them are selected."""

    career_id: int
    career: str
    country: str
    selected: int = 0
    total: int = 0
    currencies: set[str] = field(default_factory=set)

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    @property
    def currencies_now(self) -> str:
        return ", ".join(sorted(self.currencies))

    @property
    def whole(self) -> bool:
        return self.selected == self.total

    def problem(self) -> str:
        # Only a country with more figures than selected has a problem: "figures" is plural.
        return (
            f"{self.career} in {self.country_name}: {self.selected} of {self.total} figures "
            "selected; select all of them (filter the list by career and country)."
        )


@dataclass
class FigureSelection:
    """Selected salary figures seen by career and country."""

    pks: list[int]
    groups: list[FigureGroup]
    figures: list[SalaryFigure]  # every figure of the careers selected from, selected or not

    @property
    def problems(self) -> list[str]:
        """What keeps the selection from changing currency: a country's figures left out."""
        return [group.problem() for group in self.groups if not group.whole]


def salary_figures_selected(figures, *, lock: bool = False) -> FigureSelection:
    """`figures` by career and country, next to every figure of theirs (two queries, whatever
    the number of figures; with `lock`, the careers' figures stay locked until the transaction
    ends)."""
    chosen = dict(figures.order_by().values_list("pk", "career_id"))
    rows = (
        SalaryFigure.objects.filter(career_id__in=set(chosen.values()))
        .select_related("career")
        # What a figure's name (str(), in the admin's history) shows: not the career's long
        # texts over again for each of its figures.
        .only("career", "career__title", "country", "currency", "level", "year", "median")
        .order_by("career__title", "country", "pk")
    )
    if lock:
        rows = rows.select_for_update()
    rows = list(rows)
    groups: dict[tuple[int, str], FigureGroup] = {}
    for figure in rows:
        group = groups.setdefault(
            (figure.career_id, figure.country),
            FigureGroup(figure.career_id, figure.career.title, figure.country),
        )
        group.total += 1
        if figure.pk in chosen:
            group.selected += 1
            group.currencies.add(figure.currency)
    return FigureSelection(
        pks=sorted(chosen),
        groups=[group for group in groups.values() if group.selected],
        figures=rows,
    )


def careers_touched(*, user, changes: dict) -> None:
    """Mark each career in `changes` ({career id: what changed in it}) as saved now, and record
    that in its history as `user`'s change, after a write that went around its form (a part's
    own page, the salary CSV import, a currency change). A colleague's form opened before then
    stops with the edit-conflict message naming `user`, rather than write the old rows back."""
    if not changes:
        return
    # .update() skips auto_now, so the timestamp is set by hand; the history entries come
    # after it, where the edit-conflict check looks for them.
    Career.objects.filter(pk__in=changes).update(updated_at=timezone.now())
    history_write(
        user=user,
        rows=Career._base_manager.filter(pk__in=changes).only("title"),
        message=lambda career: changes[career.pk],
    )


class CurrencyChanged(NamedTuple):
    count: int  # figures changed
    warnings: list[str]  # salary_checks' sentences for the countries and years changed


def salary_figures_currency_change(*, figures, currency: str, user) -> CurrencyChanged:
    """Put `figures` in `currency`, amounts unchanged (it corrects their unit), and record the
    change in the admin's history for `user`; returns how many figures changed and what looks
    wrong in their careers' countries and years now (a currency not legal tender there). Raises
    ValidationError, writing nothing, for an unknown currency or when `figures` leave out some
    of a career's figures for a country they touch (a country's figures make one chart)."""
    validate_currency_code(currency)
    with transaction.atomic():
        selection = salary_figures_selected(figures, lock=True)
        if not selection.pks:
            raise ValidationError("The selected figures have been deleted since.")
        if selection.problems:
            raise ValidationError(selection.problems)
        chosen = set(selection.pks)
        changed = [f for f in selection.figures if f.pk in chosen and f.currency != currency]
        if not changed:
            return CurrencyChanged(0, [])
        SalaryFigure.objects.filter(pk__in=[f.pk for f in changed]).update(currency=currency)
        for figure in changed:
            figure.currency = currency  # the history names each figure as it is now
        LogEntry.objects.log_actions(
            user.pk, changed, CHANGE, [{"changed": {"fields": ["Currency"]}}]
        )
        # A career form opened before this would write the old currency back: as after any
        # save of the career, it now stops and names who changed it.
        counts = Counter(f.career_id for f in changed)
        careers_touched(
            user=user,
            changes={
                pk: "Changed the currency of "
                + ngettext("%d salary figure", "%d salary figures", count) % count
                + f" to {currency}."
                for pk, count in counts.items()
            },
        )
    content_changed(SalaryFigure)  # .update() sends no signal: visitors see it at once
    titles = {figure.career_id: figure.career.title for figure in selection.figures}
    warnings = written_salary_warnings(selection.figures, written=changed, titles=titles)
    return CurrencyChanged(len(changed), warnings)

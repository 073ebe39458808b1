"""Costs and funding of a program: the writes (services) and reads (selectors) behind the
leader's costs and funding pages (DESIGN.md §3; the ROI summary prorates the cost lines,
§5.4). Every rule is checked here: a refusal is a ValidationError keyed by field and
nothing is written when one is raised."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from impact.lib.dates import EARLIEST
from impact.models import Program, User
from impact.programs import programs_for
from reports.models import CostLine, FundingSource

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Further ahead than LATEST_YEARS is a typing slip.
LATEST_YEARS = 10
# A single line of a hundred million dollars is a typing slip (and stays well inside the
# column's twelve digits).
AMOUNT_LIMIT = Decimal("100000000")
# Leaders are warned this many days before a funding source ends (DESIGN.md §3).
ENDING_WITHIN_DAYS = 90


def _latest(today: dt.date) -> dt.date:
    try:
        return today.replace(year=today.year + LATEST_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year + LATEST_YEARS, day=28)


def _amount_errors(amount: object) -> dict[str, str]:
    if amount is None or amount == "":
        return {"amount": _("Enter the amount in dollars.")}
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return {"amount": _("Enter the amount as a number of dollars, like 36500.")}
    if not value.is_finite():
        return {"amount": _("Enter the amount as a number of dollars, like 36500.")}
    if value < 0:
        return {"amount": _("The amount cannot be negative.")}
    if value >= AMOUNT_LIMIT:
        return {"amount": _("Enter an amount under $100,000,000.")}
    if value != value.quantize(Decimal("0.01")):
        return {"amount": _("Use at most two decimal places (cents).")}
    return {}


def _period_errors(
    start: dt.date | None, end: dt.date | None, *, today: dt.date, names: tuple[str, str]
) -> dict[str, str]:
    first, last = names
    errors: dict[str, str] = {}
    latest = _latest(today)
    for name, day in ((first, start), (last, end)):
        if day is None:
            errors[name] = _("Enter a date.")
        elif day < EARLIEST:
            errors[name] = _("Choose a date in %(year)d or later.") % {"year": EARLIEST.year}
        elif day > latest:
            errors[name] = _("Choose a date at most %(years)d years ahead.") % {
                "years": LATEST_YEARS
            }
    if not errors and start is not None and end is not None and end < start:
        errors[last] = _("The end must be on or after the start.")
    return errors


# -- cost lines ----------------------------------------------------------------------------


def _cost_errors(
    *,
    program: Program,
    category: str,
    amount: object,
    period_start: dt.date | None,
    period_end: dt.date | None,
    note: str,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if category not in CostLine.Category.values:
        errors["category"] = _("Choose a category from the list.")
    errors |= _amount_errors(amount)
    errors |= _period_errors(
        period_start, period_end, today=program.today(), names=("period_start", "period_end")
    )
    if len(note) > 200:
        errors["note"] = _("Keep the note under 200 characters.")
    return errors


def cost_line_create(
    *,
    program: Program,
    by: User,
    category: str,
    amount: Decimal,
    period_start: dt.date,
    period_end: dt.date,
    note: str = "",
) -> CostLine:
    """A cost line for [period_start, period_end] (the ROI summary prorates it by day)."""
    note = (note or "").strip()
    errors = _cost_errors(
        program=program,
        category=category,
        amount=amount,
        period_start=period_start,
        period_end=period_end,
        note=note,
    )
    if errors:
        raise ValidationError(errors)
    return CostLine.objects.create(
        program=program,
        category=category,
        amount=Decimal(str(amount)),
        period_start=period_start,
        period_end=period_end,
        note=note,
        created_by=by,
    )


def cost_line_update(
    *,
    line: CostLine,
    category: str,
    amount: Decimal,
    period_start: dt.date,
    period_end: dt.date,
    note: str = "",
) -> CostLine:
    note = (note or "").strip()
    errors = _cost_errors(
        program=line.program,
        category=category,
        amount=amount,
        period_start=period_start,
        period_end=period_end,
        note=note,
    )
    if errors:
        raise ValidationError(errors)
    line.category = category
    line.amount = Decimal(str(amount))
    line.period_start = period_start
    line.period_end = period_end
    line.note = note
    line.save(update_fields=["category", "amount", "period_start", "period_end", "note"])
    return line


def cost_line_delete(*, line: CostLine) -> None:
    line.delete()


# -- funding sources -----------------------------------------------------------------------


def _funding_errors(
    *,
    program: Program,
    name: str,
    kind: str,
    amount: object,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Enter the source's name.")
    elif len(name) > 200:
        errors["name"] = _("Keep the name under 200 characters.")
    if kind not in FundingSource.Kind.values:
        errors["kind"] = _("Choose a kind from the list.")
    errors |= _amount_errors(amount)
    errors |= _period_errors(
        starts_on, ends_on, today=program.today(), names=("starts_on", "ends_on")
    )
    return errors


def funding_create(
    *,
    program: Program,
    name: str,
    kind: str,
    amount: Decimal,
    starts_on: dt.date,
    ends_on: dt.date,
) -> FundingSource:
    """A source of money for [starts_on, ends_on]; the overview warns 90 days before its
    end (`funding_ending`)."""
    name = (name or "").strip()
    errors = _funding_errors(
        program=program, name=name, kind=kind, amount=amount, starts_on=starts_on, ends_on=ends_on
    )
    if errors:
        raise ValidationError(errors)
    return FundingSource.objects.create(
        program=program,
        name=name,
        kind=kind,
        amount=Decimal(str(amount)),
        starts_on=starts_on,
        ends_on=ends_on,
    )


def funding_update(
    *,
    source: FundingSource,
    name: str,
    kind: str,
    amount: Decimal,
    starts_on: dt.date,
    ends_on: dt.date,
) -> FundingSource:
    name = (name or "").strip()
    errors = _funding_errors(
        program=source.program,
        name=name,
        kind=kind,
        amount=amount,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    if errors:
        raise ValidationError(errors)
    source.name = name
    source.kind = kind
    source.amount = Decimal(str(amount))
    source.starts_on = starts_on
    source.ends_on = ends_on
    source.save(update_fields=["name", "kind", "amount", "starts_on", "ends_on"])
    return source


def funding_delete(*, source: FundingSource) -> None:
    source.delete()


# -- reads ---------------------------------------------------------------------------------


def cost_lines_for(program: Program) -> QuerySet[CostLine]:
    return CostLine.objects.filter(program=program).order_by("-period_start", "category", "pk")


def cost_line_for_user(user: User, pk: int) -> CostLine:
    """A cost line of a program the user leads (an administrator: any), else 404."""
    return get_object_or_404(
        CostLine.objects.select_related("program").filter(program__in=programs_for(user)), pk=pk
    )


@dataclass(frozen=True)
class CategoryTotal:
    category: str
    label: StrOrPromise
    total: Decimal


@dataclass(frozen=True)
class CostTotals:
    """What the listed lines add up to, per category (in the list's order) and overall.
    The full amounts of the lines: the ROI summary prorates them to its period."""

    by_category: list[CategoryTotal]
    total: Decimal


def cost_totals(lines: QuerySet[CostLine]) -> CostTotals:
    """One query: the sum of the lines' amounts per category."""
    sums = dict(
        lines.order_by()
        .values("category")
        .annotate(total=Sum("amount"))
        .values_list("category", "total")
    )
    by_category = [
        CategoryTotal(value, label, sums[value])
        for value, label in CostLine.Category.choices
        if value in sums
    ]
    return CostTotals(by_category, sum(sums.values(), Decimal(0)))


def funding_for(program: Program) -> QuerySet[FundingSource]:
    return FundingSource.objects.filter(program=program).order_by("ends_on", "name", "pk")


def funding_source_for_user(user: User, pk: int) -> FundingSource:
    """A funding source of a program the user leads (an administrator: any), else 404."""
    return get_object_or_404(
        FundingSource.objects.select_related("program").filter(program__in=programs_for(user)),
        pk=pk,
    )


def funding_ending(
    *, program: Program, today: dt.date, within_days: int = ENDING_WITHIN_DAYS
) -> list[FundingSource]:
    """The program's funding sources that end from `today` to `today + within_days`, both
    included, soonest first ("no money, no mission": the overview's alert)."""
    return list(
        funding_for(program).filter(
            ends_on__gte=today, ends_on__lte=today + dt.timedelta(days=within_days)
        )
    )


def days_left(source: FundingSource, today: dt.date) -> int:
    return (source.ends_on - today).days

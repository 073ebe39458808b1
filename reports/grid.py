"""Counting a program's calendar year, cell by cell, before anything is published
(DESIGN.md §4: disclosure control).

The cells are the year, its quarters and its months (`impact.lib.periods.year_grid`) and,
for the by-CHW breakdown, every active CHW's cells of them; each holds the true value of
each measure below, counted up to the end of the last complete calendar month.
`reports.disclosed` suppresses the whole grid and publishes it; nothing here is shown as
it is.

Measures: counts of people or events (enrollments begun, graduations, handoffs accepted,
goals closed, goals achieved, action steps done, contacts), distinct people (patients
served), patient-days, and the ROI's evaluable enrollments with their hospital use before
and after (`roi.USE_COLUMNS`). By CHW: enrollments, graduations and contacts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from impact.lib.periods import Period
from impact.models import Program, Role, User
from reports import figures
from reports.roi import figures as roi

PERIOD_MEASURES = (
    "patients_served",
    "graduations",
    "handoffs_accepted",
    "goals_closed",
    "goals_achieved",
    "steps_done",
    "enrollments",
    "contacts",
    "patient_days",
    "evaluable",
    *roi.USE_COLUMNS,
)
CHW_MEASURES = ("enrollments", "graduations", "contacts")

# A cell: (measure, CHW or None for the program, period) → its true value.
Values = dict[tuple[str, int | None, Period], int]


def _month_of(day: Any) -> str | None:
    """The month label of a date or timestamp; None for no date (None, NaT)."""
    return None if day is None or day != day else f"{day.year:04d}-{day.month:02d}"


# The month cells of one year as they are counted: by month label, and by (CHW, month label).
MonthValues = dict[str | None, dict[str, int]]
ChwValues = dict[tuple[int, str | None], dict[str, int]]


def active_chws(program: Program) -> list[int]:
    """The program's active CHWs, by primary key: the rows of the by-CHW breakdown. One
    query."""
    return list(
        User.objects.filter(program=program, role=Role.CHW, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def count_year(
    *, program: Program, periods: list[Period], chws: list[int], as_of: dt.date
) -> Values:
    """The true value of every cell of `program`'s year grid `periods` (the year, its
    quarters, its months), overall and for each of `chws`, counted up to `as_of`.

    The month cells come from a fixed number of queries over the year (about ten, whatever
    the program's size); a quarter or a year of a summed measure is the sum of its months,
    and patients served (distinct people) is counted for each of the 17 periods from one
    frame of enrollment dates. The definitions are the overview's and the ROI summary's
    (`figures.overview`, `figures.by_month`, `roi.roi_summary`), cut at `as_of`;
    tests/reports/test_disclosed.py checks they agree."""
    values: Values = {}
    top = periods[0]
    months = [p for p in periods if p.kind == "month"]
    last = min(top.end, as_of)
    month_values: MonthValues = {m.label: defaultdict(int) for m in months}
    chw_values: ChwValues = defaultdict(lambda: defaultdict(int))
    if top.start <= last:
        by_month = figures.by_month(program=program, start=top.start, end=last)
        for row in by_month.to_dict("records"):
            cells = month_values[row["month"]]
            for name in ("enrollments", "graduations", "contacts", "goals_achieved", "steps_done"):
                cells[name] = int(row[name])
        frame = _year_enrollments(program, top.start, last)
        _count_starts_and_ends(program, top.start, last, month_values, chw_values)
        _count_contacts_by_chw(program, top.start, months, last, chw_values)
        _count_days_and_served(periods, values, frame, last, month_values)
        # The ROI: the evaluable enrollments of the year and their hospital use, by month.
        cohort = roi.cohort_frame(program=program, start=top.start, end=last, as_of=as_of)
        for record in cohort.to_dict("records"):
            cells = month_values[_month_of(record["enrolled_on"])]
            cells["evaluable"] += 1
            for name in roi.USE_COLUMNS:
                cells[name] += int(record[name])
    else:
        for period in periods:
            values[("patients_served", None, period)] = 0
    _add_up(periods, chws, values, month_values, chw_values)
    return values


def _year_enrollments(program: Program, start: dt.date, last: dt.date) -> pd.DataFrame:
    """The enrollments that ran in [start, last], or closed or began in it: patient, CHW,
    status and dates. One query."""
    from django.db.models import Q

    from caseloads.models import Enrollment

    return figures._enrollment_frame(
        Enrollment.objects.filter(program=program, status__in=Enrollment.RAN_STATUSES)
        .filter(enrolled_on__isnull=False, enrolled_on__lte=last)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
        .values_list("patient_id", "chw_id", "status", "enrolled_on", "closed_on"),
        ["patient_id", "chw_id", "status", "enrolled_on", "closed_on"],
    )


def _count_starts_and_ends(
    program: Program,
    start: dt.date,
    last: dt.date,
    month_values: MonthValues,
    chw_values: ChwValues,
) -> None:
    """Count, by month, the handoffs accepted and goals closed in [start, last], and by
    CHW and month the graduations and enrollments begun. Three queries."""
    from actionplans.models import Goal
    from caseloads.models import Enrollment

    graduated = list(
        Enrollment.objects.filter(
            program=program,
            status=Enrollment.Status.GRADUATED,
            closed_on__gte=start,
            closed_on__lte=last,
        ).values_list("chw_id", "closed_on", "handoff_accepted")
    )
    for chw, closed_on, accepted in graduated:
        label = _month_of(closed_on)
        if accepted:
            month_values[label]["handoffs_accepted"] += 1
        chw_values[(chw, label)]["graduations"] += 1
    for chw, enrolled_on in Enrollment.objects.filter(
        program=program,
        status__in=Enrollment.RAN_STATUSES,
        enrolled_on__gte=start,
        enrolled_on__lte=last,
    ).values_list("chw_id", "enrolled_on"):
        chw_values[(chw, _month_of(enrolled_on))]["enrollments"] += 1
    for closed_on in (
        Goal.objects.alias(in_program=figures._in_program("enrollment__program_id", program))
        .filter(in_program=program.pk, closed_on__gte=start, closed_on__lte=last)
        .exclude(status=Goal.Status.ACTIVE)
        .values_list("closed_on", flat=True)
    ):
        month_values[_month_of(closed_on)]["goals_closed"] += 1


def _count_contacts_by_chw(
    program: Program,
    start: dt.date,
    months: list[Period],
    last: dt.date,
    chw_values: ChwValues,
) -> None:
    """Count the contacts by author and local month up to `last`, in one scan (as
    figures._contacts_by_month). One query."""
    from django.db.models import Count, Q

    begun = [m for m in months if m.start <= last]
    bounds = [figures._local_midnight(program, m.start) for m in begun]
    bounds.append(figures._local_midnight(program, last + dt.timedelta(days=1)))
    per_author = (
        figures._contacts(program, start, last)
        .values("author_id")
        .annotate(
            **{
                f"m{n}": Count(
                    "pk", filter=Q(occurred_at__gte=bounds[n], occurred_at__lt=bounds[n + 1])
                )
                for n in range(len(begun))
            }
        )
        .order_by()
    )
    for row in per_author:
        counts: Mapping[str, Any] = row  # m0, m1, …: names the checker cannot follow
        for n, m in enumerate(begun):
            chw_values[(row["author_id"], m.label)]["contacts"] += counts[f"m{n}"]


def _count_days_and_served(
    periods: list[Period],
    values: Values,
    frame: pd.DataFrame,
    last: dt.date,
    month_values: MonthValues,
) -> None:
    """Count the patient-days of each month and the patients served (distinct people) in
    each period up to `last`: each enrollment's days active within the period as in
    figures._days_active, in numpy."""

    def day_numbers(column: str, missing: dt.date) -> np.ndarray:
        values = frame[column] if not frame.empty else pd.Series(dtype="datetime64[ns]")
        values = values.fillna(pd.Timestamp(missing))
        return np.asarray(values.to_numpy(), dtype="datetime64[D]").astype("int64")

    far = dt.date(9999, 12, 31)
    began, ended = day_numbers("enrolled_on", far), day_numbers("closed_on", far)
    patients = frame["patient_id"].to_numpy() if not frame.empty else np.array([])

    def days_active(first: dt.date, final: dt.date) -> np.ndarray:
        lo = np.datetime64(first, "D").astype("int64")
        hi = np.datetime64(final + dt.timedelta(days=1), "D").astype("int64")
        return np.clip(np.minimum(ended, hi) - np.maximum(began, lo), 0, None)

    for m in periods:
        if m.kind == "month" and m.start <= last:
            days = days_active(m.start, min(m.end, last))
            month_values[m.label]["patient_days"] = int(days.sum())
    for period in periods:
        if period.start > last:
            values[("patients_served", None, period)] = 0
            continue
        days = days_active(period.start, min(period.end, last))
        values[("patients_served", None, period)] = len(set(patients[days > 0].tolist()))


def _add_up(
    periods: list[Period],
    chws: list[int],
    values: Values,
    month_values: MonthValues,
    chw_values: ChwValues,
) -> None:
    """Each period's summed measures (all but patients served), overall and by CHW, as
    the sum of its months."""
    for period in periods:
        labels = [m.label for m in period.months()]
        for name in PERIOD_MEASURES:
            if name != "patients_served":
                values[(name, None, period)] = sum(month_values[m][name] for m in labels)
        for chw in chws:
            for name in CHW_MEASURES:
                values[(name, chw, period)] = sum(
                    chw_values.get((chw, m), {}).get(name, 0) for m in labels
                )

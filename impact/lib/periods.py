"""Leader periods: whole calendar months, quarters and years (DESIGN.md §4).

Every leader figure (overview, ROI, exports, the JSON API, the charts) covers one of these
and nothing else: a period of any other length would let a figure be worked out as the
difference of two periods (September 1–30 against September 1–29 gives one day's
graduations). `leader_period()` is the one parser and validator every leader endpoint
uses; it returns a `Period` or raises `PeriodError` with the reason, in the interface
language. The grid (`year_grid`) is the tree a period's figures are suppressed over:
a year, its four quarters, their twelve months.

Figures stop at the end of the last complete calendar month in the program's time zone
(`published_up_to`): a period containing the current month (this quarter, this year)
counts up to that day, and says so. Were it counted up to today, reading it today and
tomorrow would differ by one day's events (a day's graduations, the enrollments of one
day that become evaluable for the ROI). A period with no complete month yet (the current
month, or a quarter or year that begins in it) is refused, as is one that has not begun.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from impact.lib.dates import EARLIEST

MONTH, QUARTER, YEAR = "month", "quarter", "year"


class PeriodError(ValueError):
    """A from/to pair that is not a leader period; `field` names the field to blame."""

    def __init__(self, message: str, field: str = "from"):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date
    kind: str

    @property
    def label(self) -> str:
        """2026-09, 2026-Q3 or 2026: how exports and the JSON name the cell."""
        if self.kind == MONTH:
            return self.start.strftime("%Y-%m")
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    def children(self) -> list[Period]:
        """A year's four quarters, a quarter's three months; a month has none."""
        if self.kind == YEAR:
            return [quarter(self.start.year, q) for q in range(1, 5)]
        if self.kind == QUARTER:
            return [month(self.start.year, self.start.month + n) for n in range(3)]
        return []

    def months(self) -> list[Period]:
        if self.kind == MONTH:
            return [self]
        return [m for child in self.children() for m in child.months()]


def month(year: int, number: int) -> Period:
    start = dt.date(year, number, 1)
    following = dt.date(year + number // 12, number % 12 + 1, 1)
    return Period(start, following - dt.timedelta(days=1), MONTH)


def quarter(year: int, number: int) -> Period:
    first = month(year, 3 * number - 2)
    return Period(first.start, month(year, 3 * number).end, QUARTER)


def year(number: int) -> Period:
    return Period(dt.date(number, 1, 1), dt.date(number, 12, 31), YEAR)


def whole(start: dt.date, end: dt.date) -> Period | None:
    """The month, quarter or year [start, end] is exactly, else None."""
    if start.day != 1 or start > end:
        return None
    candidates = [month(start.year, start.month), year(start.year)]
    if start.month % 3 == 1:
        candidates.append(quarter(start.year, (start.month + 2) // 3))
    for period in candidates:
        if period.start == start and period.end == end:
            return period
    return None


def year_grid(number: int) -> list[Period]:
    """The year, its quarters and months: the cells one year's figures are suppressed
    over together (a year has no parent: years never add up to a published total)."""
    top = year(number)
    return [top, *top.children(), *top.months()]


def published_up_to(today: dt.date) -> dt.date:
    """The last day leader figures count: the end of the last complete calendar month
    before `today` (the program's today). Constant from the first to the last day of a
    month, so a figure read on two days of one month is the same figure."""
    return today.replace(day=1) - dt.timedelta(days=1)


def leader_period(start: dt.date | None, end: dt.date | None, *, today: dt.date) -> Period:
    """[start, end] as a leader period, or PeriodError with the reason.

    Refused: a missing day; a period that is not exactly a calendar month, quarter or year;
    one that starts before 2000 (a typing slip), after today (nothing has happened) or
    after the last complete month (`published_up_to`: nothing is published for it yet)."""
    if start is None:
        raise PeriodError(_("Enter the first day of the period."), "from")
    if end is None:
        raise PeriodError(_("Enter the last day of the period."), "to")
    if start < EARLIEST:
        raise PeriodError(
            _("Choose a date from %(day)s on.") % {"day": date_format(EARLIEST, "DATE_FORMAT")},
            "from",
        )
    if end < start:
        raise PeriodError(_("The period must end on or after the day it starts."), "to")
    # Before whole(): a month of year 9999 would need 10000-01-01 as its following day.
    if start > today:
        raise PeriodError(
            _("The period has not begun yet (today is %(day)s).")
            % {"day": date_format(today, "DATE_FORMAT")},
            "from",
        )
    cutoff = published_up_to(today)
    if start > cutoff:
        raise PeriodError(
            _(
                "This period has no complete month yet: leader figures count whole months, "
                "up to %(day)s (the end of last month). Choose an earlier period."
            )
            % {"day": date_format(cutoff, "DATE_FORMAT")},
            "from",
        )
    period = whole(start, end)
    if period is None:
        raise PeriodError(
            _(
                "Choose a whole calendar month, quarter or year (for example %(month)s to "
                "%(month_end)s): figures for other periods could be subtracted from each "
                "other to reveal a few people."
            )
            % {
                "month": start.replace(day=1).isoformat(),
                "month_end": month(start.year, start.month).end.isoformat(),
            },
            "from" if start.day != 1 else "to",
        )
    return period


def current_year(today: dt.date) -> Period:
    """The overview's default: the calendar year of the last complete month (this year,
    up to the end of last month; in January, last year)."""
    return year(published_up_to(today).year)


def latest_evaluable(today: dt.date, window_days: int) -> Period:
    """The ROI's default: the latest calendar year whose every enrollment has had its whole
    after-window by the end of the last complete month (`published_up_to`, the ROI's
    as-of day: enrolled by 31 December, observed for `window_days` more), so the cohort is
    evaluable; else the latest such quarter; else the year of the last complete month."""
    last_day = published_up_to(today) - dt.timedelta(days=window_days)
    if last_day < EARLIEST:
        return current_year(today)
    candidates = [year(last_day.year), year(last_day.year - 1)]
    q = (last_day.month - 1) // 3 + 1
    candidates.append(quarter(last_day.year, q))
    candidates.append(quarter(last_day.year, q - 1) if q > 1 else quarter(last_day.year - 1, 4))
    for period in candidates:
        if period.end <= last_day and period.start >= EARLIEST:
            return period
    return current_year(today)


def clean_period(form, start_field: str, end_field: str, *, today: dt.date) -> Period | None:
    """A form's `clean()` helper: the leader period of its two date fields, or None with
    the reason added to the field to blame (a field already in error is left alone)."""
    if start_field in form.errors or end_field in form.errors:
        return None
    data = form.cleaned_data
    try:
        return leader_period(data.get(start_field), data.get(end_field), today=today)
    except PeriodError as error:
        form.add_error(start_field if error.field == "from" else end_field, error.message)
        return None

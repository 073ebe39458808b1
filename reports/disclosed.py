"""Leader figures as they may be published (DESIGN.md §4: disclosure control).

Every leader view (overview, its chart, the ROI page and chart, the exports, the JSON API)
reads its figures from here, never from `figures` or `roi` directly. For a period it
takes the whole calendar year the period lies in — the year, its quarters, its months
(`impact.lib.periods.year_grid`) and, for the by-CHW breakdown, every CHW's cells of them,
as `reports.grid` counts them — and runs `impact.lib.disclosure.suppress` over that grid,
measure by measure, so a figure hidden in one cell cannot be worked out from any other
published cell: a quarter from its months, a month from its quarter and the other months,
a CHW's row from the program's total and the other CHWs. Every endpoint publishes the
same value (or the same marker) for the same cell.

Measures and how they are tied (parent ↔ children over the grid):
- counts of people or events, summed: enrollments begun, graduations, handoffs accepted,
  goals closed, goals achieved, action steps done (SUM: a quarter is its months' sum);
  for enrollments, graduations and contacts also the CHWs' rows under the program's total
  (AT_MOST: a CHW who left keeps their patients out of the rows);
- distinct people: patients served (DISTINCT: max(months) ≤ quarter ≤ Σ months);
- sums over people: contacts and patient-days over the patients served; the ROI's
  evaluable enrollments and their admissions, inpatient days and ED visits before and
  after, over the evaluable enrollments (one pattern each: hidden together).
Figures derived from hidden ones are hidden with them: a share, contacts per
patient-month, avoided use, savings, ROI, its sensitivity and benchmark.

Every period figure is cut at the end of the last complete calendar month
(`periods.published_up_to`, the grid's `as_of`): a period containing the current month
counts up to that day, so the same cell reads the same on every day of a month.

Snapshots that belong to no period: patients active today are a stock, published rounded
to the nearest ten (`rounded_stock`), and the mean caseload is computed from the rounded
count. Exact, with the month's enrollments and graduations, a stock read at two times
would give away the withdrawals between them (active(m) = active(m−1) + enrollments −
closures), so it is published nowhere exact: not at each month's end, not per CHW. CHWs
over the caseload standard count people ("fewer than 11" under 11); alerts by kind are
suppressed under their total.

Markers (`Suppressed`): a count of 1 to 10 people reads "fewer than 11", and a sum,
share or amount over them "hidden (fewer than 11 people)" ("<11" in CSV, XLSX and JSON,
both); a cell hidden only to protect another reads "hidden" ("suppressed"). A zero is
published as 0: it is about nobody.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar, cast

from django.utils.translation import gettext as _

from caseloads.models import Alert
from impact.lib import disclosure
from impact.lib.disclosure import AT_MOST, DISTINCT, SUM, Group, Measure
from impact.lib.periods import Period, month, published_up_to, year_grid
from impact.models import Program, SavingsBasis
from reports import figures
from reports.grid import CHW_MEASURES, active_chws, count_year
from reports.roi import figures as roi

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
    from typing_extensions import TypeIs

# Sums over the people a cell is about (not counts of them): hidden, they read "hidden
# (fewer than 11 people)" rather than "fewer than 11".
SUM_MEASURES = ("contacts", "patient_days", *roi.USE_COLUMNS)

FEWER_MARKER = "<11"
COMPLEMENT_MARKER = "suppressed"


@dataclass(frozen=True)
class Suppressed:
    """A hidden figure. `str()` is what a page or a PDF shows; `marker` what a CSV, XLSX
    or JSON cell holds. `counts_people`: the figure is itself a count of people, so
    "fewer than 11" is its value's bound; a sum, share or amount over 1 to 10 people
    reads "hidden (fewer than 11 people)" instead (40 admissions are not "fewer than
    11")."""

    reason: str  # disclosure.FEWER or disclosure.COMPLEMENT
    suppressed: bool = True  # templates test `{% if value.suppressed %}`
    counts_people: bool = True

    @property
    def marker(self) -> str:
        return FEWER_MARKER if self.reason == disclosure.FEWER else COMPLEMENT_MARKER

    def __str__(self) -> str:
        if self.reason == disclosure.FEWER and self.counts_people:
            return _("fewer than %(n)d") % {"n": disclosure.THRESHOLD}
        if self.reason == disclosure.FEWER:
            return _("hidden (fewer than %(n)d people)") % {"n": disclosure.THRESHOLD}
        return _("hidden")


FEWER = Suppressed(disclosure.FEWER)
FEW_PEOPLE = Suppressed(disclosure.FEWER, counts_people=False)  # a figure over them
COMPLEMENT = Suppressed(disclosure.COMPLEMENT)

# What a published figure may be: its value (None: no data, nothing to divide by) or a
# marker. The narrower kinds say which figure may be which.
Shown = int | float | Decimal | Suppressed | None
Count = int | Suppressed  # a count of people or events
Rate = float | Suppressed | None  # a share or a rate over counts
Amount = Decimal | Suppressed  # dollars
Ratio = Decimal | Suppressed | None  # an ROI (None: not computable)

_V = TypeVar("_V")


def hidden(value: object) -> TypeIs[Suppressed]:
    return isinstance(value, Suppressed)


def _mark(reason: str | None, *, counts_people: bool = True) -> Suppressed | None:
    if reason is None:
        return None
    if reason == disclosure.FEWER:
        return FEWER if counts_people else FEW_PEOPLE
    return COMPLEMENT


def _derived(value: _V, *sources: object) -> _V | Suppressed:
    """A figure computed from others (a share, a rate): hidden when any of them is, with
    its reason when it has one source, else as "hidden"."""
    for source in sources:
        if hidden(source):
            if len(sources) == 1 and source.reason == disclosure.FEWER:
                return FEW_PEOPLE
            return source if len(sources) == 1 else COMPLEMENT
    return value


# -- raw cells -----------------------------------------------------------------------------


@dataclass
class Raw:
    """The requested period's own true figures: the snapshot parts of the overview (active
    now, caseloads, alerts) and the ROI summary's settings and cost. Never shown as
    they are: every figure about people is read from the grid."""

    overview: figures.Overview
    summary: roi.RoiSummary


@dataclass
class YearGrid:
    """A year's cells, true and as published, for one program, counted up to `as_of`
    (the end of the last complete month)."""

    program: Program
    year: int
    as_of: dt.date
    periods: list[Period]
    chws: list[int]
    values: dict[tuple[str, int | None, Period], int] = field(default_factory=dict)
    hidden: dict[tuple[str, int | None, Period], str] = field(default_factory=dict)

    def shown(self, name: str, period: Period, chw: int | None = None) -> int | Suppressed:
        key = (name, chw, period)
        # A CHW's row counts its own contacts: "fewer than 11" is their bound there.
        about = name not in SUM_MEASURES or chw is not None
        mark = _mark(self.hidden.get(key), counts_people=about)
        return mark if mark is not None else self.values[key]


def _groups(periods: list[Period], owners: list[int | None], relation: str) -> list[Group]:
    groups = []
    for owner in owners:
        for period in periods:
            children = period.children()
            if children:
                groups.append(Group((owner, period), tuple((owner, c) for c in children), relation))
    return groups


def _chw_groups(grid: YearGrid, names: tuple[str, ...]) -> list[Group]:
    """Each period's CHW rows under the program's total: SUM where they add up to it (a
    reader who knows the staff knows they do), else AT_MOST (patients of CHWs who left
    are in the total only)."""
    groups = []
    for period in grid.periods:
        children = tuple((chw, period) for chw in grid.chws)
        exact = all(
            sum(grid.values[(name, chw, period)] for chw in grid.chws)
            == grid.values[(name, None, period)]
            for name in names
            if name in CHW_MEASURES
        )
        if children:
            groups.append(Group((None, period), children, SUM if exact else AT_MOST))
    return groups


def _run(
    grid: YearGrid,
    names: tuple[str, ...],
    *,
    people: str | None = None,
    relation: str = SUM,
    by_chw: bool = False,
    sums: tuple[str, ...] = (),
) -> None:
    """Suppress the measures `names` (sharing one pattern) over the grid. `people`: the
    measure counting the people each program cell is about (default: the first name
    itself; a CHW's row counts its own events); `sums`: which of `names` are sums over
    people rather than counts of them."""
    owners: list[int | None] = [None, *(grid.chws if by_chw else [])]
    keys = [(o, p) for o in owners for p in grid.periods]
    base = people or names[0]

    def values(name: str) -> dict[Hashable, int]:
        return {(o, p): grid.values[(name, o, p)] for o, p in keys if (name, o, p) in grid.values}

    head = values(base)
    for o, p in keys:
        if o is not None:
            head[(o, p)] = grid.values[(names[0], o, p)]
    groups = _groups(grid.periods, owners, relation)
    if by_chw:
        groups += _chw_groups(grid, names)
    measures = [
        Measure(values(name), counts_people=name not in sums) for name in names if values(name)
    ]
    order = sorted(keys, key=lambda k: (k[0] is not None, k[1]))
    found = disclosure.suppress(people=head, groups=groups, measures=measures, order=order)
    for key, reason in found.items():
        owner, period = cast("tuple[int | None, Period]", key)  # the keys given: (o, p)
        for name in names:
            grid.hidden[(name, owner, period)] = reason


def year_grid_for(program: Program, number: int, *, as_of: dt.date | None = None) -> YearGrid:
    """Compute and suppress every period figure of `program` for calendar year `number`:
    every cell counted by `grid.count_year` (its docstring: how, and with which
    definitions), cut at `as_of` (default: the end of the program's last complete month;
    the ROI's as-of day too), then suppressed measure by measure."""
    as_of = as_of or published_up_to(program.today())
    periods = year_grid(number)
    chws = active_chws(program)
    values = count_year(program=program, periods=periods, chws=chws, as_of=as_of)
    grid = YearGrid(
        program=program, year=number, as_of=as_of, periods=periods, chws=chws, values=values
    )
    _suppress_year(grid)
    return grid


def _suppress_year(grid: YearGrid) -> None:
    """Hide the year's small figures and those they could be worked out from, measure by
    measure (DESIGN.md §4)."""
    _run(grid, ("patients_served",), relation=DISTINCT)
    for name in ("graduations", "enrollments"):
        _run(grid, (name,), by_chw=True)
    for name in ("handoffs_accepted", "goals_closed", "goals_achieved", "steps_done"):
        _run(grid, (name,))
    # Contacts and patient-days are sums over the patients served in the cell.
    _run(
        grid,
        ("contacts", "patient_days"),
        people="patients_served",
        by_chw=True,
        sums=SUM_MEASURES[:2],
    )
    # The ROI: the evaluable enrollments and their hospital use, one pattern.
    _run(grid, ("evaluable", *roi.USE_COLUMNS), sums=SUM_MEASURES[2:])


# -- published figures ---------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedOverview:
    """`figures.Overview` as a leader may see it: each figure a number or `Suppressed`."""

    program: Program
    period: Period
    today: dt.date
    as_of: dt.date  # the last day the period's figures count (`published_up_to`)
    patients_served: Count
    active_now: Count
    graduations: Count
    handoffs_accepted: Count
    handoff_share: Rate
    goals_closed: Count
    goals_achieved: Count
    goals_achieved_share: Rate
    contacts: Count
    patient_months: float | Suppressed
    contacts_per_patient_month: Rate
    caseload_cap: int
    chws: int
    mean_caseload: Rate
    chws_over_cap: Count
    alerts_by_kind: dict[str, Count]
    alerts_total: Count
    small_wins_goals: Count
    small_wins_steps: Count

    @property
    def start(self) -> dt.date:
        return self.period.start

    @property
    def end(self) -> dt.date:
        return self.period.end

    @property
    def cut(self) -> bool:
        """The period runs past `as_of`: its figures stop at the end of last month."""
        return self.period.end > self.as_of

    def as_dict(self) -> dict[str, Any]:
        """JSON values: numbers, null for "no data", a marker string for a hidden figure."""

        def j(value: Shown, digits: int | None = 4) -> Shown | str:
            if hidden(value):
                return value.marker
            if isinstance(value, float) and digits is not None:
                return round(value, digits)
            return value

        return {
            "patients_served": j(self.patients_served),
            "active_now": j(self.active_now),
            "graduations": j(self.graduations),
            "handoffs_accepted": j(self.handoffs_accepted),
            "handoff_share": j(self.handoff_share),
            "goals_closed": j(self.goals_closed),
            "goals_achieved": j(self.goals_achieved),
            "goals_achieved_share": j(self.goals_achieved_share),
            "contacts": j(self.contacts),
            "patient_months": j(self.patient_months, 2),
            "contacts_per_patient_month": j(self.contacts_per_patient_month),
            "caseload": {
                "cap": self.caseload_cap,
                "chws": self.chws,
                "mean_active": j(self.mean_caseload),
                "chws_over_cap": j(self.chws_over_cap),
            },
            "alerts_by_kind": {kind: j(n) for kind, n in self.alerts_by_kind.items()},
            "small_wins": {
                "goals_achieved": j(self.small_wins_goals),
                "steps_done": j(self.small_wins_steps),
            },
        }


def _share(part: Count, whole: Count) -> Rate:
    """part ÷ whole; hidden when either is (with the marker of the one hidden)."""
    if hidden(part) or hidden(whole):
        return part if hidden(part) else whole
    return part / whole if whole else None


# Patients active today are a stock: with the month's enrollments and closures it would
# give the month's withdrawals away (active(m) = active(m-1) + enrollments - closures), and
# read on two days, one day's. Leaders get it rounded to the nearest ten, so that no
# difference of two readings pins a flow down (the rounding leaves it 9 either way).
STOCK_ROUNDING = 10


def rounded_stock(count: int) -> Count:
    """A count of people on one day as published: 0, "fewer than 11", or the nearest ten
    (half up: 15 -> 20)."""
    if count == 0:
        return 0
    if count < disclosure.THRESHOLD:
        return FEWER
    return (count + STOCK_ROUNDING // 2) // STOCK_ROUNDING * STOCK_ROUNDING


@dataclass(frozen=True)
class Snapshot:
    """Figures about today, whatever the period."""

    active_now: Count
    mean_caseload: Rate
    chws_over_cap: Count
    alerts_by_kind: dict[str, Count]
    alerts_total: Count


def snapshot(overview: figures.Overview) -> Snapshot:
    """Suppress today's figures: active patients (rounded, `rounded_stock`) and the mean
    caseload computed from the rounded count, CHWs over the standard (a count of people:
    "fewer than 11" under 11; no leader table gives a CHW's active patients, which would
    give it back), alerts by kind under their total."""
    kinds = dict(overview.alerts_by_kind)
    alert_people: dict[Hashable, int] = {("alerts", None): sum(kinds.values())}
    alert_people.update({("alerts", k): n for k, n in kinds.items()})
    alerts = disclosure.suppress(
        people=alert_people,
        groups=[Group(("alerts", None), tuple(("alerts", k) for k in kinds), SUM)],
    )
    over = disclosure.primary({"over": overview.chws_over_cap})

    def shown(found: Mapping[Any, str], key: Hashable, value: int) -> Count:
        mark = _mark(found.get(key))
        return mark if mark is not None else value

    active_now = rounded_stock(overview.active_now)
    mean = (
        active_now
        if hidden(active_now)
        else (active_now / overview.chws if overview.chws else None)
    )
    return Snapshot(
        active_now=active_now,
        mean_caseload=mean,
        chws_over_cap=shown(over, "over", overview.chws_over_cap),
        alerts_by_kind={k: shown(alerts, ("alerts", k), n) for k, n in kinds.items()},
        alerts_total=shown(alerts, ("alerts", None), sum(kinds.values())),
    )


class Grids:
    """The year grids one request needs, each computed once."""

    def __init__(self, program: Program, today: dt.date | None = None):
        self.program = program
        self.today = today or program.today()
        # Every period figure (and the ROI's as-of day) stops here: the same all month.
        self.as_of = published_up_to(self.today)
        self._years: dict[int, YearGrid] = {}
        self._raw: dict[Period, Raw] = {}

    def year(self, number: int) -> YearGrid:
        if number not in self._years:
            self._years[number] = year_grid_for(self.program, number, as_of=self.as_of)
        return self._years[number]

    def cell(self, period: Period) -> tuple[YearGrid, Raw]:
        grid = self.year(period.start.year)
        if period not in self._raw:
            self._raw[period] = Raw(
                overview=figures.overview(
                    program=self.program, start=period.start, end=min(period.end, self.as_of)
                ),
                summary=roi.roi_summary(
                    program=self.program,
                    start=period.start,
                    end=min(period.end, self.as_of),
                    as_of=self.as_of,
                ),
            )
        return grid, self._raw[period]


def overview(grids: Grids, period: Period) -> PublishedOverview:
    """The overview of a leader period, suppressed (see the module docstring)."""
    grid, raw = grids.cell(period)
    o = raw.overview

    def g(name: str) -> Count:
        return grid.shown(name, period)

    graduations, handoffs = g("graduations"), g("handoffs_accepted")
    closed, achieved = g("goals_closed"), g("goals_achieved")
    contacts, days = g("contacts"), g("patient_days")
    months = days if hidden(days) else days / figures.DAYS_PER_MONTH
    per_month = (
        _derived(None, contacts, months)
        if hidden(contacts) or hidden(months)
        else (contacts / months if months else None)
    )
    # Small wins: the last complete month (this month's would change day by day).
    last_month = month(grids.as_of.year, grids.as_of.month)
    wins = grids.year(last_month.start.year)
    snap = snapshot(o)
    return PublishedOverview(
        program=grids.program,
        period=period,
        today=grids.today,
        as_of=grids.as_of,
        patients_served=g("patients_served"),
        active_now=snap.active_now,
        graduations=graduations,
        handoffs_accepted=handoffs,
        handoff_share=_share(handoffs, graduations),
        goals_closed=closed,
        goals_achieved=achieved,
        goals_achieved_share=_share(achieved, closed),
        contacts=contacts,
        patient_months=months,
        contacts_per_patient_month=per_month,
        caseload_cap=o.caseload_cap,
        chws=o.chws,
        mean_caseload=snap.mean_caseload,
        chws_over_cap=snap.chws_over_cap,
        alerts_by_kind=snap.alerts_by_kind,
        alerts_total=snap.alerts_total,
        small_wins_goals=wins.shown("goals_achieved", last_month),
        small_wins_steps=wins.shown("steps_done", last_month),
    )


def by_month_rows(grids: Grids, period: Period) -> list[dict[str, Any]]:
    """One row per complete month of the period (up to `as_of`), as published: the same
    cells as the month periods themselves. No patients active at each month's end: see
    the module docstring."""
    grid = grids.year(period.start.year)
    rows = []
    for m in period.months():
        if m.end > grids.as_of:
            break
        rows.append(
            {
                "month": m.label,
                "enrollments": grid.shown("enrollments", m),
                "graduations": grid.shown("graduations", m),
                "contacts": grid.shown("contacts", m),
                "goals_achieved": grid.shown("goals_achieved", m),
                "steps_done": grid.shown("steps_done", m),
            }
        )
    return rows


def by_chw_rows(grids: Grids, period: Period) -> list[dict[str, Any]]:
    """One row per active CHW (by id; callers give pseudonyms), as published: the
    period's flows. No active patients per CHW: their sum is the exact count the overview
    rounds, and they would give back the number of CHWs over the standard."""
    grid, _raw = grids.cell(period)
    frame = figures.by_chw(program=grids.program, start=period.start, end=period.end)
    teams = {int(r["chw_id"]): r["team"] for r in frame.to_dict("records")}
    rows = []
    for chw in sorted(set(grid.chws) | set(teams)):
        rows.append(
            {
                "chw_id": chw,
                "team": teams.get(chw, ""),
                **{
                    name: (grid.shown(name, period, chw) if chw in grid.chws else 0)
                    for name in CHW_MEASURES
                },
            }
        )
    return rows


class PublishedSensitivity(TypedDict):
    """One attribution level of the sensitivity table, as published."""

    attribution: Decimal
    gross_savings: Amount
    gross_roi: Ratio
    net_roi: Ratio


@dataclass(frozen=True)
class PublishedRoi:
    """The ROI summary of a leader period, as published. `summary` keeps the settings
    and the cost (not about people); every figure about the cohort is here, a number or
    `Suppressed`. `use_hidden`: hospital use, savings and returns are hidden together."""

    summary: roi.RoiSummary
    period: Period
    cohort: Count
    evaluable: Count
    use: dict[str, Count]  # roi.USE_COLUMNS and avoided_admissions, …
    use_hidden: Suppressed | None
    gross_savings: Amount
    gross_roi: Ratio
    net_roi: Ratio
    sensitivity: list[PublishedSensitivity]
    benchmark_savings: Amount
    benchmark_roi: Ratio

    @property
    def computable(self) -> bool:
        return self.summary.computable

    @property
    def cut(self) -> bool:
        """The period runs past the as-of day: its figures stop at the end of last month."""
        return self.period.end > self.summary.as_of


def roi_summary(grids: Grids, period: Period) -> PublishedRoi:
    grid, raw = grids.cell(period)
    s = raw.summary
    use_mark = _mark(grid.hidden.get(("pre_admissions", None, period)), counts_people=False)

    def block(value: _V) -> _V | Suppressed:
        return use_mark if use_mark is not None else value

    use: dict[str, Count] = {name: grid.shown(name, period) for name in roi.USE_COLUMNS}
    for what in ("admissions", "inpatient_days", "ed_visits"):
        use[f"avoided_{what}"] = block(getattr(s.avoided, what))
    return PublishedRoi(
        summary=s,
        period=period,
        cohort=grid.shown("enrollments", period),
        evaluable=grid.shown("evaluable", period),
        use=use,
        use_hidden=use_mark,
        gross_savings=block(s.gross_savings),
        gross_roi=block(s.gross_roi),
        net_roi=block(s.net_roi),
        sensitivity=[
            {
                "attribution": row.attribution,
                "gross_savings": block(row.gross_savings),
                "gross_roi": block(row.gross_roi),
                "net_roi": block(row.net_roi),
            }
            for row in s.sensitivity
        ],
        benchmark_savings=block(s.benchmark_savings),
        benchmark_roi=block(s.benchmark_roi),
    )


def roi_json(published: PublishedRoi) -> dict[str, Any]:
    """`roi.roi_json` with every figure about the cohort as published."""
    data = roi.roi_json(published.summary)
    # The leader period asked for; `as_of` says where its figures stop.
    data["start"] = published.period.start.isoformat()
    data["end"] = published.period.end.isoformat()

    def j(value: object) -> object:
        if hidden(value):
            return value.marker
        if isinstance(value, Decimal):
            return str(value)
        return value

    data["cohort"] = j(published.cohort)
    data["evaluable"] = j(published.evaluable)
    for side in ("pre", "post", "avoided"):
        for what in ("admissions", "inpatient_days", "ed_visits"):
            data[side][what] = j(published.use[f"{side}_{what}"])
    for name in ("gross_savings", "gross_roi", "net_roi"):
        data[name] = j(getattr(published, name))
    data["sensitivity"] = [
        {key: j(value) for key, value in row.items()} for row in published.sensitivity
    ]
    data["benchmark"]["savings"] = j(published.benchmark_savings)
    data["benchmark"]["roi"] = j(published.benchmark_roi)
    return data


def savings_basis_label(summary: roi.RoiSummary) -> StrOrPromise:
    return SavingsBasis(summary.savings_basis).label if summary.savings_basis else ""


def alert_label(kind: str) -> StrOrPromise:
    return Alert.Kind(kind).label if kind in Alert.Kind.values else kind

"""The ROI-style summary of DESIGN.md §5.4, from the database's own rows.

Exports, the ROI page, the JSON API and the `roi_summary` command all read
`roi_summary()` and `cohort_frame()`. Money is Decimal throughout (rounded for display
only); hospital use is counted with pandas over `values_list` rows, in a fixed number of
queries whatever the cohort's size: the cohort's enrollments, its patients' stays, the
program's cost lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from caseloads.models import Enrollment
from impact.lib.dates import EARLIEST
from impact.models import Program, SavingsBasis
from reports.models import CostLine, UtilizationRecord

TRIAL_ROI = Decimal("2.47")  # IMPaCT's trial: $2.47 returned per $1 within a year
TRIAL_INPATIENT_DAY_REDUCTION = Decimal("0.34")  # the trials: 34% fewer inpatient days
SENSITIVITY = [Decimal(n) / 10 for n in range(5, 11)]  # attribution 0.5, 0.6 … 1.0


def caveat(window_days: int) -> list[str]:
    """How to read the ROI figures, in plain words: the one caveat the page, the PDF and
    the exports carry (a list on the page, one paragraph each in the PDF, one cell in a
    CSV or XLSX). DESIGN.md §5.4: a before-and-after comparison, not a trial."""
    from django.utils.translation import gettext as _

    return [
        _(
            "These figures compare the hospital use of the same patients in the %(days)s "
            "days before enrolling with the %(days)s days after. That overstates what the "
            "program did: people often enroll after a spell of heavy hospital use, which "
            "tends to fall back on its own (regression to the mean)."
        )
        % {"days": window_days},
        _(
            "Attribution, the share of the change credited to the program, is a judgement, "
            "not a measurement: the sensitivity figures show how the return changes with it."
        ),
        _(
            "This is not a trial: there is no comparison group. The IMPaCT trials are the "
            "evidence that the model works; these figures show whether your program is "
            "heading the same way: read them as an upper estimate, not a proven return."
        ),
    ]


@dataclass(frozen=True)
class Use:
    """Hospital use in one window, summed over the evaluable enrollments."""

    admissions: int = 0
    inpatient_days: int = 0
    ed_visits: int = 0


@dataclass(frozen=True)
class Sensitivity:
    attribution: Decimal
    gross_savings: Decimal
    gross_roi: Decimal | None
    net_roi: Decimal | None


@dataclass(frozen=True)
class RoiSummary:
    program: Program
    start: dt.date
    end: dt.date
    as_of: dt.date
    window_days: int
    cohort: int  # enrollments actually enrolled with enrolled_on in [start, end]
    evaluable: int  # of those, enrolled_on + window_days <= as_of
    pre: Use
    post: Use
    avoided: Use  # pre − post, each can be negative
    savings_basis: str  # Program.savings_basis
    unit_cost: Decimal  # per admission or per inpatient day, by the basis
    cost_per_ed_visit: Decimal
    attribution: Decimal
    gross_savings: Decimal
    program_cost: Decimal  # cost lines prorated by days of overlap with [start, end]
    gross_roi: Decimal | None  # None: not computable (no program cost, or none evaluable)
    net_roi: Decimal | None
    sensitivity: list[Sensitivity] = field(default_factory=list)  # attribution 0.5 … 1.0
    benchmark_savings: Decimal = Decimal(0)
    benchmark_roi: Decimal | None = None

    @property
    def computable(self) -> bool:
        return self.gross_roi is not None


def cohort_frame(*, program: Program, start: dt.date, end: dt.date, as_of: dt.date) -> pd.DataFrame:
    """One row per evaluable enrollment of the cohort, columns: enrollment_id, patient_id,
    chw_id, team_id, enrolled_on, pre_admissions, post_admissions, pre_inpatient_days,
    post_inpatient_days, pre_ed_visits, post_ed_visits. Identifiers are for the callers to
    drop or replace (exports use a random per-export key).

    DESIGN.md §5.4: pre window [enrolled_on − W, enrolled_on), post window [enrolled_on,
    enrolled_on + W); admissions and ED visits count by admitted_on in the window;
    inpatient days count the nights [admitted_on, discharged_on) inside it, a same-day
    stay 1. Two queries. Raises ValueError when end < start."""
    return _frames(program=program, start=start, end=end, as_of=as_of)[1]


def roi_summary(
    *, program: Program, start: dt.date, end: dt.date, as_of: dt.date | None = None
) -> RoiSummary:
    """DESIGN.md §5.4 for the period [start, end] as of `as_of` (default: the program's
    today). Raises ValueError when end < start.

    gross_savings = (avoided admissions × cost per admission, or avoided inpatient days ×
    cost per inpatient day, by savings_basis) + avoided ED visits × cost per ED visit, all
    × attribution. gross ROI = gross_savings ÷ program_cost; net ROI = (gross_savings −
    program_cost) ÷ program_cost; both None (not computable) when the program cost is 0
    or no enrollment of the cohort is evaluable yet.
    The benchmark is what the program would save if it matched the trials (34% fewer
    inpatient days than before enrolling): no attribution, the trial figure is causal."""
    as_of = as_of or program.today()
    cohort, frame = _frames(program=program, start=start, end=end, as_of=as_of)
    pre, post = _use(frame, "pre"), _use(frame, "post")
    avoided = Use(
        admissions=pre.admissions - post.admissions,
        inpatient_days=pre.inpatient_days - post.inpatient_days,
        ed_visits=pre.ed_visits - post.ed_visits,
    )
    if program.savings_basis == SavingsBasis.INPATIENT_DAYS:
        unit_cost, avoided_units = program.cost_per_inpatient_day, avoided.inpatient_days
    else:
        unit_cost, avoided_units = program.cost_per_admission, avoided.admissions
    before_attribution = avoided_units * unit_cost + avoided.ed_visits * program.cost_per_ed_visit
    # A period that runs past `as_of` (the current month, quarter or year) is priced up to
    # `as_of`: the cost of days that have not happened is not set against the cohort.
    cost_end = min(end, as_of)
    cost = (
        program_cost(program=program, start=start, end=cost_end)
        if cost_end >= start
        else Decimal(0)
    )
    attribution = Decimal(program.attribution)
    gross = before_attribution * attribution
    # With nobody followed for the whole window there is nothing to return: $0 of savings
    # over the cost would read as a return of $0.00 per $1. Not computable, not zero.
    cost_for_roi = Decimal(0) if frame.empty else cost
    benchmark = TRIAL_INPATIENT_DAY_REDUCTION * pre.inpatient_days * program.cost_per_inpatient_day
    return RoiSummary(
        program=program,
        start=start,
        end=end,
        as_of=as_of,
        window_days=program.roi_window_days,
        cohort=cohort,
        evaluable=len(frame),
        pre=pre,
        post=post,
        avoided=avoided,
        savings_basis=program.savings_basis,
        unit_cost=unit_cost,
        cost_per_ed_visit=program.cost_per_ed_visit,
        attribution=attribution,
        gross_savings=gross,
        program_cost=cost,
        gross_roi=_gross_roi(gross, cost_for_roi),
        net_roi=_net_roi(gross, cost_for_roi),
        sensitivity=[
            Sensitivity(
                attribution=share,
                gross_savings=before_attribution * share,
                gross_roi=_gross_roi(before_attribution * share, cost_for_roi),
                net_roi=_net_roi(before_attribution * share, cost_for_roi),
            )
            for share in SENSITIVITY
        ],
        benchmark_savings=benchmark,
        benchmark_roi=_gross_roi(benchmark, cost_for_roi),
    )


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The 12 months ending today: [the day after this date a year ago, today], starting no
    earlier than EARLIEST (and so never failing on year 1). A `today` before EARLIEST gives
    a period that ends before it starts: the caller's form reports it."""
    if today.year <= EARLIEST.year:  # a year before would start before EARLIEST
        return EARLIEST, today
    try:
        a_year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        a_year_ago = today.replace(year=today.year - 1, day=28)
    return a_year_ago + dt.timedelta(days=1), today


def evaluable_period(today: dt.date, window_days: int) -> tuple[dt.date, dt.date]:
    """The ROI page's default: the 12 months ending `window_days` before today, so every
    enrollment of the cohort has had its whole after-window and is evaluable (a period
    ending today would count a year of cost against the few enrollments already
    evaluable)."""
    return default_period(today - dt.timedelta(days=window_days))


def period_errors(*, start: dt.date | None, end: dt.date | None, today: dt.date) -> dict[str, str]:
    """What is wrong with [start, end] as an ROI period, by field ("start", "end"): it
    starts before 2000, ends before it starts, or ends after today. A missing day (None)
    is the form's to report."""
    from django.utils.translation import gettext as _

    errors = {}
    if start and start < EARLIEST:
        errors["start"] = _("Choose a first day in %(year)d or later.") % {"year": EARLIEST.year}
    if start and end and end < start:
        errors["end"] = _("The period ends before it starts: choose a last day on or after it.")
    elif end and end > today:
        errors["end"] = _("The period cannot end in the future (today is %(today)s).") % {
            "today": today.isoformat()
        }
    return errors


def program_cost(*, program: Program, start: dt.date, end: dt.date) -> Decimal:
    """Σ cost lines prorated by days of overlap with [start, end], both ends included
    (DESIGN.md §5.4: a 2025 line of 36,500 gives 36,500 × 181 ÷ 365 = 18,100 to the first
    half of 2025). One query; a program has a few cost lines a month."""
    total = Decimal(0)
    lines = CostLine.objects.filter(
        program=program, period_start__lte=end, period_end__gte=start
    ).values_list("amount", "period_start", "period_end")
    for amount, first, last in lines:
        overlap = (min(last, end) - max(first, start)).days + 1
        total += amount * overlap / ((last - first).days + 1)
    return total


def roi_json(summary: RoiSummary) -> dict:
    """The summary as JSON-ready data: Decimals as strings (exact), None as null."""

    def money(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    def use(value: Use) -> dict:
        return {
            "admissions": value.admissions,
            "inpatient_days": value.inpatient_days,
            "ed_visits": value.ed_visits,
        }

    return {
        "program": {"id": summary.program.pk, "name": summary.program.name},
        "start": summary.start.isoformat(),
        "end": summary.end.isoformat(),
        "as_of": summary.as_of.isoformat(),
        "window_days": summary.window_days,
        "cohort": summary.cohort,
        "evaluable": summary.evaluable,
        "pre": use(summary.pre),
        "post": use(summary.post),
        "avoided": use(summary.avoided),
        "savings_basis": summary.savings_basis,
        "unit_cost": money(summary.unit_cost),
        "cost_per_ed_visit": money(summary.cost_per_ed_visit),
        "attribution": money(summary.attribution),
        "gross_savings": money(summary.gross_savings),
        "program_cost": money(summary.program_cost),
        "computable": summary.computable,
        "gross_roi": money(summary.gross_roi),
        "net_roi": money(summary.net_roi),
        "sensitivity": [
            {
                "attribution": money(row.attribution),
                "gross_savings": money(row.gross_savings),
                "gross_roi": money(row.gross_roi),
                "net_roi": money(row.net_roi),
            }
            for row in summary.sensitivity
        ],
        "benchmark": {
            "inpatient_day_reduction": money(TRIAL_INPATIENT_DAY_REDUCTION),
            "savings": money(summary.benchmark_savings),
            "roi": money(summary.benchmark_roi),
            "trial_roi": money(TRIAL_ROI),
        },
    }


# -- how it is computed ----------------------------------------------------------------------

ENROLLMENT_COLUMNS = ["enrollment_id", "patient_id", "chw_id", "team_id", "enrolled_on"]
USE_COLUMNS = [
    "pre_admissions",
    "post_admissions",
    "pre_inpatient_days",
    "post_inpatient_days",
    "pre_ed_visits",
    "post_ed_visits",
]
STAY_COLUMNS = ["patient_id", "kind", "admitted_on", "discharged_on"]


def _frames(
    *, program: Program, start: dt.date, end: dt.date, as_of: dt.date
) -> tuple[int, pd.DataFrame]:
    """(cohort size, the evaluable enrollments with their hospital use), in two queries."""
    if end < start:
        raise ValueError(f"The period ends ({end}) before it starts ({start}).")
    window = program.roi_window_days
    cohort = Enrollment.objects.filter(
        program=program,
        status__in=Enrollment.RAN_STATUSES,
        enrolled_on__gte=start,
        enrolled_on__lte=end,
    )
    rows = list(
        cohort.order_by("enrolled_on", "pk").values_list(
            "pk", "patient_id", "chw_id", "chw__team_id", "enrolled_on"
        )
    )
    # Evaluable: the whole post window has passed by as_of (enrolled_on + W <= as_of).
    last_evaluable = min(end, _shift(as_of, -window))
    frame = pd.DataFrame.from_records(
        [row for row in rows if row[4] is not None and row[4] <= last_evaluable],
        columns=ENROLLMENT_COLUMNS,
    ).astype({"enrollment_id": "int64", "patient_id": "int64", "chw_id": "int64"})
    frame["team_id"] = frame["team_id"].astype("Int64")  # a CHW may have left their team
    for column in USE_COLUMNS:
        frame[column] = np.zeros(len(frame), dtype="int64")
    if frame.empty:
        return len(rows), frame
    # Every stay that can touch a window [enrolled_on − W, enrolled_on + W) of an evaluable
    # enrollment: admitted before the last window ends and discharged on or after the
    # first one begins (a stay admitted earlier still has nights inside it).
    stays = pd.DataFrame.from_records(
        list(
            UtilizationRecord.objects.filter(
                patient_id__in=cohort.filter(enrolled_on__lte=last_evaluable).values("patient_id"),
                admitted_on__lt=_shift(last_evaluable, window),
                discharged_on__gte=_shift(start, -window),
            ).values_list(*STAY_COLUMNS)
        ),
        columns=STAY_COLUMNS,
    )
    if stays.empty:
        return len(rows), frame
    stays["patient_id"] = stays["patient_id"].astype("int64")
    # One row per (enrollment, stay of its patient): a patient enrolled twice has each
    # enrollment's windows counted on their own.
    pairs = frame[["enrollment_id", "patient_id", "enrolled_on"]].merge(stays, on="patient_id")
    enrolled = _day_numbers(pairs["enrolled_on"])
    admitted = _day_numbers(pairs["admitted_on"])
    discharged = _day_numbers(pairs["discharged_on"])
    inpatient = (pairs["kind"] == UtilizationRecord.Kind.INPATIENT).to_numpy()
    ed = (pairs["kind"] == UtilizationRecord.Kind.ED).to_numpy()
    same_day = discharged == admitted
    counts = {}
    for side, begins, ends in (
        ("pre", enrolled - window, enrolled),
        ("post", enrolled, enrolled + window),
    ):
        admitted_inside = (admitted >= begins) & (admitted < ends)
        # The nights [admitted, discharged) inside [begins, ends); a same-day stay is one
        # day, in the window its admission falls in.
        nights = np.clip(np.minimum(discharged, ends) - np.maximum(admitted, begins), 0, None)
        days = np.where(same_day, admitted_inside.astype("int64"), nights)
        counts[f"{side}_admissions"] = (inpatient & admitted_inside).astype("int64")
        counts[f"{side}_inpatient_days"] = np.where(inpatient, days, 0).astype("int64")
        counts[f"{side}_ed_visits"] = (ed & admitted_inside).astype("int64")
    sums = (
        pd.DataFrame(counts, index=pairs["enrollment_id"].to_numpy())
        .groupby(level=0)
        .sum()
        .reindex(frame["enrollment_id"].to_numpy(), fill_value=0)
    )
    for column in USE_COLUMNS:
        frame[column] = sums[column].to_numpy(dtype="int64")
    return len(rows), frame


def _use(frame: pd.DataFrame, side: str) -> Use:
    return Use(
        admissions=int(frame[f"{side}_admissions"].sum()),
        inpatient_days=int(frame[f"{side}_inpatient_days"].sum()),
        ed_visits=int(frame[f"{side}_ed_visits"].sum()),
    )


def _gross_roi(savings: Decimal, cost: Decimal) -> Decimal | None:
    return savings / cost if cost else None


def _net_roi(savings: Decimal, cost: Decimal) -> Decimal | None:
    return (savings - cost) / cost if cost else None


def _shift(day: dt.date, days: int) -> dt.date:
    """`day` moved by `days`, kept inside the calendar (no OverflowError at its ends)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def _day_numbers(values: pd.Series) -> np.ndarray:
    """Dates as whole days since 1970-01-01, for arithmetic over whole columns."""
    return np.asarray(values.to_numpy(), dtype="datetime64[D]").astype("int64")

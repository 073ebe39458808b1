"""The ROI-style summary of DESIGN.md §5.4, from the database's own rows.

INTERFACE (fixed; the implementation is being written): exports, the ROI page, the JSON
API and the `roi_summary` command all read `roi_summary()` and `cohort_frame()`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from impact.models import Program

TRIAL_ROI = Decimal("2.47")  # IMPaCT's trial: $2.47 returned per $1 within a year
TRIAL_INPATIENT_DAY_REDUCTION = Decimal("0.34")  # the trials: 34% fewer inpatient days
SENSITIVITY = [Decimal(n) / 10 for n in range(5, 11)]  # attribution 0.5, 0.6 … 1.0


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
    gross_roi: Decimal | None  # None: not computable (no program cost)
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
    drop or replace (exports use a random per-export key)."""
    raise NotImplementedError


def roi_summary(
    *, program: Program, start: dt.date, end: dt.date, as_of: dt.date | None = None
) -> RoiSummary:
    """DESIGN.md §5.4 for the period [start, end] as of `as_of` (default: the program's
    today). Raises ValueError when end < start."""
    raise NotImplementedError

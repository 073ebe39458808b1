"""Program-level figures for leaders (the overview, the exports' monthly and per-CHW sheets,
the JSON API). Aggregates only, never patient rows.

INTERFACE (fixed; the implementation is being written).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from impact.models import Program

SMALL_CELL = 11  # DESIGN.md §4: breakdowns suppress any cell under 11 people


@dataclass(frozen=True)
class Overview:
    program: Program
    start: dt.date
    end: dt.date
    patients_served: int  # distinct patients with an enrollment active on a day of [start, end]
    active_now: int  # enrollments with status enrolled
    graduations: int  # graduated, closed_on in [start, end]
    handoffs_accepted: int  # of those graduations
    goals_closed: int  # goals closed in [start, end]
    goals_achieved: int  # of those, achieved
    contacts: int  # reached contacts (not chart reviews or safety notes) in [start, end]
    patient_months: float  # Σ days active in [start, end] ÷ 30.4375
    caseload_cap: int
    chws: int
    mean_caseload: float | None
    chws_over_cap: int
    alerts_by_kind: dict[str, int] = field(default_factory=dict)  # open + acknowledged
    small_wins_goals: int = 0  # goals achieved this calendar month
    small_wins_steps: int = 0  # steps done this calendar month

    @property
    def handoff_share(self) -> float | None:
        return self.handoffs_accepted / self.graduations if self.graduations else None

    @property
    def goals_achieved_share(self) -> float | None:
        return self.goals_achieved / self.goals_closed if self.goals_closed else None

    @property
    def contacts_per_patient_month(self) -> float | None:
        return self.contacts / self.patient_months if self.patient_months else None


def overview(*, program: Program, start: dt.date, end: dt.date) -> Overview:
    raise NotImplementedError


def by_month(*, program: Program, start: dt.date, end: dt.date) -> pd.DataFrame:
    """One row per calendar month touching [start, end]: month (YYYY-MM), enrollments,
    graduations, contacts, goals_achieved, steps_done, active_at_month_end."""
    raise NotImplementedError


def by_chw(*, program: Program, start: dt.date, end: dt.date) -> pd.DataFrame:
    """One row per active CHW: chw_id, team, active_now, enrollments, graduations,
    contacts (in [start, end])."""
    raise NotImplementedError


def suppress(value: int) -> int | str:
    """A count of people in a breakdown: under 11 (and not 0) is shown as "<11"."""
    return "<11" if 0 < value < SMALL_CELL else value

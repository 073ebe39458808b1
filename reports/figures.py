"""Program-level figures for leaders (the overview, the exports' monthly and per-CHW sheets,
the JSON API). Aggregates only, never patient rows.

Conventions (DESIGN.md §5): days are calendar dates in the program's time zone; a period
[start, end] includes both days; a share with an empty denominator is "no data" (None
here). Days after the program's today have not happened yet: every figure that counts
days or moments cuts the period at today, so a period running into the future counts only
what has happened.

Every function runs a fixed number of queries whatever the size of the program: counts
are database aggregates, and the day arithmetic of enrollments runs in pandas over one
`values_list` of enrollment dates. Encounters are only ever counted by the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.db import connection
from django.db.models import BigIntegerField, Count, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import TruncMonth

from actionplans.models import ActionStep, Goal
from caseloads.models import Alert, Encounter, Enrollment
from impact.models import Program, Role, User

SMALL_CELL = 11  # DESIGN.md §4: breakdowns suppress any cell under 11 people
HIDDEN = "<11"  # what a suppressed cell shows, in every format (CSV, XLSX, PDF, JSON)

# Counts of people in the breakdowns (suppressed: `deidentify_by_month`, `deidentify_by_chw`);
# the other counts (contacts, goals achieved, steps done) are events and are shown as they are.
PEOPLE_COLUMNS = {
    "by_month": ("enrollments", "graduations", "active_at_month_end"),
    "by_chw": ("active_now", "enrollments", "graduations"),
}
DAYS_PER_MONTH = 30.4375  # 365.25 ÷ 12: a patient-month

# Burnout-risk alerts are shown to managers only (support, never performance); a count of
# them would tell a leader how many CHWs are at high risk without the small-cell rule of
# the burnout distribution, so the leader's alert counts leave them out.
LEADER_ALERT_KINDS = tuple(k for k in Alert.URGENCY if k not in Alert.MANAGER_ONLY_KINDS)


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
    today: dt.date | None = None  # the program's today the figures were computed on

    @property
    def handoff_share(self) -> float | None:
        return self.handoffs_accepted / self.graduations if self.graduations else None

    @property
    def goals_achieved_share(self) -> float | None:
        return self.goals_achieved / self.goals_closed if self.goals_closed else None

    @property
    def contacts_per_patient_month(self) -> float | None:
        return self.contacts / self.patient_months if self.patient_months else None

    @property
    def alerts_total(self) -> int:
        return sum(self.alerts_by_kind.values())

    def as_dict(self) -> dict:
        """The figures as plain JSON values (no program object, no patient anything)."""
        return {
            "patients_served": self.patients_served,
            "active_now": self.active_now,
            "graduations": self.graduations,
            "handoffs_accepted": self.handoffs_accepted,
            "handoff_share": _rounded(self.handoff_share),
            "goals_closed": self.goals_closed,
            "goals_achieved": self.goals_achieved,
            "goals_achieved_share": _rounded(self.goals_achieved_share),
            "contacts": self.contacts,
            "patient_months": round(self.patient_months, 2),
            "contacts_per_patient_month": _rounded(self.contacts_per_patient_month),
            "caseload": {
                "cap": self.caseload_cap,
                "chws": self.chws,
                "mean_active": _rounded(self.mean_caseload),
                "chws_over_cap": self.chws_over_cap,
            },
            "alerts_by_kind": dict(self.alerts_by_kind),
            "small_wins": {
                "goals_achieved": self.small_wins_goals,
                "steps_done": self.small_wins_steps,
            },
        }


def _rounded(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


# -- building blocks --------------------------------------------------------------------


def _last_day(program: Program, end: dt.date) -> dt.date:
    """The period's last day that has happened (the program's today at the latest)."""
    return min(end, program.today())


def _local_midnight(program: Program, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=program.tz)


def _in_program(path: str, program: Program) -> F | ExpressionWrapper:
    """The alias for `.alias(in_program=…)` then `.filter(in_program=program.pk)`: the
    row's program through `path`. On SQLite it is `program_id + 0`, which SQLite cannot look up by
    an index: without it SQLite starts from the program's 80,000 enrollments and walks to
    every goal and step (0.5 s on the large program); unable to, it starts from the
    period's few rows instead (`goal_closed_on`, `step_done_on`), then checks the program.
    PostgreSQL, which keeps statistics, plans the plain column well and the `+ 0` badly
    (it guesses 236 rows for 80,000), so it gets the plain column."""
    if connection.vendor == "sqlite":
        return ExpressionWrapper(F(path) + 0, output_field=BigIntegerField())
    return F(path)


def _contacts(program: Program, start: dt.date, last: dt.date) -> QuerySet[Encounter]:
    """Reached contacts of the program's enrollments from `start` 00:00 to `last` + 1 day
    00:00 in the program's time zone (chart reviews and safety notes never count)."""
    return Encounter.objects.filter(
        program=program,  # the encounter_program_time index covers every column read
        reached=True,
        occurred_at__gte=_local_midnight(program, start),
        occurred_at__lt=_local_midnight(program, last + dt.timedelta(days=1)),
    ).exclude(kind__in=Encounter.NON_CONTACT_KINDS)


def _active_between(start: dt.date, last: dt.date) -> Q:
    """Enrollments active (DESIGN.md §3) on at least one day of [start, last]: actually
    enrolled, begun by `last`, and closed (if at all) after `start` and after they began."""
    return Q(
        status__in=Enrollment.RAN_STATUSES,
        enrolled_on__isnull=False,
        enrolled_on__lte=last,
    ) & (Q(closed_on__isnull=True) | (Q(closed_on__gt=start) & Q(closed_on__gt=F("enrolled_on"))))


def _enrollment_frame(rows: Iterable[tuple[Any, ...]], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(list(rows), columns=columns)
    for column in ("enrolled_on", "closed_on"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column])
    return frame


def _days_active(frame: pd.DataFrame, start: dt.date, last: dt.date) -> pd.Series:
    """Each enrollment's days active within [start, last]: from max(enrolled_on, start) up
    to, not including, min(closed_on, last + 1)."""
    if frame.empty:
        return pd.Series(dtype="int64")
    # pandas clips a datetime column at a Timestamp; its stubs take numbers only.
    first = frame["enrolled_on"].clip(lower=pd.Timestamp(start))  # type: ignore[call-overload]
    stop = frame["closed_on"].fillna(pd.Timestamp(last + dt.timedelta(days=1)))
    stop = stop.clip(upper=pd.Timestamp(last + dt.timedelta(days=1)))  # type: ignore[call-overload]
    return (stop - first).dt.days.clip(lower=0)


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _months(start: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], _month_start(start)
    while month <= last:
        months.append(month)
        month = _next_month(month)
    return months


# -- the figures ------------------------------------------------------------------------


def overview(*, program: Program, start: dt.date, end: dt.date) -> Overview:
    """The program overview for [start, end] (DESIGN.md §3, §5). Seven queries.

    - patients served: distinct patients with an enrollment active (§3: status enrolled,
      graduated or withdrawn, `enrolled_on <= d < closed_on`) on at least one day of the
      period;
    - active now: enrollments with status enrolled;
    - graduations: status graduated with `closed_on` in the period; of those, handoffs
      accepted (`handoff_accepted` true; unknown counts as not accepted);
    - goals closed: status not active with `closed_on` in the period; of those, achieved
      (status achieved: partly achieved is not achieved);
    - contacts: reached encounters, chart reviews and safety notes excluded, with
      `occurred_at` in [start 00:00, end + 1 day 00:00) in the program's time zone;
    - patient-months: Σ over enrollments of their days active within the period ÷ 30.4375;
    - caseload against the standard: active CHWs (role CHW, account active), the mean
      number of enrolled patients per active CHW (None with no CHW), and how many CHWs
      carry more than `caseload_cap`;
    - alert counts by kind: unresolved (open or acknowledged) alerts of the program, every
      kind a leader may see (burnout-risk alerts stay with managers), zeros included;
    - small wins: goals achieved and action steps done from the first of the program's
      current calendar month to today, whatever the period.
    """
    today = program.today()
    last = min(end, today)
    counts = _enrollment_counts(program, start, end)
    served, days = _served(program, start, last)
    caseloads = _caseloads(program)
    month_start = _month_start(today)
    goals = _goal_counts(program, start, end, month_start, today)
    steps_done = _steps_done(program, month_start, today)
    contacts = _contacts(program, start, last).count() if start <= last else 0
    unresolved = _unresolved_alerts(program)
    return Overview(
        program=program,
        start=start,
        end=end,
        patients_served=served,
        active_now=counts["active_now"],
        graduations=counts["graduations"],
        handoffs_accepted=counts["handoffs_accepted"],
        goals_closed=goals["closed"],
        goals_achieved=goals["achieved"],
        contacts=contacts,
        patient_months=float(days.sum()) / DAYS_PER_MONTH,
        caseload_cap=program.caseload_cap,
        chws=len(caseloads),
        mean_caseload=sum(caseloads) / len(caseloads) if caseloads else None,
        chws_over_cap=sum(1 for n in caseloads if n > program.caseload_cap),
        alerts_by_kind={str(kind): unresolved.get(kind, 0) for kind in LEADER_ALERT_KINDS},
        small_wins_goals=goals["wins"],
        small_wins_steps=steps_done,
        today=today,
    )


def _enrollment_counts(program: Program, start: dt.date, end: dt.date) -> dict[str, int]:
    """The overview's enrollment counts: active now, graduations in [start, end] and, of
    those, handoffs accepted. One query."""
    return Enrollment.objects.filter(program=program).aggregate(
        active_now=Count("pk", filter=Q(status=Enrollment.Status.ENROLLED)),
        graduations=Count(
            "pk",
            filter=Q(status=Enrollment.Status.GRADUATED, closed_on__gte=start, closed_on__lte=end),
        ),
        handoffs_accepted=Count(
            "pk",
            filter=Q(
                status=Enrollment.Status.GRADUATED,
                closed_on__gte=start,
                closed_on__lte=end,
                handoff_accepted=True,
            ),
        ),
    )


def _served(program: Program, start: dt.date, last: dt.date) -> tuple[int, pd.Series]:
    """The distinct patients active on at least one day of [start, last], and each
    enrollment's days active in it. One query."""
    frame = _enrollment_frame(
        Enrollment.objects.filter(program=program)
        .filter(_active_between(start, last))
        .values_list("patient_id", "enrolled_on", "closed_on"),
        ["patient_id", "enrolled_on", "closed_on"],
    )
    days = _days_active(frame, start, last)
    served = int(frame.loc[days > 0, "patient_id"].nunique()) if not frame.empty else 0
    return served, days


def _caseloads(program: Program) -> list[int]:
    """The number of enrolled patients of each active CHW of the program. One query."""
    return list(
        User.objects.filter(program=program, role=Role.CHW, is_active=True)
        .annotate(
            n=Count(
                "enrollments",
                filter=Q(
                    enrollments__program=program,
                    enrollments__status=Enrollment.Status.ENROLLED,
                ),
            )
        )
        .values_list("n", flat=True)
    )


def _goal_counts(
    program: Program, start: dt.date, end: dt.date, month_start: dt.date, today: dt.date
) -> dict[str, int]:
    """Goals closed and achieved in [start, end], and goals achieved this month so far
    (the small wins). One query."""
    return (
        Goal.objects.alias(in_program=_in_program("enrollment__program_id", program))
        .filter(
            in_program=program.pk,
            closed_on__gte=min(start, month_start),
            closed_on__lte=max(end, today),
        )
        .aggregate(
            closed=Count(
                "pk",
                filter=~Q(status=Goal.Status.ACTIVE) & Q(closed_on__gte=start, closed_on__lte=end),
            ),
            achieved=Count(
                "pk",
                filter=Q(status=Goal.Status.ACHIEVED, closed_on__gte=start, closed_on__lte=end),
            ),
            wins=Count(
                "pk",
                filter=Q(
                    status=Goal.Status.ACHIEVED, closed_on__gte=month_start, closed_on__lte=today
                ),
            ),
        )
    )


def _steps_done(program: Program, month_start: dt.date, today: dt.date) -> int:
    """Action steps done from `month_start` to `today` (the small wins). One query."""
    return (
        ActionStep.objects.alias(in_program=_in_program("goal__enrollment__program_id", program))
        .filter(
            in_program=program.pk,
            status=ActionStep.Status.DONE,
            done_on__gte=month_start,
            done_on__lte=today,
        )
        .count()
    )


def _unresolved_alerts(program: Program) -> dict[str, int]:
    """The program's unresolved alerts by kind, of the kinds a leader may see (kinds
    without any are absent). One query."""
    return dict(
        Alert.objects.filter(
            program=program, status__in=Alert.UNRESOLVED, kind__in=LEADER_ALERT_KINDS
        )
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )


BY_MONTH_COLUMNS = [
    "month",
    "enrollments",
    "graduations",
    "contacts",
    "goals_achieved",
    "steps_done",
    "active_at_month_end",
]


def by_month(*, program: Program, start: dt.date, end: dt.date) -> pd.DataFrame:
    """One row per calendar month touching [start, end]: month (YYYY-MM), enrollments,
    graduations, contacts, goals_achieved, steps_done, active_at_month_end.

    Each month counts only its days inside the period (the first and last months may be
    partial), and the period is cut at the program's today (no rows for months that have
    not begun). enrollments: actually enrolled (status enrolled, graduated or withdrawn)
    with `enrolled_on` in the month; graduations: status graduated with `closed_on` in the
    month; contacts: as in `overview()`, by the local month of `occurred_at` in the
    program's time zone; goals_achieved: status achieved with `closed_on` in the
    month; steps_done: `done_on` in the month; active_at_month_end: enrollments active
    (§3) on the month's last day inside the period. Four queries.
    """
    last = _last_day(program, end)
    if start > last:
        return pd.DataFrame(columns=BY_MONTH_COLUMNS)
    frame = _enrollment_frame(
        Enrollment.objects.filter(program=program, status__in=Enrollment.RAN_STATUSES)
        .filter(
            Q(enrolled_on__lte=last, closed_on__isnull=True)
            | Q(enrolled_on__lte=last, closed_on__gte=start)
        )
        .values_list("status", "enrolled_on", "closed_on"),
        ["status", "enrolled_on", "closed_on"],
    )
    months = _months(start, last)
    contacts = _contacts_by_month(program, start, last, months)
    goals = _goals_achieved_by_month(program, start, last)
    steps = _steps_done_by_month(program, start, last)
    rows = []
    for month in months:
        first = pd.Timestamp(max(month, start))
        final = min(_next_month(month) - dt.timedelta(days=1), last)
        key = month.strftime("%Y-%m")
        begun, graduated, active = _enrollments_in_month(frame, first, pd.Timestamp(final))
        rows.append(
            {
                "month": key,
                "enrollments": begun,
                "graduations": graduated,
                "contacts": contacts.get(key, 0),
                "goals_achieved": goals.get(key, 0),
                "steps_done": steps.get(key, 0),
                "active_at_month_end": active,
            }
        )
    return pd.DataFrame(rows, columns=BY_MONTH_COLUMNS)


def _goals_achieved_by_month(program: Program, start: dt.date, last: dt.date) -> dict[str, int]:
    """{"YYYY-MM": goals achieved} by the month of `closed_on`, in [start, last]. One query."""
    return _by_month(
        Goal.objects.alias(in_program=_in_program("enrollment__program_id", program))
        .filter(
            in_program=program.pk,
            status=Goal.Status.ACHIEVED,
            closed_on__gte=start,
            closed_on__lte=last,
        )
        .annotate(month=TruncMonth("closed_on"))
    )


def _steps_done_by_month(program: Program, start: dt.date, last: dt.date) -> dict[str, int]:
    """{"YYYY-MM": action steps done} by the month of `done_on`, in [start, last]. One
    query."""
    return _by_month(
        ActionStep.objects.alias(in_program=_in_program("goal__enrollment__program_id", program))
        .filter(
            in_program=program.pk,
            status=ActionStep.Status.DONE,
            done_on__gte=start,
            done_on__lte=last,
        )
        .annotate(month=TruncMonth("done_on"))
    )


def _enrollments_in_month(
    frame: pd.DataFrame, first: pd.Timestamp, final: pd.Timestamp
) -> tuple[int, int, int]:
    """Of the enrollments in `frame`, those begun in [first, final], those graduated in
    it, and those active on `final`."""
    if frame.empty:
        return 0, 0, 0
    enrolled_on, closed_on = frame["enrolled_on"], frame["closed_on"]
    begun = int(enrolled_on.between(first, final).sum())
    graduated = int((closed_on.between(first, final) & (frame["status"] == "graduated")).sum())
    active = int(((enrolled_on <= final) & (closed_on.isna() | (closed_on > final))).sum())
    return begun, graduated, active


def _contacts_by_month(
    program: Program, start: dt.date, last: dt.date, months: list[dt.date]
) -> dict[str, int]:
    """{"YYYY-MM": contacts} by the local month of `occurred_at`, in one scan.

    Each column counts the contacts before a month's first local midnight; a month's
    contacts are the difference of two such counts. (TruncMonth in the program's time zone
    gives the same figure, but SQLite converts each row's time zone in Python: 25 s for 2
    million encounters against about 4 s here for 25 months.)"""
    starts = [_local_midnight(program, month) for month in months[1:]]
    counts = _contacts(program, start, last).aggregate(
        total=Count("pk"),
        **{
            f"before_{n}": Count("pk", filter=Q(occurred_at__lt=moment))
            for n, moment in enumerate(starts)
        },
    )
    cumulative = [0] + [counts[f"before_{n}"] for n in range(len(starts))] + [counts["total"]]
    return {
        month.strftime("%Y-%m"): cumulative[n + 1] - cumulative[n] for n, month in enumerate(months)
    }


def _by_month(queryset: QuerySet) -> dict[str, int]:
    """{"YYYY-MM": count} from a queryset annotated with `month`."""
    return {
        month.strftime("%Y-%m"): n
        for month, n in queryset.values_list("month").annotate(n=Count("pk")).order_by()
    }


BY_CHW_COLUMNS = ["chw_id", "team", "active_now", "enrollments", "graduations", "contacts"]


def by_chw(*, program: Program, start: dt.date, end: dt.date) -> pd.DataFrame:
    """One row per active CHW: chw_id, team, active_now, enrollments, graduations,
    contacts (in [start, end]).

    Active CHW: role CHW with an active account in the program, ordered by team and id (no
    names: callers that show it to leaders pass counts of patients through `suppress()`).
    active_now: their enrollments with status enrolled; enrollments: their enrollments
    actually enrolled with `enrolled_on` in the period; graduations: theirs graduated with
    `closed_on` in the period; contacts: reached contacts they authored (as in
    `overview()`, so a backup CHW's contacts are the backup's). Three queries.
    """
    last = _last_day(program, end)
    chws = list(
        User.objects.filter(program=program, role=Role.CHW, is_active=True)
        .order_by("team__name", "pk")
        .values_list("pk", "team__name")
    )
    per_chw = _enrollment_counts_by_chw(program, start, end, last)
    contacts = (
        dict(
            _contacts(program, start, last)
            .values_list("author_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        if start <= last
        else {}
    )
    rows = []
    for pk, team in chws:
        counts = per_chw.get(pk, {})
        rows.append(
            {
                "chw_id": pk,
                "team": team or "",
                "active_now": counts.get("active_now", 0),
                "enrollments": counts.get("enrollments", 0),
                "graduations": counts.get("graduations", 0),
                "contacts": contacts.get(pk, 0),
            }
        )
    return pd.DataFrame(rows, columns=BY_CHW_COLUMNS)


def _enrollment_counts_by_chw(
    program: Program, start: dt.date, end: dt.date, last: dt.date
) -> dict[int, dict[str, int]]:
    """Each CHW's enrollments active now, begun in [start, last] and graduated in
    [start, end], by CHW id (CHWs without enrollments are absent). One query."""
    return {
        row["chw"]: {
            "active_now": row["active_now"],
            "enrollments": row["enrollments"],
            "graduations": row["graduations"],
        }
        for row in Enrollment.objects.filter(program=program)
        .values("chw")
        .annotate(
            active_now=Count("pk", filter=Q(status=Enrollment.Status.ENROLLED)),
            enrollments=Count(
                "pk",
                filter=Q(
                    status__in=Enrollment.RAN_STATUSES,
                    enrolled_on__gte=start,
                    enrolled_on__lte=last,
                ),
            ),
            graduations=Count(
                "pk",
                filter=Q(
                    status=Enrollment.Status.GRADUATED, closed_on__gte=start, closed_on__lte=end
                ),
            ),
        )
        .order_by()
    }


def suppress(value: int) -> int | str:
    """A count of people in a breakdown: under 11 (and not 0) is shown as "<11"."""
    return HIDDEN if 0 < value < SMALL_CELL else value


def suppress_column(values: list[int], *, also_hide: Iterable[int] = ()) -> list[int | str]:
    """A column of counts of people in a breakdown, as shown to leaders (DESIGN.md §4).

    Primary suppression: 1 to 10 shows as "<11" (0 stays 0: it reveals no one); the cells
    at the positions `also_hide` are hidden too (whatever their value), for a reason found
    in another column. Complementary: when exactly one cell of the column is hidden, its
    value could be worked out from a total shown elsewhere (the cohort, the active count),
    so the smallest shown non-zero cell is hidden too."""
    shown: list[int | str] = [suppress(int(value)) for value in values]
    for i in also_hide:
        shown[i] = HIDDEN
    hidden = [i for i, value in enumerate(shown) if value == HIDDEN]
    if len(hidden) == 1:
        candidates = [i for i, value in enumerate(shown) if isinstance(value, int) and value > 0]
        if candidates:
            smallest = min(candidates, key=lambda i: shown[i])
            shown[smallest] = HIDDEN
    return shown


def _deidentified(
    frame: pd.DataFrame, people: tuple[str, ...], linked: dict[str, str]
) -> pd.DataFrame:
    """A copy of a breakdown with each column of people counts through `suppress_column`;
    `linked` maps a column to another whose hidden rows it hides too. Python ints and "<11"
    (object columns), ready for a spreadsheet cell or JSON."""
    shown = frame.astype(object).copy()
    for column in shown.columns:
        if column not in people:
            shown[column] = [v.item() if hasattr(v, "item") else v for v in frame[column]]
    hidden: dict[str, list[int]] = {}
    for column in sorted(people, key=lambda c: c in linked):  # a linked column after its source
        if column not in frame:
            continue
        source = linked.get(column)
        also = hidden.get(source, []) if source else []
        values = suppress_column([int(v) for v in frame[column]], also_hide=also)
        hidden[column] = [i for i, v in enumerate(values) if v == HIDDEN]
        shown[column] = pd.Series(values, index=frame.index, dtype=object)
    return shown


def deidentify_by_month(frame: pd.DataFrame) -> pd.DataFrame:
    """`by_month()` as a leader may see it, in every view (exports, API, chart): each column
    of people counts (PEOPLE_COLUMNS) through `suppress_column`, and active_at_month_end
    hidden too in every month whose enrollments are hidden (else the change from the month
    before, shown as it is, would give the small number away)."""
    return _deidentified(frame, PEOPLE_COLUMNS["by_month"], {"active_at_month_end": "enrollments"})


def deidentify_by_chw(frame: pd.DataFrame) -> pd.DataFrame:
    """`by_chw()` as a leader may see it: each column of people counts through
    `suppress_column` (contacts are events, shown as they are)."""
    return _deidentified(frame, PEOPLE_COLUMNS["by_chw"], {})

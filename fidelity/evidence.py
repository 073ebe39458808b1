"""Automatic evidence for the fidelity components of a review period (DESIGN.md §5.3).

`evidence_for` reads the program's data for the period [s, e] in a fixed number of
set-based queries (eight, whatever the program's size: compact `values` rows, never
encounter instances) and returns one `Evidence` per code in `AUTO_COMPONENTS`: the share
behind the component, the rating it proposes, and the ids behind each miss so a reviewer
can look at them.

Conventions (DESIGN.md §5): days are local dates in the program's time zone; the period
includes both s and e; snapshot days are e, e−7, e−14, … not before s; a share with an
empty denominator is "no data" (value None, no proposal), never 0% or 100%.

Decisions where §5.3 leaves room:
- The windows are the fixed numbers §5.3 names (14 days for contacts and early goals,
  7 days for supervision, 14 days of grace past the planned end), not the program's
  alert settings: fidelity compares programs with the model itself.
- standard_duration counts graduations only (withdrawals have no standard length);
  tolerance is |length − intervention_days| ≤ 15% of intervention_days, in whole days.
- standard_caseload and supervision count every active CHW user of the program (role
  CHW, on one of its teams, `is_active`) on every snapshot day, with or without patients.
- clinical_integration has no partly_met: met when the community share of the minutes of
  reached in-person contacts in [s, e] is within [0.30, 0.80], else not_met. Its
  numerator and denominator are minutes (`Evidence.unit`), not contacts: the study
  speaks of how CHWs divide their time between the clinic and the community.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from actionplans.models import ActionStep, Goal

# The §5.3 patient_set_goals rule lives with the goals: enrollments begun in
# [s, e − 14] that ran, and a goal set within 14 days of enrolling.
from actionplans.selectors import _begun, _early_goal
from caseloads.models import Encounter, Enrollment
from impact.models import Program, Role, User
from supervision.models import SupervisionSession

AUTO_COMPONENTS: tuple[str, ...] = (
    "standard_duration",
    "standard_caseload",
    "supervision",
    "contact_cadence",
    "patient_set_goals",
    "action_plans",
    "clinical_integration",
)

MET = "met"
PARTLY_MET = "partly_met"
NOT_MET = "not_met"
MET_AT = 0.85
PARTLY_MET_AT = 0.60
# clinical_integration: the community share of in-person contact minutes that is met
# (inclusive).
COMMUNITY_SHARE_MIN = 0.30
COMMUNITY_SHARE_MAX = 0.80

SNAPSHOT_EVERY_DAYS = 7
DURATION_TOLERANCE_PERCENT = 15
OVERDUE_GRACE_DAYS = 14
CONTACT_WINDOW_DAYS = 14
SUPERVISION_WINDOW_DAYS = 7

ENROLLMENT = "enrollment"
CHW = "chw"
MINUTES = "minutes"


def snapshot_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """The snapshot days of [start, end]: end, end − 7, end − 14, … not before start
    (latest first; empty when end is before start)."""
    days = []
    day = end
    while day >= start:
        days.append(day)
        day -= dt.timedelta(days=SNAPSHOT_EVERY_DAYS)
    return days


def propose(share: float | None) -> str | None:
    """The rating a share proposes: met at ≥ 0.85, partly_met at ≥ 0.60, else not_met;
    None (no proposal) when there is no data."""
    if share is None:
        return None
    if share >= MET_AT:
        return MET
    if share >= PARTLY_MET_AT:
        return PARTLY_MET
    return NOT_MET


def propose_balance(share: float | None) -> str | None:
    """clinical_integration: met when the community share is within [0.30, 0.80], else
    not_met (there is no partly_met); None when there is no data."""
    if share is None:
        return None
    return MET if COMMUNITY_SHARE_MIN <= share <= COMMUNITY_SHARE_MAX else NOT_MET


@dataclass(frozen=True)
class Evidence:
    """One component's automatic evidence for a period.

    `value` is numerator ÷ denominator, None when the denominator is 0 ("no data", and
    then `proposal` is None too). `misses` are the ids behind the misses, of enrollments
    or of CHWs as `miss_kind` says (None for clinical_integration, which has no misses).
    `unit` says what numerator and denominator count when they are not cases: "minutes"
    for clinical_integration (a review stored before it counted contacts has none).
    """

    code: str
    numerator: int
    denominator: int
    value: float | None
    proposal: str | None
    misses: list[int] = field(default_factory=list)
    miss_kind: str | None = None
    unit: str | None = None

    @classmethod
    def of(
        cls,
        code: str,
        *,
        numerator: int,
        denominator: int,
        misses: Iterable[int] = (),
        miss_kind: str | None = None,
        rule: Callable[[float | None], str | None] = propose,
        unit: str | None = None,
    ) -> Evidence:
        value = numerator / denominator if denominator else None
        return cls(
            code=code,
            numerator=numerator,
            denominator=denominator,
            value=value,
            proposal=rule(value),
            misses=sorted(set(misses)),
            miss_kind=miss_kind,
            unit=unit,
        )

    def to_json(self) -> dict:
        # `unit` only where there is one: the stored evidence of other components (and of
        # reviews started before it) keeps its shape.
        unit = {"unit": self.unit} if self.unit else {}
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": self.value,
            "proposal": self.proposal,
            "miss_kind": self.miss_kind,
            "misses": list(self.misses),
            **unit,
        }


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


@dataclass(frozen=True, eq=False)
class Period:
    """The program and the review period [start, end], with the rows several components
    share (each read once, on first use)."""

    program: Program
    start: dt.date
    end: dt.date

    @cached_property
    def days(self) -> list[dt.date]:
        return snapshot_days(self.start, self.end)

    def moment(self, day: dt.date) -> dt.datetime:
        """The first moment of a local day."""
        return dt.datetime.combine(day, dt.time.min, tzinfo=self.program.tz)

    def local_date(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.program.tz).date()

    @cached_property
    def chw_ids(self) -> list[int]:
        """The program's active CHWs (one query)."""
        return list(
            User.objects.filter(role=Role.CHW, team__program=self.program, is_active=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )

    @cached_property
    def enrollments(self) -> list[tuple[int, int, dt.date, dt.date | None]]:
        """(pk, chw_id, enrolled_on, closed_on) of every enrollment that can be active on a
        snapshot day (one query)."""
        first = self.days[-1]
        rows = (
            Enrollment.objects.filter(
                program=self.program,
                status__in=Enrollment.RAN_STATUSES,
                enrolled_on__lte=self.end,
            )
            .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=first))
            .values_list("pk", "chw_id", "enrolled_on", "closed_on")
        )
        # The filter on enrolled_on leaves out rows without it; the check says so too.
        return [(pk, chw, on, closed) for pk, chw, on, closed in rows if on is not None]


def _tally(
    code: str, outcomes: Iterable[tuple[int, bool]], *, miss_kind: str = ENROLLMENT
) -> Evidence:
    """Evidence from (subject, met) pairs: each pair counts in the denominator, a met one in
    the numerator, and an unmet one's subject (enrollment or CHW) among the misses."""
    numerator = denominator = 0
    misses = []
    for subject, met in outcomes:
        denominator += 1
        if met:
            numerator += 1
        else:
            misses.append(subject)
    return Evidence.of(
        code, numerator=numerator, denominator=denominator, misses=misses, miss_kind=miss_kind
    )


def _active(enrolled_on: dt.date, closed_on: dt.date | None, day: dt.date) -> bool:
    """DESIGN.md §3 "active on day d" (the status is filtered in the query)."""
    return enrolled_on <= day and (closed_on is None or day < closed_on)


def standard_duration(period: Period) -> Evidence:
    """Graduations in [s, e] whose length (closed_on − enrolled_on) is within ±15% of
    intervention_days, of those graduations plus the enrollments active on e more than
    14 days past their planned end (the latter are always misses). One query."""
    s, e = period.start, period.end
    target = period.program.intervention_days
    graduated = Enrollment.Status.GRADUATED
    rows = (
        Enrollment.objects.filter(program=period.program, status__in=Enrollment.RAN_STATUSES)
        .filter(
            Q(status=graduated, closed_on__gte=s, closed_on__lte=e)
            | (
                Q(enrolled_on__lte=e, planned_end_on__lt=e - _days(OVERDUE_GRACE_DAYS))
                & (Q(closed_on__isnull=True) | Q(closed_on__gt=e))
            )
        )
        .values_list("pk", "status", "enrolled_on", "closed_on")
    )

    def within(status: str, enrolled_on: dt.date | None, closed_on: dt.date | None) -> bool:
        if status != graduated or closed_on is None or closed_on > e:
            return False
        assert enrolled_on is not None  # a graduated enrollment ran: it has the date
        # Whole numbers: |length − D| ≤ 0.15 × D without floating-point rounding.
        length = (closed_on - enrolled_on).days
        return 100 * abs(length - target) <= DURATION_TOLERANCE_PERCENT * target

    return _tally(
        "standard_duration",
        ((pk, within(status, on, closed)) for pk, status, on, closed in rows),
    )


def standard_caseload(period: Period) -> Evidence:
    """(CHW, snapshot day) pairs whose active caseload is at most caseload_cap."""
    cap = period.program.caseload_cap

    def outcomes() -> Iterator[tuple[int, bool]]:
        for day in period.days:
            caseload = Counter(
                chw_id
                for _pk, chw_id, enrolled_on, closed_on in period.enrollments
                if _active(enrolled_on, closed_on, day)
            )
            for chw_id in period.chw_ids:
                yield chw_id, caseload[chw_id] <= cap

    return _tally("standard_caseload", outcomes(), miss_kind=CHW)


def supervision(period: Period) -> Evidence:
    """(CHW, snapshot day) pairs with a one_on_one on one of the 7 days up to the
    snapshot (day − 6 … day). One query for the sessions."""
    window = SUPERVISION_WINDOW_DAYS
    sessions = set(
        SupervisionSession.objects.filter(
            chw_id__in=User.objects.filter(
                role=Role.CHW, team__program=period.program, is_active=True
            ).values("pk"),
            kind=SupervisionSession.Kind.ONE_ON_ONE,
            occurred_on__gte=period.days[-1] - _days(window - 1),
            occurred_on__lte=period.end,
        ).values_list("chw_id", "occurred_on")
    )
    outcomes = (
        (chw_id, any((chw_id, day - _days(back)) in sessions for back in range(window)))
        for day in period.days
        for chw_id in period.chw_ids
    )
    return _tally("supervision", outcomes, miss_kind=CHW)


def _contacts(period: Period) -> QuerySet[Encounter]:
    """Reached contacts (not chart reviews or safety notes) of the program's enrollments."""
    return Encounter.objects.filter(enrollment__program=period.program, reached=True).exclude(
        kind__in=Encounter.NON_CONTACT_KINDS
    )


def contact_cadence(period: Period) -> Evidence:
    """(enrollment, snapshot day) pairs, the enrollment active on the day and enrolled at
    least 14 days (day − enrolled_on ≥ 14), with a reached contact on one of the 14 days
    up to the snapshot (local dates day − 13 … day). One query for the contacts."""
    window = CONTACT_WINDOW_DAYS
    rows = (
        _contacts(period)
        .filter(
            occurred_at__gte=period.moment(period.days[-1] - _days(window - 1)),
            occurred_at__lt=period.moment(period.end + _days(1)),
        )
        .values_list("enrollment_id", "occurred_at")
    )
    contacts: dict[int, list[dt.date]] = defaultdict(list)
    for enrollment_id, occurred_at in rows:
        contacts[enrollment_id].append(period.local_date(occurred_at))
    for dates in contacts.values():
        dates.sort()

    def outcomes() -> Iterator[tuple[int, bool]]:
        for pk, _chw_id, enrolled_on, closed_on in period.enrollments:
            dates = contacts.get(pk, [])
            for day in period.days:
                if not _active(enrolled_on, closed_on, day) or (day - enrolled_on).days < window:
                    continue
                first = bisect_left(dates, day - _days(window - 1))
                yield pk, first < len(dates) and dates[first] <= day

    return _tally("contact_cadence", outcomes())


def patient_set_goals(period: Period) -> Evidence:
    """Enrollments that ran and began in [s, e − 14] with a Goal set within 14 days of
    enrolling (the rule of `actionplans.selectors.goals_set_early`). One query."""
    rows = (
        _begun(Enrollment.objects.filter(program=period.program), period.start, period.end)
        .annotate(early=Exists(_early_goal()))
        .values_list("pk", "early")
    )
    return _tally("patient_set_goals", rows)


def action_plans(period: Period) -> Evidence:
    """Goals set in [s, e] with at least one ActionStep; misses are the enrollments of
    the goals without one. One query."""
    rows = (
        Goal.objects.filter(
            enrollment__program=period.program,
            set_on__gte=period.start,
            set_on__lte=period.end,
        )
        .annotate(has_step=Exists(ActionStep.objects.filter(goal=OuterRef("pk"))))
        .values_list("enrollment_id", "has_step")
        .order_by()
    )
    return _tally("action_plans", rows)


def clinical_integration(period: Period) -> Evidence:
    """Community minutes ÷ (community + clinical minutes) of the reached contacts on the
    local dates s … e (DESIGN.md §5.3): remote contacts, chart reviews, safety notes and
    contacts without minutes are left out; met when the share is within [0.30, 0.80],
    else not_met; no data when there are no such minutes. One query."""
    setting = Encounter.Setting
    figures = (
        _contacts(period)
        .filter(
            occurred_at__gte=period.moment(period.start),
            occurred_at__lt=period.moment(period.end + _days(1)),
            setting__in=[setting.COMMUNITY, setting.CLINICAL],
            duration_minutes__isnull=False,
        )
        .aggregate(
            all=Sum("duration_minutes"),
            community=Sum("duration_minutes", filter=Q(setting=setting.COMMUNITY)),
        )
    )
    return Evidence.of(
        "clinical_integration",
        numerator=figures["community"] or 0,
        denominator=figures["all"] or 0,
        rule=propose_balance,
        unit=MINUTES,
    )


COMPONENTS: dict[str, Callable[[Period], Evidence]] = {
    "standard_duration": standard_duration,
    "standard_caseload": standard_caseload,
    "supervision": supervision,
    "contact_cadence": contact_cadence,
    "patient_set_goals": patient_set_goals,
    "action_plans": action_plans,
    "clinical_integration": clinical_integration,
}


def evidence_for(*, program: Program, start: dt.date, end: dt.date) -> dict[str, Evidence]:
    """The automatic evidence of every code in `AUTO_COMPONENTS` for [start, end], in
    that order: eight queries whatever the program's size."""
    if end < start:
        raise ValueError(f"The period ends ({end}) before it starts ({start}).")
    period = Period(program=program, start=start, end=end)
    return {code: COMPONENTS[code](period) for code in AUTO_COMPONENTS}

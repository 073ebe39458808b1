"""Reads of goals, steps, intakes and partners, scoped to the user (DESIGN.md §4), and the
action-plan figures managers see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from actionplans.models import ActionStep, Goal, Intake, Partner
from caseloads.models import Encounter, Enrollment
from caseloads.selectors import chws_for, enrollments_for
from impact.models import Role, User

GOAL_WINDOW_DAYS = 14  # DESIGN.md §5.1 goal_missing and §5.3 patient_set_goals


def goal_for_user(user: User, pk: int) -> Goal:
    """One goal whose enrollment is in the user's scope; 404 outside it."""
    return get_object_or_404(
        Goal.objects.select_related("enrollment__patient", "enrollment__program"),
        pk=pk,
        enrollment__in=enrollments_for(user),
    )


def step_for_user(user: User, pk: int) -> ActionStep:
    """One action step whose enrollment is in the user's scope; 404 outside it."""
    return get_object_or_404(
        ActionStep.objects.select_related(
            "goal__enrollment__patient", "goal__enrollment__program", "partner"
        ),
        pk=pk,
        goal__enrollment__in=enrollments_for(user),
    )


def intake_of(enrollment: Enrollment) -> Intake | None:
    return Intake.objects.filter(enrollment=enrollment).first()


def goals_for(enrollment: Enrollment) -> list[Goal]:
    """The enrollment's goals, active first, each with its steps, partners and encounters.

    Three queries whatever the number of goals and steps; progress (steps done of steps
    planned, skipped steps left out) is computed from the prefetched steps.
    """
    steps = ActionStep.objects.select_related("partner").order_by("due_on", "pk")
    encounters = Encounter.objects.select_related("author").order_by("-occurred_at")
    goals = list(
        enrollment.goals.prefetch_related(
            Prefetch("steps", queryset=steps), Prefetch("encounters", queryset=encounters)
        ).order_by(F("closed_on").desc(nulls_first=True), "set_on", "pk")
    )
    for goal in goals:
        set_progress(goal)
    return goals


def set_progress(goal: Goal) -> Goal:
    """Progress: steps done of steps planned, skipped steps left out of both (from
    `goal.steps.all()`, prefetched or not)."""
    counted = [s for s in goal.steps.all() if s.status != ActionStep.Status.SKIPPED]
    goal.steps_done = sum(1 for s in counted if s.status == ActionStep.Status.DONE)
    goal.steps_planned = len(counted)
    goal.steps_skipped = len(goal.steps.all()) - len(counted)
    return goal


def active_goals_for(enrollment: Enrollment) -> QuerySet[Goal]:
    return enrollment.goals.filter(status=Goal.Status.ACTIVE).order_by("set_on", "pk")


def partners_for(user: User, *, active_only: bool = False) -> QuerySet[Partner]:
    """The partner directory of the user's program: readable by all of its staff."""
    if not user.program_id:
        return Partner.objects.none()
    partners = Partner.objects.filter(program_id=user.program_id)
    return partners.filter(is_active=True) if active_only else partners


def partner_for_manager(user: User, pk: int) -> Partner:
    if user.role != Role.MANAGER:
        raise Http404
    return get_object_or_404(partners_for(user), pk=pk)


def _overdue(today: dt.date, prefix: str = "") -> Q:
    """Open steps of active goals past their due date (`prefix` from a related model)."""
    return Q(
        **{
            f"{prefix}status__in": ActionStep.OPEN_STATUSES,
            f"{prefix}goal__status": Goal.Status.ACTIVE,
            f"{prefix}due_on__lt": today,
        }
    )


def with_plan_figures(enrollments: QuerySet[Enrollment], today: dt.date) -> QuerySet[Enrollment]:
    """Annotate each enrollment's active goals and overdue steps (for the caseload)."""
    active_goals = (
        Goal.objects.filter(enrollment=OuterRef("pk"), status=Goal.Status.ACTIVE)
        .order_by()
        .values("enrollment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    overdue_steps = (
        ActionStep.objects.filter(_overdue(today), goal__enrollment=OuterRef("pk"))
        .order_by()
        .values("goal__enrollment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return enrollments.annotate(
        active_goals=Coalesce(Subquery(active_goals, output_field=IntegerField()), Value(0)),
        overdue_steps=Coalesce(Subquery(overdue_steps, output_field=IntegerField()), Value(0)),
    )


def _early_goal() -> QuerySet[Goal]:
    """Goals of the outer enrollment set within GOAL_WINDOW_DAYS of its enrollment date."""
    return Goal.objects.filter(
        enrollment=OuterRef("pk"),
        set_on__lte=ExpressionWrapper(
            OuterRef("enrolled_on") + dt.timedelta(days=GOAL_WINDOW_DAYS),
            output_field=DateField(),
        ),
    )


@dataclass(frozen=True)
class Share:
    """A share with its numerator and denominator; no denominator means "no data"."""

    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


def goal_window(today: dt.date, days: int = 90) -> tuple[dt.date, dt.date]:
    """The period [s, e] of the manager's figures: the last `days` days up to today."""
    return today - dt.timedelta(days=days - 1), today


def goals_set_early(enrollments: QuerySet[Enrollment], start: dt.date, end: dt.date) -> Share:
    """DESIGN.md §5.3 patient_set_goals: of the enrollments begun in [start, end − 14] that
    actually ran, the share with a Goal set within 14 days of enrolling
    (set_on ≤ enrolled_on + 14)."""
    figures = _begun(enrollments, start, end).aggregate(**_EARLY_COUNTS)
    return Share(figures["early"], figures["total"])


def _begun(enrollments: QuerySet[Enrollment], start: dt.date, end: dt.date) -> QuerySet[Enrollment]:
    """Enrollments that actually ran and began in [start, end − 14]: they had 14 days."""
    return enrollments.filter(
        status__in=Enrollment.RAN_STATUSES,
        enrolled_on__gte=start,
        enrolled_on__lte=end - dt.timedelta(days=GOAL_WINDOW_DAYS),
    )


# All begun enrollments, and those with a goal set within 14 days of enrolling.
_EARLY_COUNTS = {
    "total": Count("pk"),
    "early": Count("pk", filter=Q(Exists(_early_goal()))),
}


@dataclass(frozen=True)
class ChwPlanFigures:
    chw: User
    goals_early: Share
    overdue_steps: int
    outcomes: dict[str, int]


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def team_plan_figures(
    user: User, today: dt.date, chws: list[User] | None = None
) -> list[ChwPlanFigures]:
    """Per CHW in the user's scope (or the given CHWs, already read from it): goals set
    within 14 days of enrolling (last 90 days), open steps past their due date on active
    enrollments, and goals closed this quarter by outcome. A fixed number of queries
    whatever the team's size."""
    if chws is None:
        chws = list(chws_for(user).order_by("team__name", "last_name", "first_name"))
    ids = [chw.pk for chw in chws]
    start, end = goal_window(today)
    early = {
        row["chw"]: (row["early"], row["total"])
        for row in _begun(enrollments_for(user).filter(chw__in=ids), start, end)
        .values("chw")
        .annotate(total=_EARLY_COUNTS["total"], early=_EARLY_COUNTS["early"])
    }
    overdue = dict(
        ActionStep.objects.filter(
            _overdue(today),
            goal__enrollment__in=enrollments_for(user).filter(status=Enrollment.Status.ENROLLED),
        )
        .values_list("goal__enrollment__chw")
        .annotate(n=Count("pk"))
        .order_by()
    )
    outcomes: dict[int, dict[str, int]] = {}
    for chw_id, status, n in (
        Goal.objects.filter(
            enrollment__in=enrollments_for(user),
            closed_on__gte=quarter_start(today),
            closed_on__lte=today,
        )
        .values_list("enrollment__chw", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        outcomes.setdefault(chw_id, {})[status] = n
    return [
        ChwPlanFigures(
            chw=chw,
            goals_early=Share(*early.get(chw.pk, (0, 0))),
            overdue_steps=overdue.get(chw.pk, 0),
            outcomes=outcomes.get(chw.pk, {}),
        )
        for chw in chws
    ]

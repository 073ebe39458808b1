"""Action-plan figures, computed by hand, and scope of goals and steps."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.http import Http404

from actionplans import selectors
from caseloads.models import Enrollment
from tests.conftest import NOW
from tests.factories import EnrollmentFactory, GoalFactory, StepFactory

TODAY = NOW.date()  # Wednesday 18 November 2026
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def enrolled(chw, on: dt.date, **kwargs):
    return EnrollmentFactory(chw=chw, referred_on=on, enrolled_on=on, **kwargs)


class TestGoalsSetEarly:
    """Period: the last 90 days, 21 August … 18 November 2026; enrollments begun in
    [21 August, 4 November] count (they have had their 14 days)."""

    def test_share_by_hand(self, org):
        a = enrolled(org.a1, dt.date(2026, 9, 1))
        GoalFactory(enrollment=a, set_on=dt.date(2026, 9, 15))  # day 14: early
        b = enrolled(org.a1, dt.date(2026, 9, 1))
        GoalFactory(enrollment=b, set_on=dt.date(2026, 9, 16))  # day 15: late
        enrolled(org.a1, dt.date(2026, 10, 1))  # no goal: a miss
        enrolled(org.a1, dt.date(2026, 11, 5))  # too recent: not counted
        enrolled(org.a1, dt.date(2026, 8, 20))  # before the period: not counted
        g = enrolled(org.a2, dt.date(2026, 9, 10))
        GoalFactory(enrollment=g, set_on=dt.date(2026, 9, 10))
        Enrollment.objects.filter(pk=g.pk).update(status="graduated", closed_on=TODAY)
        EnrollmentFactory(  # a declined referral never ran: not counted
            chw=org.a2,
            referred_on=dt.date(2026, 9, 3),
            status="declined",
            enrolled_on=None,
            planned_end_on=None,
            closed_on=dt.date(2026, 9, 3),
        )
        enrolled(org.b1, dt.date(2026, 9, 1))  # another team

        start, end = selectors.goal_window(TODAY)
        assert (start, end) == (dt.date(2026, 8, 21), TODAY)
        share = selectors.goals_set_early(
            Enrollment.objects.filter(chw__team=org.team_a), start, end
        )
        # Counted: a, b, the one without a goal, g → 4; early: a and g → 2 of 4.
        assert (share.numerator, share.denominator, share.value) == (2, 4, 0.5)

        figures = {row.chw.username: row for row in selectors.team_plan_figures(org.ma, TODAY)}
        assert (figures["a1"].goals_early.numerator, figures["a1"].goals_early.denominator) == (
            1,
            3,
        )
        assert (figures["a2"].goals_early.numerator, figures["a2"].goals_early.denominator) == (
            1,
            1,
        )

    def test_no_enrollments_is_no_data_not_zero(self, org):
        share = selectors.goals_set_early(Enrollment.objects.none(), TODAY, TODAY)
        assert share.value is None


class TestTeamFigures:
    def test_overdue_steps_and_outcomes_this_quarter(self, org):
        active = EnrollmentFactory(chw=org.a1, days_ago=60)
        goal = GoalFactory(enrollment=active)
        yesterday = TODAY - dt.timedelta(days=1)
        StepFactory(goal=goal, due_on=yesterday)  # overdue
        StepFactory(goal=goal, due_on=yesterday, status="in_progress")  # overdue
        StepFactory(goal=goal, due_on=TODAY)  # due today: not overdue
        StepFactory(goal=goal, due_on=yesterday, status="done", done_on=TODAY)
        StepFactory(goal=goal, due_on=yesterday, status="skipped")
        closed = EnrollmentFactory(chw=org.a1, days_ago=200)
        StepFactory(goal=GoalFactory(enrollment=closed), due_on=yesterday)
        Enrollment.objects.filter(pk=closed.pk).update(status="graduated", closed_on=TODAY)
        # Quarter began 1 October 2026.
        GoalFactory(enrollment=active, status="achieved", closed_on=dt.date(2026, 10, 1))
        GoalFactory(enrollment=active, status="achieved", closed_on=dt.date(2026, 11, 2))
        GoalFactory(enrollment=active, status="dropped", closed_on=dt.date(2026, 11, 3))
        GoalFactory(enrollment=active, status="achieved", closed_on=dt.date(2026, 9, 30))
        StepFactory(goal=GoalFactory(enrollment=EnrollmentFactory(chw=org.b1)), due_on=yesterday)

        figures = {row.chw.username: row for row in selectors.team_plan_figures(org.ma, TODAY)}
        assert set(figures) == {"a1", "a2"}
        assert figures["a1"].overdue_steps == 2
        assert figures["a1"].outcomes == {"achieved": 2, "dropped": 1}
        assert (figures["a2"].overdue_steps, figures["a2"].outcomes) == (0, {})

    def test_caseload_columns(self, org):
        enrollment = EnrollmentFactory(chw=org.a1)
        goal = GoalFactory(enrollment=enrollment)
        GoalFactory(enrollment=enrollment)
        GoalFactory(enrollment=enrollment, status="achieved", closed_on=TODAY)
        StepFactory(goal=goal, due_on=TODAY - dt.timedelta(days=3))
        bare = EnrollmentFactory(chw=org.a1)
        rows: dict[int, Any] = {  # enrollments with the plan figures annotated
            e.pk: e
            for e in selectors.with_plan_figures(Enrollment.objects.filter(chw=org.a1), TODAY)
        }
        assert (rows[enrollment.pk].active_goals, rows[enrollment.pk].overdue_steps) == (2, 1)
        assert (rows[bare.pk].active_goals, rows[bare.pk].overdue_steps) == (0, 0)


class TestScope:
    @pytest.mark.parametrize(
        ("who", "found"),
        [("a1", True), ("ma", True), ("a2", False), ("mb", False), ("leader", False)],
    )
    def test_goals_and_steps_follow_the_enrollment(self, org, who, found):
        step = StepFactory(goal=GoalFactory(enrollment=EnrollmentFactory(chw=org.a1)))
        user = getattr(org, who)
        if found:
            assert selectors.goal_for_user(user, step.goal_id) == step.goal
            assert selectors.step_for_user(user, step.pk) == step
        else:
            with pytest.raises(Http404):
                selectors.goal_for_user(user, step.goal_id)
            with pytest.raises(Http404):
                selectors.step_for_user(user, step.pk)

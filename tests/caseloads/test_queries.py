"""The main pages run a fixed number of SQL queries whatever the caseload size."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from caseloads.alerts import alerts_sweep
from tests.conftest import NOW
from tests.factories import (
    EncounterFactory,
    EnrollmentFactory,
    GoalFactory,
    IntakeFactory,
    PartnerFactory,
    StepFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

# Session, user, the navigation's alert count, the page's own reads (alerts included),
# and supervision's panels: time off today, open follow-ups.
# Pinned: a change that adds a query per row fails. Each of these pages is patient-level,
# so each also writes its access-log row (impact.audit): the last query of every count.
CASELOAD_QUERIES = 10
# + the plan figures: goals set early, overdue steps, goal outcomes; supervision's panels:
# requests for support, cadence and follow-ups.
TEAM_QUERIES = 13
# Enrollment, its alerts, intake, goals (+ their steps and encounters), timeline (+ goals
# worked on), reassignments, the reassignment form's list of team CHWs (manager), and
# whether the CHW is off today.
PATIENT_PAGE_QUERIES = 16
# Session, user, navigation count, program (for today), the team's CHWs, their alerts,
# the access-log row.
ALERT_BOARD_QUERIES = 7


def fill(org, per_chw: int) -> None:
    for chw in (org.a1, org.a2):
        for n in range(per_chw):
            enrollment = EnrollmentFactory(chw=chw, days_ago=20 + n)
            EncounterFactory(enrollment=enrollment, occurred_at=NOW - dt.timedelta(days=n % 20))
            EncounterFactory(
                enrollment=enrollment,
                occurred_at=NOW - dt.timedelta(days=1),
                reached=False,
                kind="outreach_attempt",
            )
    # Every enrollment lacks a goal, and 50 patients are over the cap: alerts on every page.
    alerts_sweep(program=org.program)


@pytest.mark.parametrize("patients", [5, 50])
def test_caseload_page(org, login, django_assert_max_num_queries, patients):
    fill(org, patients)
    client = login(org.a1)
    with django_assert_max_num_queries(CASELOAD_QUERIES):
        response = client.get(reverse("caseloads:mine"))
    assert len(response.context["rows"]) == patients
    assert len(response.context["alerts"]) == 5


@pytest.mark.parametrize("patients", [5, 50])
def test_alert_board(org, login, django_assert_max_num_queries, patients):
    fill(org, patients)
    client = login(org.ma)
    with django_assert_max_num_queries(ALERT_BOARD_QUERIES):
        response = client.get(reverse("caseloads:alerts"))
    # One goal_missing alert per patient, an over-cap alert each when over 30, and
    # no_recent_contact for those last reached 14–19 days ago (n % 20 >= 14: 12 of 50).
    stale = sum(1 for n in range(patients) if n % 20 >= 14)
    expected = patients + (1 if patients > 30 else 0) + stale
    assert stale == (0 if patients == 5 else 12)
    assert [row.total for row in response.context["board"]] == [expected, expected]


@pytest.mark.parametrize("patients", [5, 50])
def test_caseload_page_opened_by_the_manager(org, login, django_assert_max_num_queries, patients):
    fill(org, patients)
    client = login(org.ma)
    with django_assert_max_num_queries(CASELOAD_QUERIES + 1):  # + the CHW lookup
        response = client.get(reverse("caseloads:mine"), {"chw": org.a2.pk})
    assert len(response.context["rows"]) == patients


@pytest.mark.parametrize("patients", [5, 50])
def test_team_page(org, login, django_assert_max_num_queries, patients):
    fill(org, patients)
    client = login(org.ma)
    with django_assert_max_num_queries(TEAM_QUERIES):
        response = client.get(reverse("caseloads:team"))
    assert [c.active for c in response.context["chws"]] == [patients, patients]


@pytest.mark.parametrize(("encounters", "goals", "steps_per_goal"), [(5, 1, 1), (50, 10, 10)])
def test_patient_page(org, login, django_assert_max_num_queries, encounters, goals, steps_per_goal):
    """Up to 10 goals with 100 steps, and encounters that worked on them."""
    enrollment = EnrollmentFactory(chw=org.a1, days_ago=60)
    IntakeFactory(enrollment=enrollment)
    partner = PartnerFactory(program=org.program)
    plan = [GoalFactory(enrollment=enrollment) for _ in range(goals)]
    for goal in plan:
        for n in range(steps_per_goal):
            StepFactory(
                goal=goal,
                partner=partner if n == 0 else None,
                support_type="referral" if n == 0 else "coaching",
            )
    for n in range(encounters):
        encounter = EncounterFactory(enrollment=enrollment, occurred_at=NOW - dt.timedelta(days=n))
        encounter.goals.set(plan[: n % 3])
    client = login(org.ma)
    with django_assert_max_num_queries(PATIENT_PAGE_QUERIES):
        response = client.get(reverse("caseloads:enrollment", args=[enrollment.pk]))
    assert len(response.context["timeline"]) == encounters
    assert sum(g.steps_planned for g in response.context["goals"]) == goals * steps_per_goal


# Session, user, navigation count, the enrollment (scoped), its active goals for the
# "goals worked on" list, whether the CHW is off today, the access-log row.
VISIT_FORM_QUERIES = 8


@pytest.mark.parametrize("goals", [1, 10])
def test_visit_form(org, login, django_assert_max_num_queries, goals):
    enrollment = EnrollmentFactory(chw=org.a1, days_ago=60)
    for _ in range(goals):
        GoalFactory(enrollment=enrollment)
    for n in range(goals * 5):
        EncounterFactory(enrollment=enrollment, occurred_at=NOW - dt.timedelta(days=n))
    client = login(org.a1)
    with django_assert_max_num_queries(VISIT_FORM_QUERIES):
        response = client.get(reverse("caseloads:encounter_new", args=[enrollment.pk]))
    assert response.status_code == 200
    assert len(response.context["form"].fields["goals"].queryset) == goals

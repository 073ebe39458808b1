"""Fill an empty database with a believable demo program (``manage.py seed_demo``).

One outpatient program with two teams, two managers, eight CHWs, a leader and an
administrator; about two hundred patients speaking a dozen languages; nine months of
enrollments and encounters. Two CHWs are over the caseload cap, some enrollments have run
past their planned end, some have had no contact lately, and patients keep calling after
hours and after their enrollment ended, so every screen and figure has something to show.

On top of that, the action-plan layer: a partner directory of about ten local
organisations (one no longer accepting referrals), an intake for most enrollments that
ran, one to three goals in the patient's own words with their action steps (about one goal
in four with a referral to a partner; some steps overdue), goals closed with mixed outcomes
when the enrollment closed and a few already this quarter, and the visits and calls that
worked on each goal. Then supervision, fidelity reviews, the alert sweeps of the last two
weeks, and the money and hospital use.

Each app's part is built in its own module here (demo/core.py, caseloads.py,
actionplans.py, supervision.py, fidelity.py, reports.py), in the order below.
Everything is drawn from one ``random.Random(--seed)`` and dated relative to the
program's today, so the same seed on an empty database gives the same data on the same
day; the order of the draws is the data, so a change of order changes the demo.
Rows are written with ``bulk_create`` inside the command's transaction.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from actionplans.selectors import GOAL_WINDOW_DAYS, quarter_start
from caseloads.alerts import alerts_sweep
from caseloads.models import Alert, Encounter, Enrollment
from demo.actionplans import seed_action_plans
from demo.caseloads import (
    ACTIVE_CASELOAD,
    Plan,
    Status,
    acknowledge_some,
    draw_plans,
    seed_encounters,
    seed_enrollments,
    seed_patients,
)
from demo.core import seed_program, seed_staff
from demo.fidelity import seed_fidelity
from demo.reports import seed_money
from demo.supervision import seed_supervision
from impact.models import Program, Team, User


def seed_demo(rng: random.Random) -> dict:
    """Write the demo program, app by app; return what the command reports."""
    seeding = seed_program(rng)
    program = seeding.program
    teams, users = seed_staff(seeding)
    by_name = {user.username: user for user in users}

    plans = draw_plans(seeding)
    seed_patients(seeding, plans, by_name)
    enrollments = seed_enrollments(seeding, plans, by_name)
    encounters = seed_encounters(seeding, plans)
    layer = seed_action_plans(seeding, plans, encounters)
    managers: dict[int, User] = {}
    for team in teams:
        assert team.manager is not None  # seed_staff gives every team its manager
        managers[team.pk] = team.manager
    supervision = seed_supervision(program, managers, seeding.rng)
    fidelity = seed_fidelity(program, managers[teams[0].pk])
    # The daily sweeps of the last two weeks, so alerts have their real age (some go
    # unacknowledged for over 7 days, which the manager's board shows in red).
    for days_ago in (14, 10, 7, 3, 1):
        alerts_sweep(program=program, day=seeding.today - dt.timedelta(days=days_ago))
    alerts_sweep(program=program)
    acknowledge_some(seeding)
    # Last, so adding the money layer left the rest of the demo as it was.
    money = seed_money(program, seeding.rng)
    return _summary(
        program,
        today=seeding.today,
        teams=teams,
        users=users,
        plans=plans,
        enrollments=enrollments,
        encounters=encounters,
        layer=layer,
        supervision=supervision,
        fidelity=fidelity,
        money=money,
    )


def _summary(
    program: Program,
    *,
    today: dt.date,
    teams: list[Team],
    users: list[User],
    plans: list[Plan],
    enrollments: list[Enrollment],
    encounters: list[Encounter],
    layer: dict,
    supervision: dict,
    fidelity: dict,
    money: dict,
) -> dict:
    """The figures the command prints, counted from the rows just written."""
    active = [e for e in enrollments if e.status == Status.ENROLLED]
    cutoff = today - dt.timedelta(days=program.contact_interval_days - 1)
    last_contact: dict[int, dt.date] = {}
    for encounter in encounters:
        if encounter.reached and encounter.kind not in Encounter.NON_CONTACT_KINDS:
            day = program.local_date(encounter.occurred_at)
            key = encounter.enrollment_id
            last_contact[key] = max(day, last_contact.get(key, day))
    stale = sum(
        1
        for e in active
        if e.ran_dates()[0] <= today - dt.timedelta(days=program.contact_interval_days)
        and last_contact.get(e.pk, dt.date.min) < cutoff
    )
    caseloads = Counter(e.chw.username for e in active)
    goals, steps = layer["goals"], layer["steps"]
    active_ids = {e.pk for e in active}
    begun = [
        e
        for e in enrollments
        if e.status in Enrollment.RAN_STATUSES
        and e.ran_dates()[0] <= today - dt.timedelta(days=GOAL_WINDOW_DAYS)
    ]
    early = {
        goal.enrollment_id
        for goal in goals
        if goal.set_on <= goal.enrollment.ran_dates()[0] + dt.timedelta(days=GOAL_WINDOW_DAYS)
    }
    referrals = [step for step in steps if step.partner_id is not None]
    return {
        "program": program,
        "today": today,
        "teams": len(teams),
        "users": len(users),
        "roles": Counter(user.role for user in users),
        "patients": len(plans),
        "languages": len({plan.language for plan in plans}),
        "enrollments": len(enrollments),
        "statuses": Counter(e.status for e in enrollments),
        "past_end": sum(1 for e in active if e.ran_dates()[1] < today),
        "stale": stale,
        "encounters": len(encounters),
        "after_hours": sum(1 for e in encounters if e.after_hours),
        "after_end": sum(1 for e in encounters if e.after_end),
        "caseloads": {name: caseloads[name] for name in ACTIVE_CASELOAD},
        "partners": len(layer["partners"]),
        "partners_active": sum(1 for partner in layer["partners"] if partner.is_active),
        "intakes": len(layer["intakes"]),
        "goals": len(goals),
        "goal_statuses": Counter(goal.status for goal in goals),
        "goals_early": (sum(1 for e in begun if e.pk in early), len(begun)),
        "goals_closed_this_quarter": sum(
            1 for goal in goals if goal.closed_on and goal.closed_on >= quarter_start(today)
        ),
        "steps": len(steps),
        "step_statuses": Counter(step.status for step in steps),
        "overdue_steps": sum(
            1 for step in steps if step.is_overdue(today) and step.goal.enrollment_id in active_ids
        ),
        "referrals": len(referrals),
        "referral_outcomes": Counter(step.referral_outcome for step in referrals),
        "goal_links": len(layer["links"]),
        "supervision": supervision,
        "fidelity": fidelity,
        "money": money,
        "alerts": Counter(
            Alert.objects.filter(status__in=Alert.UNRESOLVED).values_list("kind", flat=True)
        ),
        "logins": users,
    }

"""Writes with history: every service that writes a clinical, supervision or program record,
run the way it runs in production (in a signed-in person's web request, or as a task or a
command), leaves one historical row per row it created, changed or deleted, with the
values the row has now and the right actor. The issue asks for 100%; the figure is printed
(`pytest tests/audit/test_coverage.py -s`)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from simple_history.middleware import _context_manager

from actionplans import services as plans
from actionplans.models import ActionStep, Goal
from caseloads import services as caseloads
from caseloads import tasks as caseload_tasks
from caseloads.alerts import alerts_sweep
from caseloads.models import Alert, Encounter
from caseloads.services import EncounterInput
from fidelity import services as fidelity
from impact import audit
from impact import services as program_services
from impact.models import User
from reports.finance import services as finance
from reports.imports import checks
from reports.imports import services as utilization
from supervision import services as supervision
from supervision import tasks as supervision_tasks
from supervision.models import FollowUp
from tests.audit.ledger import Ledger, missing
from tests.factories import (
    EncounterFactory,
    EnrollmentFactory,
    GoalFactory,
    PatientFactory,
    StepFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NY = zoneinfo.ZoneInfo("America/New_York")
TODAY = dt.date(2026, 11, 18)


def in_request(user: User) -> AbstractContextManager[None]:
    """The request context HistoryRequestMiddleware gives a signed-in person's request."""
    request = RequestFactory().post("/")
    request.user = user
    return _context_manager(request)


class Run:
    """Runs each step in its context and keeps what its ledger found."""

    def __init__(self):
        self.writes: dict[str, list] = {}

    def web(self, name: str, user, action: Callable) -> None:
        ledger = Ledger().open()
        with in_request(user):
            action()
        self.writes[name] = ledger.close(user=user)

    def system(self, name: str, label: str, action: Callable) -> None:
        ledger = Ledger().open()
        action()
        self.writes[name] = ledger.close(label=label)


@pytest.fixture
def world(org):
    """a1's patient ending in 10 days with two goals, an open step, a visit, and the
    alerts the first sweep opened; a2's patient who will withdraw."""
    ending = EnrollmentFactory(chw=org.a1, days_ago=170)
    walking = GoalFactory(enrollment=ending, statement="Walk to church again")
    housing = GoalFactory(enrollment=ending, statement="Keep my apartment", category="housing")
    StepFactory(goal=walking, status=ActionStep.Status.PLANNED, due_on=TODAY + dt.timedelta(3))
    EncounterFactory(enrollment=ending, occurred_at=dt.datetime(2026, 11, 17, 10, tzinfo=NY))
    leaving = EnrollmentFactory(chw=org.a2, days_ago=40)
    GoalFactory(enrollment=leaving)
    EnrollmentFactory(chw=org.a1, days_ago=20)  # no goal yet: an alert to acknowledge
    with audit.acting_as(audit.ALERT_SWEEP):
        alerts_sweep(program=org.program)
    return ending, (walking, housing), leaving


def test_every_write_of_every_service_keeps_its_history_with_its_actor(org, world, capsys):
    ending, (walking, housing), leaving = world
    program = org.program
    run = Run()
    made: dict[str, Any] = {}

    # -- caseloads ---------------------------------------------------------------------
    def register():
        made["patient"] = caseloads.patient_create(
            program=program,
            by=org.a1,
            given_name="Rosa",
            family_name="Quispe",
            date_of_birth=dt.date(1960, 4, 2),
            mrn="MRN-AUDIT-1",
        )
        made["enrollment"] = caseloads.enrollment_create(
            patient=made["patient"],
            chw=org.a1,
            status="enrolled",
            referred_on=TODAY - dt.timedelta(days=3),
            enrolled_on=TODAY - dt.timedelta(days=2),
            by=org.a1,
        )

    run.web("register and enroll a patient", org.a1, register)
    run.web(
        "log a visit with the next contact",
        org.a1,
        lambda: caseloads.encounter_log(
            enrollment=ending,
            author=org.a1,
            data=EncounterInput(
                occurred_at=dt.datetime(2026, 11, 18, 9, tzinfo=NY), kind="home_visit", reached=True
            ),
            next_touchpoint_on=TODAY + dt.timedelta(days=5),
            goals=[walking],
        ),
    )
    run.web(
        "reassign",
        org.ma,
        lambda: caseloads.enrollment_reassign(
            enrollment=made["enrollment"], to_chw=org.a2, reason="Closer to home", by=org.ma
        ),
    )
    run.web(
        "extend",
        org.ma,
        lambda: caseloads.enrollment_extend(
            enrollment=ending,
            planned_end_on=ending.planned_end_on + dt.timedelta(days=30),
            reason="Housing hearing next month",
            by=org.ma,
        ),
    )
    alert = Alert.objects.get(chw=org.a1, kind="goal_missing")
    run.web(
        "acknowledge an alert",
        org.a1,
        lambda: caseloads.alert_acknowledge(alert=alert, by=org.a1, note="Calling today"),
    )
    run.web("resolve an alert", org.ma, lambda: caseloads.alert_resolve(alert=alert, by=org.ma))

    # -- action plans ------------------------------------------------------------------
    def plan():
        plans.intake_save(enrollment=ending, by=org.a1, life_story="Grew up in Oaxaca.")
        plans.intake_save(enrollment=ending, by=org.a1, priorities="Stay housed.")
        made["goal"] = plans.goal_create(
            enrollment=ending,
            by=org.a1,
            statement="Sleep better",
            category="mental_health",
            set_on=TODAY,
        )
        made["step"] = plans.step_create(
            goal=made["goal"],
            by=org.a1,
            description="Try the breathing app",
            owner="patient",
            support_type="coaching",
            due_on=TODAY + dt.timedelta(days=7),
        )
        plans.step_create(
            goal=made["goal"],
            by=org.a1,
            description="Ask the doctor",
            owner="patient",
            support_type="coaching",
            due_on=TODAY + dt.timedelta(days=9),
        )
        plans.step_move_due(step=made["step"], by=org.a1, due_on=TODAY + dt.timedelta(days=14))
        plans.step_mark_done(step=made["step"], by=org.a1)

    run.web("intake, a goal and its steps", org.a1, plan)
    run.web(
        "close a goal: its open steps are skipped in bulk",
        org.a1,
        lambda: plans.goal_update(
            goal=made["goal"],
            by=org.a1,
            statement="Sleep better",
            category="mental_health",
            condition="",
            set_by="patient",
            set_on=TODAY,
            status="dropped",
            closed_on=TODAY,
        ),
    )
    run.web(
        "add and edit a partner",
        org.ma,
        lambda: plans.partner_save(
            program=program,
            by=org.ma,
            partner=plans.partner_save(program=program, by=org.ma, name="Food Bank", kind="food"),
            notes="Open Saturdays",
        ),
    )
    run.web(
        "graduate: goals closed and steps skipped in bulk",
        org.a1,
        lambda: plans.enrollment_graduate(
            enrollment=ending,
            by=org.a1,
            closed_on=TODAY,
            summary="Walks twice a week.",
            handoff_to="Nurse Alvarez",
            handoff_accepted=True,
            outcomes={walking.pk: "achieved", housing.pk: "partly_achieved"},
        ),
    )
    run.web(
        "withdraw",
        org.ma,
        lambda: plans.enrollment_withdraw(
            enrollment=leaving, by=org.ma, closed_on=TODAY, reason="Moved away"
        ),
    )

    # -- supervision -------------------------------------------------------------------
    run.web(
        "a one on one with follow-ups",
        org.ma,
        lambda: supervision.session_record(
            manager=org.ma,
            chw=org.a1,
            kind="one_on_one",
            occurred_on=TODAY,
            duration_minutes=45,
            notes="Boundaries",
            follow_ups=[("Take Friday off", TODAY + dt.timedelta(days=2)), ("Call", TODAY)],
        ),
    )
    run.web(
        "a follow-up done",
        org.a1,
        lambda: supervision.follow_up_done(follow_up=FollowUp.objects.order_by("pk")[0], by=org.a1),
    )

    def check_ins():
        supervision.check_in_save(chw=org.a1, on=TODAY, burnout_score=4)
        supervision.check_in_save(chw=org.a1, on=TODAY, burnout_score=3, wants_support=True)

    run.web("a check-in, then its correction", org.a1, check_ins)
    run.web(
        "time off",
        org.a1,
        lambda: supervision.time_off_record(
            chw=org.a1,
            starts_on=TODAY + dt.timedelta(days=10),
            ends_on=TODAY + dt.timedelta(days=12),
            by=org.a1,
            backup=org.a2,
        ),
    )
    run.web(
        "a training",
        org.ma,
        lambda: supervision.training_record(
            user=org.a1, topic="mental_health", completed_on=TODAY, by=org.ma
        ),
    )

    # -- fidelity ----------------------------------------------------------------------
    def review():
        started = fidelity.review_start(
            program=program,
            start=TODAY - dt.timedelta(days=90),
            end=TODAY - dt.timedelta(1),
            by=org.ma,
        )
        for rating in started.ratings.all():
            fidelity.rating_save(
                rating=rating, by=org.ma, value="not_met", reason="other", note="Short-staffed"
            )
        fidelity.review_finalize(review=started, by=org.ma)

    run.web("a fidelity review: started, rated, final", org.ma, review)
    run.web(
        "an implementation-log entry and the stage",
        org.leader,
        lambda: (
            fidelity.note_create(
                program=program,
                by=org.leader,
                on=TODAY,
                cfir_domain="inner_setting",
                direction="barrier",
                theme="Staffing",
                note="Two vacancies",
            ),
            fidelity.stage_change(program=program, stage="sustainment", by=org.leader),
        ),
    )

    # -- the program, money and hospital use -------------------------------------------
    run.web(
        "program settings (working hours)",
        org.ma,
        lambda: program_services.program_update_settings(
            program=program, by=org.ma, workday_start=dt.time(9, 0)
        ),
    )
    run.web(
        "ROI settings",
        org.leader,
        lambda: program_services.program_roi_settings_update(
            program=program, by=org.leader, attribution=Decimal("0.8")
        ),
    )

    def money():
        line = finance.cost_line_create(
            program=program,
            by=org.leader,
            category="chw_salary",
            amount=Decimal("5000"),
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 1, 31),
        )
        finance.cost_line_update(
            line=line,
            category="chw_salary",
            amount=Decimal("5200"),
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 1, 31),
        )
        finance.cost_line_delete(line=line)
        source = finance.funding_create(
            program=program,
            name="City grant",
            kind="grant",
            amount=Decimal("100000"),
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 12, 31),
        )
        finance.funding_update(
            source=source,
            name="City grant",
            kind="grant",
            amount=Decimal("120000"),
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 12, 31),
        )
        finance.funding_delete(source=source)

    run.web("cost lines and funding: made, changed, deleted", org.leader, money)
    PatientFactory(program=program, mrn="MRN0000101")
    content = b"MRN,kind,admitted,discharged\nMRN0000101,inpatient,2026-03-02,2026-03-06\n"

    def hospital_use():
        checked = checks.check(program=program, content=content)
        utilization.import_checked(
            program=program, checked=checked, content=content, filename="s.csv", by=org.leader
        )

    run.web("a hospital-use import", org.leader, hospital_use)

    # -- tasks and commands ------------------------------------------------------------
    # Flags gone stale (as after a change of working hours): the task recomputes them.
    Encounter.objects.filter(enrollment__chw=org.a1).update(after_hours=True)
    run.system(
        "the task after a settings change: encounters re-flagged in bulk, alerts swept",
        audit.SETTINGS_CHANGED,
        lambda: caseload_tasks.program_settings_changed(program.pk, True),
    )
    EnrollmentFactory(chw=org.b1, days_ago=20)  # no goal yet: the sweep opens an alert
    run.system(
        "the daily alert sweep task",
        audit.ALERT_SWEEP,
        lambda: caseload_tasks.sweep_program(program.pk),
    )
    EnrollmentFactory(chw=org.b2, days_ago=20)
    run.system(
        "the sweep_alerts command",
        "command: sweep_alerts",
        lambda: call_command("sweep_alerts", stdout=None),
    )
    run.system(
        "the weekly burnout snapshot task",
        audit.BURNOUT_SNAPSHOT,
        supervision_tasks.snapshot_due_programs,
    )

    writes = [w for each in run.writes.values() for w in each]
    recorded = sum(w.recorded for w in writes)
    with capsys.disabled():
        print(
            f"\nWrites with history: {recorded} of {len(writes)} "
            f"({100 * recorded / len(writes):.1f}%) over {len(run.writes)} write paths"
        )
    assert missing(writes) == []
    silent = [name for name, each in run.writes.items() if not each]
    assert silent == ["the weekly burnout snapshot task"]  # snapshots are not history
    assert Goal.objects.filter(status="dropped").exists()

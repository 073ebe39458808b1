"""History of every clinical and supervision record: who changed what, on the web, in tasks
and in commands; bulk writes leave one historical row per row; administrators read it in
the admin, nobody else, and it never reaches a leader or an export."""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zoneinfo
from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from actionplans.models import ActionStep, Goal
from caseloads import tasks
from caseloads.alerts import alerts_sweep
from caseloads.models import Alert, Encounter, Enrollment, Patient
from caseloads.services import encounters_reflag
from impact import audit
from impact.models import Role
from tests.factories import (
    EncounterFactory,
    EnrollmentFactory,
    GoalFactory,
    StepFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NY = zoneinfo.ZoneInfo("America/New_York")
TODAY = dt.date(2026, 11, 18)


def rows(model, **filters) -> list[tuple]:
    """(type, user id, reason) of the model's historical rows, oldest first."""
    return list(
        audit.history_of(model)
        .filter(**filters)
        .order_by("history_id")
        .values_list("history_type", "history_user_id", "history_change_reason")
    )


def test_every_record_the_issue_names_keeps_its_history():
    names = {model.__name__ for model in audit.history_models()}
    assert names == {
        "Patient",
        "Enrollment",
        "EnrollmentReassignment",
        "Encounter",
        "Alert",
        "Intake",
        "Goal",
        "ActionStep",
        "Partner",
        "SupervisionSession",
        "FollowUp",
        "WellbeingCheckIn",
        "TimeOff",
        "TrainingRecord",
        "FidelityReview",
        "ComponentRating",
        "ImplementationNote",
        "Program",
        "CostLine",
        "FundingSource",
        "UtilizationRecord",
    }


# -- the actor ---------------------------------------------------------------------------


def test_a_visit_logged_on_the_web_is_the_chws_in_the_history(org, login):
    enrollment = EnrollmentFactory(chw=org.a1, days_ago=30)
    response = login(org.a1).post(
        reverse("caseloads:encounter_new", args=[enrollment.pk]),
        {
            "kind": "home_visit",
            "reached": "yes",
            "occurred_at": "2026-11-18T09:30",
            "initiated_by": "chw",
            "setting": "",
            "duration_minutes": "45",
            "notes": "Talked about the food pantry.",
            "next_touchpoint_on": "2026-11-25",
            "submission_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    encounter = Encounter.objects.get()
    assert rows(Encounter, id=encounter.pk) == [("+", org.a1.pk, None)]
    # The next contact is set with a bulk update: its history row is written too.
    [*_, last] = Enrollment.history.filter(id=enrollment.pk).order_by("history_id")
    assert (last.history_type, last.history_user_id) == ("~", org.a1.pk)
    assert last.next_touchpoint_on == dt.date(2026, 11, 25)


def test_graduating_on_the_web_records_each_goal_and_step_closed_in_bulk(org, login):
    enrollment = EnrollmentFactory(chw=org.a1, days_ago=170)
    goals = [GoalFactory(enrollment=enrollment) for _ in range(3)]
    steps = [StepFactory(goal=goal, due_on=TODAY + dt.timedelta(days=3)) for goal in goals]
    marks = {
        model: audit.history_of(model)
        .order_by("-history_id")
        .values_list("history_id", flat=True)
        .first()
        for model in (Goal, ActionStep, Enrollment)
    }
    response = login(org.a1).post(
        reverse("actionplans:graduate", args=[enrollment.pk]),
        {f"goal_{goal.pk}": "achieved" for goal in goals}
        | {
            "summary": "Walks twice a week.",
            "handoff_to": "Nurse Alvarez",
            "handoff_accepted": "yes",
            "closed_on": "2026-11-18",
        },
    )
    assert response.status_code == 302
    goal_rows = Goal.history.filter(history_id__gt=marks[Goal])
    assert sorted(goal_rows.values_list("id", "status", "history_user_id")) == [
        (goal.pk, "achieved", org.a1.pk) for goal in goals
    ]
    step_rows = ActionStep.history.filter(history_id__gt=marks[ActionStep])
    assert sorted(step_rows.values_list("id", "status", "history_user_id")) == [
        (step.pk, "skipped", org.a1.pk) for step in steps
    ]
    closing = Enrollment.history.filter(history_id__gt=marks[Enrollment]).get()
    assert (closing.status, closing.closed_by_id, closing.history_user_id) == (
        "graduated",
        org.a1.pk,
        org.a1.pk,
    )


def test_the_daily_sweep_task_is_the_system_on_every_alert_it_opens_and_resolves(org):
    enrollments = [EnrollmentFactory(chw=org.a1, days_ago=20) for _ in range(3)]
    tasks.sweep_program(org.program.pk)
    opened = list(Alert.objects.filter(kind="goal_missing").order_by("enrollment_id"))
    assert len(opened) == 3
    assert rows(Alert, kind="goal_missing") == [("+", None, audit.ALERT_SWEEP)] * 3
    for enrollment in enrollments[:2]:
        GoalFactory(enrollment=enrollment)
    tasks.sweep_program(org.program.pk)
    resolved = Alert.history.filter(kind="goal_missing", history_type="~")
    assert sorted(resolved.values_list("id", "status", "history_change_reason")) == [
        (alert.pk, "resolved", audit.ALERT_SWEEP) for alert in opened[:2]
    ]  # one row per alert resolved, none for the one still open


def test_a_task_acting_for_a_person_records_them_and_names_itself(org):
    enrollment = EnrollmentFactory(chw=org.a1, days_ago=30)
    with audit.acting_as(org.ma):
        enrollment.close_reason = "checked"
        enrollment.save()
    assert rows(Enrollment)[-1] == ("~", org.ma.pk, f"user: {org.ma.username}")
    assert audit.current_actor() is None  # only inside the block


def test_the_refresh_after_a_persons_write_is_theirs(org):
    enrollment = EnrollmentFactory(chw=org.a1, days_ago=20)
    alerts_sweep(program=org.program)  # nobody named: the sweep names itself
    assert rows(Alert, kind="goal_missing") == [("+", None, audit.ALERT_SWEEP)]
    with audit.acting_as(org.ma, "web"):
        GoalFactory(enrollment=enrollment)
        alerts_sweep(program=org.program, chw_ids=[org.a1.pk])
    assert rows(Alert, kind="goal_missing")[-1] == ("~", org.ma.pk, "web")


def test_commands_name_themselves(org, tmp_path):
    EnrollmentFactory(chw=org.a1, days_ago=20)
    call_command("sweep_alerts", stdout=StringIO())
    assert rows(Alert, kind="goal_missing") == [("+", None, "command: sweep_alerts")]


def test_the_demo_seed_names_itself_on_one_row_per_row_it_wrote_or_wiped():
    call_command("seed_demo", stdout=StringIO())
    seeded = {}
    for model in audit.history_models():
        seeded[model] = set(model._base_manager.values_list("pk", flat=True))
        created = audit.history_of(model).filter(history_type="+")
        assert set(created.values_list("id", flat=True)) == seeded[model], model.__name__
        assert created.count() == len(seeded[model])
        assert (
            not audit.history_of(model).exclude(history_change_reason="command: seed_demo").exists()
        )
        assert not audit.history_of(model).exclude(history_user_id=None).exists()
    assert len(seeded[Patient]) > 200
    call_command("seed_demo", "--force", stdout=StringIO())
    for model in audit.history_models():
        deleted = audit.history_of(model).filter(history_type="-")
        assert set(deleted.values_list("id", flat=True)) == seeded[model], model.__name__
        assert deleted.count() == len(seeded[model])


# -- bulk writes -------------------------------------------------------------------------


def test_re_flagging_writes_one_history_row_per_encounter_that_changed(org):
    enrollment = EnrollmentFactory(chw=org.a1, days_ago=30)
    visits = [
        EncounterFactory(enrollment=enrollment, occurred_at=dt.datetime(2026, 11, d, 10, tzinfo=NY))
        for d in range(9, 14)  # Monday to Friday, in working hours
    ]
    Encounter.objects.filter(pk__in=[v.pk for v in visits[:3]]).update(after_hours=True)
    mark = Encounter.history.order_by("-history_id").values_list("history_id", flat=True).first()
    with audit.acting_as(audit.SETTINGS_CHANGED):
        assert encounters_reflag(program=org.program) == 3
    changed = Encounter.history.filter(history_id__gt=mark)
    assert sorted(changed.values_list("id", "after_hours", "history_change_reason")) == [
        (v.pk, False, audit.SETTINGS_CHANGED) for v in visits[:3]
    ]


def test_an_update_with_history_keeps_its_condition_and_counts_what_it_changed(org):
    enrollments = [EnrollmentFactory(chw=org.a1, days_ago=30) for _ in range(3)]
    Enrollment.objects.filter(pk=enrollments[0].pk).update(status="withdrawn")
    changed = audit.update(
        Enrollment.objects.filter(chw=org.a1, status="enrolled"), next_touchpoint_on=TODAY
    )
    assert changed == 2
    assert sorted(
        Enrollment.history.filter(history_type="~").values_list("id", "next_touchpoint_on")
    ) == [(e.pk, TODAY) for e in enrollments[1:]]


def test_bulk_paths_take_a_few_queries_whatever_the_number_of_rows(
    org, django_assert_max_num_queries
):
    enrollment = EnrollmentFactory(chw=org.a1, days_ago=30)
    for size in (2, 40):
        Encounter.objects.all().delete()
        made = [
            Encounter(
                enrollment=enrollment,
                author=org.a1,
                occurred_at=dt.datetime(2026, 11, 10, 10, tzinfo=NY),
                kind="phone",
                setting="remote",
            )
            for _ in range(size)
        ]
        # One insert (per 500 rows), one copy of the rows to their history (per 900).
        with django_assert_max_num_queries(2):
            audit.bulk_create(Encounter, made)
        # Its transaction's savepoint and release, the ids (locked), the update, the copy.
        with django_assert_max_num_queries(5):
            audit.update(Encounter.objects.filter(enrollment=enrollment), duration_minutes=5)
        assert Encounter.history.filter(history_type="~", duration_minutes=5).count() >= size


# -- who reads it ------------------------------------------------------------------------


def test_administrators_read_a_records_history_in_the_admin(org, login):
    enrollment = EnrollmentFactory(chw=org.a1, days_ago=30)
    with audit.acting_as(org.ma):
        enrollment.close_reason = "typo fixed"
        enrollment.save()
    client = login(org.admin)
    url = reverse("admin:caseloads_enrollment_history", args=[enrollment.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert str(org.ma) in page.content.decode() or org.ma.username in page.content.decode()
    version = Enrollment.history.filter(id=enrollment.pk).first()
    old = reverse(
        "admin:caseloads_enrollment_simple_history", args=[enrollment.pk, version.history_id]
    )
    assert client.get(old).status_code == 200
    # Reverting from the admin is refused: every write goes through a service.
    assert client.post(old, {"status": "withdrawn"}).status_code == 403
    enrollment.refresh_from_db()
    assert enrollment.close_reason == "typo fixed"


def test_staff_who_are_not_administrators_never_see_the_history(org, login):
    enrollment = EnrollmentFactory(chw=org.a1, days_ago=30)
    url = reverse("admin:caseloads_enrollment_history", args=[enrollment.pk])
    staff_manager = UserFactory(role=Role.MANAGER, program=org.program, is_staff=True)
    assert login(staff_manager).get(url).status_code == 403
    leader = login(org.leader).get(url)  # not staff: the admin's own sign-in page
    assert leader.status_code == 302 and "/admin/login/" in leader.url


def test_historical_models_are_never_registered_in_the_admin_or_exported(org, login):
    for model in audit.history_models():
        assert not admin.site.is_registered(audit.history_of(model).model), model.__name__
    EnrollmentFactory(chw=org.a1, days_ago=300)
    response = login(org.leader).post(
        reverse("reports:exports"), {"start": "2026-01-01", "end": "2026-12-31", "kind": "xlsx"}
    )
    assert response.status_code == 200
    sheets = load_workbook(io.BytesIO(response.content))
    cells = {str(c.value).lower() for sheet in sheets for row in sheet.iter_rows() for c in row}
    assert not any("history" in cell for cell in cells)

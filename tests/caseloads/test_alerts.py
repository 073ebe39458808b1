"""The boundary-alert sweep (DESIGN.md §5.1), with hand-made dates and a frozen clock.

The clock is Wednesday 18 November 2026, 10:00 in New York: "today" is 2026-11-18, and
"the last 7 days" are 12–18 November.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_q.models import Schedule
from django_q.tasks import async_task

from actionplans import services as plan_services
from caseloads import services
from caseloads.alerts import alerts_sweep
from caseloads.models import Alert, Enrollment, SweepRun
from caseloads.services import EncounterInput
from tests.conftest import NOW
from tests.factories import EncounterFactory, EnrollmentFactory, GoalFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NY = zoneinfo.ZoneInfo("America/New_York")
TODAY = dt.date(2026, 11, 18)
K = Alert.Kind


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=NY)


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def unresolved(kind: str) -> list[Alert]:
    return list(Alert.objects.filter(kind=kind, status__in=Alert.UNRESOLVED).order_by("pk"))


def enrolled(chw, *, days_ago: int = 30, goal: bool = True, contact: bool = True, **kw):
    """An enrollment with a goal and a recent contact, so only the alert under test fires."""
    enrollment = EnrollmentFactory(chw=chw, days_ago=days_ago, **kw)
    if goal:
        GoalFactory(enrollment=enrollment)
    if contact:
        EncounterFactory(enrollment=enrollment, occurred_at=at(TODAY, 9))
    return enrollment


def log(enrollment, when: dt.datetime, **kw):
    data = EncounterInput(occurred_at=when, kind=kw.pop("kind", "phone"), reached=True, **kw)
    return services.encounter_log(enrollment=enrollment, author=enrollment.chw, data=data)


# -- each kind ------------------------------------------------------------------------------


def test_end_approaching_opens_from_the_warning_day_and_end_overdue_from_the_end_date(org):
    # end_warning_days = 14: an end on 2 December (today + 14) warns, 3 December does not.
    ends = {n: enrolled(org.a1, planned_end_on=TODAY + days(n)) for n in (15, 14, 1, 0, -3)}
    alerts_sweep(program=org.program)
    assert {a.enrollment_id for a in unresolved(K.END_APPROACHING)} == {ends[14].pk, ends[1].pk}
    assert {a.enrollment_id for a in unresolved(K.END_OVERDUE)} == {ends[0].pk, ends[-3].pk}
    approaching = Alert.objects.get(kind=K.END_APPROACHING, enrollment=ends[14])
    name = ends[14].patient.display_name
    assert approaching.sentence(TODAY) == (
        f"The program ends in 14 days for {name}: plan the handoff."
    )
    assert approaching.sentence(TODAY + days(5)) == (
        f"The program ends in 9 days for {name}: plan the handoff."
    )
    overdue = Alert.objects.get(enrollment=ends[-3])
    assert overdue.sentence(TODAY).startswith(
        f"{ends[-3].patient.display_name} is 3 days past the program end date"
    )


def test_end_overdue_is_not_raised_for_a_graduated_patient(org):
    graduated = enrolled(org.a1, days_ago=200)
    Enrollment.objects.filter(pk=graduated.pk).update(
        status=Enrollment.Status.GRADUATED, closed_on=TODAY - days(5)
    )
    alerts_sweep(program=org.program)
    assert not Alert.objects.filter(enrollment=graduated).exists()


def test_contact_after_end_counts_the_last_7_days_even_after_graduation(org):
    enrollment = enrolled(org.a1, days_ago=200, contact=False)
    Enrollment.objects.filter(pk=enrollment.pk).update(
        status=Enrollment.Status.GRADUATED, closed_on=TODAY - days(20)
    )
    enrollment.refresh_from_db()
    # 11 November 23:59 is outside the last 7 days (12–18 November); it is after the end.
    old = log(enrollment, at(TODAY - days(7), 23, 59))
    assert old.after_end
    assert unresolved(K.CONTACT_AFTER_END) == []
    # The patient calls again on 12 November at midnight: inside the window.
    log(enrollment, at(TODAY - days(6), 0, 0), initiated_by="patient")
    [alert] = unresolved(K.CONTACT_AFTER_END)
    assert (alert.chw, alert.enrollment, alert.facts["count"]) == (org.a1, enrollment, 1)


def test_a_resolved_after_end_alert_stays_resolved_until_the_patient_calls_again(org):
    enrollment = enrolled(org.a1, days_ago=200, contact=False)
    Enrollment.objects.filter(pk=enrollment.pk).update(
        status=Enrollment.Status.GRADUATED, closed_on=TODAY - days(20)
    )
    enrollment.refresh_from_db()
    log(enrollment, at(TODAY - days(2), 11))
    [alert] = unresolved(K.CONTACT_AFTER_END)
    services.alert_resolve(alert=alert, by=org.a1, note="Talked it through, handed off.")
    assert alerts_sweep(program=org.program).opened == {}
    assert unresolved(K.CONTACT_AFTER_END) == []
    # A later after-end contact is a new occurrence: a new alert.
    log(enrollment, at(TODAY, 9))
    [again] = unresolved(K.CONTACT_AFTER_END)
    assert again.pk != alert.pk and again.facts["count"] == 2
    assert Alert.objects.filter(kind=K.CONTACT_AFTER_END).count() == 2


def test_no_recent_contact_after_the_contact_interval(org):
    # contact_interval_days = 14: "the last 14 days" are 5–18 November; a contact on
    # 4 November at 23:59 is 14 days ago and outside them.
    new = enrolled(org.a1, days_ago=13, contact=False)  # not enrolled long enough
    never = enrolled(org.a1, days_ago=14, contact=False)
    inside = enrolled(org.a1, days_ago=40, contact=False)
    EncounterFactory(enrollment=inside, occurred_at=at(TODAY - days(13), 0, 0))
    outside = enrolled(org.a1, days_ago=40, contact=False)
    EncounterFactory(enrollment=outside, occurred_at=at(TODAY - days(14), 23, 59))
    # Not contacts: an unanswered outreach attempt and a chart review.
    EncounterFactory(enrollment=outside, occurred_at=at(TODAY, 9), reached=False)
    EncounterFactory(
        enrollment=outside, occurred_at=at(TODAY, 9), reached=False, kind="chart_review"
    )
    alerts_sweep(program=org.program)
    stale = {a.enrollment_id: a for a in unresolved(K.NO_RECENT_CONTACT)}
    assert set(stale) == {never.pk, outside.pk}
    assert new.pk not in stale and inside.pk not in stale
    assert stale[outside.pk].sentence(TODAY) == (
        f"No contact with {outside.patient.display_name} for 14 days (the standard is every "
        "14 days): call or visit, and log each attempt."
    )


def test_logging_a_contact_resolves_no_recent_contact_at_once(org):
    enrollment = enrolled(org.a1, days_ago=20, contact=False)
    alerts_sweep(program=org.program)
    [alert] = unresolved(K.NO_RECENT_CONTACT)
    log(enrollment, at(TODAY, 9, 30))
    alert.refresh_from_db()
    assert alert.status == Alert.Status.RESOLVED
    assert alert.resolved_by_system and alert.cleared_on == TODAY


def test_an_unanswered_attempt_does_not_resolve_no_recent_contact(org):
    enrollment = enrolled(org.a1, days_ago=20, contact=False)
    alerts_sweep(program=org.program)
    data = EncounterInput(occurred_at=at(TODAY, 9), kind="outreach_attempt", reached=False)
    services.encounter_log(enrollment=enrollment, author=org.a1, data=data)
    assert len(unresolved(K.NO_RECENT_CONTACT)) == 1


def test_goal_missing_after_14_days_and_resolved_by_the_first_goal(org):
    thirteen = enrolled(org.a1, days_ago=13, goal=False)
    fourteen = enrolled(org.a1, days_ago=14, goal=False)
    alerts_sweep(program=org.program)
    assert [a.enrollment for a in unresolved(K.GOAL_MISSING)] == [fourteen]
    assert thirteen.alerts.count() == 0
    plan_services.goal_create(
        enrollment=fourteen,
        by=org.a1,
        statement="Quiero caminar sin dolor",
        category="chronic_disease",
        set_on=TODAY,
    )
    assert unresolved(K.GOAL_MISSING) == []


def test_caseload_over_cap_opens_once_per_episode(org):
    org.program.caseload_cap = 3
    org.program.save()
    patients = [enrolled(org.a1) for _ in range(4)]
    enrolled(org.a2)
    alerts_sweep(program=org.program)
    [alert] = unresolved(K.CASELOAD_OVER_CAP)
    assert (alert.chw, alert.enrollment, alert.facts) == (org.a1, None, {"count": 4, "cap": 3})
    services.alert_resolve(alert=alert, by=org.ma)
    assert alerts_sweep(program=org.program).opened == {}  # same episode: not reopened
    # Back under the cap ends the episode; over it again is a new one.
    plan_services.enrollment_withdraw(
        enrollment=patients[0], by=org.a1, closed_on=TODAY, reason="Moved away"
    )
    alert.refresh_from_db()
    assert alert.cleared_on == TODAY
    enrolled(org.a1)
    alerts_sweep(program=org.program)
    assert len(unresolved(K.CASELOAD_OVER_CAP)) == 1
    assert Alert.objects.filter(kind=K.CASELOAD_OVER_CAP).count() == 2


def test_after_hours_edges_and_the_after_hours_alert(org):
    """Workday 08:00–18:00, Monday to Friday, New York time."""
    enrollment = enrolled(org.a1)
    monday, tuesday, saturday = dt.date(2026, 11, 16), dt.date(2026, 11, 17), dt.date(2026, 11, 14)
    in_hours = log(enrollment, at(monday, 17, 59))
    at_six = log(enrollment, at(monday, 18, 0))
    weekend = log(enrollment, at(saturday, 11, 0))
    assert (in_hours.after_hours, at_six.after_hours, weekend.after_hours) == (False, True, True)
    assert unresolved(K.AFTER_HOURS_WORK) == []  # two after-hours encounters so far
    early = log(enrollment, at(tuesday, 7, 59))
    assert early.after_hours
    [alert] = unresolved(K.AFTER_HOURS_WORK)
    assert (alert.chw, alert.facts) == (org.a1, {"count": 3})


def test_after_hours_uses_the_program_time_zone_not_the_server_one(org):
    """18:30 in New York is 23:30 UTC: after hours there whatever the server's zone."""
    enrollment = enrolled(org.a1)
    utc = dt.datetime(2026, 11, 17, 23, 30, tzinfo=dt.UTC)
    assert log(enrollment, utc).after_hours
    assert not log(enrollment, dt.datetime(2026, 11, 17, 22, 30, tzinfo=dt.UTC)).after_hours


# -- idempotence and resolution --------------------------------------------------------------


def test_a_second_sweep_opens_and_resolves_nothing(org):
    enrolled(org.a1, days_ago=20, goal=False, contact=False)
    enrolled(org.b1, planned_end_on=TODAY + days(3))
    first = alerts_sweep(program=org.program)
    assert first.opened == {K.GOAL_MISSING: 1, K.NO_RECENT_CONTACT: 1, K.END_APPROACHING: 1}
    count = Alert.objects.count()
    second = alerts_sweep(program=org.program)
    assert (second.opened, second.resolved) == ({}, {})
    assert Alert.objects.count() == count


def test_extending_the_end_date_resolves_end_overdue_by_system(org):
    enrollment = enrolled(org.a1, days_ago=185)
    alerts_sweep(program=org.program)
    [alert] = unresolved(K.END_OVERDUE)
    services.enrollment_extend(
        enrollment=enrollment, planned_end_on=TODAY + days(30), reason="Housing hearing", by=org.ma
    )
    alert.refresh_from_db()
    assert alert.status == Alert.Status.RESOLVED and alert.resolved_by_system
    assert unresolved(K.END_APPROACHING) == []  # 30 days left is outside the warning


def test_reassigning_moves_the_patients_alerts_to_the_new_chw(org):
    enrollment = enrolled(org.a1, days_ago=20, goal=False)
    alerts_sweep(program=org.program)
    [before] = unresolved(K.GOAL_MISSING)
    services.enrollment_reassign(enrollment=enrollment, to_chw=org.a2, reason="Leave", by=org.ma)
    before.refresh_from_db()
    [after] = unresolved(K.GOAL_MISSING)
    assert before.status == Alert.Status.RESOLVED and after.chw == org.a2


def test_a_sweep_that_fails_halfway_writes_nothing_and_the_next_one_completes(org, monkeypatch):
    gone = enrolled(org.a1, days_ago=20, goal=False)
    alerts_sweep(program=org.program)
    GoalFactory(enrollment=gone)  # resolves goal_missing at the next sweep
    enrolled(org.a2, planned_end_on=TODAY + days(2))  # opens end_approaching

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Alert.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        alerts_sweep(program=org.program)
    assert len(unresolved(K.GOAL_MISSING)) == 1  # the resolution was rolled back
    assert SweepRun.objects.count() == 1
    monkeypatch.undo()
    result = alerts_sweep(program=org.program)
    assert (result.opened, result.resolved) == ({K.END_APPROACHING: 1}, {K.GOAL_MISSING: 1})


def test_the_sweep_runs_a_fixed_number_of_queries_whatever_the_program_size(org):
    def queries() -> int:
        Alert.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            alerts_sweep(program=org.program)
        return len(captured)

    for chw in (org.a1, org.b1):
        enrolled(chw, days_ago=20, goal=False, contact=False)
    small = queries()
    for chw in (org.a1, org.a2, org.b1, org.b2):
        for n in range(10):
            enrolled(chw, days_ago=20 + n, goal=n % 2 == 0, contact=n % 3 == 0)
    assert queries() == small


# -- the schedule, the task and the command ---------------------------------------------------


def test_the_schedule_exists_once_and_creating_it_again_keeps_one():
    name = "Daily alert sweep (06:00 program time)"
    assert Schedule.objects.filter(name=name).count() == 1
    migration = importlib.import_module("caseloads.migrations.0005_alert_sweep_schedule")
    from django.apps import apps

    migration.create_schedule(apps, None)
    [schedule] = Schedule.objects.filter(name=name)
    assert schedule.func == "caseloads.tasks.sweep_due_programs"
    assert schedule.schedule_type == Schedule.HOURLY


def test_the_scheduled_task_sweeps_each_program_once_a_day_from_six_local(org):
    enrolled(org.a1, days_ago=20, goal=False)
    with time_machine.travel(at(TODAY, 5, 59), tick=False):
        async_task("caseloads.tasks.sweep_due_programs")  # synchronous in tests
    assert not Alert.objects.exists()
    with time_machine.travel(at(TODAY, 6, 0), tick=False):
        async_task("caseloads.tasks.sweep_due_programs")
        async_task("caseloads.tasks.sweep_due_programs")  # once a day: nothing more
    assert len(unresolved(K.GOAL_MISSING)) == 1
    assert SweepRun.objects.filter(scheduled=True, day=TODAY).count() == 1


def test_the_django_q_scheduler_runs_the_sweep_through_the_task_path(org):
    from django_q.scheduler import scheduler

    enrolled(org.a1, days_ago=20, goal=False)
    Schedule.objects.filter(func="caseloads.tasks.sweep_due_programs").update(
        next_run=NOW - dt.timedelta(minutes=1)
    )
    scheduler()
    assert len(unresolved(K.GOAL_MISSING)) == 1
    schedule = Schedule.objects.get(func="caseloads.tasks.sweep_due_programs")
    assert schedule.next_run > NOW
    assert schedule.task is not None


def test_sweep_alerts_prints_what_it_opened_and_resolved(org):
    enrolled(org.a1, days_ago=20, goal=False)
    out = io.StringIO()
    call_command("sweep_alerts", stdout=out)
    assert "2026-11-18: opened 1 (goal_missing 1); resolved 0" in out.getvalue()
    with pytest.raises(CommandError, match="already swept for 2026-11-18"):
        call_command("sweep_alerts", "--as-of", "2026-11-01", stdout=io.StringIO())


def test_sweep_alerts_catches_up_on_a_missed_day(org):
    enrolled(org.a1, days_ago=20, goal=False)
    out = io.StringIO()
    # On 10 November the enrollment was 12 days old: no goal alert yet.
    call_command("sweep_alerts", "--as-of", "2026-11-10", stdout=out)
    assert "2026-11-10: opened 0; resolved 0" in out.getvalue()
    # On the 12th it was 14 days old with no goal, and its only contact (the 18th) had not
    # happened yet.
    call_command("sweep_alerts", "--as-of", "2026-11-12", stdout=out)
    assert "2026-11-12: opened 2 (goal_missing 1, no_recent_contact 1)" in out.getvalue()
    assert set(Alert.objects.values_list("opened_on", flat=True)) == {dt.date(2026, 11, 12)}
    # Today the contact resolves one of them.
    call_command("sweep_alerts", stdout=out)
    assert "2026-11-18: opened 0; resolved 1 (no_recent_contact 1)" in out.getvalue()


def test_sweep_alerts_refuses_a_future_day_and_an_unknown_program(org):
    with pytest.raises(CommandError, match="in the future"):
        call_command("sweep_alerts", "--as-of", "2026-11-19", stdout=io.StringIO())
    with pytest.raises(CommandError, match="no program with ID 999"):
        call_command("sweep_alerts", "--program", "999", stdout=io.StringIO())
    assert not SweepRun.objects.exists()


# -- days, zones and the passing of time ------------------------------------------------------


def test_a_refresh_after_a_write_leaves_other_chws_alerts_alone(org):
    theirs = enrolled(org.b1, days_ago=20, goal=False)
    alerts_sweep(program=org.program)
    [before] = unresolved(K.GOAL_MISSING)
    GoalFactory(enrollment=theirs)  # b1's condition is gone, but nobody swept yet
    log(enrolled(org.a1), at(TODAY, 9, 30))  # a1's write refreshes a1's alerts only
    before.refresh_from_db()
    assert before.status == Alert.Status.OPEN


def test_late_evening_in_new_york_is_still_the_same_day_there(org):
    """21:00 on 18 November in New York is 02:00 on the 19th in UTC."""
    ending = enrolled(org.a1, planned_end_on=dt.date(2026, 11, 19))
    closed = enrolled(org.a2, days_ago=200)
    Enrollment.objects.filter(pk=closed.pk).update(status="graduated", closed_on=TODAY - days(30))
    # 11 November at 22:00 New York time is the 12th in UTC, but the 11th locally: outside
    # the last 7 days (12–18 November).
    EncounterFactory(enrollment=closed, occurred_at=at(TODAY - days(7), 22), after_end=True)
    with time_machine.travel(at(TODAY, 21), tick=False):
        result = alerts_sweep(program=org.program)
    assert result.day == TODAY
    assert unresolved(K.CONTACT_AFTER_END) == []
    [alert] = unresolved(K.END_APPROACHING)
    assert alert.enrollment == ending
    assert alert.sentence(TODAY).startswith("The program ends in 1 day for")


def test_the_last_7_days_across_the_end_of_daylight_saving_time(org):
    """Clocks went back on Sunday 1 November 2026. As of 3 November, the last 7 days are
    28 October – 3 November, in local time on both sides of the change."""
    closed = enrolled(org.a1, days_ago=200)
    Enrollment.objects.filter(pk=closed.pk).update(status="graduated", closed_on=TODAY - days(40))
    EncounterFactory(
        enrollment=closed, occurred_at=at(dt.date(2026, 10, 27), 23, 59), after_end=True
    )
    alerts_sweep(program=org.program, day=dt.date(2026, 11, 3))
    assert unresolved(K.CONTACT_AFTER_END) == []
    EncounterFactory(enrollment=closed, occurred_at=at(dt.date(2026, 10, 28), 0, 0), after_end=True)
    alerts_sweep(program=org.program, day=dt.date(2026, 11, 3))
    assert unresolved(K.CONTACT_AFTER_END)[0].facts["count"] == 1


def test_end_approaching_becomes_end_overdue_on_the_end_date(org):
    enrollment = enrolled(org.a1, planned_end_on=TODAY + days(1))
    alerts_sweep(program=org.program)
    [approaching] = unresolved(K.END_APPROACHING)
    with time_machine.travel(at(TODAY + days(1), 6), tick=False):
        alerts_sweep(program=org.program)
    approaching.refresh_from_db()
    assert approaching.status == Alert.Status.RESOLVED and approaching.resolved_by_system
    [overdue] = unresolved(K.END_OVERDUE)
    assert overdue.enrollment == enrollment and overdue.opened_on == TODAY + days(1)


def test_after_end_and_after_hours_alerts_resolve_when_the_week_has_passed(org):
    closed = enrolled(org.a1, days_ago=200, contact=False)
    Enrollment.objects.filter(pk=closed.pk).update(status="graduated", closed_on=TODAY - days(30))
    closed.refresh_from_db()
    for hour in (19, 20, 21):  # Tuesday evening calls: after hours and after the end
        log(closed, at(TODAY - days(1), hour))
    assert len(unresolved(K.CONTACT_AFTER_END)) == len(unresolved(K.AFTER_HOURS_WORK)) == 1
    # The last call (17 November) leaves the window on the 24th.
    with time_machine.travel(at(TODAY + days(5), 6), tick=False):
        alerts_sweep(program=org.program)
    assert len(unresolved(K.CONTACT_AFTER_END)) == 1
    with time_machine.travel(at(TODAY + days(6), 6), tick=False):
        result = alerts_sweep(program=org.program)
    assert result.resolved == {K.CONTACT_AFTER_END: 1, K.AFTER_HOURS_WORK: 1}


def test_a_contact_gap_resolved_by_hand_stays_resolved_the_next_day(org):
    enrolled(org.a1, days_ago=30, contact=False)
    alerts_sweep(program=org.program)
    [alert] = unresolved(K.NO_RECENT_CONTACT)
    services.alert_resolve(alert=alert, by=org.a1, note="Patient in hospital; nurse aware")
    with time_machine.travel(at(TODAY + days(1), 6), tick=False):
        result = alerts_sweep(program=org.program)
    assert result.opened == {} and unresolved(K.NO_RECENT_CONTACT) == []


def test_an_acknowledged_alert_needs_eyes_again_when_the_patient_calls_again(org):
    closed = enrolled(org.a1, days_ago=200, contact=False)
    Enrollment.objects.filter(pk=closed.pk).update(status="graduated", closed_on=TODAY - days(30))
    closed.refresh_from_db()
    log(closed, at(TODAY - days(3), 11))
    [alert] = unresolved(K.CONTACT_AFTER_END)
    services.alert_acknowledge(alert=alert, by=org.a1, note="Explained the handoff")
    log(closed, at(TODAY, 9))
    alert.refresh_from_db()
    assert (alert.status, alert.facts["count"], alert.note) == ("open", 2, "Explained the handoff")


def test_resolving_an_alert_the_sweep_resolved_meanwhile_is_refused_not_a_crash(org):
    enrollment = enrolled(org.a1, days_ago=20, goal=False)
    alerts_sweep(program=org.program)
    [stale_copy] = unresolved(K.GOAL_MISSING)  # the page was loaded with it open
    GoalFactory(enrollment=enrollment)
    alerts_sweep(program=org.program)
    with pytest.raises(ValidationError, match="already resolved"):
        services.alert_resolve(alert=stale_copy, by=org.a1)
    stale_copy.refresh_from_db()
    assert stale_copy.resolved_by is None


def test_sweep_alerts_does_not_go_back_before_a_refresh(org):
    enrollment = enrolled(org.a1, days_ago=30, contact=False)
    call_command("sweep_alerts", "--as-of", "2026-11-16", stdout=io.StringIO())
    log(enrollment, at(TODAY, 9))  # the refresh resolves no_recent_contact today
    with pytest.raises(CommandError, match="already swept for 2026-11-18"):
        call_command("sweep_alerts", "--as-of", "2026-11-17", stdout=io.StringIO())
    assert unresolved(K.NO_RECENT_CONTACT) == []

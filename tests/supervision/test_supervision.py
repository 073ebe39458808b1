"""Supervision sessions, follow-ups, check-ins and time off: the pages, the rules on bad
input, and who may see what (DESIGN.md §4). The clock is Wednesday 18 November 2026."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from caseloads.models import Alert
from impact.models import TrainingRecord
from supervision.models import FollowUp, SupervisionSession, TimeOff, WellbeingCheckIn
from tests.factories import EnrollmentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

TODAY = dt.date(2026, 11, 18)


def session_data(**overrides) -> dict:
    data = {
        "kind": "one_on_one",
        "occurred_on": "2026-11-18",
        "duration_minutes": "45",
        "notes": "Went through the caseload.",
        "private_notes": "Seems exhausted; ask HR about cover.",
        "wellbeing_discussed": "on",
        "follow_up_0": "Book a Friday off",
        "follow_up_0_due": "2026-11-25",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def record(client, chw, **overrides):
    url = reverse("supervision:session_new") + f"?chw={chw.pk}"
    return client.post(url, session_data(**overrides))


def test_a_manager_records_a_one_on_one_with_a_follow_up(org, login):
    patient = EnrollmentFactory(chw=org.a1)
    response = record(login(org.ma), org.a1, enrollments_discussed=[str(patient.pk)])
    session = SupervisionSession.objects.get()
    assert response.url == reverse("supervision:session", args=[session.pk])
    assert (session.manager, session.chw, session.kind, session.duration_minutes) == (
        org.ma,
        org.a1,
        "one_on_one",
        45,
    )
    assert session.wellbeing_discussed and list(session.enrollments_discussed.all()) == [patient]
    [follow_up] = session.follow_ups.all()
    assert (follow_up.description, follow_up.due_on, follow_up.done_on) == (
        "Book a Friday off",
        dt.date(2026, 11, 25),
        None,
    )


def test_the_follow_up_shows_on_both_home_pages_until_done(org, login):
    record(login(org.ma), org.a1)
    chw_home = login(org.a1).get(reverse("caseloads:mine")).content.decode()
    assert "Book a Friday off" in chw_home
    manager_home = login(org.ma).get(reverse("caseloads:team")).content.decode()
    assert "Book a Friday off" in manager_home
    follow_up = FollowUp.objects.get()
    login(org.a1).post(reverse("supervision:follow_up_done", args=[follow_up.pk]))
    assert FollowUp.objects.get().done_on == TODAY
    assert "Book a Friday off" not in login(org.ma).get(reverse("caseloads:team")).content.decode()


def test_the_chw_never_sees_the_private_notes(org, login):
    record(login(org.ma), org.a1)
    session = SupervisionSession.objects.get()
    client = login(org.a1)
    page = client.get(reverse("supervision:session", args=[session.pk])).content.decode()
    assert "Went through the caseload." in page and "ask HR about cover" not in page
    assert "ask HR about cover" not in client.get(reverse("supervision:me")).content.decode()
    assert (
        "ask HR about cover"
        in login(org.ma).get(reverse("supervision:session", args=[session.pk])).content.decode()
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"occurred_on": "2026-11-19"}, "occurred_on", "The session cannot be in the future."),
        ({"duration_minutes": "0"}, "duration_minutes", "greater than or equal to 1"),
        ({"follow_up_0_due": ""}, "follow_up_0_due", "When is it due?"),
        ({"follow_up_0": ""}, "follow_up_0", "Describe the follow-up."),
        ({"follow_up_0_due": "2026-11-10"}, "follow_up_0", "cannot be due before the session"),
        ({"kind": "coffee"}, "kind", "Select a valid choice."),
    ],
)
def test_a_session_with_bad_input_is_refused_and_nothing_is_written(
    org, login, overrides, field, message
):
    response = record(login(org.ma), org.a1, **overrides)
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])
    assert not SupervisionSession.objects.exists() and not FollowUp.objects.exists()
    assert "Seems exhausted" in response.content.decode()  # nothing typed is lost


def test_a_session_with_a_chw_outside_the_managers_teams_is_refused(org, login):
    assert record(login(org.ma), org.b1).status_code == 404
    other_team_patient = EnrollmentFactory(chw=org.b1)
    response = record(login(org.ma), org.a1, enrollments_discussed=[str(other_team_patient.pk)])
    assert "Select a valid choice" in response.context["form"].errors["enrollments_discussed"][0]
    assert not SupervisionSession.objects.exists()


def test_a_one_on_one_resolves_supervision_overdue(org, login):
    org.a1.hired_on = dt.date(2025, 1, 1)
    org.a1.save()
    from caseloads.alerts import alerts_sweep

    alerts_sweep(program=org.program)
    alert = Alert.objects.get(kind="supervision_overdue")
    assert alert.chw == org.a1
    assert alert.sentence(TODAY).endswith(
        "has not had a one-on-one supervision yet: book one this week."
    )
    record(login(org.ma), org.a1)
    alert.refresh_from_db()
    assert alert.status == "resolved" and alert.resolved_by_system


def test_supervision_is_overdue_after_twice_the_interval(org):
    """Interval 7 days: the last 14 days are 5–18 November."""
    from caseloads.alerts import alerts_sweep

    org.a1.hired_on = org.a2.hired_on = dt.date(2025, 1, 1)
    org.a1.save()
    org.a2.save()
    for chw, day in ((org.a1, dt.date(2026, 11, 5)), (org.a2, dt.date(2026, 11, 4))):
        SupervisionSession.objects.create(
            manager=org.ma, chw=chw, kind="one_on_one", occurred_on=day, duration_minutes=30
        )
    SupervisionSession.objects.create(  # a huddle is not a one on one
        manager=org.ma, chw=org.a2, kind="huddle", occurred_on=TODAY, duration_minutes=30
    )
    alerts_sweep(program=org.program)
    [alert] = Alert.objects.filter(kind="supervision_overdue")
    assert alert.chw == org.a2
    assert alert.sentence(TODAY).startswith(
        f"{org.a2} has had no one-on-one supervision for 14 days"
    )


# -- check-ins and time off ----------------------------------------------------------------


def test_a_chw_checks_in_from_a_phone(org, login):
    response = login(org.a1).post(
        reverse("supervision:check_in"),
        {
            "burnout_score": "3",
            "stressors": ["caseload", "after_end"],
            "integration_friction": "2",
            "wants_support": "yes",
            "notes": "The ED nurses ignore me.",
        },
    )
    assert response.url == reverse("supervision:me")
    check_in = WellbeingCheckIn.objects.get()
    assert (check_in.chw, check_in.on, check_in.burnout_score) == (org.a1, TODAY, 3)
    assert check_in.stressors == ["caseload", "after_end"] and check_in.wants_support
    assert check_in.integration_friction == 2


@pytest.mark.parametrize("score", ["0", "6", "", "abc"])
def test_a_check_in_score_outside_1_to_5_is_refused(org, login, score):
    response = login(org.a1).post(
        reverse("supervision:check_in"),
        {"burnout_score": score, "integration_friction": "0", "wants_support": "no"},
    )
    assert response.context["form"].errors["burnout_score"]
    assert not WellbeingCheckIn.objects.exists()


def test_check_ins_are_for_the_chw_and_their_manager_only(org, login):
    WellbeingCheckIn.objects.create(chw=org.a1, on=TODAY, burnout_score=4, notes="Exhausted")
    assert "Exhausted" in login(org.a1).get(reverse("supervision:me")).content.decode()
    assert (
        "Exhausted"
        in login(org.ma).get(reverse("supervision:chw", args=[org.a1.pk])).content.decode()
    )
    assert login(org.mb).get(reverse("supervision:chw", args=[org.a1.pk])).status_code == 404
    assert login(org.a2).get(reverse("supervision:chw", args=[org.a1.pk])).status_code == 404
    assert "Exhausted" not in login(org.a2).get(reverse("supervision:me")).content.decode()
    assert login(org.leader).get(reverse("supervision:chw", args=[org.a1.pk])).status_code == 403


def test_a_chw_records_time_off_with_a_backup_and_patients_show_it(org, login):
    client = login(org.a1)
    response = client.post(
        reverse("supervision:time_off_new"),
        {"starts_on": "2026-11-18", "ends_on": "2026-11-20", "backup": str(org.a2.pk)},
    )
    assert response.url == reverse("supervision:me")
    off = TimeOff.objects.get()
    assert (off.chw, off.backup, off.recorded_by) == (org.a1, org.a2, org.a1)
    patient = EnrollmentFactory(chw=org.a1)
    page = login(org.ma).get(reverse("caseloads:enrollment", args=[patient.pk])).content.decode()
    assert f"{org.a1} is off until Nov 20." in page and f"Backup: <strong>{org.a2}</strong>" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"starts_on": "2026-11-20", "ends_on": "2026-11-19"}, "ends_on", "cannot be before"),
        ({"starts_on": "2026-11-24", "ends_on": "2026-11-26"}, "starts_on", "overlaps time off"),
        ({"starts_on": "2026-11-10", "ends_on": "2026-11-23"}, "starts_on", "overlaps time off"),
        ({"backup": "b1"}, "backup", "Select a valid choice."),
    ],
)
def test_bad_time_off_is_refused(org, login, data, field, message):
    TimeOff.objects.create(
        chw=org.a1,
        starts_on=dt.date(2026, 11, 23),
        ends_on=dt.date(2026, 11, 25),
        recorded_by=org.a1,
    )
    post = {"starts_on": "2026-12-01", "ends_on": "2026-12-02"} | data
    if post.get("backup") == "b1":
        post["backup"] = str(org.b1.pk)
    response = login(org.a1).post(reverse("supervision:time_off_new"), post)
    assert any(message in e for e in response.context["form"].errors[field])
    assert TimeOff.objects.count() == 1


def test_a_manager_records_time_off_and_trainings_for_their_chws_only(org, login):
    client = login(org.ma)
    url = reverse("supervision:time_off_new")
    client.post(f"{url}?chw={org.a2.pk}", {"starts_on": "2026-12-01", "ends_on": "2026-12-05"})
    assert TimeOff.objects.get().recorded_by == org.ma
    assert client.get(f"{url}?chw={org.b1.pk}").status_code == 404
    client.post(
        reverse("supervision:training_new", args=[org.a2.pk]),
        {"topic": "mental_health", "completed_on": "2026-10-01"},
    )
    assert TrainingRecord.objects.get().user == org.a2
    refused = client.post(
        reverse("supervision:training_new", args=[org.a2.pk]),
        {"topic": "mental_health", "completed_on": "2026-12-01"},
    )
    assert "cannot be in the future" in refused.context["form"].errors["completed_on"][0]
    assert (
        login(org.mb).get(reverse("supervision:training_new", args=[org.a2.pk])).status_code == 404
    )


# -- who may see sessions -------------------------------------------------------------------


def test_sessions_are_scoped_to_the_chw_and_their_manager(org, login):
    session = SupervisionSession.objects.create(
        manager=org.ma, chw=org.a1, kind="one_on_one", occurred_on=TODAY, duration_minutes=30
    )
    follow_up = FollowUp.objects.create(session=session, description="x", due_on=TODAY)
    url = reverse("supervision:session", args=[session.pk])
    assert login(org.a1).get(url).status_code == 200
    assert login(org.ma).get(url).status_code == 200
    for user in (org.a2, org.b1, org.mb):
        assert login(user).get(url).status_code == 404
        done = login(user).post(reverse("supervision:follow_up_done", args=[follow_up.pk]))
        assert done.status_code == 404
    assert login(org.leader).get(url).status_code == 403
    assert FollowUp.objects.get().done_on is None


def test_the_manager_lists_their_own_chws_by_name(org, login):
    page = login(org.ma).get(reverse("supervision:team"))
    assert [row.chw for row in page.context["cadence"]] == [org.a1, org.a2]
    assert login(org.a1).get(reverse("supervision:team")).status_code == 403


def test_in_a_huddle_another_chw_sees_neither_the_patients_nor_the_follow_ups(org, login):
    patient = EnrollmentFactory(chw=org.a1)
    record(
        login(org.ma),
        org.a1,
        kind="huddle",
        others_present=[str(org.a2.pk)],
        enrollments_discussed=[str(patient.pk)],
    )
    session = SupervisionSession.objects.get()
    assert list(session.others_present.all()) == [org.a2]
    url = reverse("supervision:session", args=[session.pk])
    theirs = login(org.a1).get(url).content.decode()
    assert patient.patient.display_name in theirs and "Book a Friday off" in theirs
    other = login(org.a2).get(url).content.decode()
    assert patient.patient.display_name not in other and "Book a Friday off" not in other
    assert "ask HR about cover" not in other


def test_only_a_huddle_has_others_present(org, login):
    response = record(login(org.ma), org.a1, others_present=[str(org.a2.pk)])
    assert response.context["form"].errors["others_present"] == [
        "Only a huddle has other CHWs present."
    ]
    assert not SupervisionSession.objects.exists()


@pytest.mark.parametrize("value", ["²", "99999999999999999999999999999", "-1", "1e3"])
def test_malformed_ids_are_not_found_or_refused_never_a_server_error(org, login, value):
    manager = login(org.ma)
    assert manager.get(reverse("supervision:session_new"), {"chw": value}).status_code == 200
    assert manager.get(reverse("supervision:time_off_new"), {"chw": value}).status_code == 404
    assert manager.get(reverse("caseloads:mine"), {"chw": value}).status_code == 302
    response = record(manager, org.a1, kind="huddle", others_present=[value])
    assert response.context["form"].errors["others_present"]
    response = record(manager, org.a1, enrollments_discussed=[value])
    assert response.context["form"].errors["enrollments_discussed"]
    assert not SupervisionSession.objects.exists()


def test_time_off_from_long_ago_is_refused(org, login):
    response = login(org.a1).post(
        reverse("supervision:time_off_new"), {"starts_on": "0001-01-01", "ends_on": "0001-01-02"}
    )
    assert response.context["form"].errors["starts_on"] == [
        "Record time off of the last year only."
    ]
    assert not TimeOff.objects.exists()

"""The program settings page: who may change the standards, validation, and what follows."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from caseloads.models import Alert
from impact.models import Program
from tests.factories import EncounterFactory, EnrollmentFactory, ProgramFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NY = zoneinfo.ZoneInfo("America/New_York")


def settings_data(**overrides) -> dict:
    data = {
        "intervention_days": "180",
        "caseload_cap": "30",
        "outreach_interval_days": "7",
        "contact_interval_days": "14",
        "end_warning_days": "14",
        "supervision_interval_days": "7",
        "workday_start": "08:00",
        "workday_end": "18:00",
        "workdays": ["1", "2", "3", "4", "5"],
        "time_zone": "America/New_York",
    }
    data.update(overrides)
    return data


def url(program) -> str:
    return reverse("program_settings", args=[program.pk])


def test_the_manager_changes_their_programs_standards(org, login):
    response = login(org.ma).post(
        url(org.program), settings_data(caseload_cap="25", end_warning_days="21")
    )
    assert response.status_code == 302
    program = Program.objects.get(pk=org.program.pk)
    assert (program.caseload_cap, program.end_warning_days) == (25, 21)


def test_changing_working_hours_reflags_past_encounters(
    org, login, django_capture_on_commit_callbacks
):
    enrollment = EnrollmentFactory(chw=org.a1)
    # Tuesday 17 November at 18:30 New York time: after hours until the day ends at 19:00.
    evening = EncounterFactory(
        enrollment=enrollment,
        occurred_at=dt.datetime(2026, 11, 17, 18, 30, tzinfo=NY),
        after_hours=True,
    )
    saturday = EncounterFactory(
        enrollment=enrollment,
        occurred_at=dt.datetime(2026, 11, 14, 10, tzinfo=NY),
        after_hours=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        login(org.admin).post(
            url(org.program),
            settings_data(workday_end="19:00", workdays=["1", "2", "3", "4", "5", "6"]),
        )
    evening.refresh_from_db()
    saturday.refresh_from_db()
    assert (evening.after_hours, saturday.after_hours) == (False, False)
    program = Program.objects.get(pk=org.program.pk)
    assert (program.workday_end, program.workdays) == (dt.time(19, 0), "123456")


def test_lowering_the_cap_opens_the_over_cap_alert_at_once(
    org, login, django_capture_on_commit_callbacks
):
    for _ in range(3):
        EnrollmentFactory(chw=org.a1)
    with django_capture_on_commit_callbacks(execute=True):
        login(org.ma).post(url(org.program), settings_data(caseload_cap="2"))
    alert = Alert.objects.get(kind="caseload_over_cap")
    assert (alert.chw, alert.facts) == (org.a1, {"count": 3, "cap": 2})


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"workday_end": "08:00"}, "workday_end", "The workday must end after it starts."),
        ({"workday_end": "07:00"}, "workday_end", "The workday must end after it starts."),
        ({"caseload_cap": "0"}, "caseload_cap", "greater than or equal to 1"),
        ({"contact_interval_days": "-3"}, "contact_interval_days", "greater than or equal"),
        ({"intervention_days": "abc"}, "intervention_days", "Enter a whole number."),
        ({"intervention_days": "14"}, "end_warning_days", "shorter than the intervention"),
        ({"workdays": []}, "workdays", "Choose at least one workday."),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Select a valid choice."),
        ({"workday_start": "25:00"}, "workday_start", "Enter a valid time."),
        (
            {"contact_interval_days": "9999999"},
            "contact_interval_days",
            "less than or equal to 365",
        ),
        ({"caseload_cap": "99999"}, "caseload_cap", "less than or equal to 500"),
        ({"intervention_days": "100000"}, "intervention_days", "less than or equal to 730"),
    ],
)
def test_bad_settings_are_refused_next_to_the_field(org, login, overrides, field, message):
    response = login(org.ma).post(url(org.program), settings_data(**overrides))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    program = Program.objects.get(pk=org.program.pk)
    assert (program.caseload_cap, program.workday_end, program.intervention_days) == (
        30,
        dt.time(18, 0),
        180,
    )


def test_who_may_open_the_settings(org, login, client):
    other = ProgramFactory(name="Westside")
    assert client.get(url(org.program)).status_code == 302
    assert login(org.a1).get(url(org.program)).status_code == 403
    assert login(org.leader).get(url(org.program)).status_code == 403
    assert login(org.ma).get(url(org.program)).status_code == 200
    assert login(org.ma).get(url(other)).status_code == 404
    assert login(org.ma).post(url(other), settings_data(caseload_cap="5")).status_code == 404
    assert Program.objects.get(pk=other.pk).caseload_cap == 30
    assert login(org.admin).get(url(other)).status_code == 200


def test_the_settings_link_leads_a_manager_to_their_program_and_an_admin_to_a_list(org, login):
    response = login(org.ma).get(reverse("program_settings_home"))
    assert response.url == url(org.program)
    ProgramFactory(name="Westside")
    page = login(org.admin).get(reverse("program_settings_home")).content.decode()
    assert "Westside" in page and "Eastside CHW Program" in page


def test_moving_the_time_zone_moves_local_dates_and_after_end_flags(
    org, login, django_capture_on_commit_callbacks
):
    """22:00 on the planned end date in New York is 03:00 the next day in London."""
    enrollment = EnrollmentFactory(chw=org.a1, days_ago=180)  # ends today, 18 November
    late = EncounterFactory(
        enrollment=enrollment, occurred_at=dt.datetime(2026, 11, 18, 22, tzinfo=NY)
    )
    assert not late.after_end
    with django_capture_on_commit_callbacks(execute=True):
        login(org.admin).post(url(org.program), settings_data(time_zone="Europe/London"))
    late.refresh_from_db()
    assert late.after_end and late.after_hours

"""Boundary alerts in a real browser: a CHW sees the end-date alert on their home page,
graduates the patient with a handoff and the alert is gone; a manager works the board."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from caseloads.alerts import alerts_sweep
from caseloads.models import Alert, Enrollment
from tests.e2e.conftest import sign_in
from tests.factories import EncounterFactory, EnrollmentFactory, GoalFactory, PatientFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_chw_graduates_a_patient_from_the_end_date_alert(live_server, phone, org, password):
    patient = PatientFactory(program=org.program, given_name="Rosa", family_name="Quispe")
    enrollment = EnrollmentFactory(chw=org.a1, patient=patient, days_ago=171)  # 9 days left
    GoalFactory(enrollment=enrollment, statement="Quiero caminar a la iglesia")
    EncounterFactory(enrollment=enrollment, occurred_at=dt.datetime.now(dt.UTC))
    alerts_sweep(program=org.program)

    page = phone
    sign_in(page, live_server, "a1", password)
    alert = page.get_by_role(
        "link", name="The program ends in 9 days for Rosa Quispe: plan the handoff."
    )
    expect(alert).to_be_visible()
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("link", name="Alerts 1 open alert")).to_be_visible()

    alert.click()
    page.get_by_role("link", name="Graduate with a handoff").click()
    page.get_by_label("Quiero caminar a la iglesia").select_option("achieved")
    page.get_by_label("Summary").fill("Walks to church every Sunday; knee exercises daily.")
    page.get_by_label("Who takes over").fill("Nurse Alvarez, Eastside clinic")
    page.get_by_text("Yes", exact=True).click()
    page.get_by_role("button", name="Graduate").click()

    expect(page.get_by_text("Rosa Quispe graduated.")).to_be_visible()
    expect(page.get_by_text("Handed off to")).to_be_visible()
    assert Enrollment.objects.get(pk=enrollment.pk).status == "graduated"

    page.goto(f"{live_server.url}/caseload/")
    expect(page.get_by_text("The program ends in 9 days")).to_have_count(0)
    expect(page.locator("#nav-alert-count")).to_have_count(0)
    assert Alert.objects.get().resolved_by_system


def test_manager_sees_the_board_and_acknowledges_an_alert_in_place(
    live_server, desktop, org, password
):
    patient = PatientFactory(program=org.program, given_name="Ahmed", family_name="Hassan")
    ahmed = EnrollmentFactory(chw=org.a2, patient=patient, days_ago=20)  # no goal yet
    EncounterFactory(enrollment=ahmed, occurred_at=dt.datetime.now(dt.UTC))
    alerts_sweep(program=org.program)
    Alert.objects.filter(kind="goal_missing").update(
        opened_on=org.program.today() - dt.timedelta(days=8)
    )

    page = desktop
    sign_in(page, live_server, "ma", password)
    expect(page.locator("#nav-alert-count [aria-hidden]")).to_have_text("1")
    page.get_by_role("link", name="Alerts").first.click()
    board = page.get_by_role("table", name="Open alerts by CHW and kind")
    row = board.get_by_role("row").filter(has_text=str(org.a2))
    expect(row).to_have_class("table-danger")

    item = page.locator(".alert-item").filter(
        has_text="Ahmed Hassan has been enrolled 20 days without a goal"
    )
    item.get_by_label("Note (optional)").fill("Goal conversation booked Friday")
    item.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("“Goal conversation booked Friday”")).to_be_visible()
    expect(page.locator("#nav-alert-count")).to_be_hidden()  # updated without a reload
    assert Alert.objects.get(kind="goal_missing").status == "acknowledged"

"""The main flows, in a real browser."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from caseloads.models import Encounter, Enrollment
from tests.e2e.conftest import sign_in
from tests.factories import EncounterFactory, EnrollmentFactory, PatientFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_chw_enrolls_a_patient_and_logs_a_visit_on_a_phone(live_server, phone, org, password):
    page = phone
    sign_in(page, live_server, "a1", password)
    expect(page.get_by_role("heading", name="My caseload")).to_be_visible()
    expect(page.get_by_text("No active patients match.")).to_be_visible()

    # Find first, so nobody is registered twice.
    page.get_by_role("link", name="Enroll a patient").first.click()
    page.get_by_label("Family name").fill("Quispe")
    page.get_by_label("Date of birth").fill("1968-04-02")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("No registered patient matches.")).to_be_visible()
    # Searches are posted: no name or birth date in the address (nor the phone's history).
    assert "Quispe" not in page.url and "1968" not in page.url
    page.get_by_role("link", name="Register a new patient").click()

    # The search terms carry over (kept on the server); the CHW completes the rest.
    assert "?" not in page.url
    expect(page.get_by_label("Family name*")).to_have_value("Quispe")
    page.get_by_label("Given name*").fill("Rosa")
    page.get_by_label("Phone").fill("267 324 1876")
    page.get_by_label("Preferred language*").fill("Spanish")
    page.get_by_label("Interpreter needed").check()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", name="Rosa Quispe")).to_be_visible()
    expect(page.get_by_text("Rosa Quispe is on the caseload.")).to_be_visible()
    enrollment = Enrollment.objects.get()
    assert (enrollment.chw.username, enrollment.status) == ("a1", "enrolled")
    assert str(enrollment.patient.phone) == "+12673241876"
    assert enrollment.patient.preferred_language == "es"

    # Log a phone call in a few taps.
    page.get_by_role("link", name="Log a visit or call").click()
    page.get_by_text("Phone call", exact=True).click()
    page.get_by_label("Minutes").fill("20")
    page.get_by_label("Notes").fill("Rosa wants help finding a food pantry near home.")
    page.get_by_role("button", name="Save visit").click()

    expect(page.get_by_text("Visit logged.")).to_be_visible()
    timeline = page.locator("ol.timeline li")
    expect(timeline).to_have_count(1)
    expect(timeline.first).to_contain_text("Phone call")
    expect(timeline.first).to_contain_text("Rosa wants help finding a food pantry near home.")
    encounter = Encounter.objects.get()
    assert (encounter.kind, encounter.setting, encounter.duration_minutes) == (
        "phone",
        "remote",
        20,
    )

    # Nothing on the page is wider than the phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


def test_visit_in_the_future_is_refused_in_the_browser(live_server, phone, org, password):
    enrollment = EnrollmentFactory(chw=org.a1, days_ago=10)
    sign_in(phone, live_server, "a1", password)
    phone.goto(f"{live_server.url}/enrollments/{enrollment.pk}/encounters/new/")
    tomorrow = enrollment.program.today() + dt.timedelta(days=1)
    phone.get_by_label("When*").fill(f"{tomorrow.isoformat()}T10:00")
    phone.get_by_label("Notes").fill("typed notes stay")
    phone.get_by_role("button", name="Save visit").click()
    expect(phone.get_by_text("The visit cannot be in the future.")).to_be_visible()
    expect(phone.get_by_label("Notes")).to_have_value("typed notes stay")
    assert Encounter.objects.count() == 0


def test_manager_sees_the_team_caseloads(live_server, desktop, org, password):
    org.program.caseload_cap = 2
    org.program.save()
    for days in (5, 100, 175):
        EnrollmentFactory(chw=org.a1, days_ago=days)
    reached = EnrollmentFactory(chw=org.a2, days_ago=40)
    EncounterFactory(
        enrollment=reached, occurred_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    )
    forgotten = EnrollmentFactory(chw=org.a2, days_ago=40)
    EnrollmentFactory(chw=org.b1)

    page = desktop
    sign_in(page, live_server, "ma", password)
    expect(page.get_by_role("heading", name="Team caseloads")).to_be_visible()
    rows = page.locator("section[aria-labelledby=caseloads-heading] tbody tr")
    expect(rows).to_have_count(2)  # a1 and a2, not the other team's CHWs
    a1_row = rows.filter(has_text=str(org.a1))
    expect(a1_row).to_contain_text("over cap")
    expect(a1_row.locator(".progress-bar")).to_have_text("3/2")
    stale = page.locator("section[aria-labelledby=stale-heading]")
    # a1's patients enrolled 100 and 175 days ago and a2's forgotten one were never
    # reached; a1's 5-day-old enrollment is not due yet, a2's other one was reached today.
    expect(stale).to_contain_text("3 patients with no reached contact in 14 days")
    expect(stale.locator("tbody tr")).to_have_count(3)
    expect(stale).to_contain_text(forgotten.patient.display_name)

    # Drill into one CHW's caseload.
    a1_row.get_by_role("link", name=str(org.a1)).click()
    expect(page.get_by_role("heading", name=f"Caseload of {org.a1}")).to_be_visible()
    expect(page.locator("table.table-caseload tbody tr")).to_have_count(3)


def test_a_former_patient_of_another_team_is_re_enrolled_through_a_manager(
    live_server, phone, browser, org, password
):
    """a1 meets b1's former patient: the search says to ask the manager and names nobody;
    the manager finds her by MRN and enrolls her onto a1's caseload."""
    old = EnrollmentFactory(
        chw=org.b1,
        patient=PatientFactory(
            program=org.program, given_name="Dolores", family_name="Mamani", mrn="MR-4410"
        ),
        days_ago=300,
    )
    Enrollment.objects.filter(pk=old.pk).update(status="graduated", closed_on=old.planned_end_on)

    page = phone
    sign_in(page, live_server, "a1", password)
    page.get_by_role("link", name="Enroll a patient").first.click()
    page.get_by_label("MRN").fill("MR-4410")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("Ask your manager")).to_be_visible()
    expect(page.get_by_text("Dolores")).to_have_count(0)
    assert "MR-4410" not in page.url
    page.goto(f"{live_server.url}/patients/{old.patient_id}/enroll/")
    expect(page.get_by_text("Dolores")).to_have_count(0)  # 404: an id alone shows nobody

    manager = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(manager, live_server, "ma", password)
    manager.get_by_role("link", name="Enroll a patient").first.click()
    manager.get_by_label("MRN").fill("mr-4410")
    manager.get_by_role("button", name="Search").click()
    manager.get_by_role("link", name="Enroll this patient").click()
    expect(manager.get_by_role("heading", name="Enroll Dolores Mamani")).to_be_visible()
    manager.get_by_label("CHW*").select_option(label=str(org.a1))
    manager.get_by_role("button", name="Save").click()
    expect(manager.get_by_text("Dolores Mamani is on the caseload.")).to_be_visible()
    new = Enrollment.objects.get(patient=old.patient, status="enrolled")
    assert new.chw == org.a1
    manager.context.close()

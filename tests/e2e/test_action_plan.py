"""The action-plan flow in a real browser: intake, a goal in the patient's words, three
steps including a referral, one marked done without a reload, and the printed plan."""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import expect

from actionplans.models import ActionStep, Goal, Intake
from tests.e2e.conftest import sign_in
from tests.factories import EnrollmentFactory, PartnerFactory, PatientFactory

pytestmark = pytest.mark.django_db(transaction=True)

GOAL = "Quiero caminar a la iglesia sin dolor de rodilla"


def test_chw_builds_an_action_plan_and_prints_it(live_server, phone, org, password, tmp_path):
    patient = PatientFactory(program=org.program, given_name="Rosa", family_name="Quispe")
    enrollment = EnrollmentFactory(chw=org.a1, patient=patient, days_ago=3)
    PartnerFactory(
        program=org.program,
        name="Eastside Medical-Legal Partnership",
        kind="medical_legal",
        phone="+12155550142",
    )
    page = phone
    sign_in(page, live_server, "a1", password)
    page.get_by_role("link", name="Rosa Quispe").click()

    # Intake: the conversation and the optional needs screen.
    page.get_by_role("link", name="Record the intake").click()
    expect(page.get_by_text("We never ask about immigration status.")).to_be_visible()
    page.get_by_label("What matters most to them now").fill("Going back to church on Sundays")
    page.get_by_role("group", name="Legal help").get_by_text("Yes").click()
    page.get_by_role("button", name="Save the intake").click()
    expect(page.get_by_text("Intake saved.")).to_be_visible()
    assert Intake.objects.get().need_legal is True

    # A goal in the patient's own words.
    page.get_by_role("link", name="Add a goal").click()
    page.get_by_label("The goal, in the patient's own words*").fill(GOAL)
    page.get_by_label("Category*").select_option("chronic_disease")
    page.get_by_role("button", name="Save the goal").click()
    expect(page.get_by_text("Goal saved. Now add the first steps.")).to_be_visible()

    # Three steps, the last a referral with consent.
    page.get_by_label("Step*").fill("Walk 10 minutes after dinner")
    page.get_by_role("button", name="Save and add another").click()
    page.get_by_label("Step*").fill("Ask Dr. Lee about knee exercises")
    page.get_by_label("CHW", exact=True).check()
    page.get_by_role("button", name="Save and add another").click()
    page.get_by_label("Step*").fill("Landlord refuses to fix the stairs")
    page.get_by_label("Support*").select_option("referral")
    page.get_by_label("Partner (for a referral)").select_option(
        label="Eastside Medical-Legal Partnership · Medical-legal partnership"
    )
    page.get_by_label("The patient agreed to share their information with this partner").check()
    page.get_by_role("button", name="Save the step", exact=True).click()

    goal = Goal.objects.get()
    assert goal.statement == GOAL
    assert ActionStep.objects.filter(goal=goal).count() == 3
    card = page.locator(f"#goal-{goal.pk}")
    expect(card).to_contain_text(GOAL)
    expect(card).to_contain_text("0 of 3 steps done")

    # One click marks a step done; the page is not reloaded (the marker survives).
    page.evaluate("window.__noReload = true")
    walk = ActionStep.objects.get(description__startswith="Walk")
    card.locator(f"#step-{walk.pk}").get_by_role("button", name="Done").click()
    expect(card).to_contain_text("1 of 3 steps done")
    expect(card.locator(f"#step-{walk.pk}")).to_have_class(r"list-group-item step step-done")
    assert page.evaluate("window.__noReload") is True
    walk.refresh_from_db()
    assert walk.status == "done"

    # The printable plan, saved as PDF from the browser: in Rosa's language, Spanish
    # (tests/language/test_printouts.py), the CHW's bar in English.
    page.get_by_role("link", name="Print the patient's plan").click()
    with translation.override("es"):
        heading = translation.gettext("%(name)s's plan") % {"name": "Rosa Quispe"}
    assert heading != "Rosa Quispe's plan"
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_text("This page prints in Spanish, the patient's language.")).to_be_visible()
    expect(page.locator("main")).to_contain_text(GOAL)
    expect(page.locator("main")).to_contain_text("Ask Dr. Lee about knee exercises")
    expect(page.locator("main")).not_to_contain_text("Walk 10 minutes after dinner")  # done
    expect(page.locator("main")).to_contain_text("(215) 555-0142")
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print or save as PDF")).to_be_hidden()
    pdf = tmp_path / "plan.pdf"
    page.pdf(path=str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
    assert enrollment.pk  # the plan belongs to this enrollment

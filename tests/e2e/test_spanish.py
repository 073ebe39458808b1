"""The CHW's main flow in Spanish, in a real browser: choose Español on the sign-in page
(or have it saved), see the caseload, open a patient, log a visit, read the confirmation,
and see dates written the Spanish way.

The expected words come from the Spanish catalogue (locale/es), so the test follows the
translators' wording; each must differ from the English, or the page was not translated.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from caseloads.models import Encounter
from tests.e2e.conftest import sign_in
from tests.factories import EnrollmentFactory, PatientFactory

pytestmark = pytest.mark.django_db(transaction=True)

SPANISH_DATE = re.compile(
    r"\b\d{1,2} de (enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|"
    r"noviembre|diciembre) de \d{4}\b"
)


def es(text: str) -> str:
    with translation.override("es"):
        translated = translation.gettext(text)
    assert translated != text, f"no Spanish translation of {text!r} in locale/es"
    return translated


def es_date(value, format_name: str) -> str:
    with translation.override("es"):
        return date_format(value, format_name)


@pytest.fixture
def rosa(org):
    patient = PatientFactory(
        program=org.program, given_name="Rosa", family_name="Quispe", preferred_language="es"
    )
    return EnrollmentFactory(chw=org.a1, patient=patient, days_ago=30)


def test_a_chw_picks_espanol_on_the_sign_in_page_and_logs_a_visit(
    live_server, phone, org, password, rosa
):
    page = phone
    page.goto(f"{live_server.url}/login/")
    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name=es("Sign in"))).to_be_visible()
    page.locator("#id_username").fill("a1")
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name=es("Sign in"), exact=True).click()

    # The caseload, in Spanish.
    expect(page.get_by_role("heading", name=es("My caseload"))).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    problems = [
        v["id"]
        for v in Axe().run(page).response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]
    assert problems == []

    # The patient page, with the enrollment date written the Spanish way.
    page.get_by_role("link", name="Rosa Quispe").first.click()
    expect(page.get_by_role("heading", name="Rosa Quispe")).to_be_visible()
    enrolled = es_date(rosa.enrolled_on, "DATE_FORMAT")
    assert SPANISH_DATE.fullmatch(enrolled), enrolled
    expect(page.get_by_text(enrolled).first).to_be_visible()

    # Log a phone call.
    page.get_by_role("link", name=es("Log a visit or call")).click()
    expect(page.get_by_role("heading", name=re.compile("Rosa Quispe"))).to_be_visible()
    page.get_by_text(es("Phone call"), exact=True).click()
    page.get_by_label(es("Minutes")).fill("20")
    page.get_by_label(es("Notes")).fill("Rosa quiere ayuda con la farmacia.")
    page.get_by_role("button", name=es("Save visit")).click()

    # The confirmation and the timeline, in Spanish.
    expect(page.get_by_text(es("Visit logged."))).to_be_visible()
    encounter = Encounter.objects.get()
    assert (encounter.kind, encounter.duration_minutes) == ("phone", 20)
    timeline = page.locator("ol.timeline li").first
    expect(timeline).to_contain_text(es("Phone call"))
    when = es_date(timezone.localtime(encounter.occurred_at, org.program.tz), "DATETIME_FORMAT")
    expect(timeline).to_contain_text(when)
    assert SPANISH_DATE.search(when), when


def test_a_chw_whose_saved_language_is_spanish_gets_it_after_signing_in(
    live_server, desktop, org, password, rosa
):
    org.a1.preferred_language = "es"
    org.a1.save()
    sign_in(desktop, live_server, "a1", password)  # the sign-in page in the browser's English
    expect(desktop.get_by_role("heading", name=es("My caseload"))).to_be_visible()
    expect(desktop.locator("html")).to_have_attribute("lang", "es")

    # Back to English from the user menu, for good.
    desktop.locator("#user-menu").click()
    desktop.get_by_role("link", name=es("Language")).click()
    desktop.get_by_label("English").check()
    desktop.get_by_role("button", name=es("Save")).click()
    expect(desktop.get_by_role("heading", name="My caseload")).to_be_visible()
    expect(desktop.get_by_text("Your interface language is saved.")).to_be_visible()
    org.a1.refresh_from_db()
    assert org.a1.preferred_language == "en"

"""The patient's plan and the referral slip print in the patient's language when the
interface has it (Spanish), else in English with the language need flagged to the CHW on
screen, never on the paper. Scope rules are the same as for any patient-level page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from tests.conftest import NOW
from tests.factories import (
    EnrollmentFactory,
    GoalFactory,
    PartnerFactory,
    PatientFactory,
    StepFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

# Strings of the printouts' own templates; their Spanish comes from the catalogue.
PAPER = ["Who to call", "your community health worker", "Next step"]
SLIP = ["What for", "Referred by", "community health worker"]


def spanish(text: str) -> str:
    with translation.override("es"):
        translated = translation.gettext(text)
    assert translated != text, f"no Spanish translation of {text!r} in locale/es"
    return translated


def paper_of(body: str) -> str:
    """The printed page, without the CHW's screen-only bar."""
    return body.split('<main class="page">', 1)[1]


def bar_of(body: str) -> str:
    return body.split('<div class="no-print', 1)[1].split('<main class="page">', 1)[0]


@pytest.fixture
def plan(org):
    def make(language: str):
        patient = PatientFactory(
            program=org.program,
            given_name="Rosa",
            family_name="Quispe",
            phone="+12673241876",
            preferred_language=language,
        )
        enrollment = EnrollmentFactory(chw=org.a1, patient=patient, days_ago=30)
        goal = GoalFactory(enrollment=enrollment, statement="Quiero caminar sin dolor")
        StepFactory(goal=goal, description="Caminar 10 minutos", due_on=dt.date(2026, 11, 24))
        referral = StepFactory(
            goal=goal,
            description="Food box",
            partner=PartnerFactory(program=org.program, name="Share Food"),
            support_type="referral",
            owner="partner",
            consent_to_share=True,
        )
        return enrollment, referral

    return make


def test_a_spanish_speakers_plan_prints_in_spanish(org, login, plan):
    enrollment, _ = plan("es")
    response = login(org.a1).get(reverse("actionplans:plan", args=[enrollment.pk]))
    body = response.content.decode()
    assert '<html lang="es">' in body and response["Content-Language"] == "es"
    paper = paper_of(body)
    for text in PAPER:
        assert spanish(text) in paper
    assert "Who to call" not in paper
    assert "martes, 24 de noviembre de 2026" in paper  # the step's due date
    assert "18 de noviembre de 2026" in paper  # printed today
    assert "printout-language-need" not in body
    # The CHW's bar stays in English and says which language prints.
    bar = bar_of(body)
    assert 'lang="en"' in bar and "Print or save as PDF" in bar
    assert "This page prints in Spanish, the patient's language." in bar


def test_a_tagalog_speakers_plan_prints_in_english_with_the_need_flagged(org, login, plan):
    enrollment, _ = plan("tl")
    response = login(org.a1).get(reverse("actionplans:plan", args=[enrollment.pk]))
    body = response.content.decode()
    assert '<html lang="en">' in body and response["Content-Language"] == "en"
    paper = paper_of(body)
    assert "Who to call" in paper and "Tuesday, November 24, 2026" in paper
    bar = bar_of(body)
    assert "printout-language-need" in bar
    assert "There is no translation into Tagalog, the patient's language" in bar
    assert "interpreter" in bar and "interpreter" not in paper  # on screen, not on paper


def test_an_english_speakers_plan_prints_in_english_without_a_flag(org, login, plan):
    enrollment, _ = plan("en")
    body = login(org.a1).get(reverse("actionplans:plan", args=[enrollment.pk])).content.decode()
    assert '<html lang="en">' in body and "Who to call" in paper_of(body)
    assert "printout-language" not in body


def test_a_spanish_speaking_chw_prints_an_english_speakers_plan_in_english(org, login, plan):
    org.a1.preferred_language = "es"
    org.a1.save()
    enrollment, _ = plan("en")
    body = login(org.a1).get(reverse("actionplans:plan", args=[enrollment.pk])).content.decode()
    assert '<html lang="en">' in body and "Who to call" in paper_of(body)
    bar = bar_of(body)
    assert 'lang="es"' in bar and spanish("Print or save as PDF") in bar
    with translation.override("es"):
        note = translation.gettext("This page prints in %(language)s, the patient's language.")
    assert note.replace("%(language)s", "inglés") in bar


def test_a_spanish_speakers_referral_slip_prints_in_spanish(org, login, plan):
    _, referral = plan("es")
    response = login(org.a1).get(reverse("actionplans:referral_slip", args=[referral.pk]))
    paper = paper_of(response.content.decode())
    for text in SLIP:
        assert spanish(text) in paper
    assert "18 de noviembre de 2026" in paper


def test_a_tagalog_speakers_referral_slip_prints_in_english_flagged(org, login, plan):
    _, referral = plan("tl")
    body = login(org.a1).get(reverse("actionplans:referral_slip", args=[referral.pk])).content
    body = body.decode()
    assert "What for" in paper_of(body) and "November 18, 2026" in paper_of(body)
    assert "There is no translation into Tagalog" in bar_of(body)


@pytest.mark.parametrize(
    ("who", "status"),
    [("a1", 200), ("ma", 200), ("a2", 404), ("b1", 404), ("mb", 404), ("leader", 403)],
)
def test_printouts_keep_the_scope_rules(org, login, plan, who, status):
    enrollment, referral = plan("es")
    client = login(getattr(org, who))
    assert client.get(reverse("actionplans:plan", args=[enrollment.pk])).status_code == status
    slip = reverse("actionplans:referral_slip", args=[referral.pk])
    assert client.get(slip).status_code == status


def test_the_interface_language_is_back_after_a_printout(org, login, plan):
    enrollment, _ = plan("es")
    client = login(org.a1)
    client.get(reverse("actionplans:plan", args=[enrollment.pk]))
    page = client.get(reverse("caseloads:enrollment", args=[enrollment.pk])).content.decode()
    assert '<html lang="en">' in page
    assert NOW.date() == dt.date(2026, 11, 18)

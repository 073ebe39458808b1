"""The redaction page (impact.views_redaction.redact): a confirmation, then the text is
gone from the record and its history; who may open it for which record (DESIGN.md §4)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from actionplans.models import Partner
from caseloads.models import Encounter
from impact.models import AccessLog, Redaction
from supervision.models import SupervisionSession
from tests.factories import EncounterFactory, EnrollmentFactory, PartnerFactory, ProgramFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

SECRET = "Told me she has no papers"
MARK = "[redacted 2026-11-18]"  # the frozen clock's day in the program's time zone


@pytest.fixture
def encounter(org):
    return EncounterFactory(
        enrollment=EnrollmentFactory(chw=org.a1),
        occurred_at=dt.datetime(2026, 11, 16, 15, tzinfo=dt.UTC),
        notes=SECRET,
    )


def url(obj, field: str) -> str:
    return reverse("redact", args=[obj._meta.label_lower, obj.pk, field])


def test_the_chws_manager_confirms_and_the_text_is_gone(org, login, encounter):
    client = login(org.ma)
    back = reverse("caseloads:enrollment", args=[encounter.enrollment_id])
    page = client.get(url(encounter, "notes"), {"next": back})
    html = page.content.decode()
    assert page.status_code == 200 and SECRET in html and "Backups made before" in html
    response = client.post(url(encounter, "notes"), {"confirm": "on", "next": back})
    assert response.status_code == 302 and response.url == back
    encounter.refresh_from_db()
    assert encounter.notes == MARK
    assert {row.notes for row in Encounter.history.filter(id=encounter.pk)} == {MARK}
    assert Redaction.objects.get().username == "ma"
    after = client.get(back).content.decode()
    assert "The text was redacted." in after and SECRET not in after and MARK in after


def test_without_the_confirmation_nothing_is_written(org, login, encounter):
    response = login(org.ma).post(url(encounter, "notes"), {})
    assert response.status_code == 400
    assert "Tick the box to confirm the redaction." in response.content.decode()
    encounter.refresh_from_db()
    assert encounter.notes == SECRET and not Redaction.objects.exists()


def test_already_redacted_text_offers_nothing(org, login, encounter):
    client = login(org.ma)
    client.post(url(encounter, "notes"), {"confirm": "on"})
    again = client.post(url(encounter, "notes"), {"confirm": "on"})
    assert "This text was already redacted." in again.content.decode()
    assert Redaction.objects.count() == 1


@pytest.mark.parametrize(("who", "status"), [("a1", 403), ("leader", 403), ("admin", 403)])
def test_patient_text_is_refused_to_everyone_but_the_chws_manager(
    org, login, encounter, who, status
):
    client = login(getattr(org, who))
    assert client.get(url(encounter, "notes")).status_code == status
    assert client.post(url(encounter, "notes"), {"confirm": "on"}).status_code == status
    encounter.refresh_from_db()
    assert encounter.notes == SECRET


def test_the_manager_of_another_team_gets_not_found(org, login, encounter):
    client = login(org.mb)
    assert client.get(url(encounter, "notes")).status_code == 404
    assert client.post(url(encounter, "notes"), {"confirm": "on"}).status_code == 404
    encounter.refresh_from_db()
    assert encounter.notes == SECRET


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("caseloads.encounter", "kind"),  # not free text
        ("caseloads.patient", "given_name"),  # not on the allowlist
        ("impact.accesslog", "path"),
        ("nothing.here", "notes"),
    ],
)
def test_anything_outside_the_allowlist_is_not_found(org, login, encounter, label, field):
    page = login(org.ma).get(reverse("redact", args=[label, encounter.pk, field]))
    assert page.status_code == 404


def test_wrong_methods_are_refused(org, login, encounter):
    client = login(org.ma)
    for method in (client.put, client.delete, client.patch):
        assert method(url(encounter, "notes")).status_code == 405
    encounter.refresh_from_db()
    assert encounter.notes == SECRET


def test_an_admin_redacts_supervision_text(org, login):
    session = SupervisionSession.objects.create(
        manager=org.ma,
        chw=org.a1,
        occurred_on=dt.date(2026, 11, 16),
        kind=SupervisionSession.Kind.ONE_ON_ONE,
        duration_minutes=30,
        notes="Patient's son was deported",
    )
    assert login(org.mb).get(url(session, "notes")).status_code == 404
    response = login(org.admin).post(url(session, "notes"), {"confirm": "on"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.notes.startswith("[redacted ")


def test_any_manager_of_the_program_redacts_partner_notes_not_another_programs(org, login):
    partner = PartnerFactory(program=org.program, notes="Asks clients for their visa status")
    elsewhere = PartnerFactory(program=ProgramFactory(), notes="Asks for green cards")
    client = login(org.mb)
    assert client.post(url(elsewhere, "notes"), {"confirm": "on"}).status_code == 404
    assert client.post(url(partner, "notes"), {"confirm": "on"}).status_code == 302
    assert Partner.objects.get(pk=partner.pk).notes == MARK
    assert Partner.objects.get(pk=elsewhere.pk).notes == "Asks for green cards"


def test_opening_the_page_is_in_the_access_log(org, login, encounter):
    login(org.ma).get(url(encounter, "notes"))
    line = AccessLog.objects.get(url_name="redact")
    assert line.username == "ma"
    assert line.object_ids == {
        "label": "caseloads.encounter",
        "record": encounter.pk,
        "field": "notes",
    }


def test_the_patient_page_offers_redact_to_the_manager_only(org, login, encounter):
    page = reverse("caseloads:enrollment", args=[encounter.enrollment_id])
    assert url(encounter, "notes") in login(org.ma).get(page).content.decode()
    assert url(encounter, "notes") not in login(org.a1).get(page).content.decode()


def test_the_session_page_offers_redact_to_the_manager_not_the_chw(org, login):
    session = SupervisionSession.objects.create(
        manager=org.ma,
        chw=org.a1,
        occurred_on=dt.date(2026, 11, 16),
        kind=SupervisionSession.Kind.ONE_ON_ONE,
        duration_minutes=30,
        notes="Talked about la migra",
    )
    page = reverse("supervision:session", args=[session.pk])
    assert url(session, "notes") in login(org.ma).get(page).content.decode()
    assert url(session, "notes") not in login(org.a1).get(page).content.decode()


def test_a_graduated_patients_handoff_can_be_redacted_from_the_patient_page(org, login):
    enrollment = EnrollmentFactory(
        chw=org.a1,
        status="graduated",
        closed_on=dt.date(2026, 11, 10),
        handoff_to="Immigration lawyer at Casa",
        handoff_accepted=True,
    )
    client = login(org.ma)
    page = reverse("caseloads:enrollment", args=[enrollment.pk])
    assert url(enrollment, "handoff_to") in client.get(page).content.decode()
    client.post(url(enrollment, "handoff_to"), {"confirm": "on", "next": page})
    html = client.get(page).content.decode()
    assert "Immigration lawyer" not in html and MARK in html

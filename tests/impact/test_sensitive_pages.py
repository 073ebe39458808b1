"""The sensitive-text warning on the pages whose text fields were not checked before
(issue 17): alert notes, the reassignment reason, the declined or ineligible reason, the
handoff at graduation, partner notes, training notes, supervision follow-ups, the CFIR
log and fidelity ratings. Each page refuses once with the warning next to the field,
writes nothing and gives the text back as typed; ticking "keep" saves it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from actionplans.models import Partner
from caseloads.alerts import alerts_sweep
from caseloads.forms import EnrollmentForm
from caseloads.models import Alert, Enrollment, EnrollmentReassignment
from fidelity.models import ImplementationNote
from fidelity.services import review_start
from impact.models import TrainingRecord
from supervision.models import FollowUp
from tests.conftest import NOW
from tests.factories import EncounterFactory, EnrollmentFactory, GoalFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

TEXT = "Tiene miedo de la migra,  no tiene papeles"
WARNING = "This seems to mention immigration status"


@dataclass
class Page:
    who: str
    url: str
    data: dict[str, Any]
    field: str
    saved: Any  # () -> the saved text, or None while nothing was written


def alert_page(org) -> Page:
    enrollment = EnrollmentFactory(chw=org.a1, days_ago=171)
    GoalFactory(enrollment=enrollment)
    EncounterFactory(enrollment=enrollment, occurred_at=NOW - dt.timedelta(days=1))
    alerts_sweep(program=org.program)
    alert = Alert.objects.get(chw=org.a1)
    return Page(
        "a1",
        reverse("caseloads:alert_acknowledge", args=[alert.pk]),
        {"note": TEXT},
        "note",
        lambda: (
            Alert.objects.filter(pk=alert.pk, status="acknowledged")
            .values_list("note", flat=True)
            .first()
        ),
    )


def reassign_page(org) -> Page:
    enrollment = EnrollmentFactory(chw=org.a1)
    return Page(
        "ma",
        reverse("caseloads:reassign", args=[enrollment.pk]),
        {"to_chw": org.a2.pk, "reason": TEXT},
        "reason",
        lambda: EnrollmentReassignment.objects.values_list("reason", flat=True).first(),
    )


def graduate_page(org) -> Page:
    enrollment = EnrollmentFactory(chw=org.a1, days_ago=170)
    return Page(
        "a1",
        reverse("actionplans:graduate", args=[enrollment.pk]),
        {
            "summary": "Walks twice a week.",
            "handoff_to": "Clinic nurse; " + TEXT,
            "handoff_accepted": "yes",
            "closed_on": "2026-11-18",
        },
        "handoff_to",
        lambda: (
            Enrollment.objects.filter(pk=enrollment.pk, status="graduated")
            .values_list("handoff_to", flat=True)
            .first()
        ),
    )


def partner_page(org) -> Page:
    return Page(
        "ma",
        reverse("actionplans:partner_new"),
        {
            "name": "Casa del Pueblo",
            "kind": "food",
            "phone": "215-555-0142",
            "address": "1 Main St",
            "relationship": "formal",
            "serves_regardless_of_status": "yes",
            "languages_text": "Spanish",
            "notes": "Ana's family " + TEXT,
            "is_active": "on",
        },
        "notes",
        lambda: Partner.objects.values_list("notes", flat=True).first(),
    )


def training_page(org) -> Page:
    return Page(
        "ma",
        reverse("supervision:training_new", args=[org.a2.pk]),
        {"topic": "mental_health", "completed_on": "2026-10-01", "note": TEXT},
        "note",
        lambda: TrainingRecord.objects.values_list("note", flat=True).first(),
    )


def follow_up_page(org) -> Page:
    return Page(
        "ma",
        reverse("supervision:session_new") + f"?chw={org.a1.pk}",
        {
            "kind": "one_on_one",
            "occurred_on": "2026-11-18",
            "duration_minutes": "45",
            "follow_up_0": "Ask whether her patient " + TEXT,
            "follow_up_0_due": "2026-11-25",
        },
        "follow_up_0",
        lambda: FollowUp.objects.values_list("description", flat=True).first(),
    )


def cfir_page(org) -> Page:
    return Page(
        "leader",
        reverse("fidelity:log"),
        {
            "on": "2026-11-02",
            "cfir_domain": "outer_setting",
            "direction": "barrier",
            "theme": "Fear in the community",
            "note": "Patients say " + TEXT,
        },
        "note",
        lambda: ImplementationNote.objects.values_list("note", flat=True).first(),
    )


PAGES = [
    alert_page,
    reassign_page,
    graduate_page,
    partner_page,
    training_page,
    follow_up_page,
    cfir_page,
]


@pytest.mark.parametrize("make", PAGES, ids=lambda make: make.__name__)
def test_the_page_warns_writes_nothing_and_keeps_the_text_as_typed(org, login, make):
    page = make(org)
    client = login(getattr(org, page.who))
    response = client.post(page.url, page.data)
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert WARNING in html
    assert "Keep the text as written" in html
    assert page.data[page.field].replace("'", "&#x27;") in html  # as typed
    assert page.saved() is None


@pytest.mark.parametrize("make", PAGES, ids=lambda make: make.__name__)
def test_ticking_keep_saves_the_text_as_written(org, login, make):
    page = make(org)
    client = login(getattr(org, page.who))
    response = client.post(page.url, page.data | {"keep_sensitive_text": "on"})
    assert response.status_code == 302
    assert page.saved() == page.data[page.field]


def test_the_declined_reason_is_checked(org):
    data = {
        "status": "declined",
        "referred_on": "2026-11-18",
        "close_reason": "Declined: sin documentos, tiene miedo",
    }
    form = EnrollmentForm(data, user=org.a1, program=org.program)
    assert not form.is_valid()
    assert WARNING in form.errors["close_reason"][0]
    kept = EnrollmentForm(data | {"keep_sensitive_text": "on"}, user=org.a1, program=org.program)
    assert kept.is_valid()


def test_a_fidelity_rating_note_warns_on_the_review_page(org, login):
    review = review_start(
        program=org.program, start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31), by=org.ma
    )
    rating = review.ratings.get(component__code="community_hiring")
    url = reverse("fidelity:review", args=[review.pk])
    data = {
        "rating_id": rating.pk,
        f"r{rating.pk}-rating": "met",
        f"r{rating.pk}-note": "Hired a CHW who is undocumented",
    }
    response = login(org.ma).post(url, data)
    assert WARNING in response.content.decode()
    rating.refresh_from_db()
    assert rating.note == ""
    assert (
        login(org.ma).post(url, data | {f"r{rating.pk}-keep_sensitive_text": "on"}).status_code
        == 302
    )
    rating.refresh_from_db()
    assert rating.note == "Hired a CHW who is undocumented"


def test_a_refused_alert_note_without_htmx_goes_back_to_the_alerts_once_kept(org, login):
    page = alert_page(org)
    client = login(org.a1)
    refused = client.post(page.url, page.data)
    assert refused.status_code == 400
    assert f'name="next" value="{reverse("caseloads:alerts")}"' in refused.content.decode()
    kept = client.post(
        page.url, page.data | {"keep_sensitive_text": "on", "next": reverse("caseloads:alerts")}
    )
    assert kept.status_code == 302 and kept.url == reverse("caseloads:alerts")

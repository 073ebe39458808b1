"""The main pages run a fixed number of SQL queries whatever the caseload size."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.conftest import NOW
from tests.factories import EncounterFactory, EnrollmentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

# Session, user, the page's own reads. Pinned: a change that adds a query per row fails.
CASELOAD_QUERIES = 5
TEAM_QUERIES = 5
PATIENT_PAGE_QUERIES = 7  # + the reassignment form's list of team CHWs (manager)


def fill(org, per_chw: int) -> None:
    for chw in (org.a1, org.a2):
        for n in range(per_chw):
            enrollment = EnrollmentFactory(chw=chw, days_ago=20 + n)
            EncounterFactory(enrollment=enrollment, occurred_at=NOW - dt.timedelta(days=n % 20))
            EncounterFactory(
                enrollment=enrollment,
                occurred_at=NOW - dt.timedelta(days=1),
                reached=False,
                kind="outreach_attempt",
            )


@pytest.mark.parametrize("patients", [5, 50])
def test_caseload_page(org, login, django_assert_max_num_queries, patients):
    fill(org, patients)
    client = login(org.a1)
    with django_assert_max_num_queries(CASELOAD_QUERIES):
        response = client.get(reverse("caseloads:mine"))
    assert len(response.context["rows"]) == patients


@pytest.mark.parametrize("patients", [5, 50])
def test_caseload_page_opened_by_the_manager(org, login, django_assert_max_num_queries, patients):
    fill(org, patients)
    client = login(org.ma)
    with django_assert_max_num_queries(CASELOAD_QUERIES + 1):  # + the CHW lookup
        response = client.get(reverse("caseloads:mine"), {"chw": org.a2.pk})
    assert len(response.context["rows"]) == patients


@pytest.mark.parametrize("patients", [5, 50])
def test_team_page(org, login, django_assert_max_num_queries, patients):
    fill(org, patients)
    client = login(org.ma)
    with django_assert_max_num_queries(TEAM_QUERIES):
        response = client.get(reverse("caseloads:team"))
    assert [c.active for c in response.context["chws"]] == [patients, patients]


@pytest.mark.parametrize("encounters", [5, 50])
def test_patient_page(org, login, django_assert_max_num_queries, encounters):
    enrollment = EnrollmentFactory(chw=org.a1, days_ago=60)
    for n in range(encounters):
        EncounterFactory(enrollment=enrollment, occurred_at=NOW - dt.timedelta(days=n))
    client = login(org.ma)
    with django_assert_max_num_queries(PATIENT_PAGE_QUERIES):
        response = client.get(reverse("caseloads:enrollment", args=[enrollment.pk]))
    assert len(response.context["timeline"]) == encounters

"""The Django admin's patient and enrollment search is posted (DESIGN.md §4: patient
details never travel in URLs)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import EnrollmentFactory, PatientFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

PATIENTS = reverse("admin:caseloads_patient_changelist")


def shown(response) -> set[str]:
    return {p.family_name for p in response.context["cl"].result_list}


def test_the_admin_searches_patients_by_post(org, login):
    PatientFactory(program=org.program, family_name="Quispe", mrn="QX-1")
    PatientFactory(program=org.program, family_name="Mamani")
    client = login(org.admin)
    page = client.get(PATIENTS)
    body = page.content.decode()
    assert '<form id="changelist-search" method="post" role="search">' in body
    response = client.post(PATIENTS, {"_posted_search": "1", "q": "quispe"})
    assert (response.status_code, response.url) == (302, PATIENTS)  # no name in the URL
    page = client.get(PATIENTS)
    assert shown(page) == {"Quispe"}
    assert 'value="quispe"' in page.content.decode()  # the box shows what was searched
    client.post(PATIENTS, {"_posted_search": "1", "q": ""})  # an empty search clears it
    assert shown(client.get(PATIENTS)) == {"Quispe", "Mamani"}


def test_a_search_in_the_query_string_is_dropped(org, login):
    PatientFactory(program=org.program, family_name="Quispe")
    PatientFactory(program=org.program, family_name="Mamani")
    client = login(org.admin)
    response = client.get(PATIENTS, {"q": "Quispe", "interpreter_needed__exact": "0"})
    assert response.status_code == 302
    assert response.url == f"{PATIENTS}?interpreter_needed__exact=0"
    assert shown(client.get(PATIENTS)) == {"Quispe", "Mamani"}


def test_the_enrollment_search_is_posted_too(org, login):
    EnrollmentFactory(chw=org.a1, patient=PatientFactory(program=org.program, mrn="QX-7"))
    EnrollmentFactory(chw=org.a1)
    url = reverse("admin:caseloads_enrollment_changelist")
    client = login(org.admin)
    client.post(url, {"_posted_search": "1", "q": "QX-7"})
    assert [e.patient.mrn for e in client.get(url).context["cl"].result_list] == ["QX-7"]

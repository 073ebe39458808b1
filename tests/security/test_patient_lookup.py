"""Finding a registered patient (issue 17, leaks 3 and 4).

A CHW finds a registered patient with what they have in hand (the MRN, or the family name
with the date of birth), by POST, never by an id or a query string; an id alone never
shows nor enrolls anyone outside the user's scope (DESIGN.md §4: 404). Another CHW's
former patient is not described to a CHW: they are told to ask their manager, who may
re-enroll any former patient of the program onto their own team.

Personas: team A (manager ma; CHWs a1, a2), team B (mb; b1, b2), the leader.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from caseloads.models import Enrollment
from tests.conftest import NOW
from tests.factories import EnrollmentFactory, PatientFactory

TODAY = NOW.date()
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

SEARCH = reverse("caseloads:enroll")
BORN = dt.date(1958, 7, 14)


def former(chw, status: str, *, family_name: str = "Mamani", mrn: str = "", born=BORN):
    """A patient whose only enrollment, with `chw`, is closed (`status`)."""
    patient = PatientFactory(
        program=chw.program,
        given_name="Dolores",
        family_name=family_name,
        mrn=mrn,
        date_of_birth=born,
    )
    if status == Enrollment.Status.DECLINED:
        return EnrollmentFactory(
            chw=chw,
            patient=patient,
            days_ago=90,
            status=status,
            enrolled_on=None,
            planned_end_on=None,
            closed_on=TODAY - dt.timedelta(days=90),
        ).patient
    return EnrollmentFactory(
        chw=chw,
        patient=patient,
        days_ago=300,
        status=status,
        closed_on=TODAY - dt.timedelta(days=100),
    ).patient


def enroll_url(patient) -> str:
    return reverse("caseloads:enrollment_new", args=[patient.pk])


def enroll_data(**overrides) -> dict:
    return {
        "status": "enrolled",
        "referred_on": "2026-11-17",
        "enrolled_on": "2026-11-18",
        "close_reason": "",
        "submission_key": str(uuid.uuid4()),
    } | overrides


def shows_patient(body: str, patient) -> bool:
    return any(
        text in body
        for text in (patient.given_name, patient.family_name, patient.mrn or "\0", "1958")
    )


# -- the failing case on main: an id alone ---------------------------------------------------


@pytest.mark.parametrize("status", ["graduated", "withdrawn", "declined"])
def test_a_chw_cannot_open_or_enroll_another_teams_former_patient_by_id(org, login, status):
    patient = former(org.b1, status, mrn="MR-4410")
    client = login(org.a1)
    page = client.get(enroll_url(patient))
    assert page.status_code == 404
    assert not shows_patient(page.content.decode(), patient)
    assert client.post(enroll_url(patient), enroll_data()).status_code == 404
    assert Enrollment.objects.filter(patient=patient).count() == 1  # nothing written


@pytest.mark.parametrize("status", ["graduated", "withdrawn", "declined"])
def test_a_chw_cannot_enroll_a_teammates_former_patient_by_id(org, login, status):
    patient = former(org.a2, status)
    client = login(org.a1)
    assert client.get(enroll_url(patient)).status_code == 404
    assert client.post(enroll_url(patient), enroll_data()).status_code == 404
    assert Enrollment.objects.filter(patient=patient).count() == 1


def test_a_manager_cannot_open_another_teams_former_patient_by_id(org, login):
    patient = former(org.b1, "graduated")
    client = login(org.ma)
    assert client.get(enroll_url(patient)).status_code == 404
    assert client.post(enroll_url(patient), enroll_data(chw=org.a1.pk)).status_code == 404
    assert Enrollment.objects.filter(patient=patient).count() == 1


def test_a_patient_never_enrolled_is_not_opened_by_id(org, login):
    patient = PatientFactory(program=org.program)
    for user in (org.a1, org.ma):
        assert login(user).get(enroll_url(patient)).status_code == 404


def test_the_chw_and_their_manager_open_the_chws_former_patient_by_id(org, login):
    patient = former(org.a1, "graduated")
    assert login(org.a1).get(enroll_url(patient)).status_code == 200
    assert login(org.ma).get(enroll_url(patient)).status_code == 200
    assert login(org.mb).get(enroll_url(patient)).status_code == 404


def test_the_last_enrollment_decides_whose_patient_it_is(org, login):
    patient = former(org.b1, "graduated")
    EnrollmentFactory(
        chw=org.a1,
        patient=patient,
        days_ago=60,
        status="withdrawn",
        closed_on=TODAY - dt.timedelta(days=5),
    )
    assert login(org.a1).get(enroll_url(patient)).status_code == 200
    assert login(org.b1).get(enroll_url(patient)).status_code == 404


# -- the search ----------------------------------------------------------------------------


def test_a_chw_finds_their_former_patient_by_mrn_and_re_enrolls_them(org, login):
    patient = former(org.a1, "graduated", mrn="MR-7")
    client = login(org.a1)
    page = client.post(SEARCH, {"mrn": " mr-7 "})
    assert page.context["lookup"].to_enroll == [patient]
    body = page.content.decode()
    assert "Dolores Mamani" in body and enroll_url(patient) in body
    response = client.post(enroll_url(patient), enroll_data())
    new = Enrollment.objects.get(patient=patient, status="enrolled")
    assert response.status_code == 302
    assert response.url == reverse("caseloads:enrollment", args=[new.pk])
    assert (new.chw, new.planned_end_on) == (org.a1, dt.date(2027, 5, 17))


def test_a_chw_finds_a_patient_by_family_name_and_birth_date(org, login):
    patient = former(org.a1, "withdrawn", family_name="Núñez García")
    page = login(org.a1).post(
        SEARCH, {"family_name": "  NUNEZ   garcía ", "date_of_birth": "1958-07-14"}
    )
    assert page.context["lookup"].to_enroll == [patient]


def test_a_patient_never_enrolled_is_found_and_enrolled_by_the_chw(org, login):
    patient = PatientFactory(program=org.program, mrn="NEW-1")
    client = login(org.a1)
    assert client.post(SEARCH, {"mrn": "NEW-1"}).context["lookup"].to_enroll == [patient]
    client.post(enroll_url(patient), enroll_data())
    assert Enrollment.objects.get(patient=patient).chw == org.a1


def test_nothing_found(org, login):
    former(org.a1, "graduated", mrn="MR-7")
    page = login(org.a1).post(SEARCH, {"family_name": "Mamani", "date_of_birth": "1958-07-15"})
    lookup = page.context["lookup"]
    assert (lookup.to_enroll, lookup.enrolled, lookup.elsewhere) == ([], [], 0)
    body = page.content.decode()
    assert "No registered patient matches." in body
    assert "Register a new patient" in body


def test_several_matches_are_listed_with_a_warning(org, login):
    twins = [former(org.a1, "graduated"), former(org.a1, "withdrawn")]
    twins[1].given_name = "Dora"
    twins[1].save()
    page = login(org.a1).post(SEARCH, {"family_name": "mamani", "date_of_birth": "1958-07-14"})
    assert set(page.context["lookup"].to_enroll) == set(twins)
    body = page.content.decode()
    assert "Several registered patients match" in body
    assert "Dolores Mamani" in body and "Dora Mamani" in body


def test_a_patient_on_the_chws_caseload_is_shown_with_a_link_to_their_page(org, login):
    enrollment = EnrollmentFactory(
        chw=org.a1, patient=PatientFactory(program=org.program, mrn="MR-9")
    )
    page = login(org.a1).post(SEARCH, {"mrn": "MR-9"})
    assert page.context["lookup"].enrolled == [enrollment]
    body = page.content.decode()
    assert "already on your caseload" in body
    assert enroll_url(enrollment.patient) not in body


@pytest.mark.parametrize("owner", ["a2", "b1"])
@pytest.mark.parametrize("status", ["graduated", "withdrawn", "declined", "enrolled"])
def test_another_chws_patient_is_not_described_the_chw_is_told_to_ask_their_manager(
    org, login, owner, status
):
    if status == "enrolled":
        patient = EnrollmentFactory(
            chw=getattr(org, owner),
            patient=PatientFactory(
                program=org.program,
                given_name="Dolores",
                family_name="Mamani",
                date_of_birth=BORN,
                mrn="MR-4410",
            ),
        ).patient
    else:
        patient = former(getattr(org, owner), status, mrn="MR-4410")
    client = login(org.a1)
    for terms in ({"mrn": "MR-4410"}, {"family_name": "Mamani", "date_of_birth": "1958-07-14"}):
        page = client.post(SEARCH, terms)
        lookup = page.context["lookup"]
        assert (lookup.to_enroll, lookup.enrolled, lookup.elsewhere) == ([], [], 1)
        body = page.content.decode()
        assert "Ask your manager" in body
        assert "Dolores" not in body and "July" not in body and "Jul" not in body
        assert enroll_url(patient) not in body
        if terms.get("mrn"):  # only what the CHW typed comes back, in the search box
            assert body.count("MR-4410") == 1
        # The search did not open the enrollment form either.
        assert client.get(enroll_url(patient)).status_code == 404
    assert Enrollment.objects.filter(patient=patient).count() == 1


def test_the_manager_re_enrolls_their_teams_former_patient_onto_their_team(org, login):
    patient = former(org.a2, "graduated", mrn="MR-5")
    client = login(org.ma)
    page = client.post(SEARCH, {"mrn": "MR-5"})
    assert page.context["lookup"].to_enroll == [patient]
    client.post(enroll_url(patient), enroll_data(chw=org.a1.pk))
    assert Enrollment.objects.get(patient=patient, status="enrolled").chw == org.a1


def test_a_manager_re_enrolls_another_teams_former_patient_found_by_search(org, login):
    patient = former(org.b1, "withdrawn", mrn="MR-6")
    client = login(org.ma)
    assert client.get(enroll_url(patient)).status_code == 404  # not by id
    page = client.post(SEARCH, {"family_name": "Mamani", "date_of_birth": "1958-07-14"})
    assert page.context["lookup"].to_enroll == [patient]
    assert "Dolores Mamani" in page.content.decode()
    # Onto a CHW of their own team only.
    refused = client.post(enroll_url(patient), enroll_data(chw=org.b2.pk))
    assert "Select a valid choice" in " ".join(refused.context["form"].errors["chw"])
    assert Enrollment.objects.filter(patient=patient).count() == 1
    response = client.post(enroll_url(patient), enroll_data(chw=org.a2.pk))
    assert response.status_code == 302
    new = Enrollment.objects.get(patient=patient, status="enrolled")
    assert new.chw == org.a2
    # Now team A's patient: team B's people no longer open them by id.
    assert login(org.b1).get(enroll_url(patient)).status_code == 404


def test_a_manager_is_not_shown_another_teams_current_patient(org, login):
    enrollment = EnrollmentFactory(
        chw=org.b1, patient=PatientFactory(program=org.program, mrn="MR-8")
    )
    client = login(org.ma)
    page = client.post(SEARCH, {"mrn": "MR-8"})
    assert page.context["lookup"].elsewhere == 1
    body = page.content.decode()
    assert "Ask that team" in body
    assert enrollment.patient.given_name not in body
    assert client.get(enroll_url(enrollment.patient)).status_code == 404


def test_a_search_grant_lapses_when_the_patient_is_enrolled_by_someone_else(org, login):
    patient = PatientFactory(program=org.program, mrn="NEW-2")
    client = login(org.a1)
    client.post(SEARCH, {"mrn": "NEW-2"})
    EnrollmentFactory(chw=org.b1, patient=patient)
    assert client.get(enroll_url(patient)).status_code == 404
    assert client.post(enroll_url(patient), enroll_data()).status_code == 404


def test_a_new_search_replaces_what_the_last_one_found(org, login):
    first = PatientFactory(program=org.program, mrn="NEW-3")
    client = login(org.a1)
    client.post(SEARCH, {"mrn": "NEW-3"})
    client.post(SEARCH, {"mrn": "NOBODY"})
    assert client.get(enroll_url(first)).status_code == 404


def test_patients_of_another_program_are_never_found(org, login):
    from tests.factories import ProgramFactory

    PatientFactory(program=ProgramFactory(), mrn="MR-1")
    lookup = login(org.a1).post(SEARCH, {"mrn": "MR-1"}).context["lookup"]
    assert (lookup.to_enroll, lookup.enrolled, lookup.elsewhere) == ([], [], 0)


# -- patient details never travel in a URL -----------------------------------------------


def test_the_search_form_posts_and_a_query_string_does_not_search(org, login):
    former(org.a1, "graduated", mrn="MR-7")
    client = login(org.a1)
    terms = {"mrn": "MR-7", "family_name": "Mamani", "date_of_birth": "1958-07-14"}
    response = client.get(SEARCH, terms)
    assert (response.status_code, response.url) == (302, SEARCH)  # the details leave the URL
    assert "caseloads.found" not in client.session
    page = client.get(SEARCH)
    assert page.context["lookup"] is None
    body = page.content.decode()
    assert 'method="post"' in body
    assert "MR-7" not in body and "Mamani" not in body


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_the_search_refuses_other_methods(org, login, method):
    assert getattr(login(org.a1), method)(SEARCH).status_code == 405


def test_the_leader_never_searches(org, login):
    former(org.a1, "graduated", mrn="MR-7")
    assert login(org.leader).post(SEARCH, {"mrn": "MR-7"}).status_code == 403


def test_register_a_new_patient_starts_with_the_search_terms_without_a_query_string(org, login):
    client = login(org.a1)
    page = client.post(SEARCH, {"family_name": "Quispe", "date_of_birth": "1968-04-02"})
    href = reverse("caseloads:patient_new")
    assert f'href="{href}"' in page.content.decode()  # a plain link: no "?family_name=…"
    form = client.get(href).context["patient_form"]
    assert (form["family_name"].value(), str(form["date_of_birth"].value())) == (
        "Quispe",
        "1968-04-02",
    )
    # A query string is not read.
    form = login(org.a2).get(href, {"family_name": "Leak"}).context["patient_form"]
    assert form["family_name"].value() is None


@pytest.mark.parametrize(
    ("terms", "field", "message"),
    [
        ({}, "__all__", "Search by MRN, or by family name together with date of birth."),
        ({"mrn": "   "}, "__all__", "Search by MRN, or by family name together with date"),
        ({"family_name": "Mamani"}, "date_of_birth", "Enter the date of birth too"),
        ({"date_of_birth": "1958-07-14"}, "family_name", "Enter the family name too"),
        (
            {"family_name": "Mamani", "date_of_birth": "14/07/58x"},
            "date_of_birth",
            "Enter the date of birth as a date, like 1968-04-02.",
        ),
    ],
)
def test_bad_input_gets_a_clear_message_and_searches_nothing(org, login, terms, field, message):
    former(org.a1, "graduated", mrn="MR-7")
    client = login(org.a1)
    page = client.post(SEARCH, terms)
    assert page.status_code == 200
    assert page.context["lookup"] is None
    assert message in " ".join(page.context["form"].errors[field])
    assert "caseloads.found" not in client.session


# -- the duplicate check on registration --------------------------------------------------


def new_patient(**overrides) -> dict:
    return {
        "patient-given_name": "Dolores",
        "patient-family_name": "Mamani",
        "patient-date_of_birth": "1958-07-14",
        "patient-mrn": "",
        "patient-preferred_language": "Spanish",
        "enrollment-status": "enrolled",
        "enrollment-referred_on": "2026-11-17",
        "enrollment-enrolled_on": "2026-11-18",
        "enrollment-submission_key": str(uuid.uuid4()),
    } | overrides


def test_a_possible_duplicate_of_another_team_is_counted_not_described(org, login):
    other = former(org.b1, "graduated", mrn="MR-4410")
    other.family_name = "Mamani Quispe"  # same given name and birth date: a possible duplicate
    other.save()
    page = login(org.a1).post(reverse("caseloads:patient_new"), new_patient())
    body = page.content.decode()
    assert page.context["other_duplicates"] == 1 and page.context["duplicates"] == []
    assert "search for them by MRN, or ask your manager" in body
    assert "Mamani Quispe" not in body and "MR-4410" not in body
    assert enroll_url(other) not in body
    assert Enrollment.objects.count() == 1  # nothing written until the CHW confirms


def test_a_possible_duplicate_of_the_chw_is_named_with_a_link(org, login):
    own = former(org.a1, "graduated", mrn="MR-1")
    page = login(org.a1).post(reverse("caseloads:patient_new"), new_patient())
    assert page.context["duplicates"] == [own]
    assert enroll_url(own) in page.content.decode()

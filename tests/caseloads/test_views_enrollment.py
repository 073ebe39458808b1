"""Finding a patient, registering a new one, and starting an enrollment."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from caseloads.models import Enrollment, Patient
from tests.conftest import NOW
from tests.factories import EnrollmentFactory, PatientFactory, ProgramFactory

TODAY = NOW.date()
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def new_patient_data(chw=None, **overrides) -> dict:
    data = {
        "patient-given_name": "Rosa",
        "patient-family_name": "Quispe",
        "patient-preferred_name": "",
        "patient-date_of_birth": "1968-04-02",
        "patient-mrn": "QX-1001",
        "patient-phone": "(267) 324-1876",
        "patient-preferred_language": "Quechua",
        "patient-interpreter_needed": "on",
        "patient-zip_code": "19143",
        "enrollment-status": "enrolled",
        "enrollment-referred_on": "2026-11-10",
        "enrollment-enrolled_on": "2026-11-16",
        "enrollment-close_reason": "",
        "enrollment-submission_key": str(uuid.uuid4()),
    }
    if chw is not None:
        data["enrollment-chw"] = str(chw.pk)
    return data | overrides


class TestSearch:
    # tests/security/test_patient_lookup.py covers who is shown what.
    def test_finds_by_mrn_and_by_name_with_birth_date_by_post(self, org, login):
        patient = PatientFactory(
            program=org.program, family_name="Quispe", date_of_birth=dt.date(1968, 4, 2), mrn="QX-1"
        )
        client = login(org.b1)  # a patient never enrolled is nobody's: any CHW may enroll
        url = reverse("caseloads:enroll")
        assert client.post(url, {"mrn": "qx-1"}).context["lookup"].to_enroll == [patient]
        found = client.post(url, {"family_name": "quispe", "date_of_birth": "1968-04-02"})
        assert found.context["lookup"].to_enroll == [patient]
        assert "Enroll this patient" in found.content.decode()

    def test_patient_with_an_open_enrollment_cannot_be_enrolled_again(self, org, login):
        enrollment = EnrollmentFactory(chw=org.a1)
        response = login(org.b1).post(reverse("caseloads:enroll"), {"mrn": "x"})
        assert not response.context["lookup"].found
        enrollment.patient.mrn = "M-5"
        enrollment.patient.save()
        body = login(org.b1).post(reverse("caseloads:enroll"), {"mrn": "M-5"}).content.decode()
        assert "Ask your manager" in body
        assert reverse("caseloads:enrollment_new", args=[enrollment.patient_id]) not in body

    def test_a_search_needs_mrn_or_name_and_birth_date(self, org, login):
        response = login(org.a1).post(reverse("caseloads:enroll"), {"family_name": "Quispe"})
        assert response.context["lookup"] is None
        assert "Enter the date of birth too" in response.content.decode()


class TestRegisterAndEnroll:
    url = reverse("caseloads:patient_new")

    def test_chw_registers_and_enrolls_in_one_step(self, org, login):
        response = login(org.a1).post(self.url, new_patient_data())
        patient = Patient.objects.get()
        enrollment = Enrollment.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("caseloads:enrollment", args=[enrollment.pk])
        assert str(patient.phone) == "+12673241876"  # normalised to E.164
        assert (patient.preferred_language, patient.interpreter_needed) == ("qu", True)
        assert (patient.created_by, patient.program) == (org.a1, org.program)
        assert (enrollment.chw, enrollment.status) == (org.a1, "enrolled")
        assert enrollment.enrolled_on == dt.date(2026, 11, 16)
        # 16 November 2026 + 180 days = 15 May 2027.
        assert enrollment.planned_end_on == dt.date(2027, 5, 15)

    def test_chw_cannot_enroll_for_a_colleague(self, org, login):
        login(org.a1).post(self.url, new_patient_data(chw=org.a2))
        # The CHW field is fixed to the CHW: a tampered value is rejected, not obeyed.
        assert Enrollment.objects.filter(chw=org.a2).count() == 0

    def test_manager_assigns_a_chw_of_their_team(self, org, login):
        client = login(org.ma)
        response = client.post(self.url, new_patient_data(chw=org.b1))
        assert "Select a valid choice" in " ".join(
            response.context["enrollment_form"].errors["chw"]
        )
        assert Patient.objects.count() == 0
        client.post(self.url, new_patient_data(chw=org.a2))
        assert Enrollment.objects.get().chw == org.a2

    def test_referral_outcomes(self, org, login):
        client = login(org.a1)
        client.post(
            self.url,
            new_patient_data(
                **{
                    "enrollment-status": "declined",
                    "enrollment-enrolled_on": "",
                    "enrollment-close_reason": "Has support already",
                }
            ),
        )
        declined = Enrollment.objects.get()
        assert (declined.status, declined.closed_on, declined.close_reason) == (
            "declined",
            dt.date(2026, 11, 10),
            "Has support already",
        )

    @pytest.mark.parametrize(
        ("overrides", "form", "field", "message"),
        [
            ({"patient-phone": "12345"}, "patient", "phone", "valid phone number"),
            (
                {"patient-date_of_birth": "2027-01-01"},
                "patient",
                "date_of_birth",
                "cannot be in the future",
            ),
            ({"patient-date_of_birth": "1890-01-01"}, "patient", "date_of_birth", "Check the year"),
            (
                {"patient-preferred_language": "Elvish"},
                "patient",
                "preferred_language",
                "We do not know the language",
            ),
            ({"patient-zip_code": "ABCDE"}, "patient", "zip_code", "ZIP code"),
            ({"patient-given_name": ""}, "patient", "given_name", "required"),
            (
                {"enrollment-enrolled_on": "2026-11-01"},
                "enrollment",
                "enrolled_on",
                "before they were referred",
            ),
            (
                {"enrollment-enrolled_on": "2026-11-30"},
                "enrollment",
                "enrolled_on",
                "cannot be in the future",
            ),
            (
                {
                    "enrollment-referred_on": "2026-12-01",
                    "enrollment-status": "referred",
                    "enrollment-enrolled_on": "",
                },
                "enrollment",
                "referred_on",
                "cannot be in the future",
            ),
            ({"enrollment-status": "graduated"}, "enrollment", "status", "valid choice"),
        ],
    )
    def test_bad_input_is_shown_next_to_the_field_and_writes_nothing(
        self, org, login, overrides, form, field, message
    ):
        response = login(org.a1).post(self.url, new_patient_data(**overrides))
        assert response.status_code == 200
        errors = response.context[f"{form}_form"].errors
        assert message in " ".join(errors[field])
        assert Patient.objects.count() == 0
        assert Enrollment.objects.count() == 0
        assert "Quispe" in response.content.decode()  # nothing typed is lost

    def test_duplicate_mrn_in_the_program(self, org, login):
        PatientFactory(program=org.program, mrn="QX-1001")
        PatientFactory(program=ProgramFactory(), mrn="QX-9")  # other programs don't count
        response = login(org.a1).post(self.url, new_patient_data())
        assert "has this MRN" in " ".join(response.context["patient_form"].errors["mrn"])
        assert Patient.objects.count() == 2
        login(org.a1).post(self.url, new_patient_data(**{"patient-mrn": "QX-9"}))
        assert Patient.objects.filter(program=org.program, mrn="QX-9").exists()

    def test_possible_duplicate_needs_confirmation(self, org, login):
        existing = PatientFactory(
            program=org.program,
            given_name="Rosa",
            family_name="Quispe",
            date_of_birth=dt.date(1968, 4, 2),
        )
        # The CHW's former patient: named, with a link (anyone else's is only counted).
        EnrollmentFactory(
            chw=org.a1,
            patient=existing,
            days_ago=300,
            status="withdrawn",
            closed_on=TODAY - dt.timedelta(days=30),
        )
        client = login(org.a1)
        data = new_patient_data(**{"patient-mrn": ""})
        response = client.post(self.url, data)
        body = response.content.decode()
        assert "Possible duplicate" in body
        assert reverse("caseloads:enrollment_new", args=[existing.pk]) in body
        assert Patient.objects.count() == 1
        response = client.post(self.url, data | {"patient-confirm_new_person": "on"})
        assert response.status_code == 302
        assert Patient.objects.count() == 2

    def test_double_submit_creates_one_patient_and_one_enrollment(self, org, login):
        client = login(org.a1)
        data = new_patient_data()
        first = client.post(self.url, data)
        second = client.post(self.url, data)
        assert first.status_code == second.status_code == 302
        assert first.url == second.url
        assert (Patient.objects.count(), Enrollment.objects.count()) == (1, 1)

    def test_form_shows_the_program_default_phone_region(self, org, login):
        body = login(org.a1).get(self.url).content.decode()
        assert "read as US numbers" in body


class TestEnrollExisting:
    def url(self, patient):
        return reverse("caseloads:enrollment_new", args=[patient.pk])

    def data(self, **overrides):
        return {
            "status": "enrolled",
            "referred_on": "2026-11-17",
            "enrolled_on": "2026-11-18",
            "close_reason": "",
            "submission_key": str(uuid.uuid4()),
        } | overrides

    def test_returning_patient_starts_a_new_enrollment(self, org, login):
        old = EnrollmentFactory(chw=org.a1, days_ago=300)
        Enrollment.objects.filter(pk=old.pk).update(
            status="graduated", closed_on=old.planned_end_on
        )
        response = login(org.a1).post(self.url(old.patient), self.data())
        assert response.status_code == 302
        new = Enrollment.objects.exclude(pk=old.pk).get()
        assert (new.chw, new.status, new.planned_end_on) == (
            org.a1,
            "enrolled",
            dt.date(2027, 5, 17),
        )

    def test_another_chws_former_patient_is_404_by_id(self, org, login):
        old = EnrollmentFactory(chw=org.b1, days_ago=300)
        Enrollment.objects.filter(pk=old.pk).update(
            status="graduated", closed_on=old.planned_end_on
        )
        assert login(org.a1).get(self.url(old.patient)).status_code == 404
        assert login(org.a1).post(self.url(old.patient), self.data()).status_code == 404
        assert Enrollment.objects.count() == 1

    def test_second_open_enrollment_is_refused_next_to_the_status(self, org, login):
        open_one = EnrollmentFactory(chw=org.a1)
        response = login(org.a1).post(self.url(open_one.patient), self.data())
        assert response.status_code == 200
        assert "already has an open enrollment" in " ".join(
            response.context["form"].errors["status"]
        )
        assert Enrollment.objects.count() == 1

    def test_another_chws_current_patient_is_404(self, org, login):
        open_one = EnrollmentFactory(chw=org.b1)
        assert login(org.a1).get(self.url(open_one.patient)).status_code == 404
        assert login(org.a1).post(self.url(open_one.patient), self.data()).status_code == 404
        assert login(org.mb).get(self.url(open_one.patient)).status_code == 200
        assert Enrollment.objects.count() == 1

    def test_patient_of_another_program_is_404(self, org, login):
        stranger = PatientFactory(program=ProgramFactory())
        assert login(org.a1).get(self.url(stranger)).status_code == 404
        assert login(org.a1).post(self.url(stranger), self.data()).status_code == 404
        assert Enrollment.objects.count() == 0

    def test_double_submit_creates_one_enrollment(self, org, login):
        patient = PatientFactory(program=org.program, mrn="DS-1")
        client = login(org.a1)
        client.post(reverse("caseloads:enroll"), {"mrn": "DS-1"})  # found, so enrollable
        data = self.data()
        client.post(self.url(patient), data)
        client.post(self.url(patient), data)
        assert Enrollment.objects.count() == 1

"""Writes: what they store, what they derive, and what they refuse (with the field)."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from caseloads import services
from caseloads.models import Encounter, Enrollment, EnrollmentReassignment, Patient
from tests.factories import EnrollmentFactory, PatientFactory

NY = zoneinfo.ZoneInfo("America/New_York")
# Wednesday 18 November 2026, 10:00 in New York.
NOW = dt.datetime(2026, 11, 18, 10, 0, tzinfo=NY)
TODAY = NOW.date()

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def visit(when: dt.datetime, kind: str = Encounter.Kind.HOME_VISIT, **kwargs):
    return services.EncounterInput(occurred_at=when, kind=kind, **({"reached": True} | kwargs))


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


class TestEnrollmentCreate:
    def test_enrolled_gets_planned_end_from_intervention_days(self, org):
        patient = PatientFactory(program=org.program)
        enrollment = services.enrollment_create(
            patient=patient,
            chw=org.a1,
            status=Enrollment.Status.ENROLLED,
            referred_on=dt.date(2026, 11, 2),
            enrolled_on=dt.date(2026, 11, 10),
            by=org.a1,
        )
        enrollment.refresh_from_db()
        # 10 November + 180 days = 9 May 2027 (20 + 31 + 31 + 28 + 31 + 30 + 9 = 180).
        assert enrollment.planned_end_on == dt.date(2027, 5, 9)
        assert enrollment.program == org.program
        assert enrollment.closed_on is None

    def test_hospital_variant_uses_its_own_length(self, org):
        org.program.intervention_days = 14
        org.program.save()
        patient = PatientFactory(program=org.program)
        enrollment = services.enrollment_create(
            patient=patient,
            chw=org.a1,
            status="enrolled",
            referred_on=TODAY,
            enrolled_on=TODAY,
            by=org.a1,
        )
        assert enrollment.planned_end_on == dt.date(2026, 12, 2)

    @pytest.mark.parametrize("status", ["declined", "ineligible"])
    def test_declined_and_ineligible_close_on_referral_day(self, org, status):
        patient = PatientFactory(program=org.program)
        enrollment = services.enrollment_create(
            patient=patient,
            chw=org.a1,
            status=status,
            referred_on=dt.date(2026, 11, 3),
            enrolled_on=None,
            close_reason="Moved away",
            by=org.a1,
        )
        assert (enrollment.closed_on, enrollment.planned_end_on) == (dt.date(2026, 11, 3), None)

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            (
                {
                    "referred_on": TODAY + dt.timedelta(days=1),
                    "enrolled_on": None,
                    "status": "referred",
                },
                "referred_on",
            ),
            ({"referred_on": TODAY, "enrolled_on": TODAY + dt.timedelta(days=1)}, "enrolled_on"),
            ({"referred_on": TODAY, "enrolled_on": TODAY - dt.timedelta(days=1)}, "enrolled_on"),
            ({"referred_on": TODAY, "enrolled_on": None}, "enrolled_on"),
            ({"referred_on": TODAY, "enrolled_on": TODAY, "status": "graduated"}, "status"),
        ],
    )
    def test_bad_dates_and_statuses_are_refused(self, org, kwargs, field):
        patient = PatientFactory(program=org.program)
        args = {"status": "enrolled"} | kwargs
        with pytest.raises(ValidationError) as excinfo:
            services.enrollment_create(patient=patient, chw=org.a1, by=org.a1, **args)
        assert field in errors_of(excinfo)
        assert Enrollment.objects.count() == 0

    def test_second_open_enrollment_is_refused(self, org):
        first = EnrollmentFactory(chw=org.a1)
        with pytest.raises(ValidationError) as excinfo:
            services.enrollment_create(
                patient=first.patient,
                chw=org.a2,
                status="referred",
                referred_on=TODAY,
                enrolled_on=None,
                by=org.a2,
            )
        assert "open enrollment" in errors_of(excinfo)["status"][0]
        assert Enrollment.objects.count() == 1

    def test_chw_of_another_program_is_refused(self, org):
        from tests.factories import ProgramFactory, TeamFactory, UserFactory

        other = ProgramFactory()
        stranger = UserFactory(role="chw", program=other, team=TeamFactory(program=other))
        with pytest.raises(ValidationError) as excinfo:
            services.enrollment_create(
                patient=PatientFactory(program=org.program),
                chw=stranger,
                status="enrolled",
                referred_on=TODAY,
                enrolled_on=TODAY,
                by=org.ma,
            )
        assert "chw" in errors_of(excinfo)

    def test_same_submission_key_creates_one_enrollment(self, org):
        patient = PatientFactory(program=org.program)
        key = uuid.uuid4()
        args = dict(
            patient=patient,
            chw=org.a1,
            status="enrolled",
            referred_on=TODAY,
            enrolled_on=TODAY,
            by=org.a1,
            submission_key=key,
        )
        first = services.enrollment_create(**args)
        second = services.enrollment_create(**args)
        assert first.pk == second.pk
        assert Enrollment.objects.count() == 1


class TestPatientCreate:
    def test_duplicate_mrn_is_refused(self, org):
        PatientFactory(program=org.program, mrn="MRN-1")
        with pytest.raises(ValidationError) as excinfo:
            services.patient_create(
                program=org.program,
                by=org.a1,
                given_name="Ana",
                family_name="Ruiz",
                date_of_birth=dt.date(1980, 1, 1),
                mrn="MRN-1",
            )
        assert "mrn" in errors_of(excinfo)
        assert Patient.objects.count() == 1

    def test_possible_duplicates_by_name_and_birth_date(self, org):
        born = dt.date(1975, 3, 9)
        same = PatientFactory(
            program=org.program, given_name="María", family_name="López", date_of_birth=born
        )
        misspelt = PatientFactory(
            program=org.program, given_name="maría ", family_name="Lopes", date_of_birth=born
        )
        PatientFactory(
            program=org.program, given_name="Juan", family_name="Pérez", date_of_birth=born
        )
        PatientFactory(
            program=org.program,
            given_name="María",
            family_name="López",
            date_of_birth=dt.date(1975, 3, 10),
        )
        found = services.patient_possible_duplicates(
            program=org.program, given_name="MARÍA", family_name="lópez", date_of_birth=born
        )
        assert {p.pk for p in found} == {same.pk, misspelt.pk}


class TestEncounterLog:
    @pytest.fixture
    def enrollment(self, org):
        return EnrollmentFactory(chw=org.a1, days_ago=30)

    @pytest.mark.parametrize(
        ("when", "after_hours"),
        [
            (dt.datetime(2026, 11, 17, 17, 59, tzinfo=NY), False),
            (dt.datetime(2026, 11, 17, 18, 0, tzinfo=NY), True),
            (dt.datetime(2026, 11, 14, 11, 0, tzinfo=NY), True),  # Saturday
        ],
    )
    def test_after_hours_is_derived_and_stored(self, org, enrollment, when, after_hours):
        services.encounter_log(enrollment=enrollment, author=org.a1, data=visit(when))
        stored = Encounter.objects.get()
        assert (stored.after_hours, stored.after_end) == (after_hours, False)
        assert stored.setting == Encounter.Setting.COMMUNITY  # from the kind

    def test_contact_after_the_planned_end_is_kept_and_flagged(self, org):
        enrollment = EnrollmentFactory(chw=org.a1, days_ago=200)  # ended 20 days ago
        services.encounter_log(
            enrollment=enrollment,
            author=org.a1,
            data=visit(NOW - dt.timedelta(hours=1), kind="phone", initiated_by="patient"),
        )
        stored = Encounter.objects.get()
        assert stored.after_end is True
        assert stored.setting == Encounter.Setting.REMOTE

    def test_on_the_planned_end_day_it_is_not_after_end(self, org):
        enrollment = EnrollmentFactory(chw=org.a1, days_ago=180)  # ends today
        assert enrollment.planned_end_on == TODAY
        services.encounter_log(enrollment=enrollment, author=org.a1, data=visit(NOW))
        assert Encounter.objects.get().after_end is False

    def test_future_visit_is_refused(self, org, enrollment):
        with pytest.raises(ValidationError) as excinfo:
            services.encounter_log(
                enrollment=enrollment, author=org.a1, data=visit(NOW + dt.timedelta(hours=2))
            )
        assert "occurred_at" in errors_of(excinfo)
        assert Encounter.objects.count() == 0

    def test_a_phone_clock_a_little_ahead_is_tolerated(self, org, enrollment):
        services.encounter_log(
            enrollment=enrollment, author=org.a1, data=visit(NOW + dt.timedelta(minutes=3))
        )
        assert Encounter.objects.count() == 1

    def test_visit_before_the_enrollment_started_is_refused(self, org, enrollment):
        before = dt.datetime.combine(
            enrollment.enrolled_on - dt.timedelta(days=1), dt.time(10), tzinfo=NY
        )
        with pytest.raises(ValidationError) as excinfo:
            services.encounter_log(enrollment=enrollment, author=org.a1, data=visit(before))
        assert "(Oct 19, 2026)" in errors_of(excinfo)["occurred_at"][0]
        assert Encounter.objects.count() == 0

    def test_oversized_notes_are_refused(self, org, enrollment):
        with pytest.raises(ValidationError) as excinfo:
            services.encounter_log(
                enrollment=enrollment, author=org.a1, data=visit(NOW, notes="x" * 4001)
            )
        assert "notes" in errors_of(excinfo)
        assert Encounter.objects.count() == 0

    def test_chart_review_is_never_counted_as_reached(self, org, enrollment):
        services.encounter_log(
            enrollment=enrollment, author=org.a1, data=visit(NOW, kind="chart_review")
        )
        assert Encounter.objects.get().reached is False

    def test_declined_referral_takes_no_encounters(self, org):
        referral = EnrollmentFactory(
            chw=org.a1,
            status="declined",
            enrolled_on=None,
            planned_end_on=None,
            closed_on=TODAY - dt.timedelta(days=30),
        )
        with pytest.raises(ValidationError):
            services.encounter_log(enrollment=referral, author=org.a1, data=visit(NOW))
        assert Encounter.objects.count() == 0

    def test_next_touchpoint_is_saved_and_must_not_be_past(self, org, enrollment):
        services.encounter_log(
            enrollment=enrollment,
            author=org.a1,
            data=visit(NOW),
            next_touchpoint_on=TODAY + dt.timedelta(days=7),
        )
        enrollment.refresh_from_db()
        assert enrollment.next_touchpoint_on == dt.date(2026, 11, 25)
        with pytest.raises(ValidationError) as excinfo:
            services.encounter_log(
                enrollment=enrollment,
                author=org.a1,
                data=visit(NOW),
                next_touchpoint_on=TODAY - dt.timedelta(days=1),
            )
        assert "next_touchpoint_on" in errors_of(excinfo)
        assert Encounter.objects.count() == 1

    def test_same_submission_key_logs_once(self, org, enrollment):
        key = uuid.uuid4()
        for _ in range(2):
            services.encounter_log(
                enrollment=enrollment, author=org.a1, data=visit(NOW), submission_key=key
            )
        assert Encounter.objects.count() == 1


class TestReassign:
    def test_moves_and_records_why(self, org):
        enrollment = EnrollmentFactory(chw=org.a1)
        services.enrollment_reassign(
            enrollment=enrollment, to_chw=org.a2, reason="a1 on leave", by=org.ma
        )
        enrollment.refresh_from_db()
        assert enrollment.chw == org.a2
        move = EnrollmentReassignment.objects.get()
        assert (move.from_chw, move.to_chw, move.by, move.reason) == (
            org.a1,
            org.a2,
            org.ma,
            "a1 on leave",
        )

    @pytest.mark.parametrize(
        ("target", "reason", "field"),
        [
            ("b1", "cover", "to_chw"),
            ("a1", "cover", "to_chw"),
            ("a2", "  ", "reason"),
            ("ma", "cover", "to_chw"),
        ],
    )
    def test_refused_moves_write_nothing(self, org, target, reason, field):
        enrollment = EnrollmentFactory(chw=org.a1)
        with pytest.raises(ValidationError) as excinfo:
            services.enrollment_reassign(
                enrollment=enrollment, to_chw=getattr(org, target), reason=reason, by=org.ma
            )
        assert field in errors_of(excinfo)
        enrollment.refresh_from_db()
        assert enrollment.chw == org.a1
        assert EnrollmentReassignment.objects.count() == 0

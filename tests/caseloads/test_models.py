"""Enrollment and encounter rules the database keeps, and an enrollment's days."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.db import IntegrityError, transaction

from caseloads.models import Encounter, Enrollment
from tests.factories import EnrollmentFactory, PatientFactory, ProgramFactory

NY = zoneinfo.ZoneInfo("America/New_York")


def at(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=NY)


@pytest.mark.django_db
class TestConstraints:
    def test_one_open_enrollment_per_patient(self, org):
        first = EnrollmentFactory(chw=org.a1)
        with pytest.raises(IntegrityError), transaction.atomic():
            EnrollmentFactory(chw=org.a2, patient=first.patient)

    def test_a_closed_enrollment_does_not_block_a_new_one(self, org):
        first = EnrollmentFactory(chw=org.a1, days_ago=200)
        Enrollment.objects.filter(pk=first.pk).update(
            status=Enrollment.Status.GRADUATED, closed_on=first.planned_end_on
        )
        EnrollmentFactory(chw=org.a1, patient=first.patient, days_ago=5)
        assert Enrollment.objects.filter(patient=first.patient).count() == 2

    def test_enrolled_before_referral_is_refused(self, org):
        with pytest.raises(IntegrityError), transaction.atomic():
            EnrollmentFactory(
                chw=org.a1, referred_on=dt.date(2026, 5, 2), enrolled_on=dt.date(2026, 5, 1)
            )

    def test_end_before_start_is_refused(self, org):
        with pytest.raises(IntegrityError), transaction.atomic():
            EnrollmentFactory(
                chw=org.a1,
                referred_on=dt.date(2026, 5, 1),
                enrolled_on=dt.date(2026, 5, 1),
                planned_end_on=dt.date(2026, 4, 30),
            )

    def test_running_enrollment_needs_its_dates(self, org):
        with pytest.raises(IntegrityError), transaction.atomic():
            EnrollmentFactory(chw=org.a1, enrolled_on=None, planned_end_on=None)

    def test_chart_review_cannot_be_a_contact(self, org):
        enrollment = EnrollmentFactory(chw=org.a1)
        with pytest.raises(IntegrityError), transaction.atomic():
            Encounter.objects.create(
                enrollment=enrollment,
                author=org.a1,
                occurred_at=at(2026, 11, 18, 10, 0),
                kind=Encounter.Kind.CHART_REVIEW,
                setting=Encounter.Setting.CLINICAL,
                reached=True,
            )

    def test_mrn_unique_within_a_program_only(self, program):
        PatientFactory(program=program, mrn="A100")
        PatientFactory(program=ProgramFactory(), mrn="A100")  # another program: fine
        PatientFactory(program=program, mrn="")  # many patients have no MRN
        PatientFactory(program=program, mrn="")
        with pytest.raises(IntegrityError), transaction.atomic():
            PatientFactory(program=program, mrn="A100")


class TestEnrollmentDays:
    def make(self, **kwargs):
        defaults = {
            "status": Enrollment.Status.ENROLLED,
            "referred_on": dt.date(2026, 1, 1),
            "enrolled_on": dt.date(2026, 1, 5),
            "planned_end_on": dt.date(2026, 7, 4),
        }
        return Enrollment(**(defaults | kwargs))

    def test_after_end_is_the_day_after_the_planned_end(self):
        enrollment = self.make()
        assert enrollment.is_after_end(dt.date(2026, 7, 4)) is False
        assert enrollment.is_after_end(dt.date(2026, 7, 5)) is True

    def test_after_end_counts_from_an_early_closing(self):
        enrollment = self.make(status=Enrollment.Status.WITHDRAWN, closed_on=dt.date(2026, 3, 1))
        assert enrollment.is_after_end(dt.date(2026, 3, 1)) is False
        assert enrollment.is_after_end(dt.date(2026, 3, 2)) is True

    def test_active_from_enrollment_until_the_closing_day(self):
        enrollment = self.make(status=Enrollment.Status.GRADUATED, closed_on=dt.date(2026, 7, 4))
        assert enrollment.is_active_on(dt.date(2026, 1, 4)) is False
        assert enrollment.is_active_on(dt.date(2026, 1, 5)) is True
        assert enrollment.is_active_on(dt.date(2026, 7, 3)) is True
        assert enrollment.is_active_on(dt.date(2026, 7, 4)) is False

    def test_referral_is_never_active(self):
        referral = self.make(status=Enrollment.Status.REFERRED, enrolled_on=None)
        assert referral.is_active_on(dt.date(2026, 2, 1)) is False

    def test_days_left(self):
        assert self.make().days_left(dt.date(2026, 6, 24)) == 10
        assert self.make().days_left(dt.date(2026, 7, 14)) == -10

"""Model rules that hold whatever code writes: constraints, derived days and hours."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from caseloads.models import Encounter, Enrollment
from impact.models import Program, Role
from tests.factories import EnrollmentFactory, PatientFactory, ProgramFactory, UserFactory

NY = zoneinfo.ZoneInfo("America/New_York")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=NY)


class TestAfterHours:
    """Default workday Monday–Friday, [08:00, 18:00) in the program's time zone."""

    @pytest.fixture
    def program(self):
        return Program(name="p", time_zone="America/New_York")

    @pytest.mark.parametrize(
        ("moment", "after"),
        [
            (at(2026, 11, 18, 17, 59), False),  # Wednesday, a minute before the end
            (at(2026, 11, 18, 18, 0), True),  # the end itself is after hours
            (at(2026, 11, 18, 8, 0), False),  # the start is in hours
            (at(2026, 11, 18, 7, 59), True),
            (at(2026, 11, 21, 11, 0), True),  # Saturday
            (at(2026, 11, 22, 11, 0), True),  # Sunday
        ],
    )
    def test_local_workday_bounds(self, program, moment, after):
        assert program.is_after_hours(moment) is after

    def test_read_in_the_program_time_zone_not_utc(self, program):
        # 22:30 UTC on a Wednesday is 17:30 in New York: in hours.
        utc = dt.datetime(2026, 11, 18, 22, 30, tzinfo=dt.UTC)
        assert program.is_after_hours(utc) is False
        # 23:00 UTC is 18:00 in New York.
        assert program.is_after_hours(utc.replace(minute=0, hour=23)) is True

    def test_custom_workdays_include_saturday(self, program):
        program.workdays = "123456"
        assert program.is_after_hours(at(2026, 11, 21, 11, 0)) is False


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


@pytest.mark.django_db
class TestUserRules:
    def test_chw_needs_a_team(self, program):
        user = UserFactory.build(role=Role.CHW, program=program, team=None)
        with pytest.raises(ValidationError) as error:
            user.clean()
        assert "team" in error.value.message_dict

    def test_team_must_be_in_the_users_program(self, org):
        user = UserFactory.build(role=Role.CHW, program=ProgramFactory(), team=org.team_a)
        with pytest.raises(ValidationError) as error:
            user.clean()
        assert "team" in error.value.message_dict

    def test_leader_needs_a_program(self):
        user = UserFactory.build(role=Role.LEADER, program=None)
        with pytest.raises(ValidationError) as error:
            user.clean()
        assert "program" in error.value.message_dict


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

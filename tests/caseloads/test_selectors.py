"""Reads: scope (exact sets, DESIGN.md §4) and the caseload figures, computed by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from caseloads import selectors
from caseloads.models import Encounter
from tests.conftest import NOW
from tests.factories import EncounterFactory, EnrollmentFactory, PatientFactory, ProgramFactory

TODAY = NOW.date()
pytestmark = pytest.mark.django_db


def days_ago(n: int, hour: int = 10) -> dt.datetime:
    return NOW.replace(hour=hour) - dt.timedelta(days=n)


@pytest.fixture
def caseloads(org, frozen):
    """One enrollment per CHW, named after its CHW."""
    return {name: EnrollmentFactory(chw=getattr(org, name)) for name in ("a1", "a2", "b1", "b2")}


class TestScope:
    @pytest.mark.parametrize(
        ("who", "sees"),
        [
            ("a1", {"a1"}),
            ("a2", {"a2"}),
            ("b1", {"b1"}),
            ("ma", {"a1", "a2"}),
            ("mb", {"b1", "b2"}),
            ("leader", set()),
            ("admin", set()),
        ],
    )
    def test_enrollments_for_is_exactly_the_scope(self, org, caseloads, who, sees):
        got = set(selectors.enrollments_for(getattr(org, who)).values_list("pk", flat=True))
        assert got == {caseloads[name].pk for name in sees}

    @pytest.mark.parametrize(
        ("who", "sees"),
        [("a1", {"a1"}), ("ma", {"a1", "a2"}), ("mb", {"b1", "b2"}), ("leader", set())],
    )
    def test_chws_for(self, org, who, sees):
        got = set(selectors.chws_for(getattr(org, who)).values_list("username", flat=True))
        assert got == sees

    def test_enrollment_for_user_is_404_outside_scope(self, org, caseloads):
        from django.http import Http404

        assert selectors.enrollment_for_user(org.ma, caseloads["a2"].pk) == caseloads["a2"]
        for who, name in [("a1", "a2"), ("a1", "b1"), ("ma", "b1"), ("leader", "a1")]:
            with pytest.raises(Http404):
                selectors.enrollment_for_user(getattr(org, who), caseloads[name].pk)


class TestCaseloadRows:
    def test_figures_for_one_enrollment(self, org, frozen):
        enrollment = EnrollmentFactory(chw=org.a1, days_ago=170)  # ends in 10 days
        EncounterFactory(enrollment=enrollment, occurred_at=days_ago(9))  # reached contact
        # Later touchpoints that are not reached contacts do not reset the contact clock.
        EncounterFactory(
            enrollment=enrollment,
            occurred_at=days_ago(3),
            reached=False,
            kind=Encounter.Kind.OUTREACH_ATTEMPT,
        )
        EncounterFactory(
            enrollment=enrollment,
            occurred_at=days_ago(1),
            reached=False,
            kind=Encounter.Kind.CHART_REVIEW,
        )
        [row] = [
            selectors.CaseloadRow.build(e, TODAY) for e in selectors.caseload_for(org.a1, org.a1)
        ]
        assert row.days_left == 10
        assert row.ending_soon is True  # within the 14-day warning
        assert row.days_since_contact == 9
        assert row.contact_overdue is False
        # No planned touchpoint: due contact_interval_days after the last contact.
        assert row.next_touchpoint_on == TODAY + dt.timedelta(days=14 - 9)
        assert row.last_touch_label == "Chart review"

    def test_never_contacted_is_overdue_after_the_interval(self, org, frozen):
        old = EnrollmentFactory(chw=org.a1, days_ago=14)
        new = EnrollmentFactory(chw=org.a1, days_ago=13)
        rows = {
            r.enrollment.pk: r
            for r in (
                selectors.CaseloadRow.build(e, TODAY)
                for e in selectors.caseload_for(org.a1, org.a1)
            )
        }
        assert rows[old.pk].contact_overdue is True
        assert rows[old.pk].days_since_contact is None
        assert rows[new.pk].contact_overdue is False

    def test_caseload_is_enrolled_only(self, org, frozen):
        active = EnrollmentFactory(chw=org.a1)
        EnrollmentFactory(chw=org.a1, status="referred", enrolled_on=None, planned_end_on=None)
        closed = EnrollmentFactory(chw=org.a1, days_ago=200)
        closed.status, closed.closed_on = "graduated", TODAY - dt.timedelta(days=5)
        closed.save()
        assert [e.pk for e in selectors.caseload_for(org.a1, org.a1)] == [active.pk]

    def test_manager_cannot_read_another_teams_chw(self, org, caseloads):
        assert list(selectors.caseload_for(org.ma, org.b1)) == []


class TestStale:
    def test_no_reached_contact_in_the_last_14_dates(self, org, frozen):
        contact_13 = EnrollmentFactory(chw=org.a1, days_ago=60)
        EncounterFactory(enrollment=contact_13, occurred_at=days_ago(13, hour=8))
        contact_14 = EnrollmentFactory(chw=org.a1, days_ago=60)
        EncounterFactory(enrollment=contact_14, occurred_at=days_ago(14, hour=17))
        only_attempts = EnrollmentFactory(chw=org.a2, days_ago=60)
        EncounterFactory(enrollment=only_attempts, occurred_at=days_ago(1), reached=False)
        EnrollmentFactory(chw=org.a2, days_ago=10)  # too new to be overdue
        never = EnrollmentFactory(chw=org.b1, days_ago=30)  # other team

        stale = selectors.stale_enrollments(org.ma, org.program, TODAY)
        assert {e.pk for e in stale} == {contact_14.pk, only_attempts.pk}
        assert {e.pk for e in selectors.stale_enrollments(org.mb, org.program, TODAY)} == {never.pk}


class TestTeamCaseloads:
    def test_counts_and_days_remaining(self, org, frozen):
        for started, n in [(200, 1), (170, 2), (150, 1), (100, 3), (10, 4)]:
            for _ in range(n):
                EnrollmentFactory(chw=org.a1, days_ago=started)
        EnrollmentFactory(chw=org.a2, status="referred", enrolled_on=None, planned_end_on=None)
        EnrollmentFactory(chw=org.b1)
        # CHWs with their counts annotated (active, one per bucket of days left)
        chws: dict[str, Any] = {c.username: c for c in selectors.team_caseloads(org.ma, TODAY)}
        assert set(chws) == {"a1", "a2"}
        a1 = chws["a1"]
        # Days left = 180 − days since enrollment: −20, 10, 30, 80, 170.
        assert a1.active == 11
        assert (a1.past_end, a1.ends_0_14, a1.ends_15_60, a1.ends_61_120, a1.ends_121_plus) == (
            1,
            2,
            1,
            3,
            4,
        )
        assert chws["a2"].active == 0


class TestPatientLookup:
    def test_by_mrn_or_family_name_and_birth_date_in_own_program(self, org):
        born = dt.date(1961, 2, 3)
        ana = PatientFactory(
            program=org.program, family_name="Ruiz", date_of_birth=born, mrn="M-77"
        )
        PatientFactory(program=org.program, family_name="Ruiz", date_of_birth=dt.date(1962, 2, 3))
        PatientFactory(program=ProgramFactory(), family_name="Ruiz", date_of_birth=born, mrn="M-77")
        assert selectors.patient_lookup(org.b1, mrn="m-77").to_enroll == [ana]
        found = selectors.patient_lookup(org.b1, family_name="ruiz", date_of_birth=born)
        assert found.to_enroll == [ana]
        # A family name alone would let anyone browse the program's patients.
        assert not selectors.patient_lookup(org.b1, family_name="Ruiz").found
        assert not selectors.patient_lookup(org.leader, mrn="M-77").found

    def test_another_chws_patient_is_only_counted(self, org):
        enrollment = EnrollmentFactory(chw=org.b1)
        enrollment.patient.mrn = "M-78"
        enrollment.patient.save()
        found = selectors.patient_lookup(org.a1, mrn="M-78")
        assert (found.to_enroll, found.enrolled, found.elsewhere) == ([], [], 1)
        assert selectors.patient_lookup(org.mb, mrn="M-78").enrolled == [enrollment]

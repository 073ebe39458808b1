"""Writes to intakes, goals, steps and partners: what they store and what they refuse."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from actionplans import services
from actionplans.models import ActionStep, Goal, Intake, Partner
from caseloads import services as caseload_services
from caseloads.models import Encounter
from tests.conftest import NOW
from tests.factories import (
    EnrollmentFactory,
    GoalFactory,
    PartnerFactory,
    ProgramFactory,
    StepFactory,
)

TODAY = NOW.date()
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


@pytest.fixture
def enrollment(org):
    return EnrollmentFactory(chw=org.a1, days_ago=30)  # enrolled 19 October 2026


class TestIntake:
    def test_one_intake_per_enrollment_created_then_updated(self, org, enrollment):
        first = services.intake_save(
            enrollment=enrollment, by=org.a1, priorities="My kids", need_food=True
        )
        second = services.intake_save(
            enrollment=enrollment, by=org.a1, priorities="My kids and my job", need_legal=True
        )
        assert first.pk == second.pk
        intake = Intake.objects.get()
        assert (intake.priorities, intake.need_food, intake.need_legal, intake.need_housing) == (
            "My kids and my job",
            True,
            True,
            None,
        )
        assert intake.needs == ["Food", "Legal help"]

    def test_no_intake_for_a_declined_referral(self, org):
        declined = EnrollmentFactory(
            chw=org.a1, status="declined", enrolled_on=None, planned_end_on=None, closed_on=TODAY
        )
        with pytest.raises(ValidationError):
            services.intake_save(enrollment=declined, by=org.a1, priorities="x")
        assert Intake.objects.count() == 0


class TestGoals:
    def create(self, enrollment, by, **kwargs):
        args: dict[str, Any] = {
            "statement": "Quiero caminar sin dolor",
            "category": "chronic_disease",
            "set_on": TODAY,
        } | kwargs
        return services.goal_create(enrollment=enrollment, by=by, **args)

    def test_goal_in_the_patients_words(self, org, enrollment):
        goal = self.create(enrollment, org.a1, statement="  Quiero caminar sin dolor  ")
        assert (goal.statement, goal.status, goal.closed_on, goal.set_by) == (
            "Quiero caminar sin dolor",
            "active",
            None,
            "patient",
        )
        assert goal.condition == ""  # disease-agnostic: no diagnosis needed

    @pytest.mark.parametrize(
        ("kwargs", "field", "message"),
        [
            ({"set_on": TODAY + dt.timedelta(days=1)}, "set_on", "cannot be in the future"),
            ({"set_on": dt.date(2026, 10, 18)}, "set_on", "before the enrollment started"),
            ({"statement": "   "}, "statement", "as the patient said it"),
            ({"category": "astrology"}, "category", "not a valid choice"),
        ],
    )
    def test_bad_goals_are_refused(self, org, enrollment, kwargs, field, message):
        with pytest.raises(ValidationError) as excinfo:
            self.create(enrollment, org.a1, **kwargs)
        assert message in " ".join(errors_of(excinfo)[field])
        assert Goal.objects.count() == 0

    @pytest.mark.parametrize("status", ["referred", "graduated"])
    def test_goals_only_while_enrolled(self, org, status):
        enrollment = EnrollmentFactory(chw=org.a1, days_ago=200)
        enrollment.status = status
        if status == "graduated":
            enrollment.closed_on = TODAY - dt.timedelta(days=5)
        enrollment.save()
        with pytest.raises(ValidationError):
            self.create(enrollment, org.a1)
        assert Goal.objects.count() == 0

    def test_double_submit_creates_one_goal(self, org, enrollment):
        key = uuid.uuid4()
        self.create(enrollment, org.a1, submission_key=key)
        self.create(enrollment, org.a1, submission_key=key)
        assert Goal.objects.count() == 1

    def update(self, goal, by, **kwargs):
        args = {
            "statement": goal.statement,
            "category": goal.category,
            "condition": goal.condition,
            "set_by": goal.set_by,
            "set_on": goal.set_on,
            "status": goal.status,
            "closed_on": goal.closed_on,
        } | kwargs
        return services.goal_update(goal=goal, by=by, **args)

    def test_close_and_reopen(self, org, enrollment):
        goal = GoalFactory(enrollment=enrollment, set_on=dt.date(2026, 10, 20))
        self.update(goal, org.a1, status="achieved", closed_on=dt.date(2026, 11, 17))
        goal.refresh_from_db()
        assert (goal.status, goal.closed_on) == ("achieved", dt.date(2026, 11, 17))
        self.update(goal, org.a1, status="active", closed_on=dt.date(2026, 11, 17))
        goal.refresh_from_db()
        assert (goal.status, goal.closed_on) == ("active", None)

    @pytest.mark.parametrize(
        ("closed_on", "message"),
        [
            (dt.date(2026, 10, 19), "cannot be closed before it was set (Oct 20, 2026)"),
            (None, "Enter the date the goal was closed"),
            (TODAY + dt.timedelta(days=1), "cannot be in the future"),
        ],
    )
    def test_bad_closing_dates(self, org, enrollment, closed_on, message):
        goal = GoalFactory(enrollment=enrollment, set_on=dt.date(2026, 10, 20))
        with pytest.raises(ValidationError) as excinfo:
            self.update(goal, org.a1, status="dropped", closed_on=closed_on)
        assert message in errors_of(excinfo)["closed_on"][0]
        goal.refresh_from_db()
        assert (goal.status, goal.closed_on) == ("active", None)


class TestSteps:
    def create(self, goal, by, **kwargs):
        args: dict[str, Any] = {
            "description": "Call the pantry",
            "owner": "patient",
            "support_type": "coaching",
            "due_on": TODAY + dt.timedelta(days=3),
        } | kwargs
        return services.step_create(goal=goal, by=by, **args)

    def test_referral_with_consent(self, org, enrollment):
        goal = GoalFactory(enrollment=enrollment)
        partner = PartnerFactory(program=org.program, kind="medical_legal")
        step = self.create(
            goal,
            org.a1,
            support_type="referral",
            owner="partner",
            partner=partner,
            consent_to_share=True,
            warm_handoff=True,
        )
        step.refresh_from_db()
        assert (step.partner, step.consent_to_share, step.warm_handoff, step.accompanied) == (
            partner,
            True,
            True,
            False,
        )
        assert step.referral_outcome == "pending"
        assert step.is_referral

    def test_referral_details_are_dropped_without_a_partner(self, org, enrollment):
        step = self.create(GoalFactory(enrollment=enrollment), org.a1, consent_to_share=True)
        assert (step.consent_to_share, step.referral_outcome) == (False, "")

    @pytest.mark.parametrize(
        ("kwargs", "field", "message"),
        [
            ({"due_on": dt.date(2026, 10, 18)}, "due_on", "before the enrollment started"),
            ({"support_type": "referral"}, "partner", "A referral needs a partner"),
            ({"owner": "partner"}, "partner", "Choose the partner"),
            ({"description": " "}, "description", "Describe the step"),
        ],
    )
    def test_bad_steps_are_refused(self, org, enrollment, kwargs, field, message):
        with pytest.raises(ValidationError) as excinfo:
            self.create(GoalFactory(enrollment=enrollment), org.a1, **kwargs)
        assert message in errors_of(excinfo)[field][0]
        assert ActionStep.objects.count() == 0

    def test_partner_of_another_program_is_refused(self, org, enrollment):
        stranger = PartnerFactory(program=ProgramFactory())
        with pytest.raises(ValidationError) as excinfo:
            self.create(
                GoalFactory(enrollment=enrollment),
                org.a1,
                partner=stranger,
                support_type="referral",
            )
        assert "this program's directory" in errors_of(excinfo)["partner"][0]
        assert ActionStep.objects.count() == 0

    def test_inactive_partner_is_refused(self, org, enrollment):
        closed = PartnerFactory(program=org.program, is_active=False)
        with pytest.raises(ValidationError) as excinfo:
            self.create(
                GoalFactory(enrollment=enrollment), org.a1, partner=closed, support_type="referral"
            )
        assert "not accepting referrals" in errors_of(excinfo)["partner"][0]

    def test_a_dropped_goal_takes_no_new_steps(self, org, enrollment):
        goal = GoalFactory(enrollment=enrollment, status="dropped", closed_on=TODAY)
        with pytest.raises(ValidationError) as excinfo:
            self.create(goal, org.a1)
        assert "This goal is dropped: reopen it" in errors_of(excinfo)["description"][0]
        assert ActionStep.objects.count() == 0

    def test_done_is_one_click_and_idempotent(self, org, enrollment):
        step = StepFactory(goal=GoalFactory(enrollment=enrollment))
        services.step_mark_done(step=step, by=org.a1)
        services.step_mark_done(step=step, by=org.a1)
        step.refresh_from_db()
        assert (step.status, step.done_on) == ("done", TODAY)

    def test_move_due_date(self, org, enrollment):
        step = StepFactory(goal=GoalFactory(enrollment=enrollment), due_on=dt.date(2026, 11, 1))
        services.step_move_due(step=step, by=org.a1, due_on=dt.date(2026, 11, 25))
        step.refresh_from_db()
        assert step.due_on == dt.date(2026, 11, 25)
        with pytest.raises(ValidationError):
            services.step_move_due(step=step, by=org.a1, due_on=dt.date(2026, 10, 1))
        services.step_mark_done(step=step, by=org.a1)
        with pytest.raises(ValidationError):
            services.step_move_due(step=step, by=org.a1, due_on=dt.date(2026, 12, 1))

    def test_update_records_the_outcome_and_done_date(self, org, enrollment):
        partner = PartnerFactory(program=org.program)
        step = StepFactory(
            goal=GoalFactory(enrollment=enrollment),
            partner=partner,
            support_type="referral",
            referral_outcome="pending",
        )
        services.step_update(
            step=step,
            by=org.a1,
            description=step.description,
            owner="partner",
            support_type="referral",
            due_on=step.due_on,
            status="done",
            partner=partner,
            consent_to_share=True,
            referral_outcome="connected",
        )
        step.refresh_from_db()
        assert (step.status, step.done_on, step.referral_outcome) == ("done", TODAY, "connected")

    def test_an_outcome_needs_a_partner(self, org, enrollment):
        step = StepFactory(goal=GoalFactory(enrollment=enrollment))
        with pytest.raises(ValidationError) as excinfo:
            services.step_update(
                step=step,
                by=org.a1,
                description="x",
                owner="patient",
                support_type="coaching",
                due_on=step.due_on,
                status="planned",
                referral_outcome="connected",
            )
        assert "referral_outcome" in errors_of(excinfo)


class TestPartners:
    def test_names_are_unique_in_a_program_whatever_the_case(self, org):
        services.partner_save(program=org.program, by=org.ma, name="Legal Aid", kind="legal_aid")
        with pytest.raises(ValidationError) as excinfo:
            services.partner_save(
                program=org.program, by=org.ma, name="legal aid ", kind="legal_aid"
            )
        assert "name" in errors_of(excinfo)
        other = ProgramFactory()
        services.partner_save(program=other, by=org.ma, name="Legal Aid", kind="legal_aid")
        assert Partner.objects.count() == 2

    def test_a_partner_of_another_program_cannot_be_edited(self, org):
        stranger = PartnerFactory(program=ProgramFactory())
        with pytest.raises(ValidationError):
            services.partner_save(program=org.program, by=org.ma, partner=stranger, name="x")


def test_an_encounter_only_works_on_its_own_enrollments_goals(org, enrollment):
    other_goal = GoalFactory(enrollment=EnrollmentFactory(chw=org.a1))
    with pytest.raises(ValidationError) as excinfo:
        caseload_services.encounter_log(
            enrollment=enrollment,
            author=org.a1,
            data=caseload_services.EncounterInput(occurred_at=NOW, kind="phone", reached=True),
            goals=[other_goal],
        )
    assert "goals" in errors_of(excinfo)
    assert Encounter.objects.count() == 0


class TestReviewFindings:
    """Status jumps and edits that must not leave inconsistent rows."""

    def test_a_due_date_years_ahead_is_refused(self, org, enrollment):
        goal = GoalFactory(enrollment=enrollment)
        with pytest.raises(ValidationError) as excinfo:
            services.step_create(
                goal=goal,
                by=org.a1,
                description="x",
                owner="patient",
                support_type="coaching",
                due_on=dt.date(9999, 12, 30),
            )
        assert "within the next year" in errors_of(excinfo)["due_on"][0]
        step = StepFactory(goal=goal, due_on=TODAY + dt.timedelta(days=360))
        with pytest.raises(ValidationError):
            services.step_move_due(step=step, by=org.a1, due_on=TODAY + dt.timedelta(days=367))

    def test_a_new_partner_needs_consent_anew(self, org, enrollment):
        first = PartnerFactory(program=org.program)
        second = PartnerFactory(program=org.program)
        step = StepFactory(
            goal=GoalFactory(enrollment=enrollment),
            partner=first,
            support_type="referral",
            consent_to_share=True,
            warm_handoff=True,
            referral_outcome="connected",
        )
        services.step_update(
            step=step,
            by=org.a1,
            description=step.description,
            owner="partner",
            support_type="referral",
            due_on=step.due_on,
            status="planned",
            partner=second,
            consent_to_share=True,
            warm_handoff=True,
            referral_outcome="connected",
        )
        step.refresh_from_db()
        assert (step.partner, step.consent_to_share, step.warm_handoff, step.referral_outcome) == (
            second,
            False,
            False,
            "pending",
        )

    def test_closing_a_goal_skips_its_open_steps(self, org, enrollment):
        goal = GoalFactory(enrollment=enrollment, set_on=dt.date(2026, 10, 20))
        open_step = StepFactory(goal=goal, due_on=TODAY - dt.timedelta(days=3))
        done = StepFactory(goal=goal, status="done", done_on=TODAY)
        TestGoals().update(goal, org.a1, status="achieved", closed_on=TODAY)
        open_step.refresh_from_db()
        done.refresh_from_db()
        assert (open_step.status, done.status) == ("skipped", "done")
        with pytest.raises(ValidationError) as excinfo:
            services.step_update(
                step=open_step,
                by=org.a1,
                description="x",
                owner="patient",
                support_type="coaching",
                due_on=open_step.due_on,
                status="planned",
            )
        assert "reopen the goal" in errors_of(excinfo)["status"][0]
        with pytest.raises(ValidationError):
            services.step_mark_done(step=open_step, by=org.a1)
        open_step.refresh_from_db()
        assert open_step.status == "skipped"

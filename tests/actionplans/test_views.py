"""Intake, goals, steps, printouts and the partner directory as each persona meets them."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from actionplans.models import ActionStep, Goal, Intake, Partner
from caseloads.models import Encounter
from tests.conftest import NOW
from tests.factories import (
    EnrollmentFactory,
    GoalFactory,
    PartnerFactory,
    PatientFactory,
    ProgramFactory,
    StepFactory,
)

TODAY = NOW.date()
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
WARNING = "seems to mention immigration status"


@pytest.fixture
def enrollment(org):
    patient = PatientFactory(
        program=org.program, given_name="Rosa", family_name="Quispe", phone="+12673241876"
    )
    return EnrollmentFactory(chw=org.a1, patient=patient, days_ago=30)  # enrolled 19 Oct


@pytest.fixture
def goal(enrollment):
    return GoalFactory(
        enrollment=enrollment, statement="Quiero caminar sin dolor", set_on=dt.date(2026, 10, 20)
    )


SCOPE = [("a1", 200), ("ma", 200), ("a2", 404), ("b1", 404), ("mb", 404), ("leader", 403)]


class TestIntake:
    def url(self, enrollment):
        return reverse("actionplans:intake", args=[enrollment.pk])

    def data(self, **overrides):
        return {
            "life_story": "Came to Philadelphia in 2019 with her two kids.",
            "priorities": "Keeping the apartment",
            "what_will_help": "Someone to help with the forms",
            "strengths": "Her church",
            "need_housing": "yes",
            "need_food": "no",
            "need_legal": "yes",
        } | overrides

    def test_record_then_edit_the_one_intake(self, org, login, enrollment):
        client = login(org.a1)
        page = client.get(self.url(enrollment)).content.decode()
        assert "never ask about immigration status" in page  # why the screen is asked
        response = client.post(self.url(enrollment), self.data())
        assert response.status_code == 302
        intake = Intake.objects.get()
        assert (intake.need_housing, intake.need_food, intake.need_legal, intake.need_income) == (
            True,
            False,
            True,
            None,
        )
        assert (intake.recorded_by, intake.recorded_on) == (org.a1, TODAY)
        client.post(self.url(enrollment), self.data(priorities="A job"))
        assert Intake.objects.get().priorities == "A job"
        assert Intake.objects.count() == 1
        body = client.get(response.url).content.decode()
        assert "Legal help" in body and "A job" in body

    def test_every_answer_is_optional(self, org, login, enrollment):
        response = login(org.a1).post(self.url(enrollment), {})
        assert response.status_code == 302
        assert Intake.objects.get().needs == []

    def test_immigration_status_warns_first_and_keeps_the_text(self, org, login, enrollment):
        client = login(org.a1)
        text = "She is undocumented and afraid of clinics."
        response = client.post(self.url(enrollment), self.data(life_story=text))
        assert response.status_code == 200
        assert WARNING in " ".join(response.context["form"].errors["life_story"])
        assert text in response.content.decode()
        assert "Keep the text as written" in response.content.decode()
        assert Intake.objects.count() == 0
        client.post(self.url(enrollment), self.data(life_story=text, keep_sensitive_text="on"))
        assert Intake.objects.get().life_story == text

    @pytest.mark.parametrize(("who", "status"), SCOPE)
    def test_scope(self, org, login, enrollment, who, status):
        assert login(getattr(org, who)).get(self.url(enrollment)).status_code == status
        login(getattr(org, who)).post(self.url(enrollment), self.data())
        assert Intake.objects.exists() is (status == 200)


class TestGoals:
    def data(self, **overrides):
        return {
            "statement": "Quiero caminar sin dolor",
            "category": "chronic_disease",
            "condition": "",
            "set_by": "patient",
            "set_on": "2026-11-18",
            "submission_key": str(uuid.uuid4()),
        } | overrides

    def test_set_a_goal_then_add_steps(self, org, login, enrollment):
        url = reverse("actionplans:goal_new", args=[enrollment.pk])
        response = login(org.a1).post(url, self.data())
        goal = Goal.objects.get()
        assert response.url == reverse("actionplans:step_new", args=[goal.pk])
        assert (goal.statement, goal.set_on, goal.created_by) == (
            "Quiero caminar sin dolor",
            TODAY,
            org.a1,
        )

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"set_on": "2026-11-19"}, "set_on", "cannot be in the future"),
            ({"set_on": "2026-10-01"}, "set_on", "before the enrollment started"),
            ({"statement": ""}, "statement", "required"),
            ({"statement": "x" * 1001}, "statement", "at most 1000 characters"),
            ({"statement": "Get a green card lawyer"}, "statement", WARNING),
        ],
    )
    def test_bad_input(self, org, login, enrollment, overrides, field, message):
        url = reverse("actionplans:goal_new", args=[enrollment.pk])
        response = login(org.a1).post(url, self.data(**overrides))
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors[field])
        assert Goal.objects.count() == 0

    def test_double_submit_creates_one_goal(self, org, login, enrollment):
        url = reverse("actionplans:goal_new", args=[enrollment.pk])
        data = self.data()
        client = login(org.a1)
        client.post(url, data)
        client.post(url, data)
        assert Goal.objects.count() == 1

    @pytest.mark.parametrize(("who", "status"), SCOPE)
    def test_scope(self, org, login, enrollment, goal, who, status):
        client = login(getattr(org, who))
        assert client.get(reverse("actionplans:goal_edit", args=[goal.pk])).status_code == status
        client.post(reverse("actionplans:goal_new", args=[enrollment.pk]), self.data())
        assert Goal.objects.count() == (2 if status == 200 else 1)

    def test_close_with_an_outcome(self, org, login, goal):
        url = reverse("actionplans:goal_edit", args=[goal.pk])
        data = self.data(set_on="2026-10-20", status="achieved", closed_on="2026-11-17")
        del data["submission_key"]
        assert login(org.a1).post(url, data).status_code == 302
        goal.refresh_from_db()
        assert (goal.status, goal.closed_on) == ("achieved", dt.date(2026, 11, 17))

    def test_closed_before_it_was_set(self, org, login, goal):
        url = reverse("actionplans:goal_edit", args=[goal.pk])
        data = self.data(set_on="2026-10-20", status="not_achieved", closed_on="2026-10-19")
        response = login(org.a1).post(url, data)
        assert "cannot be closed before it was set" in " ".join(
            response.context["form"].errors["closed_on"]
        )
        goal.refresh_from_db()
        assert goal.status == "active"


class TestSteps:
    def data(self, **overrides):
        return {
            "description": "Call the food pantry",
            "owner": "patient",
            "support_type": "coaching",
            "due_on": "2026-11-25",
            "notes": "",
            "submission_key": str(uuid.uuid4()),
        } | overrides

    def test_add_a_referral_with_consent(self, org, login, goal):
        partner = PartnerFactory(program=org.program, name="Eastside Legal")
        url = reverse("actionplans:step_new", args=[goal.pk])
        response = login(org.a1).post(
            url,
            self.data(
                support_type="referral",
                owner="partner",
                partner=partner.pk,
                consent_to_share="on",
                warm_handoff="on",
            ),
        )
        assert response.status_code == 302
        step = ActionStep.objects.get()
        assert (step.partner, step.consent_to_share, step.warm_handoff) == (partner, True, True)

    def test_save_and_add_another(self, org, login, goal):
        url = reverse("actionplans:step_new", args=[goal.pk])
        response = login(org.a1).post(url, self.data(add_another="1"))
        assert response.url == url

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"due_on": "2026-10-01"}, "due_on", "before the enrollment started"),
            ({"support_type": "referral"}, "partner", "needs a partner"),
            ({"notes": "Worried about deportation"}, "notes", WARNING),
            ({"owner": "martian"}, "owner", "valid choice"),
        ],
    )
    def test_bad_input(self, org, login, goal, overrides, field, message):
        response = login(org.a1).post(
            reverse("actionplans:step_new", args=[goal.pk]), self.data(**overrides)
        )
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors[field])
        assert ActionStep.objects.count() == 0

    def test_partner_of_another_program(self, org, login, goal):
        stranger = PartnerFactory(program=ProgramFactory())
        response = login(org.a1).post(
            reverse("actionplans:step_new", args=[goal.pk]),
            self.data(support_type="referral", partner=stranger.pk),
        )
        assert "this program's directory" in " ".join(response.context["form"].errors["partner"])
        assert ActionStep.objects.count() == 0

    def test_a_dropped_goal_gets_no_new_steps(self, org, login, goal):
        Goal.objects.filter(pk=goal.pk).update(status="dropped", closed_on=TODAY)
        response = login(org.a1).post(reverse("actionplans:step_new", args=[goal.pk]), self.data())
        assert "reopen it" in " ".join(response.context["form"].errors["description"])
        assert ActionStep.objects.count() == 0

    def test_a_step_on_another_chws_patient(self, org, login, goal):
        response = login(org.a2).post(reverse("actionplans:step_new", args=[goal.pk]), self.data())
        assert response.status_code == 404
        assert ActionStep.objects.count() == 0

    def test_done_with_htmx_returns_the_row_and_progress(self, org, login, goal):
        step = StepFactory(goal=goal)
        StepFactory(goal=goal)
        response = login(org.a1).post(
            reverse("actionplans:step_done", args=[step.pk]), HTTP_HX_REQUEST="true"
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert f'id="step-{step.pk}"' in body and "<html" not in body
        assert 'hx-swap-oob="true"' in body and "1 of 2 steps done" in body
        step.refresh_from_db()
        assert (step.status, step.done_on) == ("done", TODAY)

    def test_done_without_javascript_goes_back_to_the_page(self, org, login, goal):
        step = StepFactory(goal=goal)
        response = login(org.a1).post(reverse("actionplans:step_done", args=[step.pk]))
        assert response.status_code == 302
        assert response.url.endswith(f"#step-{step.pk}")
        assert ActionStep.objects.get().status == "done"

    def test_postpone_moves_a_week_from_today_or_the_due_date(self, org, login, goal):
        overdue = StepFactory(goal=goal, due_on=dt.date(2026, 11, 1))
        later = StepFactory(goal=goal, due_on=dt.date(2026, 12, 1))
        client = login(org.a1)
        for step in (overdue, later):
            client.post(
                reverse("actionplans:step_postpone", args=[step.pk]), HTTP_HX_REQUEST="true"
            )
        overdue.refresh_from_db()
        later.refresh_from_db()
        assert (overdue.due_on, later.due_on) == (dt.date(2026, 11, 25), dt.date(2026, 12, 8))

    @pytest.mark.parametrize("name", ["step_done", "step_postpone"])
    def test_one_click_actions_are_posts_in_scope(self, org, login, goal, name):
        step = StepFactory(goal=goal)
        url = reverse(f"actionplans:{name}", args=[step.pk])
        assert login(org.a1).get(url).status_code == 405
        assert login(org.b1).post(url).status_code == 404
        assert login(org.leader).post(url).status_code == 403
        step.refresh_from_db()
        assert (step.status, step.due_on) == ("planned", goal.set_on + dt.timedelta(days=7))


class TestEncounterGoals:
    def test_tick_the_goals_a_visit_worked_on(self, org, login, enrollment, goal):
        other = GoalFactory(enrollment=EnrollmentFactory(chw=org.a1))
        url = reverse("caseloads:encounter_new", args=[enrollment.pk])
        client = login(org.a1)
        assert "Quiero caminar sin dolor" in client.get(url).content.decode()
        data = {
            "kind": "home_visit",
            "reached": "yes",
            "occurred_at": "2026-11-18T09:30",
            "initiated_by": "chw",
            "submission_key": str(uuid.uuid4()),
        }
        bad = client.post(url, data | {"goals": [other.pk]})
        assert "valid choice" in " ".join(bad.context["form"].errors["goals"])
        assert Encounter.objects.count() == 0
        assert client.post(url, data | {"goals": [goal.pk]}).status_code == 302
        assert list(Encounter.objects.get().goals.all()) == [goal]
        page = client.get(reverse("caseloads:enrollment", args=[enrollment.pk])).content.decode()
        assert "Worked on in 1 encounter" in page

    def test_visit_notes_warn_about_immigration_status(self, org, login, enrollment):
        url = reverse("caseloads:encounter_new", args=[enrollment.pk])
        data = {
            "kind": "phone",
            "reached": "yes",
            "occurred_at": "2026-11-18T09:30",
            "initiated_by": "chw",
            "notes": "Asked about her visa status",
            "submission_key": str(uuid.uuid4()),
        }
        response = login(org.a1).post(url, data)
        assert WARNING in " ".join(response.context["form"].errors["notes"])
        assert Encounter.objects.count() == 0
        login(org.a1).post(url, data | {"keep_sensitive_text": "on"})
        assert Encounter.objects.get().notes == "Asked about her visa status"


class TestPrintouts:
    def test_the_patients_plan(self, org, login, enrollment, goal):
        org.a1.phone = "215-555-0100"
        org.a1.save()
        # Quechua has no interface translation: the plan prints in English, flagged
        # (tests/language/test_printouts.py covers Spanish).
        enrollment.patient.preferred_language = "qu"
        enrollment.patient.save()
        partner = PartnerFactory(program=org.program, name="Share Food", phone="+12155550177")
        StepFactory(
            goal=goal, description="Walk 10 minutes after dinner", due_on=dt.date(2026, 11, 24)
        )
        StepFactory(
            goal=goal,
            description="Pick up the food box",
            partner=partner,
            support_type="referral",
            owner="partner",
        )
        StepFactory(goal=goal, description="Already finished", status="done", done_on=TODAY)
        GoalFactory(
            enrollment=enrollment, statement="An old goal", status="dropped", closed_on=TODAY
        )
        response = login(org.a1).get(reverse("actionplans:plan", args=[enrollment.pk]))
        body = response.content.decode()
        assert "“Quiero caminar sin dolor”" in body
        assert "Walk 10 minutes after dinner" in body and "Tuesday, November 24" in body
        assert "Share Food" in body and "(215) 555-0177" in body
        assert "(215) 555-0100" in body  # the CHW's number, as dialled locally
        assert "Already finished" not in body and "An old goal" not in body
        assert "interpreter" in body  # the patient prefers Quechua

    @pytest.mark.parametrize(("who", "status"), SCOPE)
    def test_plan_scope(self, org, login, enrollment, who, status):
        url = reverse("actionplans:plan", args=[enrollment.pk])
        assert login(getattr(org, who)).get(url).status_code == status

    @pytest.mark.parametrize("consent", [True, False])
    def test_referral_slip_shares_contact_details_only_with_consent(
        self, org, login, goal, consent
    ):
        goal.enrollment.patient.preferred_language = "en"  # an English slip to read
        goal.enrollment.patient.save()
        partner = PartnerFactory(program=org.program, name="Eastside Legal")
        step = StepFactory(
            goal=goal,
            partner=partner,
            support_type="referral",
            consent_to_share=consent,
            description="Landlord dispute",
        )
        body = (
            login(org.a1).get(reverse("actionplans:referral_slip", args=[step.pk])).content.decode()
        )
        assert "Landlord dispute" in body and "Eastside Legal" in body
        assert ("(267) 324-1876" in body) is consent
        assert ("Quispe" in body) is consent
        assert ("has not agreed to share" in body) is not consent

    def test_only_referrals_have_a_slip(self, org, login, goal):
        step = StepFactory(goal=goal)
        url = reverse("actionplans:referral_slip", args=[step.pk])
        assert login(org.a1).get(url).status_code == 404


class TestPartnerDirectory:
    def data(self, **overrides):
        return {
            "name": "Casa del Pueblo",
            "kind": "other",
            "phone": "(215) 555-0142",
            "address": "1 Main St",
            "relationship": "formal",
            "serves_regardless_of_status": "yes",
            "languages_text": "Spanish, Mam, English",
            "notes": "",
            "is_active": "on",
        } | overrides

    @pytest.mark.parametrize("who", ["a1", "ma", "leader"])
    def test_the_programs_staff_read_it(self, org, login, who):
        PartnerFactory(program=org.program, name="Share Food")
        PartnerFactory(program=ProgramFactory(), name="Elsewhere Pantry")
        response = login(getattr(org, who)).get(reverse("actionplans:partners"))
        assert [p.name for p in response.context["partners"]] == ["Share Food"]
        assert ("Add a partner" in response.content.decode()) is (who == "ma")

    def test_manager_adds_and_edits(self, org, login):
        client = login(org.ma)
        assert client.post(reverse("actionplans:partner_new"), self.data()).status_code == 302
        partner = Partner.objects.get()
        assert (partner.program, str(partner.phone), partner.languages) == (
            org.program,
            "+12155550142",
            ["es", "mam", "en"],
        )
        assert partner.serves_regardless_of_status is True
        edit = reverse("actionplans:partner_edit", args=[partner.pk])
        assert "Spanish, Mam, English" in client.get(edit).content.decode()
        client.post(edit, self.data(name="Casa del Pueblo (Norte)", is_active=""))
        partner.refresh_from_db()
        assert (partner.name, partner.is_active) == ("Casa del Pueblo (Norte)", False)

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"phone": "555"}, "phone", "valid phone number"),
            ({"languages_text": "Spanish, Elvish"}, "languages_text", "Elvish"),
            ({"name": ""}, "name", "required"),
            ({"kind": "spaceship"}, "kind", "valid choice"),
        ],
    )
    def test_bad_input(self, org, login, overrides, field, message):
        response = login(org.ma).post(reverse("actionplans:partner_new"), self.data(**overrides))
        assert message in " ".join(response.context["form"].errors[field])
        assert Partner.objects.count() == 0

    def test_duplicate_name(self, org, login):
        PartnerFactory(program=org.program, name="Casa del Pueblo")
        response = login(org.ma).post(
            reverse("actionplans:partner_new"), self.data(name="casa del pueblo")
        )
        assert "already has a partner" in " ".join(response.context["form"].errors["name"])
        assert Partner.objects.count() == 1

    @pytest.mark.parametrize("who", ["a1", "leader"])
    def test_only_managers_edit(self, org, login, who):
        partner = PartnerFactory(program=org.program)
        client = login(getattr(org, who))
        assert client.post(reverse("actionplans:partner_new"), self.data()).status_code == 403
        edit = reverse("actionplans:partner_edit", args=[partner.pk])
        assert client.post(edit, self.data()).status_code == 403
        assert Partner.objects.count() == 1

    def test_another_programs_partner_is_404(self, org, login):
        stranger = PartnerFactory(program=ProgramFactory())
        edit = reverse("actionplans:partner_edit", args=[stranger.pk])
        assert login(org.ma).get(edit).status_code == 404


class TestOverviews:
    def test_caseload_shows_goals_and_overdue_steps(self, org, login, enrollment, goal):
        StepFactory(goal=goal, due_on=TODAY - dt.timedelta(days=2))
        response = login(org.a1).get(reverse("caseloads:mine"))
        [row] = response.context["rows"]
        assert (row.enrollment.active_goals, row.enrollment.overdue_steps) == (1, 1)
        assert "1 overdue step" in response.content.decode()

    def test_team_page_shows_plan_figures(self, org, login, goal):
        StepFactory(goal=goal, due_on=TODAY - dt.timedelta(days=2))
        response = login(org.ma).get(reverse("caseloads:team"))
        rows = {r.chw.username: r for r in response.context["plans"]}
        # a1's enrollment began 19 October, goal set 20 October: 1 of 1 early.
        assert (rows["a1"].goals_early.numerator, rows["a1"].goals_early.denominator) == (1, 1)
        assert rows["a1"].overdue_steps == 1
        body = response.content.decode()
        assert "100% <span" in body and "no data" in body  # a2 has no enrollments


def test_a_failed_one_click_action_shows_its_message_in_the_row(org, login, goal):
    step = StepFactory(goal=goal, status="skipped")
    response = login(org.a1).post(
        reverse("actionplans:step_done", args=[step.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200  # htmx 2 swaps only 2xx answers
    assert "This step was skipped" in response.content.decode()
    assert ActionStep.objects.get().status == "skipped"


def test_closed_goals_do_not_count_overdue_steps(org, login, enrollment, goal):
    StepFactory(goal=goal, due_on=TODAY - dt.timedelta(days=2))
    Goal.objects.filter(pk=goal.pk).update(status="achieved", closed_on=TODAY)
    [row] = login(org.a1).get(reverse("caseloads:mine")).context["rows"]
    assert (row.enrollment.active_goals, row.enrollment.overdue_steps) == (0, 0)

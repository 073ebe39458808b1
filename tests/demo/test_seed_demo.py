"""The demo seeder: who and what it creates, that its data keeps the model's rules, and that
it is deterministic and refuses to overwrite a database unless told to."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from io import StringIO

import phonenumbers
import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.utils import timezone

from actionplans.models import ActionStep, Goal, Intake, Partner
from actionplans.selectors import quarter_start
from caseloads.models import Encounter, Enrollment, Patient
from caseloads.services import encounter_flags
from impact.lib.sensitive import mentions_immigration_status
from impact.models import Program, Role, Team, User

# The demo is built relative to now and checked against today: hold the clock still so a
# test cannot straddle midnight (at whatever hour the suite runs: README, "Tests at any
# hour").
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("still")]

DEMO_PASSWORD = "demo-pass-2026"


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


GoalLink = Encounter.goals.through
# Words the demo's free text never uses, besides what mentions_immigration_status catches.
IMMIGRATION_WORDS = re.compile(
    r"\b(?:undocumented|papers|visas?|green card|deport\w*|immigration)\b", re.IGNORECASE
)


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Program,
            Team,
            User,
            Patient,
            Enrollment,
            Encounter,
            Partner,
            Intake,
            Goal,
            ActionStep,
            GoalLink,
        )
    }


@pytest.fixture
def output() -> str:
    return seed()


@pytest.fixture
def demo(output) -> Program:
    return Program.objects.get()


def test_people_teams_and_roles(demo):
    assert demo.name == "Eastside Community Health Worker Program"
    assert demo.time_zone == "America/New_York"
    assert (demo.intervention_days, demo.caseload_cap, demo.contact_interval_days) == (180, 30, 14)

    teams = list(Team.objects.filter(program=demo))
    assert len(teams) == 2
    managers = User.objects.filter(role=Role.MANAGER)
    assert managers.count() == 2
    assert {team.manager for team in teams} == set(managers)

    chws = User.objects.filter(role=Role.CHW)
    assert chws.count() == 8
    assert Counter(chw.team_id for chw in chws) == {teams[0].pk: 4, teams[1].pk: 4}
    assert all(chw.program_id == demo.pk for chw in chws)
    assert all(chw.first_name and chw.last_name for chw in User.objects.all())

    leader = User.objects.get(role=Role.LEADER)
    assert leader.program_id == demo.pk
    admin = User.objects.get(role=Role.ADMIN)
    assert admin.program is None
    assert admin.is_staff and admin.is_superuser
    assert not User.objects.exclude(pk=admin.pk).filter(is_superuser=True).exists()


def test_demo_logins_work_and_are_listed(output):
    user = authenticate(username="chw1", password=DEMO_PASSWORD)
    assert user is not None and user.role == Role.CHW
    for username in ("chw8", "manager1", "manager2", "leader", "admin"):
        assert authenticate(username=username, password=DEMO_PASSWORD) is not None
    assert authenticate(username="chw1", password="wrong") is None

    assert "Demo logins" in output
    assert DEMO_PASSWORD in output
    for username in [f"chw{n}" for n in range(1, 9)] + ["manager1", "manager2", "leader", "admin"]:
        assert f"  {username} " in output


def test_patients_are_varied_and_valid(demo):
    patients = list(Patient.objects.filter(program=demo))
    assert 180 <= len(patients) <= 220
    assert not any("immigra" in f.name for f in Patient._meta.get_fields())

    languages = Counter(p.preferred_language for p in patients)
    assert len(languages) >= 5
    assert {"en", "es", "mam"} <= set(languages)
    others = [p for p in patients if p.preferred_language != "en"]
    assert sum(p.interpreter_needed for p in others) > len(others) / 2
    assert not any(p.interpreter_needed for p in patients if p.preferred_language == "en")

    mrns = [p.mrn for p in patients]
    assert len(set(mrns)) == len(mrns)
    assert all(mrn.startswith("MRN") and mrn[3:].isdigit() for mrn in mrns)

    phones = [p.phone for p in patients if p.phone]
    assert len(phones) > len(patients) * 0.8
    for phone in phones:
        assert phonenumbers.is_valid_number(phone), phone
        assert str(phone).startswith("+1")

    for patient in patients:
        assert dt.date(1940, 1, 1) <= patient.date_of_birth <= dt.date(2005, 12, 31)
        assert len(patient.zip_code) == 5 and patient.zip_code.isdigit()
        assert isinstance(patient.race_ethnicity, list)


def test_enrollments_keep_the_rules_and_show_the_interesting_cases(demo):
    today = demo.today()
    enrollments = list(Enrollment.objects.filter(program=demo).select_related("chw"))
    statuses = Counter(e.status for e in enrollments)
    assert set(statuses) == set(Enrollment.Status.values)

    for e in enrollments:
        assert e.chw.role == Role.CHW
        assert e.referred_on <= today
        if e.status in Enrollment.RAN_STATUSES:
            assert e.enrolled_on is not None
            assert e.referred_on <= e.enrolled_on <= today
            assert e.planned_end_on == e.enrolled_on + dt.timedelta(days=demo.intervention_days)
        else:
            assert e.enrolled_on is None and e.planned_end_on is None
        if e.status in Enrollment.OPEN_STATUSES:
            assert e.closed_on is None
        else:
            assert e.closed_on is not None
            assert e.referred_on <= e.closed_on <= today
        if e.status in (Enrollment.Status.DECLINED, Enrollment.Status.INELIGIBLE):
            assert e.closed_on == e.referred_on
        if e.status == Enrollment.Status.GRADUATED:
            assert e.handoff_to
        # History covers about nine months.
        assert e.referred_on >= today - dt.timedelta(days=300)

    open_per_patient = Counter(e.patient_id for e in enrollments if e.is_open)
    assert max(open_per_patient.values()) == 1

    active = [e for e in enrollments if e.status == Enrollment.Status.ENROLLED]
    caseloads = Counter(e.chw_id for e in active)
    over = [n for n in caseloads.values() if n > demo.caseload_cap]
    assert len(over) >= 2
    assert len([n for n in caseloads.values() if n < demo.caseload_cap]) >= 4
    assert any(e.planned_end_on < today for e in active)

    # Some active enrollments have had no reached contact in the contact interval.
    cutoff = today - dt.timedelta(days=demo.contact_interval_days - 1)
    recent = {
        enc.enrollment_id
        for enc in Encounter.objects.filter(enrollment__in=active, reached=True).exclude(
            kind__in=Encounter.NON_CONTACT_KINDS
        )
        if demo.local_date(enc.occurred_at) >= cutoff
    }
    stale = [
        e
        for e in active
        if e.pk not in recent
        and e.enrolled_on <= today - dt.timedelta(days=demo.contact_interval_days)
    ]
    assert 0 < len(stale) < len(active) / 2


def test_encounters_are_plausible_and_their_flags_are_right(demo):
    now = timezone.now()
    encounters = list(Encounter.objects.select_related("enrollment__program"))
    assert 2000 <= len(encounters) <= 4500
    assert any(e.after_hours for e in encounters)
    assert any(e.after_end for e in encounters)
    assert any(e.initiated_by == Encounter.InitiatedBy.PATIENT for e in encounters)
    assert {e.kind for e in encounters} == set(Encounter.Kind.values)

    for encounter in encounters:
        enrollment = encounter.enrollment
        assert encounter.occurred_at <= now
        assert demo.local_date(encounter.occurred_at) >= enrollment.started_on
        assert enrollment.status not in (
            Enrollment.Status.DECLINED,
            Enrollment.Status.INELIGIBLE,
        )
        assert encounter.author_id == enrollment.chw_id
        assert encounter.setting == Encounter.DEFAULT_SETTING[encounter.kind]
        if encounter.kind in Encounter.NON_CONTACT_KINDS:
            assert not encounter.reached
        assert (encounter.after_hours, encounter.after_end) == encounter_flags(
            enrollment=enrollment, occurred_at=encounter.occurred_at
        )

    # Patients keep calling after their enrollment closed.
    assert any(
        e.after_end
        and e.enrollment.closed_on
        and demo.local_date(e.occurred_at) > e.enrollment.closed_on
        for e in encounters
    )


def test_refuses_a_database_that_is_not_empty(output):
    before = counts()
    with pytest.raises(CommandError, match="--force"):
        seed()
    assert counts() == before


def test_refuses_when_only_a_user_exists():
    User.objects.create_superuser("someone", password="x" * 20, role=Role.ADMIN)
    with pytest.raises(CommandError, match="--force"):
        seed()
    assert not Program.objects.exists()
    assert not Patient.objects.exists()


def test_if_empty_seeds_an_empty_database_and_leaves_a_used_one_alone():
    first = seed("--if-empty")
    assert "Demo logins" in first
    before = counts()
    second = seed("--if-empty")  # what `make run` does on every start
    assert "demo data not loaded" in second
    assert counts() == before


def test_force_wipes_and_reseeds_to_the_same_counts():
    # The clock stands still across both seeds: the demo places encounters up to "now",
    # so a minute ticking over between them could add one.
    with time_machine.travel(timezone.now(), tick=False):
        seed()
        before = counts()
        forced = seed("--force")
    assert counts() == before
    assert Program.objects.count() == 1
    assert "Demo logins" in forced


def test_the_same_seed_gives_the_same_data():
    def snapshot():
        patients = list(
            Patient.objects.order_by("pk").values_list("given_name", "family_name", "mrn")
        )
        enrollments = list(
            Enrollment.objects.order_by("pk").values_list(
                "patient__mrn", "chw__username", "status", "referred_on", "enrolled_on"
            )
        )
        goals = list(
            Goal.objects.order_by("pk").values_list(
                "enrollment__patient__mrn", "statement", "set_on", "status", "closed_on"
            )
        )
        steps = list(
            ActionStep.objects.order_by("pk").values_list(
                "description", "due_on", "status", "partner__name", "referral_outcome"
            )
        )
        return patients, enrollments, Encounter.objects.count(), goals, steps

    seed("--seed", "7")
    first = snapshot()
    assert first[3] and first[4]
    seed("--seed", "7", "--force")
    assert snapshot() == first
    seed("--seed", "8", "--force")
    second = snapshot()
    assert second[0] != first[0]
    assert [goal[1] for goal in second[3]] != [goal[1] for goal in first[3]]


def test_the_same_seed_gives_the_same_goal_statements():
    def statements() -> list[str]:
        return list(Goal.objects.order_by("pk").values_list("statement", flat=True))

    seed()
    first = statements()
    assert len(first) > 100
    seed("--force")
    assert statements() == first


# -- the action-plan layer ----------------------------------------------------------------


def test_partners_make_a_believable_directory(demo):
    partners = list(Partner.objects.filter(program=demo))
    assert len(partners) >= 8
    assert len(partners) == Partner.objects.count()
    assert sum(not p.is_active for p in partners) == 1
    assert {p.relationship for p in partners} == set(Partner.Relationship.values)
    kinds = Counter(p.kind for p in partners)
    assert set(kinds) == set(Partner.Kind.values)
    assert kinds[Partner.Kind.FOOD] >= 2

    mlp = [p for p in partners if p.kind == Partner.Kind.MEDICAL_LEGAL]
    assert mlp and all(p.serves_regardless_of_status is True for p in mlp)
    assert all(p.relationship == Partner.Relationship.FORMAL for p in mlp)
    assert all(p.is_active for p in mlp)

    for partner in partners:
        assert phonenumbers.is_valid_number(partner.phone), partner.phone
        assert str(partner.phone).startswith("+1")
        assert partner.languages and isinstance(partner.languages, list)
        assert all(isinstance(code, str) and 2 <= len(code) <= 3 for code in partner.languages)
        assert partner.name.strip() == partner.name
    assert len({p.name.casefold() for p in partners}) == len(partners)
    assert any(len(p.languages) >= 3 for p in partners)


def test_intakes_are_one_per_enrollment_that_ran(demo):
    today = demo.today()
    intakes = list(Intake.objects.select_related("enrollment"))
    ran = Enrollment.objects.filter(program=demo, status__in=Enrollment.RAN_STATUSES).count()
    assert 0.7 * ran <= len(intakes) < ran  # most, not all
    assert len({intake.enrollment_id for intake in intakes}) == len(intakes)

    for intake in intakes:
        enrollment = intake.enrollment
        assert enrollment.status in Enrollment.RAN_STATUSES
        enrolled_on = enrollment.ran_dates()[0]
        assert enrolled_on <= intake.recorded_on <= today
        assert intake.recorded_on <= enrolled_on + dt.timedelta(days=7)
        assert intake.recorded_by_id == enrollment.chw_id
    # The texts vary, and so do the answers to the needs screen (every one is optional).
    assert len({intake.life_story for intake in intakes}) >= 8
    assert len({intake.priorities for intake in intakes}) >= 8
    for name, _label in Intake.NEEDS:
        answers = {getattr(intake, name) for intake in intakes}
        assert answers == {None, True, False}, name


def _text_fields(model) -> list[str]:
    """Every free-text field of `model` (not phone numbers, not choices)."""
    return [
        f.name
        for f in model._meta.concrete_fields
        if type(f) in (models.CharField, models.TextField) and not f.choices
    ]


def test_no_text_records_immigration_status(demo):
    for model in (Intake, Goal, ActionStep, Encounter, Partner):
        fields = _text_fields(model)
        assert fields, model
        texts = [text for row in model.objects.values_list(*fields) for text in row if text]
        assert texts, model
        for text in texts:
            assert not mentions_immigration_status(text), text
            assert not IMMIGRATION_WORDS.search(text), text
    assert set(_text_fields(Intake)) >= {"life_story", "priorities", "what_will_help", "strengths"}
    assert set(_text_fields(ActionStep)) >= {"description", "notes"}


def test_goals_keep_the_rules(demo):
    today = demo.today()
    goals = list(Goal.objects.select_related("enrollment"))
    assert 200 <= len(goals) <= 500
    assert {goal.category for goal in goals} == set(Goal.Category.values)
    assert set(Goal.Status.values) <= {goal.status for goal in goals}

    for goal in goals:
        enrollment = goal.enrollment
        assert enrollment.status in Enrollment.RAN_STATUSES
        enrolled_on = enrollment.ran_dates()[0]
        assert enrolled_on <= goal.set_on <= today
        assert goal.set_on <= enrolled_on + dt.timedelta(days=20)
        assert goal.created_by_id == enrollment.chw_id
        assert goal.statement.strip() == goal.statement != ""
        if goal.status == Goal.Status.ACTIVE:
            assert goal.closed_on is None
            assert enrollment.status == Enrollment.Status.ENROLLED
        else:
            assert goal.closed_on is not None
            assert goal.set_on <= goal.closed_on <= today
            if enrollment.closed_on:
                assert goal.closed_on <= enrollment.closed_on

    # Goals close with the enrollment, with mixed outcomes.
    graduated = [g for g in goals if g.enrollment.status == Enrollment.Status.GRADUATED]
    assert graduated and all(not g.is_active for g in graduated)
    assert len({g.status for g in graduated}) >= 3
    # Most goals of active enrollments are active; a few closed this quarter.
    running = [g for g in goals if g.enrollment.status == Enrollment.Status.ENROLLED]
    assert sum(g.is_active for g in running) > 0.75 * len(running)
    assert any(
        g.status == Goal.Status.ACHIEVED
        and g.closed_on is not None
        and g.closed_on >= quarter_start(today)
        for g in running
    )
    # Set by the patient, mostly; a condition on most medical goals and few others.
    set_by = Counter(goal.set_by for goal in goals)
    assert set_by[Goal.SetBy.PATIENT] > set_by[Goal.SetBy.PATIENT_WITH_CLINICIAN] > 0
    other = [g for g in goals if g.category != Goal.Category.CHRONIC_DISEASE]
    assert sum(bool(g.condition) for g in other) < len(other) / 3
    chronic = [g for g in goals if g.category == Goal.Category.CHRONIC_DISEASE]
    assert sum(bool(g.condition) for g in chronic) > len(chronic) / 2
    # Several goals per enrollment for some, none yet for a few.
    per_enrollment = Counter(goal.enrollment_id for goal in goals)
    assert max(per_enrollment.values()) >= 3
    assert all(
        len({g.statement for g in goals if g.enrollment_id == pk}) == n
        for pk, n in per_enrollment.items()
    )


def test_most_enrollments_have_a_goal_within_14_days(demo):
    today = demo.today()
    begun = Enrollment.objects.filter(
        program=demo,
        status__in=Enrollment.RAN_STATUSES,
        enrolled_on__lte=today - dt.timedelta(days=14),
    )
    early = {
        goal.enrollment_id
        for goal in Goal.objects.select_related("enrollment")
        if goal.set_on <= goal.enrollment.ran_dates()[0] + dt.timedelta(days=14)
    }
    share = sum(e.pk in early for e in begun) / begun.count()
    assert 0.6 <= share <= 0.95
    ran = Enrollment.objects.filter(program=demo, status__in=Enrollment.RAN_STATUSES)
    assert ran.exclude(goals__isnull=False).exists()  # some have no goal at all


def test_steps_keep_the_rules(demo):
    today = demo.today()
    steps = list(ActionStep.objects.select_related("goal__enrollment", "partner"))
    goals = Goal.objects.count()
    per_goal = Counter(step.goal_id for step in steps)
    assert len(per_goal) == goals
    assert min(per_goal.values()) >= 2 and max(per_goal.values()) <= 5
    assert {step.owner for step in steps} == set(ActionStep.Owner.values)
    assert {step.support_type for step in steps} == set(ActionStep.SupportType.values)
    assert {step.status for step in steps} == set(ActionStep.Status.values)

    for step in steps:
        goal, enrollment = step.goal, step.goal.enrollment
        assert step.due_on >= enrollment.ran_dates()[0]
        assert step.created_by_id == enrollment.chw_id
        if step.status == ActionStep.Status.DONE:
            assert step.done_on is not None
            assert goal.set_on <= step.done_on <= today
        else:
            assert step.done_on is None
        if goal.closed_on:
            assert step.due_on <= goal.closed_on
            assert not step.is_open  # a closed goal leaves no open step
        if step.support_type == ActionStep.SupportType.REFERRAL:
            assert step.partner is not None
        if step.owner == ActionStep.Owner.PARTNER:
            assert step.partner is not None
        if step.partner is None:
            assert step.referral_outcome == ""
            assert not (step.consent_to_share or step.warm_handoff or step.accompanied)
        else:
            assert step.partner.program_id == enrollment.program_id
            assert step.partner.is_active
            assert step.referral_outcome in ActionStep.Outcome.values

    referrals = [s for s in steps if s.partner is not None]
    referred_goals = {s.goal_id for s in referrals}
    assert 0.15 * goals <= len(referred_goals) <= 0.4 * goals  # about one goal in four
    assert {s.referral_outcome for s in referrals} == set(ActionStep.Outcome.values)
    assert sum(s.consent_to_share for s in referrals) > 0.7 * len(referrals)
    assert any(s.warm_handoff for s in referrals) and any(s.accompanied for s in referrals)
    assert len({s.partner_id for s in referrals}) >= 6


def test_some_open_steps_on_active_enrollments_are_overdue(demo):
    today = demo.today()
    overdue = ActionStep.objects.filter(
        goal__enrollment__status=Enrollment.Status.ENROLLED,
        status__in=ActionStep.OPEN_STATUSES,
        due_on__lt=today,
    )
    open_steps = ActionStep.objects.filter(status__in=ActionStep.OPEN_STATUSES)
    assert 0 < overdue.count() < open_steps.count() / 2
    assert open_steps.filter(due_on__gte=today).exists()


def test_encounters_link_only_goals_of_their_enrollment(demo):
    links = list(GoalLink.objects.select_related("encounter", "goal"))
    reached = Encounter.objects.filter(reached=True).count()
    assert 0.2 * reached <= len(links) <= reached
    assert len({(link.encounter_id, link.goal_id) for link in links}) == len(links)
    for link in links:
        encounter, goal = link.encounter, link.goal
        assert encounter.enrollment_id == goal.enrollment_id
        assert encounter.reached
        day = demo.local_date(encounter.occurred_at)
        assert goal.set_on <= day
        assert goal.closed_on is None or day <= goal.closed_on
    per_encounter = Counter(link.encounter_id for link in links)
    assert max(per_encounter.values()) == 2

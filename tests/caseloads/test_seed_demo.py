"""The demo seeder: who and what it creates, that its data keeps the model's rules, and that
it is deterministic and refuses to overwrite a database unless told to."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO

import phonenumbers
import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from caseloads.models import Encounter, Enrollment, Patient
from caseloads.services import encounter_flags
from impact.models import Program, Role, Team, User

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "demo-pass-2026"


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Program, Team, User, Patient, Enrollment, Encounter)
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
            assert e.referred_on <= e.enrolled_on <= today
            assert e.planned_end_on == e.enrolled_on + dt.timedelta(days=demo.intervention_days)
        else:
            assert e.enrolled_on is None and e.planned_end_on is None
        if e.status in Enrollment.OPEN_STATUSES:
            assert e.closed_on is None
        else:
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


def test_force_wipes_and_reseeds_to_the_same_counts(output):
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
        return patients, enrollments, Encounter.objects.count()

    seed("--seed", "7")
    first = snapshot()
    seed("--seed", "7", "--force")
    assert snapshot() == first
    seed("--seed", "8", "--force")
    assert snapshot()[0] != first[0]

"""The demo program itself and its people (`seed_demo`): the Eastside program, its two
teams, two managers, eight CHWs, a leader and an administrator, and what every other demo
builder shares (`Seeding`: the one random generator, the clock, the program, its today and
a pool of fictional phone numbers)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import phonenumbers
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from impact.models import Program, Role, Team, User

DEMO_PASSWORD = "demo-pass-2026"
PROGRAM_NAME = "Eastside Community Health Worker Program"
DEFAULT_SEED = 2026
HISTORY_DAYS = 270  # about nine months of history

TEAM_NAMES = ["Riverside", "Parkview"]

# (username, first name, last name, role, team index or None, interface language: blank
# for those who have not chosen one, so the sign-in page's choice or the browser's applies)
STAFF = [
    ("manager1", "Denise", "Whitfield", Role.MANAGER, 0, ""),
    ("manager2", "Rafael", "Ortiz", Role.MANAGER, 1, "es"),
    ("chw1", "María", "González", Role.CHW, 0, "es"),
    ("chw2", "Jamal", "Carter", Role.CHW, 0, ""),
    ("chw3", "Linh", "Trần", Role.CHW, 0, ""),
    ("chw4", "Fatima", "Hassan", Role.CHW, 0, ""),
    ("chw5", "Rose", "Pierre-Louis", Role.CHW, 1, ""),
    ("chw6", "Keisha", "Brown", Role.CHW, 1, ""),
    ("chw7", "Bishnu", "Gurung", Role.CHW, 1, ""),
    ("chw8", "Ana", "López", Role.CHW, 1, "es"),
    ("leader", "Patricia", "Okafor", Role.LEADER, None, ""),
    ("admin", "Sam", "Whitaker", Role.ADMIN, None, ""),
]


@dataclass
class Seeding:
    """What every demo builder draws from and writes into: one random generator (the same
    seed gives the same data), the instant the seeding began (nothing is dated after it),
    the program and its today, and the phone numbers not handed out yet."""

    rng: random.Random
    now: dt.datetime
    program: Program
    today: dt.date
    phones: list[str]


def seed_program(rng: random.Random) -> Seeding:
    """Create the demo program; return what the other builders share."""
    now = timezone.now()
    program = Program.objects.create(
        name=PROGRAM_NAME,
        variant=Program.Variant.OUTPATIENT,
        intervention_days=180,
        caseload_cap=30,
        contact_interval_days=14,
        time_zone="America/New_York",
        institution_type=Program.InstitutionType.FQHC,
        region="Philadelphia, PA",
        stage=Program.Stage.IMPLEMENTATION,
    )
    return Seeding(
        rng=rng, now=now, program=program, today=program.today(), phones=_phone_pool(rng)
    )


def seed_staff(seeding: Seeding) -> tuple[list[Team], list[User]]:
    """The two teams and the staff of STAFF, each team managed by its manager."""
    teams = Team.objects.bulk_create(
        [Team(program=seeding.program, name=name) for name in TEAM_NAMES]
    )
    users = _users(seeding, teams)
    by_name = {user.username: user for user in users}
    for team, username in zip(teams, ["manager1", "manager2"], strict=True):
        team.manager = by_name[username]
    Team.objects.bulk_update(teams, ["manager"])
    return teams, users


def _phone_pool(rng: random.Random) -> list[str]:
    """Fictional Philadelphia numbers (555-0100…0199) that phonenumbers accepts."""
    pool = []
    for area in ("215", "267", "445"):
        for line in range(100, 200):
            number = f"+1{area}555{line:04d}"
            if phonenumbers.is_valid_number(phonenumbers.parse(number)):
                pool.append(number)
    rng.shuffle(pool)
    return pool


def _users(seeding: Seeding, teams: list[Team]) -> list[User]:
    rng = seeding.rng
    password = make_password(DEMO_PASSWORD)
    rows = []
    for username, first, last, role, team_index, language in STAFF:
        is_admin = role == Role.ADMIN
        rows.append(
            User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@eastside-chw.example.org",
                password=password,
                role=role,
                program=None if is_admin else seeding.program,
                team=teams[team_index] if team_index is not None else None,
                is_staff=is_admin,
                is_superuser=is_admin,
                preferred_language=language,
                hired_on=seeding.today - dt.timedelta(days=rng.randint(300, 2500)),
                phone=seeding.phones.pop(),
            )
        )
    return User.objects.bulk_create(rows)

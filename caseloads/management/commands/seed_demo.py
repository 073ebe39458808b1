"""Fill an empty database with a believable demo program (``manage.py seed_demo``).

One outpatient program with two teams, two managers, eight CHWs, a leader and an
administrator; about two hundred patients speaking a dozen languages; nine months of
enrollments and encounters. Two CHWs are over the caseload cap, some enrollments have run
past their planned end, some have had no contact lately, and patients keep calling after
hours and after their enrollment ended, so every screen and figure has something to show.

Everything is drawn from ``random.Random(--seed)`` and dated relative to the program's
today, so the same seed on an empty database gives the same data on the same day.
Rows are written with ``bulk_create`` inside one transaction; the derived encounter flags
are computed with ``caseloads.services.encounter_flags``, as every other write does.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import phonenumbers
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone

from caseloads.models import (
    Encounter,
    Enrollment,
    EnrollmentReassignment,
    Patient,
    RaceEthnicity,
)
from caseloads.services import encounter_flags
from impact.models import Program, Role, Team, User

DEMO_PASSWORD = "demo-pass-2026"
PROGRAM_NAME = "Eastside Community Health Worker Program"
DEFAULT_SEED = 2026
HISTORY_DAYS = 270  # about nine months of history

Kind = Encounter.Kind
Status = Enrollment.Status
InitiatedBy = Encounter.InitiatedBy

TEAM_NAMES = ["Riverside", "Parkview"]

# (username, first name, last name, role, team index or None, interface language)
STAFF = [
    ("manager1", "Denise", "Whitfield", Role.MANAGER, 0, "en"),
    ("manager2", "Rafael", "Ortiz", Role.MANAGER, 1, "es"),
    ("chw1", "María", "González", Role.CHW, 0, "es"),
    ("chw2", "Jamal", "Carter", Role.CHW, 0, "en"),
    ("chw3", "Linh", "Trần", Role.CHW, 0, "en"),
    ("chw4", "Fatima", "Hassan", Role.CHW, 0, "en"),
    ("chw5", "Rose", "Pierre-Louis", Role.CHW, 1, "en"),
    ("chw6", "Keisha", "Brown", Role.CHW, 1, "en"),
    ("chw7", "Bishnu", "Gurung", Role.CHW, 1, "en"),
    ("chw8", "Ana", "López", Role.CHW, 1, "es"),
    ("leader", "Patricia", "Okafor", Role.LEADER, None, "en"),
    ("admin", "Sam", "Whitaker", Role.ADMIN, None, "en"),
]

# Active (enrolled) caseload per CHW: chw1 and chw5 are over the cap of 30.
ACTIVE_CASELOAD = {
    "chw1": 33,
    "chw2": 18,
    "chw3": 20,
    "chw4": 15,
    "chw5": 35,
    "chw6": 22,
    "chw7": 16,
    "chw8": 19,
}
# Patients whose one enrollment ended or never started, besides the active ones.
OTHER_OUTCOMES = {
    Status.GRADUATED: 16,
    Status.WITHDRAWN: 7,
    Status.REFERRED: 6,
    Status.DECLINED: 3,
    Status.INELIGIBLE: 2,
}
ACTIVE_PAST_END = 12  # active enrollments enrolled more than intervention_days ago
ACTIVE_LAPSED_SHARE = 0.1  # active enrollments with no reached contact lately
PRIOR_DECLINED = 6  # active patients who had declined an earlier referral

# Preferred language (ISO 639-1, or 639-3 where there is no 639-1 code) and its weight.
LANGUAGE_WEIGHTS = {
    "en": 40,
    "es": 25,
    "ht": 6,
    "zh": 5,
    "vi": 5,
    "ar": 4,
    "so": 3,
    "ne": 3,
    "pt": 3,
    "fr": 2,
    "ru": 2,
    "mam": 2,
    "quc": 1,
}

# fmt: off
_MAYAN = (
    [
        "Juana", "Tomás", "Rigoberta", "Domingo", "Petrona", "Sebastián", "Catarina", "Diego",
    ],
    [
        "Tzoc", "Xicará", "Ajú", "Chávez", "Tum", "Ixcot", "Coyoy", "Batz", "Quiej", "Pérez",
    ],
)
NAMES = {
    "en": (
        [
            "James", "Mary", "Robert", "Patricia", "Michael", "Linda", "Darnell", "Tanisha",
            "Kevin", "Shanice", "William", "Barbara", "Andre", "Crystal", "Joseph", "Donna",
            "Tyrone", "Brenda", "Marcus", "Gloria", "Anthony", "Latoya", "Christopher", "Sharon",
            "Raymond", "Yvonne", "Jerome", "Kimberly", "Frank", "Dolores",
        ],
        [
            "Johnson", "Williams", "Brown", "Jones", "Davis", "Miller", "Wilson", "Moore",
            "Taylor", "Jackson", "White", "Harris", "Thompson", "Robinson", "Walker", "Young",
            "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Mitchell",
            "Campbell", "Roberts", "O'Brien", "Kowalski", "Murphy", "McBride", "Washington",
        ],
    ),
    "es": (
        [
            "José", "María", "Juan", "Carmen", "Luis", "Rosa", "Carlos", "Ana", "Jorge", "Lucía",
            "Miguel", "Isabel", "Pedro", "Guadalupe", "Francisco", "Marisol", "Ramón", "Yesenia",
            "Héctor", "Leticia",
        ],
        [
            "García", "Rodríguez", "Martínez", "Hernández", "López", "González", "Pérez",
            "Sánchez", "Ramírez", "Torres", "Flores", "Rivera", "Gómez", "Díaz", "Cruz", "Morales",
            "Reyes", "Ortiz", "Vázquez", "Santiago",
        ],
    ),
    "ht": (
        [
            "Jean", "Marie", "Jacques", "Nadège", "Wilner", "Fabienne", "Frantz", "Roselaure",
            "Guerline", "Emmanuel", "Mirlande", "Jocelyn",
        ],
        [
            "Joseph", "Jean-Baptiste", "Louis", "Charles", "Étienne", "Désir", "Auguste", "Dorvil",
            "Fleurant", "Noël", "Célestin", "Baptiste",
        ],
    ),
    "zh": (
        [
            "Wei", "Li", "Mei", "Jun", "Xiu Ying", "Hao", "Fang", "Jian", "Ling", "Yong",
        ],
        [
            "Chen", "Wang", "Li", "Zhang", "Liu", "Lin", "Huang", "Zhao", "Wu", "Zhou",
        ],
    ),
    "vi": (
        [
            "Anh", "Minh", "Thu", "Hùng", "Lan", "Tuấn", "Hoa", "Dũng", "Mai", "Quang",
        ],
        [
            "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô",
        ],
    ),
    "ar": (
        [
            "Ahmed", "Fatima", "Mohammed", "Aisha", "Omar", "Layla", "Youssef", "Mariam", "Khaled",
        ],
        [
            "Al-Sayed", "Haddad", "Mansour", "Khalil", "Saleh", "Abdullah", "Nasser", "Farouk",
        ],
    ),
    "so": (
        [
            "Abdi", "Hodan", "Mohamed", "Fadumo", "Hassan", "Ayaan", "Ali", "Sahra", "Hawa",
        ],
        [
            "Warsame", "Abdullahi", "Farah", "Hussein", "Jama", "Osman", "Mohamud", "Aden",
        ],
    ),
    "ne": (
        [
            "Bishnu", "Devi", "Hari", "Kamala", "Ram", "Sita", "Krishna", "Laxmi", "Tika", "Dil",
        ],
        [
            "Gurung", "Rai", "Subba", "Tamang", "Adhikari", "Pradhan", "Chhetri", "Magar",
        ],
    ),
    "pt": (
        [
            "João", "Ana Paula", "Marcos", "Fernanda", "Paulo", "Juliana", "Thiago", "Camila",
        ],
        [
            "Silva", "Santos", "Oliveira", "Souza", "Costa", "Pereira", "Almeida", "Ferreira",
        ],
    ),
    "fr": (
        [
            "Mamadou", "Aminata", "Ibrahima", "Fatoumata", "Moussa", "Mariama", "Ousmane", "Awa",
        ],
        [
            "Diallo", "Traoré", "Koné", "Camara", "Sow", "Bah", "Keita", "Touré",
        ],
    ),
    "ru": (
        [
            "Olga", "Sergei", "Tatiana", "Dmitri", "Irina", "Nikolai", "Svetlana", "Viktor",
        ],
        [
            "Petrenko", "Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Lysenko",
        ],
    ),
    "mam": _MAYAN,
    "quc": _MAYAN,
}
# fmt: on
NICKNAMES = {
    "Robert": "Bobby",
    "William": "Bill",
    "Patricia": "Pat",
    "Christopher": "Chris",
    "Kimberly": "Kim",
    "Anthony": "Tony",
    "José": "Pepe",
    "Francisco": "Paco",
    "Guadalupe": "Lupe",
    "Xiu Ying": "Ying",
    "Ana Paula": "Ana",
    "Mohammed": "Mo",
}
# Likely self-reported answers by language; English speakers answer anything.
RACE_BY_LANGUAGE = {
    "es": [["hispanic"], ["hispanic", "white"], ["hispanic", "black"]],
    "ht": [["black"]],
    "zh": [["asian"]],
    "vi": [["asian"]],
    "ne": [["asian"]],
    "ar": [["middle_eastern"]],
    "so": [["black"]],
    "pt": [["hispanic"], ["white"], ["other"]],
    "fr": [["black"]],
    "ru": [["white"]],
    "mam": [["american_indian", "hispanic"]],
    "quc": [["american_indian", "hispanic"]],
    "en": [["black"], ["black"], ["white"], ["hispanic"], ["asian"], ["black", "white"]],
}
ZIP_CODES = [
    "19104", "19121", "19122", "19124", "19125", "19132", "19133", "19134", "19139",
    "19140", "19143", "19145", "19146", "19148",
]  # fmt: skip

HANDOFFS = [
    "Dr. Amanda Reyes, primary care, Eastside Health Center",
    "Care manager at Keystone Health Plan",
    "Diabetes self-management group, Lehigh Avenue library",
    "Behavioral health clinic, Eastside Health Center",
    "Senior center case manager, Norris Square",
    "Community health center nurse navigator",
]
WITHDRAW_REASONS = [
    "Moved out of the area to live with family.",
    "Asked to stop: feels well supported by family now.",
    "Started a new job with hours that leave no time for visits.",
    "Could not be reached after repeated attempts over six weeks.",
    "Enrolled in the health plan's own care management program.",
]
DECLINE_REASONS = [
    "Not interested right now; was given the program's number.",
    "Prefers to manage on their own; family helps.",
    "Too busy with work; may call back later.",
]
INELIGIBLE_REASONS = [
    "Lives outside the service area.",
    "Already followed by another CHW program.",
]

# Contact kinds and how often each comes up during an enrollment.
KIND_WEIGHTS = {
    Kind.PHONE: 30,
    Kind.TEXT: 14,
    Kind.HOME_VISIT: 12,
    Kind.COMMUNITY_VISIT: 8,
    Kind.CLINIC_VISIT: 7,
    Kind.ACCOMPANIMENT: 5,
    Kind.HOSPITAL_VISIT: 2,
    Kind.VIDEO: 3,
    Kind.CHART_REVIEW: 8,
    Kind.OUTREACH_ATTEMPT: 4,
    Kind.SAFETY_NOTE: 1,
}
REACHED_CHANCE = {
    Kind.PHONE: 0.75,
    Kind.TEXT: 0.85,
    Kind.VIDEO: 0.9,
    Kind.HOME_VISIT: 0.92,
    Kind.COMMUNITY_VISIT: 0.9,
    Kind.CLINIC_VISIT: 0.95,
    Kind.ACCOMPANIMENT: 0.97,
    Kind.HOSPITAL_VISIT: 0.95,
    Kind.OUTREACH_ATTEMPT: 0.2,
}
PATIENT_INITIATED_CHANCE = {Kind.PHONE: 0.3, Kind.TEXT: 0.35, Kind.VIDEO: 0.1}
DURATION_MINUTES = {
    Kind.PHONE: (5, 30),
    Kind.TEXT: (1, 5),
    Kind.VIDEO: (15, 45),
    Kind.HOME_VISIT: (45, 120),
    Kind.COMMUNITY_VISIT: (30, 90),
    Kind.CLINIC_VISIT: (30, 90),
    Kind.ACCOMPANIMENT: (90, 240),
    Kind.HOSPITAL_VISIT: (30, 60),
    Kind.OUTREACH_ATTEMPT: (2, 10),
    Kind.CHART_REVIEW: (10, 30),
    Kind.SAFETY_NOTE: (10, 20),
}
NOTES = {
    (Kind.PHONE, True): [
        "Check-in call. Taking medications as prescribed; no new concerns.",
        "Called to confirm Thursday's appointment. Patient has a ride.",
        "Talked through the week's goal: walking after dinner three times.",
        "Patient called about a letter from the gas company; will bring it to the next visit.",
        "Reviewed blood pressure log together. Readings a little lower.",
        "Patient worried about rent this month; set up a visit to apply for assistance.",
    ],
    (Kind.PHONE, False): [
        "No answer. Left a voicemail with a callback number.",
        "Phone went straight to voicemail; mailbox full.",
        "Number rang out. Will try again tomorrow.",
    ],
    (Kind.TEXT, True): [
        "Texted appointment reminder; patient replied to confirm.",
        "Patient texted a photo of the pharmacy receipt; refill picked up.",
        "Sent the food pantry hours; patient said thanks.",
    ],
    (Kind.TEXT, False): ["Texted to check in; no reply yet."],
    (Kind.VIDEO, True): ["Video call with patient and daughter to review the action plan."],
    (Kind.VIDEO, False): ["Video call link sent; patient did not join."],
    (Kind.HOME_VISIT, True): [
        "Home visit. Reviewed medications and upcoming appointments.",
        "Home visit. Worked on the action plan; patient chose the next step.",
        "Home visit. Helped fill out the SNAP application.",
        "Home visit. Patient shared more of their story; talked about what keeps them well.",
        "Home visit. Checked the fridge and pantry together; planned a grocery trip.",
    ],
    (Kind.HOME_VISIT, False): ["Home visit; no one answered the door. Left a card."],
    (Kind.COMMUNITY_VISIT, True): [
        "Met at the library to work on the housing application.",
        "Met at the corner café; talked about stress at home and sleep.",
        "Walked together to the food pantry and got registered.",
    ],
    (Kind.COMMUNITY_VISIT, False): [
        "Waited at the meeting place for 30 minutes; patient did not come."
    ],
    (Kind.CLINIC_VISIT, True): [
        "Met patient at clinic before the primary care visit; helped list questions.",
        "Joined the nurse visit to go over the new insulin plan in plain words.",
    ],
    (Kind.CLINIC_VISIT, False): ["Patient missed the clinic appointment; will call to reschedule."],
    (Kind.ACCOMPANIMENT, True): [
        "Went with patient to the benefits office; application submitted.",
        "Accompanied patient to the specialist appointment; interpreter was there.",
        "Rode the bus with patient to the new pharmacy to learn the route.",
    ],
    (Kind.ACCOMPANIMENT, False): ["Patient cancelled the accompaniment this morning."],
    (Kind.HOSPITAL_VISIT, True): ["Visited patient on the ward; planned the first week at home."],
    (Kind.HOSPITAL_VISIT, False): ["Went to the ward; patient was already discharged."],
    (Kind.OUTREACH_ATTEMPT, True): [
        "Reached patient; explained the program and set a first visit."
    ],
    (Kind.OUTREACH_ATTEMPT, False): [
        "Outreach call; no answer. Left a message.",
        "Outreach: stopped by the address on file; no one home.",
        "Outreach text sent with a short introduction.",
    ],
    (Kind.CHART_REVIEW, False): [
        "Chart review before the visit: new A1c result and specialist referral.",
        "Reviewed discharge summary from the weekend ED visit.",
        "Checked upcoming appointments and medication list in the chart.",
    ],
    (Kind.SAFETY_NOTE, False): [
        "Safety note: visited with a teammate because of a loose dog at the address.",
        "Safety note: patient mentioned conflict at home; discussed with manager.",
    ],
}
AFTER_END_NOTES = [
    "Former patient called: new bill from the hospital, asked what to do.",
    "Patient texted to say hello and share good news about the new apartment.",
    "Patient called for help with a prescription refill; gave the clinic number.",
    "Patient called worried about a letter from the benefits office.",
    "Patient called asking if they can be enrolled again.",
]
ENROLLMENT_NOTE = (
    "Enrollment visit. Started the intake and talked about what matters most to the patient."
)
CRISIS_NOTE = (
    "Patient very distressed on the call; stayed on the line and connected to crisis line."
)


@dataclass
class Plan:
    """What one patient's enrollments will look like, decided before any row is written."""

    language: str
    chw: str
    status: str
    past_end: bool = False
    lapsed: bool = False
    prior_declined: bool = False
    patient: Patient | None = None
    enrollments: list[Enrollment] = field(default_factory=list)


class Command(BaseCommand):
    help = (
        "Create a demo program with teams, staff, about 200 patients and nine months of "
        "enrollments and encounters. Refuses to touch a database that already has "
        "programs or users unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Random seed: the same seed gives the same data (default {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=(
                "Delete ALL programs, users, patients, enrollments and encounters first "
                "(and anything that depends on them), then seed."
            ),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Seed only when the database has no programs or users; otherwise say so "
            "and exit successfully (what `make run` uses).",
        )

    def handle(self, *args, seed: int, force: bool, if_empty: bool, **options):
        has_data = Program.objects.exists() or User.objects.exists()
        if if_empty and has_data and not force:
            self.stdout.write(
                "The database already has data: demo data not loaded "
                "(start over with: python manage.py seed_demo --force)."
            )
            return
        if not force and has_data:
            raise CommandError(
                "The database already has programs or users; seed_demo only fills an empty "
                "database. Run it again with --force to delete all programs, users and "
                "patient records first and seed the demo from scratch."
            )
        with transaction.atomic():
            if force:
                self._wipe()
            summary = Seeder(random.Random(seed)).run()
        self._report(summary, seed)

    # -- deleting -------------------------------------------------------------------------

    def _wipe(self) -> None:
        """Delete the demo's rows, children first (foreign keys here are PROTECT)."""
        for model in (
            Encounter,
            EnrollmentReassignment,
            Enrollment,
            Patient,
            User,  # a team's manager and a member's team are SET_NULL
            Team,
            Program,
        ):
            _purge(model._base_manager.all())

    # -- reporting ------------------------------------------------------------------------

    def _report(self, summary: dict, seed: int) -> None:
        out = self.stdout
        program = summary["program"]
        statuses = summary["statuses"]
        out.write(f'Seeded "{program.name}" (seed {seed}, program today {summary["today"]}).')
        out.write(f"  Teams: {summary['teams']}")
        out.write(
            f"  Users: {summary['users']} "
            f"({', '.join(f'{n} {role}' for role, n in summary['roles'].items())})"
        )
        out.write(f"  Patients: {summary['patients']} ({summary['languages']} languages)")
        out.write(
            f"  Enrollments: {summary['enrollments']} "
            f"({', '.join(f'{n} {status}' for status, n in statuses.items())})"
        )
        out.write(
            f"    active past planned end: {summary['past_end']}; "
            f"active with no reached contact in {program.contact_interval_days} days: "
            f"{summary['stale']}"
        )
        out.write(
            f"  Encounters: {summary['encounters']} "
            f"(after hours {summary['after_hours']}, after end {summary['after_end']})"
        )
        out.write(f"  Active caseloads (cap {program.caseload_cap}):")
        for username, count in summary["caseloads"].items():
            over = "  over cap" if count > program.caseload_cap else ""
            out.write(f"    {username:<10}{count:>4}{over}")
        out.write("")
        out.write("Demo logins:")
        rows = [("username", "role", "team", "password")] + [
            (user.username, user.role, user.team.name if user.team else "-", DEMO_PASSWORD)
            for user in summary["logins"]
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for row in rows:
            out.write(
                "  "
                + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            )


def _purge(queryset, depth: int = 0) -> None:
    """Delete `queryset`, first deleting rows (of any app) whose PROTECT keys block it."""
    for _attempt in range(20):
        try:
            queryset.delete()
            return
        except (ProtectedError, RestrictedError) as error:
            if depth >= 8:
                raise CommandError(f"Could not delete the existing data: {error}") from error
            blockers = (
                error.protected_objects
                if isinstance(error, ProtectedError)
                else error.restricted_objects
            )
            by_model: dict[type, set] = defaultdict(set)
            for row in blockers:
                by_model[type(row)].add(row.pk)
            for model, pks in by_model.items():
                _purge(model._base_manager.filter(pk__in=pks), depth + 1)
    raise CommandError("Could not delete the existing data: too many dependent rows.")


class Seeder:
    """Builds the demo rows from one random generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.now = timezone.now()

    def run(self) -> dict:
        self.program = program = Program.objects.create(
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
        self.today = program.today()
        self.phones = self._phone_pool()

        teams = Team.objects.bulk_create([Team(program=program, name=name) for name in TEAM_NAMES])
        users = self._users(teams)
        by_name = {user.username: user for user in users}
        for team, username in zip(teams, ["manager1", "manager2"], strict=True):
            team.manager = by_name[username]
        Team.objects.bulk_update(teams, ["manager"])

        plans = self._plans()
        self._patients(plans, by_name)
        enrollments = self._enrollments(plans, by_name)
        encounters = self._encounters(plans)

        active = [e for e in enrollments if e.status == Status.ENROLLED]
        cutoff = self.today - dt.timedelta(days=program.contact_interval_days - 1)
        last_contact: dict[int, dt.date] = {}
        for encounter in encounters:
            if encounter.reached and encounter.kind not in Encounter.NON_CONTACT_KINDS:
                day = program.local_date(encounter.occurred_at)
                key = encounter.enrollment_id
                last_contact[key] = max(day, last_contact.get(key, day))
        stale = sum(
            1
            for e in active
            if e.enrolled_on <= self.today - dt.timedelta(days=program.contact_interval_days)
            and last_contact.get(e.pk, dt.date.min) < cutoff
        )
        caseloads = Counter(e.chw.username for e in active)
        return {
            "program": program,
            "today": self.today,
            "teams": len(teams),
            "users": len(users),
            "roles": Counter(user.role for user in users),
            "patients": len(plans),
            "languages": len({plan.language for plan in plans}),
            "enrollments": len(enrollments),
            "statuses": Counter(e.status for e in enrollments),
            "past_end": sum(1 for e in active if e.planned_end_on < self.today),
            "stale": stale,
            "encounters": len(encounters),
            "after_hours": sum(1 for e in encounters if e.after_hours),
            "after_end": sum(1 for e in encounters if e.after_end),
            "caseloads": {name: caseloads[name] for name in ACTIVE_CASELOAD},
            "logins": users,
        }

    # -- people ---------------------------------------------------------------------------

    def _phone_pool(self) -> list[str]:
        """Fictional Philadelphia numbers (555-0100…0199) that phonenumbers accepts."""
        pool = []
        for area in ("215", "267", "445"):
            for line in range(100, 200):
                number = f"+1{area}555{line:04d}"
                if phonenumbers.is_valid_number(phonenumbers.parse(number)):
                    pool.append(number)
        self.rng.shuffle(pool)
        return pool

    def _users(self, teams: list[Team]) -> list[User]:
        rng = self.rng
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
                    program=None if is_admin else self.program,
                    team=teams[team_index] if team_index is not None else None,
                    is_staff=is_admin,
                    is_superuser=is_admin,
                    preferred_language=language,
                    hired_on=self.today - dt.timedelta(days=rng.randint(300, 2500)),
                    phone=self.phones.pop(),
                )
            )
        return User.objects.bulk_create(rows)

    def _plans(self) -> list[Plan]:
        """Decide every patient's language, CHW and outcome before writing anything."""
        rng = self.rng
        plans = []
        for username, count in ACTIVE_CASELOAD.items():
            plans += [Plan(language="", chw=username, status=Status.ENROLLED) for _ in range(count)]
        chws = list(ACTIVE_CASELOAD)
        for status, count in OTHER_OUTCOMES.items():
            plans += [Plan(language="", chw=rng.choice(chws), status=status) for _ in range(count)]
        rng.shuffle(plans)
        languages, weights = zip(*LANGUAGE_WEIGHTS.items(), strict=True)
        # Every language appears at least once; the rest follow the weights.
        for plan, language in zip(plans, languages, strict=False):
            plan.language = language
        for plan in plans[len(languages) :]:
            plan.language = rng.choices(languages, weights)[0]
        active = [plan for plan in plans if plan.status == Status.ENROLLED]
        picked = rng.sample(active, ACTIVE_PAST_END + PRIOR_DECLINED)
        for plan in picked[:ACTIVE_PAST_END]:
            plan.past_end = True
        for plan in picked[ACTIVE_PAST_END:]:
            plan.prior_declined = True
        for plan in active:
            plan.lapsed = rng.random() < ACTIVE_LAPSED_SHARE
        return plans

    def _patients(self, plans: list[Plan], users: dict[str, User]) -> None:
        rng = self.rng
        mrns = rng.sample(range(1_000_000, 10_000_000), len(plans))
        born_from = dt.date(1940, 1, 1)
        born_span = (dt.date(2005, 12, 31) - born_from).days
        rows = []
        for plan, mrn in zip(plans, mrns, strict=True):
            given_names, family_names = NAMES[plan.language]
            given = rng.choice(given_names)
            roll = rng.random()
            if roll < 0.1:
                race = [RaceEthnicity.DECLINED.value]
            elif roll < 0.2:
                race = []
            else:
                race = list(rng.choice(RACE_BY_LANGUAGE[plan.language]))
            rows.append(
                Patient(
                    program=self.program,
                    given_name=given,
                    family_name=rng.choice(family_names),
                    preferred_name=NICKNAMES.get(given, "") if rng.random() < 0.5 else "",
                    date_of_birth=born_from + dt.timedelta(days=rng.randint(0, born_span)),
                    mrn=f"MRN{mrn}",
                    phone=self.phones.pop() if rng.random() < 0.95 else "",
                    preferred_language=plan.language,
                    interpreter_needed=plan.language != "en" and rng.random() < 0.85,
                    zip_code=rng.choice(ZIP_CODES),
                    race_ethnicity=race,
                    created_by=users[plan.chw],
                )
            )
        for plan, patient in zip(plans, Patient.objects.bulk_create(rows), strict=True):
            plan.patient = patient

    # -- enrollments ----------------------------------------------------------------------

    def _enrollments(self, plans: list[Plan], users: dict[str, User]) -> list[Enrollment]:
        rng = self.rng
        today = self.today
        days = self.program.intervention_days
        rows = []
        for plan in plans:
            chw = users[plan.chw]
            teammates = [
                user
                for user in users.values()
                if user.role == Role.CHW and user.team_id == chw.team_id and user != chw
            ]
            enrollment = Enrollment(
                patient=plan.patient,
                program=self.program,
                chw=chw,
                status=plan.status,
                created_by=chw,
            )
            if plan.status == Status.ENROLLED:
                ago = rng.randint(days + 1, HISTORY_DAYS - 5) if plan.past_end else None
                if ago is None:
                    ago = rng.randint(1, days - 1)
                    if plan.prior_declined:
                        ago = rng.randint(1, 150)
                self._start(enrollment, today - dt.timedelta(days=ago))
                if rng.random() < 0.3:
                    enrollment.backup_chw = rng.choice(teammates)
                enrollment.next_touchpoint_on = today + dt.timedelta(days=rng.randint(-10, 14))
            elif plan.status == Status.GRADUATED:
                self._start(
                    enrollment, today - dt.timedelta(days=rng.randint(days + 5, HISTORY_DAYS))
                )
                enrollment.closed_on = enrollment.enrolled_on + dt.timedelta(
                    days=rng.randint(days - 15, days + 2)
                )
                handoff = rng.choice(HANDOFFS)
                enrollment.handoff_to = handoff
                enrollment.handoff_accepted = rng.choices([True, False, None], [7, 2, 1])[0]
                enrollment.close_reason = "Completed the action plan goals."
            elif plan.status == Status.WITHDRAWN:
                ago = rng.randint(40, 250)
                self._start(enrollment, today - dt.timedelta(days=ago))
                enrollment.closed_on = enrollment.enrolled_on + dt.timedelta(
                    days=rng.randint(14, min(150, ago - 1))
                )
                enrollment.close_reason = rng.choice(WITHDRAW_REASONS)
            elif plan.status == Status.REFERRED:
                enrollment.referred_on = today - dt.timedelta(days=rng.randint(0, 18))
            else:
                enrollment.referred_on = today - dt.timedelta(days=rng.randint(5, HISTORY_DAYS))
                enrollment.closed_on = enrollment.referred_on
                reasons = DECLINE_REASONS if plan.status == Status.DECLINED else INELIGIBLE_REASONS
                enrollment.close_reason = rng.choice(reasons)
            plan.enrollments.append(enrollment)
            if plan.prior_declined:
                earlier = enrollment.referred_on - dt.timedelta(days=rng.randint(30, 90))
                plan.enrollments.insert(
                    0,
                    Enrollment(
                        patient=plan.patient,
                        program=self.program,
                        chw=chw,
                        status=Status.DECLINED,
                        referred_on=earlier,
                        closed_on=earlier,
                        close_reason="Not ready at first contact; the clinic referred again later.",
                        created_by=chw,
                    ),
                )
            rows += plan.enrollments
        created = Enrollment.objects.bulk_create(rows)
        if any(row.pk is None for row in created):  # pragma: no cover - old databases
            raise CommandError("This database does not return ids from bulk inserts.")
        return created

    def _start(self, enrollment: Enrollment, enrolled_on: dt.date) -> None:
        enrollment.enrolled_on = enrolled_on
        enrollment.referred_on = enrolled_on - dt.timedelta(days=self.rng.randint(0, 12))
        enrollment.planned_end_on = enrolled_on + dt.timedelta(days=self.program.intervention_days)

    # -- encounters -----------------------------------------------------------------------

    def _encounters(self, plans: list[Plan]) -> list[Encounter]:
        rows: list[Encounter] = []
        for plan in plans:
            for enrollment in plan.enrollments:
                rows += self._for_enrollment(enrollment, plan)
        return Encounter.objects.bulk_create(rows, batch_size=500)

    def _for_enrollment(self, enrollment: Enrollment, plan: Plan) -> list[Encounter]:
        rng = self.rng
        today = self.today
        out: list[Encounter] = []
        if enrollment.status in (Status.DECLINED, Status.INELIGIBLE):
            return out  # nothing can be logged on a referral closed without enrolling

        if enrollment.status == Status.REFERRED:
            span = (today - enrollment.referred_on).days
            for offset in sorted(rng.sample(range(span + 1), min(span + 1, rng.randint(1, 4)))):
                kind = rng.choices([Kind.OUTREACH_ATTEMPT, Kind.TEXT, Kind.PHONE], [6, 2, 2])[0]
                reached = rng.random() < 0.25
                when = enrollment.referred_on + dt.timedelta(days=offset)
                self._add(out, enrollment, when, kind, reached=reached, stop=today)
            return out

        start = enrollment.enrolled_on
        stop = enrollment.closed_on or today
        contact_stop = stop
        if plan.lapsed and (today - start).days > 30:
            contact_stop = today - dt.timedelta(days=rng.randint(16, 45))
        # The first visit, on the day the patient enrolled.
        self._add(
            out,
            enrollment,
            start,
            rng.choice([Kind.HOME_VISIT, Kind.COMMUNITY_VISIT]),
            reached=True,
            stop=stop,
            note=ENROLLMENT_NOTE,
            weekend_ok=True,
        )
        day = start + dt.timedelta(days=rng.randint(2, 6))
        while day <= contact_stop:
            kind = rng.choices(list(KIND_WEIGHTS), list(KIND_WEIGHTS.values()))[0]
            self._add(out, enrollment, day, kind, stop=contact_stop)
            day += dt.timedelta(days=rng.randint(3, 9))
        if contact_stop < stop:
            # Lapsed: only unanswered tries since the last real contact.
            for _ in range(rng.randint(0, 3)):
                when = contact_stop + dt.timedelta(days=rng.randint(1, (stop - contact_stop).days))
                kind = rng.choice([Kind.PHONE, Kind.OUTREACH_ATTEMPT, Kind.TEXT])
                self._add(out, enrollment, when, kind, reached=False, stop=stop)

        if enrollment.status == Status.GRADUATED:
            note = f"Graduation visit. Reviewed goals; handoff to {enrollment.handoff_to}."
            self._add(
                out,
                enrollment,
                enrollment.closed_on,
                Kind.HOME_VISIT,
                reached=True,
                stop=enrollment.closed_on,
                weekend_ok=True,
                note=note,
            )
        elif enrollment.status == Status.WITHDRAWN:
            unreachable = "reached" in enrollment.close_reason
            self._add(
                out,
                enrollment,
                enrollment.closed_on,
                Kind.OUTREACH_ATTEMPT if unreachable else Kind.PHONE,
                reached=not unreachable,
                stop=enrollment.closed_on,
                weekend_ok=True,
                note=f"Enrollment closed. {enrollment.close_reason}",
            )

        # Patients keep calling after their enrollment ended.
        if enrollment.closed_on and enrollment.closed_on < today:
            chance = 0.6 if enrollment.status == Status.GRADUATED else 0.3
            if rng.random() < chance:
                for _ in range(rng.randint(1, 3)):
                    gap = rng.randint(1, min(90, (today - enrollment.closed_on).days))
                    when = enrollment.closed_on + dt.timedelta(days=gap)
                    kind = rng.choice([Kind.PHONE, Kind.PHONE, Kind.TEXT])
                    note = rng.choice(AFTER_END_NOTES)
                    self._add(
                        out,
                        enrollment,
                        when,
                        kind,
                        reached=True,
                        stop=today,
                        initiated_by=InitiatedBy.PATIENT,
                        note=note,
                    )
        return out

    def _add(
        self,
        out: list[Encounter],
        enrollment: Enrollment,
        day: dt.date,
        kind: str,
        *,
        stop: dt.date,
        reached: bool | None = None,
        initiated_by: str | None = None,
        note: str | None = None,
        weekend_ok: bool = False,
    ) -> None:
        """Draw one encounter on (or just after) `day`; drop it if it would fall after
        `stop` or in the future. Every random draw happens before the checks, so the
        clock's time of day never changes what the rest of the data looks like."""
        rng = self.rng
        non_contact = kind in Encounter.NON_CONTACT_KINDS
        if reached is None:
            reached = rng.random() < REACHED_CHANCE.get(kind, 0.0)
        reached = reached and not non_contact
        if initiated_by is None:
            patient_chance = PATIENT_INITIATED_CHANCE.get(kind, 0.0)
            initiated_by = InitiatedBy.PATIENT if rng.random() < patient_chance else InitiatedBy.CHW
        patient_initiated = initiated_by == InitiatedBy.PATIENT
        after_hours = rng.random() < (0.35 if patient_initiated else 0.07)
        weekend = day.isoweekday() > 5
        if after_hours and not weekend:
            # An evening call or text, or an early start before the day's first visit.
            minute = rng.choice(
                [rng.randint(18 * 60, 21 * 60 + 30), rng.randint(7 * 60, 7 * 60 + 50)]
            )
        elif after_hours or (weekend and weekend_ok):
            minute = rng.randint(9 * 60, 19 * 60)
        else:
            minute = rng.randint(8 * 60 + 30, 17 * 60 + 30)
            if weekend:
                day += dt.timedelta(days=8 - day.isoweekday())  # to Monday
        low, high = DURATION_MINUTES[kind]
        duration = rng.randint(low, high) if reached or non_contact else rng.randint(1, 5)
        if kind == Kind.TEXT and rng.random() < 0.4:
            duration = None
        crisis = reached and kind in (Kind.PHONE, Kind.HOME_VISIT) and rng.random() < 0.01
        if note is None:
            note = rng.choice(NOTES[(kind, reached)])
        if crisis:
            note = CRISIS_NOTE
        occurred_at = dt.datetime.combine(
            day, dt.time(minute // 60, minute % 60), tzinfo=self.program.tz
        )
        if day > stop or day < enrollment.started_on or occurred_at > self.now:
            return
        after_hours_flag, after_end_flag = encounter_flags(
            enrollment=enrollment, occurred_at=occurred_at
        )
        out.append(
            Encounter(
                enrollment=enrollment,
                author=enrollment.chw,
                occurred_at=occurred_at,
                kind=kind,
                setting=Encounter.DEFAULT_SETTING[kind],
                reached=reached,
                initiated_by=initiated_by,
                duration_minutes=duration,
                notes=note,
                mental_health_crisis=crisis,
                safety_concern=kind == Kind.SAFETY_NOTE and "conflict" in note,
                after_hours=after_hours_flag,
                after_end=after_end_flag,
            )
        )

"""The large demo program (`seed_demo --scale large`): what a health system's program looks
like after two years at scale, for benchmarks and for trying the product at size.

40 teams of 10 CHWs (400), a manager per team, one program leader; 20,000 active and 60,000
closed enrollments (one patient each), 2,000,000 encounters spread over the enrollments'
days, about 1.5 goals per enrollment and 2 steps per goal, intakes, two years of
supervision and check-ins, hospital use for a high-utilizer share of patients, monthly
costs; then the real alert sweep, burnout snapshot and a fidelity review.

Rows go in as tuples (`impact.lib.bulk.insert_rows`): model instances for two million
encounters would take many minutes. History is written in bulk too: one
`INSERT … SELECT` per audited table (`impact.audit.copy_to_history`), so every row has its
"created" record as if it had been saved one by one.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.models import Max

from actionplans.models import ActionStep, Goal, Intake, Partner
from caseloads.alerts import alerts_sweep
from caseloads.models import Encounter, Enrollment, Patient
from fidelity.services import review_start
from impact import audit
from impact.lib.bulk import db_date, db_datetime, insert_rows
from impact.models import Program, Role, Team, User
from reports.models import CostLine, FundingSource, UtilizationRecord
from supervision.models import SupervisionSession, TimeOff, WellbeingCheckIn
from supervision.services import burnout_snapshot

PROGRAM_NAME = "Metro Health CHW Network"


@dataclass(frozen=True)
class Size:
    teams: int = 40
    chws_per_team: int = 10
    active: int = 20_000
    closed: int = 60_000
    encounters: int = 2_000_000


LARGE = Size()
DAYS = 180  # the intervention period
HISTORY_DAYS = 730  # closed enrollments began within the two years before the active ones
GOALS_PER_ENROLLMENT, STEPS_PER_GOAL = 1.5, 2
HOSPITAL_USERS = 0.3  # share of patients with admissions or ED visits
LANGUAGES = ["en"] * 55 + ["es"] * 35 + ["vi", "zh", "ht", "ar", "pt", "ru", "fr", "so", "ne", "tl"]
KINDS = (
    ["phone"] * 40 + ["text"] * 15 + ["home_visit"] * 15 + ["community_visit"] * 8
    + ["clinic_visit"] * 6 + ["accompaniment"] * 4 + ["video"] * 3 + ["outreach_attempt"] * 7
    + ["chart_review"] * 2
)  # fmt: skip
SETTINGS = dict(Encounter.DEFAULT_SETTING) | {"outreach_attempt": "remote"}
CATEGORIES = [c.value for c in Goal.Category]
# fmt: off
GIVEN = ["Ana", "Luis", "Maria", "James", "Linh", "Wei", "Fatima", "Omar", "Rosa", "Daniel",
         "Grace", "Samuel", "Esther", "Jorge", "Aisha", "Kevin", "Nadia", "Pedro", "Mei", "Tom"]
FAMILY = ["Garcia", "Nguyen", "Smith", "Lopez", "Chen", "Johnson", "Ali", "Hernandez", "Brown",
          "Martinez", "Williams", "Tran", "Davis", "Rodriguez", "Jackson", "Pierre"]
# fmt: on


def seed_large(seed: int = 9, size: Size = LARGE) -> dict:
    """Write the large program; return counts for the command's report."""
    rng = random.Random(seed)
    program = Program.objects.create(
        name=PROGRAM_NAME,
        variant=Program.Variant.OUTPATIENT,
        intervention_days=DAYS,
        caseload_cap=55,
        contact_interval_days=14,
        time_zone="America/Chicago",
        institution_type=Program.InstitutionType.INTEGRATED_HEALTH_SYSTEM,
        region="Metro area, 12 clinics",
        stage=Program.Stage.SUSTAINMENT,
    )
    today = program.today()
    zone = zoneinfo.ZoneInfo(program.time_zone)
    password = make_password("demo-pass-2026")
    teams = Team.objects.bulk_create(
        [Team(program=program, name=f"Clinic {n + 1:02d}") for n in range(size.teams)]
    )
    managers = User.objects.bulk_create(
        [
            User(
                username=f"metro-manager{n + 1:02d}",
                first_name=rng.choice(GIVEN),
                last_name=rng.choice(FAMILY),
                password=password,
                role=Role.MANAGER,
                program=program,
                team=team,
            )
            for n, team in enumerate(teams)
        ],
    )
    for team, manager in zip(teams, managers, strict=True):
        team.manager = manager
    Team.objects.bulk_update(teams, ["manager"])
    chws = User.objects.bulk_create(
        [
            User(
                username=f"metro-chw{n + 1:03d}",
                first_name=rng.choice(GIVEN),
                last_name=rng.choice(FAMILY),
                password=password,
                role=Role.CHW,
                program=program,
                team=teams[n // size.chws_per_team],
                hired_on=today - dt.timedelta(days=rng.randint(200, 2000)),
            )
            for n in range(size.teams * size.chws_per_team)
        ],
    )
    User.objects.bulk_create(
        [User(username="metro-leader", first_name="Dana", last_name="Okafor",
              password=password, role=Role.LEADER, program=program)],
    )  # fmt: skip

    # Patients and enrollments: one each. Active ones began in the last 180 days (3% ran
    # past their end, still open); closed ones in the two years before.
    total = size.active + size.closed
    _insert(
        Patient,
        ["program_id", "given_name", "family_name", "date_of_birth", "mrn",
         "preferred_language", "interpreter_needed"],
        (
            (program.pk, rng.choice(GIVEN), rng.choice(FAMILY),
             db_date(dt.date(1945, 1, 1) + dt.timedelta(days=rng.randrange(20_000))),
             f"M{n:08d}", language, language not in ("en", "es") and rng.random() < 0.8)
            for n in range(total)
            for language in [rng.choice(LANGUAGES)]
        ),
    )  # fmt: skip
    patient_ids = list(
        Patient.objects.filter(program=program).order_by("pk").values_list("pk", flat=True)
    )
    spans = []  # (enrolled_on, last day of work, chw id, status)
    for n in range(total):
        chw = chws[n % len(chws)].pk
        if n < size.active:
            ago = rng.randint(DAYS + 1, DAYS + 20) if rng.random() < 0.03 else rng.randrange(DAYS)
            enrolled_on = today - dt.timedelta(days=ago)
            spans.append((enrolled_on, today, chw, Enrollment.Status.ENROLLED))
        else:
            enrolled_on = today - dt.timedelta(days=DAYS + rng.randrange(HISTORY_DAYS))
            graduated = rng.random() < 0.8
            closed_on = enrolled_on + dt.timedelta(
                days=DAYS - rng.randint(0, 5) if graduated else rng.randint(30, DAYS - 10)
            )
            status = Enrollment.Status.GRADUATED if graduated else Enrollment.Status.WITHDRAWN
            spans.append((enrolled_on, closed_on, chw, status))
    _insert(
        Enrollment,
        ["patient_id", "program_id", "chw_id", "status", "referred_on", "enrolled_on",
         "planned_end_on", "closed_on", "close_reason", "handoff_to", "handoff_accepted"],
        (
            (patient, program.pk, chw, status,
             db_date(start - dt.timedelta(days=rng.randint(0, 14))), db_date(start),
             db_date(start + dt.timedelta(days=DAYS)),
             None if status == Enrollment.Status.ENROLLED else db_date(end),
             "Moved away" if status == Enrollment.Status.WITHDRAWN else "",
             "Primary care team" if status == Enrollment.Status.GRADUATED else "",
             (rng.random() < 0.85) if status == Enrollment.Status.GRADUATED else None)
            for patient, (start, end, chw, status) in zip(patient_ids, spans, strict=True)
        ),
    )  # fmt: skip
    enrollment_ids = list(
        Enrollment.objects.filter(program=program).order_by("pk").values_list("pk", flat=True)
    )
    encounters = _insert(
        Encounter,
        ["enrollment_id", "program_id", "author_id", "occurred_at", "kind", "setting",
         "reached", "initiated_by", "duration_minutes", "after_hours", "after_end"],
        _encounters(rng, size.encounters, program.pk, enrollment_ids, spans, zone, today),
    )  # fmt: skip

    partners = audit.bulk_create(
        Partner,
        [
            Partner(program=program, name=f"{name} {n + 1}", kind=kind, languages=["en", "es"])
            for n, (name, kind) in enumerate(
                [("Legal aid clinic", "legal_aid"), ("Food bank", "food"),
                 ("Housing services", "housing"), ("Behavioral health center", "behavioral_health")]
                * 5
            )
        ],
    )  # fmt: skip
    _action_plans(rng, program, enrollment_ids, spans, [p.pk for p in partners], today)
    _supervision(rng, program, teams, chws, today)
    _money(rng, program, patient_ids, spans, today)

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics after the bulk load, as autovacuum would
    alerts = alerts_sweep(program=program)
    snapshot = burnout_snapshot(program=program)
    review_start(
        program=program,
        start=today - dt.timedelta(days=91),
        end=today - dt.timedelta(days=1),
        by=managers[0],
    )
    return {
        "program": program,
        "teams": len(teams),
        "chws": len(chws),
        "active": size.active,
        "closed": size.closed,
        "encounters": encounters,
        "goals": Goal.objects.filter(enrollment__program=program).count(),
        "steps": ActionStep.objects.filter(goal__enrollment__program=program).count(),
        "alerts": sum(alerts.opened.values()),
        "snapshots": len(snapshot),
    }


def _insert(model, columns, rows) -> int:
    """`insert_rows`, then each new row's "created" history in one `INSERT … SELECT` (the
    new rows are those past the table's highest id before the insert)."""
    before = model._base_manager.aggregate(top=Max("pk"))["top"] or 0
    written = insert_rows(model, columns, rows)
    audit.copy_to_history(model._base_manager.filter(pk__gt=before), history_type="+")
    return written


def _encounters(rng, total, program_id, enrollment_ids, spans, zone, today) -> Iterator[tuple]:
    """`total` rows spread over the enrollments in proportion to their days of work;
    most in working hours (8:00–18:00 local, weekdays), 4% after hours, and a few
    contacts after the end date for the active enrollments that ran past it."""
    days = [(end - start).days + 1 for start, end, _chw, _status in spans]
    rate = total / sum(days)
    counts = [int(d * rate * rng.uniform(0.5, 1.5)) for d in days]
    short = total - sum(counts)
    step = 1 if short > 0 else -1
    while short:
        n = rng.randrange(len(counts))
        if counts[n] + step >= 0:
            counts[n] += step
            short -= step
    for pk, (start, _end, chw, status), count, length in zip(
        enrollment_ids, spans, counts, days, strict=True
    ):
        planned_end = start + dt.timedelta(days=DAYS)
        for _ in range(count):
            day = start + dt.timedelta(days=rng.randrange(length))
            after_hours = rng.random() < 0.04
            hour = rng.choice((6, 19, 20, 21)) if after_hours else rng.randint(8, 17)
            if not after_hours and day.weekday() >= 5:
                day -= dt.timedelta(days=day.weekday() - 4)  # to Friday
                day = max(day, start)
            local = dt.datetime.combine(day, dt.time(hour, rng.randrange(60)), tzinfo=zone)
            if local.date() > today or (local.date() == today and hour >= 8):
                local = local.replace(hour=7)
                after_hours = True
            kind = rng.choice(KINDS)
            reached = kind not in ("outreach_attempt", "chart_review") and rng.random() < 0.85
            yield (
                pk, program_id, chw, db_datetime(local), kind, SETTINGS.get(kind, "remote"),
                reached, "patient" if rng.random() < 0.2 else "chw",
                rng.choice((5, 10, 15, 30, 45, 60)), after_hours,
                status == Enrollment.Status.ENROLLED and day > planned_end,
            )  # fmt: skip


def _action_plans(rng, program, enrollment_ids, spans, partner_ids, today) -> None:
    """An intake for each enrollment, about 1.5 patient-set goals (closed ones with their
    outcome) and 2 steps per goal; a fifth of the steps are referrals to a partner."""
    creators = {pk: chw for pk, (_s, _e, chw, _st) in zip(enrollment_ids, spans, strict=True)}
    _insert(
        Intake,
        ["enrollment_id", "life_story", "priorities", "recorded_on", "recorded_by_id"],
        ((pk, "", "Stay out of the hospital; steady housing.", db_date(start), chw)
         for pk, (start, _e, chw, _st) in zip(enrollment_ids, spans, strict=True)),
    )  # fmt: skip
    outcomes = ["achieved"] * 5 + ["partly_achieved"] * 2 + ["not_achieved", "dropped"] * 1

    def goals():
        for pk, (start, end, chw, status) in zip(enrollment_ids, spans, strict=True):
            for n in range(2 if rng.random() < GOALS_PER_ENROLLMENT - 1 else 1):
                set_on = min(start + dt.timedelta(days=rng.randint(3, 20) + 20 * n), end)
                closed = status != Enrollment.Status.ENROLLED
                yield (
                    pk, "Patient-set goal", rng.choice(CATEGORIES), db_date(set_on), chw,
                    rng.choice(outcomes) if closed else "active",
                    db_date(end) if closed else None,
                )  # fmt: skip

    _insert(
        Goal,
        ["enrollment_id", "statement", "category", "set_on", "created_by_id", "status",
         "closed_on"],
        goals(),
    )  # fmt: skip
    goal_rows = Goal.objects.filter(enrollment__program=program).values_list(
        "pk", "enrollment_id", "set_on", "status"
    )

    def steps():
        for goal, enrollment, set_on, status in goal_rows.iterator(chunk_size=5000):
            for n in range(STEPS_PER_GOAL):
                due = set_on + dt.timedelta(days=14 + 21 * n)
                referral = rng.random() < 0.2
                done = status != "active" or (due < today and rng.random() < 0.7)
                yield (
                    goal, "Referral to a partner" if referral else "Next step", "chw",
                    "referral" if referral else "coaching",
                    rng.choice(partner_ids) if referral else None, db_date(due),
                    "done" if done else "planned", db_date(min(due, today)) if done else None,
                    ("connected" if done else "pending") if referral else "", creators[enrollment],
                )  # fmt: skip

    _insert(
        ActionStep,
        ["goal_id", "description", "owner", "support_type", "partner_id", "due_on", "status",
         "done_on", "referral_outcome", "created_by_id"],
        steps(),
    )  # fmt: skip


def _supervision(rng, program, teams, chws, today) -> None:
    """A year of one on ones (every one to three weeks), monthly check-ins and a week off
    for each CHW."""
    managers = {team.pk: team.manager_id for team in teams}
    _insert(
        SupervisionSession,
        ["manager_id", "chw_id", "occurred_on", "kind", "duration_minutes", "notes"],
        (
            (managers[chw.team_id], chw.pk, db_date(day), "one_on_one", 45, "Caseload review")
            for chw in chws
            for every in [rng.choice((7, 14, 14, 21))]
            for day in (today - dt.timedelta(days=rng.randint(1, every) + every * k)
                        for k in range(365 // every))
        ),
    )  # fmt: skip
    _insert(
        WellbeingCheckIn,
        ["chw_id", "on", "burnout_score"],
        (
            (chw.pk, db_date(today - dt.timedelta(days=30 * k + chw.pk % 7)), rng.randint(1, 5))
            for chw in chws
            for k in range(12)
        ),
    )
    _insert(
        TimeOff,
        ["chw_id", "starts_on", "ends_on", "recorded_by_id"],
        (
            (chw.pk, db_date(start), db_date(start + dt.timedelta(days=4)), chw.pk)
            for chw in chws
            for start in [today - dt.timedelta(days=rng.randint(20, 200))]
        ),
    )


def _money(rng, program, patient_ids, spans, today) -> None:
    """Monthly costs for the two and a half years (400 CHWs: about $37M a year), a grant,
    and admissions and ED visits for the high utilizers around their enrollment."""
    first = (today - dt.timedelta(days=DAYS + HISTORY_DAYS)).replace(day=1)
    yearly = {"chw_salary": 22_000_000, "manager_salary": 4_400_000, "fringe": 7_900_000,
              "overhead": 2_700_000}  # fmt: skip
    lines, month = [], first
    while month <= today:
        following = (month + dt.timedelta(days=32)).replace(day=1)
        lines += [
            CostLine(program=program, category=category,
                     amount=(Decimal(amount) / 12).quantize(Decimal("1")), period_start=month,
                     period_end=following - dt.timedelta(days=1), note="Budget line")
            for category, amount in yearly.items()
        ]  # fmt: skip
        month = following
    audit.bulk_create(CostLine, lines)
    audit.bulk_create(
        FundingSource,
        [FundingSource(program=program, name="Health system operating budget",
                       kind="operating_budget", amount=Decimal(37_000_000), starts_on=first,
                       ends_on=today.replace(month=12, day=31))],
    )  # fmt: skip
    seen = set()

    def stays():
        for patient, (start, _end, _chw, _status) in zip(patient_ids, spans, strict=True):
            if rng.random() >= HOSPITAL_USERS:
                continue
            for _ in range(rng.randint(1, 3)):
                offset = -rng.randint(1, 180) if rng.random() < 0.6 else rng.randint(0, 179)
                admitted = start + dt.timedelta(days=offset)
                kind = "inpatient" if rng.random() < 0.6 else "ed"
                if admitted > today or (patient, kind, admitted) in seen:
                    continue
                seen.add((patient, kind, admitted))
                length = rng.choice((0, 1, 2, 3, 4, 6, 9)) if kind == "inpatient" else 0
                yield (patient, kind, db_date(admitted),
                       db_date(min(admitted + dt.timedelta(days=length), today)))  # fmt: skip

    _insert(UtilizationRecord, ["patient_id", "kind", "admitted_on", "discharged_on"], stays())

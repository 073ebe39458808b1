"""Benchmark: the boundary-alert sweep (and the weekly burnout snapshot) on a program with
20,000 active enrollments.

    .venv/bin/python -m bench.sweep_alerts [--db PATH] [--runs 5]

Builds (once, in a separate SQLite file; reused when it exists) a program of 40 teams,
400 CHWs, 20,000 active and 5,000 graduated enrollments, about 8 encounters and 0.85
goals per active enrollment; then times the sweep: the first run (opens every alert) and
the median of repeated runs (nothing to do: the daily steady state), with query counts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(Path(tempfile.gettempdir()) / "impact-bench.sqlite3"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ["SQLITE_PATH"] = args.db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "impact.settings")
    import django

    django.setup()
    from django.core.management import call_command

    fresh = not Path(args.db).exists()
    call_command("migrate", verbosity=0)
    from impact.models import Program

    if fresh or not Program.objects.filter(name=PROGRAM).exists():
        began = time.perf_counter()
        seed()
        print(f"seeded in {time.perf_counter() - began:.1f} s ({args.db})")
    measure(args.runs)


PROGRAM = "Benchmark program"
TEAMS, CHWS, ACTIVE, GRADUATED, ENCOUNTERS_PER, GOAL_SHARE = 40, 400, 20_000, 5_000, 8, 0.85


def seed() -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from actionplans.models import Goal
    from caseloads.models import Encounter, Enrollment, Patient
    from impact.models import Program, Role, Team, User

    rng = random.Random(4)
    with transaction.atomic():
        program = Program.objects.create(name=PROGRAM)
        today = program.today()
        teams = Team.objects.bulk_create(
            Team(program=program, name=f"Team {n:02d}") for n in range(TEAMS)
        )
        password = make_password("bench-pass")
        chws = User.objects.bulk_create(
            User(
                username=f"bench-chw{n:03d}",
                password=password,
                role=Role.CHW,
                program=program,
                team=teams[n % TEAMS],
            )
            for n in range(CHWS)
        )
        total = ACTIVE + GRADUATED
        patients = Patient.objects.bulk_create(
            (
                Patient(
                    program=program,
                    given_name="Pat",
                    family_name=f"Bench{n}",
                    date_of_birth=dt.date(1960, 1, 1) + dt.timedelta(days=n % 9000),
                    mrn=f"B{n:07d}",
                )
                for n in range(total)
            ),
            batch_size=2000,
        )
        rows = []
        for n, patient in enumerate(patients):
            active = n < ACTIVE
            ago = rng.randint(0, 200) if active else rng.randint(200, 400)
            enrolled_on = today - dt.timedelta(days=ago)
            rows.append(
                Enrollment(
                    patient=patient,
                    program=program,
                    chw=chws[n % CHWS],
                    status=Enrollment.Status.ENROLLED if active else Enrollment.Status.GRADUATED,
                    referred_on=enrolled_on,
                    enrolled_on=enrolled_on,
                    planned_end_on=enrolled_on + dt.timedelta(days=180),
                    closed_on=None if active else enrolled_on + dt.timedelta(days=178),
                    handoff_to="" if active else "Clinic",
                )
            )
        enrollments = Enrollment.objects.bulk_create(rows, batch_size=2000)
        goals, encounters = [], []
        now = dt.datetime.now(dt.UTC)
        for enrollment in enrollments:
            started = enrollment.enrolled_on
            assert started is not None  # every benchmark enrollment has started
            if enrollment.status == Enrollment.Status.ENROLLED and rng.random() < GOAL_SHARE:
                goals.append(
                    Goal(
                        enrollment=enrollment,
                        statement="Benchmark goal",
                        category="other",
                        set_on=started,
                        created_by_id=enrollment.chw_id,
                    )
                )
            span = max(1, (today - started).days)
            for _ in range(ENCOUNTERS_PER if enrollment.closed_on is None else 2):
                occurred = now - dt.timedelta(minutes=rng.randint(0, span * 24 * 60))
                local_day = program.local_date(occurred)
                encounters.append(
                    Encounter(
                        enrollment=enrollment,
                        author_id=enrollment.chw_id,
                        occurred_at=occurred,
                        kind="phone",
                        setting="remote",
                        reached=rng.random() < 0.7,
                        after_hours=program.is_after_hours(occurred),
                        after_end=enrollment.is_after_end(local_day),
                    )
                )
            if len(encounters) > 20_000:
                Encounter.objects.bulk_create(encounters, batch_size=2000)
                encounters = []
        Encounter.objects.bulk_create(encounters, batch_size=2000)
        Goal.objects.bulk_create(goals, batch_size=2000)


def measure(runs: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from caseloads.alerts import alerts_sweep
    from caseloads.models import Alert, Encounter, Enrollment
    from impact.models import Program

    program = Program.objects.get(name=PROGRAM)
    active = Enrollment.objects.filter(program=program, status="enrolled").count()
    encounters = Encounter.objects.filter(enrollment__program=program).count()
    Alert.objects.filter(program=program).delete()

    def timed():
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            result = alerts_sweep(program=program)
            seconds = time.perf_counter() - began
        return seconds, len(queries), result

    first, first_queries, result = timed()
    steady = [timed() for _ in range(runs)]
    median = statistics.median(s for s, _q, _r in steady)
    print(f"program: {active:,} active enrollments, {encounters:,} encounters")
    print(f"{'run':<34}{'seconds':>9}{'queries':>9}  alerts")
    print(
        f"{'first sweep (opens every alert)':<34}{first:>9.2f}{first_queries:>9}  "
        f"opened {sum(result.opened.values()):,}"
    )
    print(
        f"{f'steady state (median of {runs})':<34}{median:>9.2f}{steady[0][1]:>9}  "
        f"opened {sum(steady[-1][2].opened.values())}, "
        f"resolved {sum(steady[-1][2].resolved.values())}"
    )
    from supervision.services import burnout_snapshot

    runs_snapshot = []
    for _ in range(3):
        began = time.perf_counter()
        rows = burnout_snapshot(program=program)
        runs_snapshot.append(time.perf_counter() - began)
    print(
        f"{'burnout snapshot, median of 3':<34}{statistics.median(runs_snapshot):>9.2f}"
        f"{'':>9}  {len(rows)} CHWs (includes the alert sweep that follows it)"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()

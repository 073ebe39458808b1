"""Benchmark: the ROI summary (DESIGN.md §5.4) of a program with 20,000 enrollments in the
cohort period and 2,000,000 encounters.

    .venv/bin/python -m bench.roi_summary [--db PATH] [--runs 3]

Builds (once, in a separate SQLite file; reused when it exists; never the developer's
database) a program of 40 teams and 400 CHWs (as bench.sweep_alerts does), 20,000
enrollments begun in the cohort period (a year ending 200 days ago, so every one is
evaluable: the most work) and 2,000 begun after it, 2,000,000 encounters (raw inserts in
chunks: the summary does not read them, but the issue asks for the figure at that size),
hospital stays and ED visits for 30% of the patients (1–3 each) and a year of monthly cost
lines. Then prints the median time of `roi_summary` over the runs, its query count and
its peak Python memory (tracemalloc, measured on a separate run).
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
import tracemalloc
from pathlib import Path

from bench.sweep_alerts import CHWS, TEAMS

PROGRAM = "ROI benchmark program"
COHORT, LATER, ENCOUNTERS = 20_000, 2_000, 2_000_000
USING_HOSPITAL, PERIOD_END_AGO = 0.30, 200  # share of patients with stays; days
CHUNK = 100_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db", default=str(Path(tempfile.gettempdir()) / "impact-roi-bench.sqlite3")
    )
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ["SQLITE_PATH"] = args.db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "impact.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from impact.models import Program

    if not Program.objects.filter(name=PROGRAM).exists():
        began = time.perf_counter()
        seed()
        print(f"seeded in {time.perf_counter() - began:.1f} s ({args.db})")
    measure(args.runs)


def period(today: dt.date) -> tuple[dt.date, dt.date]:
    end = today - dt.timedelta(days=PERIOD_END_AGO)
    return end - dt.timedelta(days=364), end


def seed() -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from caseloads.models import Encounter, Enrollment, Patient
    from impact.models import Program, Role, Team, User
    from reports.models import CostLine, UtilizationRecord

    rng = random.Random(7)
    with transaction.atomic():
        program = Program.objects.create(name=PROGRAM)
        today = program.today()
        start, end = period(today)
        teams = Team.objects.bulk_create(
            Team(program=program, name=f"Team {n:02d}") for n in range(TEAMS)
        )
        password = make_password("bench-pass")
        chws = User.objects.bulk_create(
            User(
                username=f"roi-chw{n:03d}",
                password=password,
                role=Role.CHW,
                program=program,
                team=teams[n % TEAMS],
            )
            for n in range(CHWS)
        )
        patients = Patient.objects.bulk_create(
            (
                Patient(
                    program=program,
                    given_name="Pat",
                    family_name=f"Roi{n}",
                    date_of_birth=dt.date(1960, 1, 1) + dt.timedelta(days=n % 9000),
                    mrn=f"R{n:07d}",
                )
                for n in range(COHORT + LATER)
            ),
            batch_size=2000,
        )
        rows = []
        for n, patient in enumerate(patients):
            if n < COHORT:
                enrolled_on = start + dt.timedelta(days=rng.randint(0, (end - start).days))
                status = Enrollment.Status.GRADUATED
                closed_on = enrolled_on + dt.timedelta(days=178)
            else:
                enrolled_on = end + dt.timedelta(days=rng.randint(1, PERIOD_END_AGO))
                status, closed_on = Enrollment.Status.ENROLLED, None
            rows.append(
                Enrollment(
                    patient=patient,
                    program=program,
                    chw=chws[n % CHWS],
                    status=status,
                    referred_on=enrolled_on,
                    enrolled_on=enrolled_on,
                    planned_end_on=enrolled_on + dt.timedelta(days=180),
                    closed_on=closed_on,
                    handoff_to="Clinic" if closed_on else "",
                )
            )
        enrollments = Enrollment.objects.bulk_create(rows, batch_size=2000)
        stays = []
        for enrollment in enrollments:
            if rng.random() >= USING_HOSPITAL:
                continue
            for _ in range(rng.randint(1, 3)):
                # High utilizers enroll after hospital use: 60% of the stays fall before.
                before = rng.random() < 0.6
                offset = -rng.randint(1, 180) if before else rng.randint(0, 179)
                assert enrollment.enrolled_on is not None  # every benchmark enrollment started
                admitted = enrollment.enrolled_on + dt.timedelta(days=offset)
                kind = "inpatient" if rng.random() < 0.6 else "ed"
                length = rng.choice([0, 1, 2, 3, 4, 6, 9]) if kind == "inpatient" else 0
                stays.append(
                    UtilizationRecord(
                        patient_id=enrollment.patient_id,
                        kind=kind,
                        admitted_on=admitted,
                        discharged_on=admitted + dt.timedelta(days=length),
                    )
                )
        UtilizationRecord.objects.bulk_create(stays, batch_size=2000, ignore_conflicts=True)
        CostLine.objects.bulk_create(
            CostLine(
                program=program,
                category=category,
                amount=amount,
                period_start=first,
                period_end=(first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1),
            )
            for first in _months(start, end)
            for category, amount in (("chw_salary", 160_000), ("manager_salary", 24_000),
                                     ("fringe", 51_000), ("overhead", 12_000))
        )  # fmt: skip
        # Encounters: raw inserts in chunks (ORM objects for 2 million rows would take
        # minutes); about 90 per enrollment, within its 180 days.
        table = Encounter._meta.db_table
        columns = (
            "enrollment_id, program_id, author_id, occurred_at, kind, setting, reached, "
            "initiated_by, notes, mental_health_crisis, safety_concern, after_hours, after_end, "
            "created_at"
        )
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * 14)})"
        created = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
        span = [(e.pk, e.chw_id, e.enrolled_on) for e in enrollments if e.enrolled_on]
        with connection.cursor() as cursor:
            done = 0
            while done < ENCOUNTERS:
                size = min(CHUNK, ENCOUNTERS - done)
                batch = []
                for _ in range(size):
                    pk, chw, enrolled_on = span[rng.randrange(len(span))]
                    moment = dt.datetime.combine(enrolled_on, dt.time(13)) + dt.timedelta(
                        minutes=rng.randrange(180 * 24 * 60)
                    )
                    batch.append(
                        (pk, program.pk, chw, moment.strftime("%Y-%m-%d %H:%M:%S"), "phone",
                         "remote", True, "chw", "", False, False, False, False, created)
                    )  # fmt: skip
                cursor.executemany(sql, batch)
                done += size


def _months(start: dt.date, end: dt.date):
    day = start.replace(day=1)
    while day <= end:
        yield day
        day = (day + dt.timedelta(days=32)).replace(day=1)


def measure(runs: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from caseloads.models import Encounter
    from impact.models import Program
    from reports.models import UtilizationRecord
    from reports.roi.figures import roi_summary

    program = Program.objects.get(name=PROGRAM)
    start, end = period(program.today())
    encounters = Encounter.objects.filter(enrollment__program=program).count()
    stays = UtilizationRecord.objects.filter(patient__program=program).count()

    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            summary = roi_summary(program=program, start=start, end=end)
            times.append(time.perf_counter() - began)
    tracemalloc.start()
    roi_summary(program=program, start=start, end=end)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(
        f"program: {summary.cohort:,} enrollments in the cohort ({start} – {end}), "
        f"{summary.evaluable:,} evaluable, {encounters:,} encounters, {stays:,} stays and ED visits"
    )
    print(
        f"roi_summary: median of {runs} {statistics.median(times):.2f} s "
        f"(runs: {', '.join(f'{t:.2f}' for t in times)}), {len(queries)} queries, "
        f"peak Python memory {peak / 2**20:.1f} MiB"
    )
    print(
        f"figures: avoided {summary.avoided}, gross savings ${summary.gross_savings:,.0f}, "
        f"program cost ${summary.program_cost:,.0f}, gross ROI "
        f"{'not computable' if summary.gross_roi is None else f'{summary.gross_roi:.2f}'}"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()

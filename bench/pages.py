"""Benchmark: every main page and background job on the large program, against its floor.

    .venv/bin/python -m bench.pages [--runs 5] [--db PATH]
    DATABASE_URL=postgres://… .venv/bin/python -m bench.pages

Builds the large program once (`seed_demo --scale large`: 40 teams, 400 CHWs, 20,000
active and 60,000 closed enrollments, 2,000,000 encounters) into its own SQLite file,
`$TMPDIR/impact-large.sqlite3` (never the developer's database; reused when it exists), or
into the empty PostgreSQL database that DATABASE_URL names.

For each page and role it requests the page in-process (Django's test client, the full
middleware stack, a signed-in user) and reports, as medians over `--runs` runs after one
warm-up:

- **server**: the whole request, from the URL to the finished response;
- **queries**: the SQL statements the request ran;
- **floor**: the same statements run directly on the database cursor, fetching every row
  (writes inside a transaction that is rolled back): the time the database alone needs;
- **ratio**: server / floor. A ratio near 1 means the page is as fast as its queries; a
  large one means the time goes to Python (templates, forms, figures).

Then the same for the jobs (alert sweep, weekly burnout snapshot, ROI summary, XLSX
export), with the peak Python memory of each (tracemalloc) and the process's peak
resident memory at the end (an upper bound for every job). Targets (issue 9): CHW pages
under 100 ms and 20 queries, manager and leader pages under 300 ms, sweep and snapshot
under 30 s, ROI summary under 10 s, every job under 1 GB.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

TARGET_MS = {"CHW": 100, "manager": 300, "leader": 300}
CHW_QUERY_LIMIT = 20


@dataclass
class Row:
    role: str
    name: str
    seconds: float
    queries: int
    floor: float
    target: str
    memory: float | None = None  # MiB

    @property
    def ratio(self) -> float:
        return self.seconds / self.floor if self.floor else float("inf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", default=str(Path(tempfile.gettempdir()) / "impact-large.sqlite3"))
    parser.add_argument("--skip-jobs", action="store_true", help="pages only")
    args = parser.parse_args()
    os.environ.setdefault("SQLITE_PATH", args.db)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "impact.settings")
    os.environ.setdefault("SECRET_KEY", "bench-secret-" + "x" * 50)
    os.environ["DEBUG"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    import logging

    logging.getLogger("axes").setLevel(logging.WARNING)  # one line per sign-in otherwise
    from django.core.management import call_command
    from django.db import connection

    from demo.large import PROGRAM_NAME
    from impact.models import Program

    call_command("migrate", verbosity=0)
    if not Program.objects.filter(name=PROGRAM_NAME).exists():
        where = connection.settings_dict["NAME"]
        if Program.objects.exists():
            sys.exit(f"{where} has other programs; bench.pages seeds an empty database only.")
        print(f"Seeding the large program into {where} (a few minutes, once) …", flush=True)
        began = time.perf_counter()
        call_command("seed_demo", scale="large", stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(f"seeded in {time.perf_counter() - began:.0f} s", flush=True)
    program = Program.objects.get(name=PROGRAM_NAME)
    print(f"{connection.vendor}, {describe(program)}", flush=True)
    rows = pages(program, args.runs)
    if not args.skip_jobs:
        rows += jobs(program, max(1, min(args.runs, 3)))
    report(rows, connection.vendor)


def describe(program) -> str:
    from caseloads.models import Encounter, Enrollment

    enrollments = Enrollment.objects.filter(program=program)
    return (
        f"{program.name}: {enrollments.filter(status='enrolled').count():,} active and "
        f"{enrollments.exclude(status='enrolled').count():,} closed enrollments, "
        f"{Encounter.objects.filter(enrollment__program=program).count():,} encounters"
    )


# -- measuring ------------------------------------------------------------------------------


@contextmanager
def captured(statements: list):
    """Record every statement (SQL, parameters, many) the connection runs."""
    from django.db import connection

    def wrapper(execute, sql, params, many, context):
        statements.append((sql, params, many))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield


def floor(statements: list) -> float:
    """Run the statements again straight on the cursor, fetching every row; writes roll
    back. Transaction control statements (savepoints) are left to the outer transaction."""
    from django.db import connection, transaction

    skip = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT")
    began = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the driver's cursor (Django's thin SQLite wrapper)
            for sql, params, many in statements:
                if sql.lstrip().upper().startswith(skip):
                    continue
                if many:
                    raw.executemany(sql, params)
                else:
                    raw.execute(sql, params or ())
                    if raw.description:
                        raw.fetchall()
        transaction.set_rollback(True)
    return time.perf_counter() - began


def measure(action: Callable[[], object], runs: int) -> tuple[float, int, float]:
    """(median seconds, queries, median floor seconds) of `action`."""
    action()  # warm-up: caches, the first connection, imports
    seconds = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - began)
    statements: list = []
    with captured(statements):
        action()
    floors = [floor(statements) for _ in range(runs)]
    queries = sum(
        1
        for sql, _p, _m in statements
        if not sql.lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))
    )
    return statistics.median(seconds), queries, statistics.median(floors)


# -- what is measured -----------------------------------------------------------------------


def pages(program, runs: int) -> list[Row]:
    from django.db.models import Count
    from django.test import Client

    from caseloads.models import Enrollment
    from fidelity.models import FidelityReview
    from impact.models import User

    chw = User.objects.get(username="metro-chw001")
    manager = User.objects.get(username="metro-manager01")
    leader = User.objects.get(username="metro-leader")
    patient = (
        Enrollment.objects.filter(chw=chw, status="enrolled")
        .annotate(n=Count("encounters"))
        .order_by("-n")
        .first()
    )
    assert patient is not None, "the large program has enrolled patients"
    review = FidelityReview.objects.filter(program=program).latest("pk")
    plan = [
        ("CHW", chw, "My caseload", "/caseload/"),
        ("CHW", chw, "Patient page", f"/enrollments/{patient.pk}/"),
        ("CHW", chw, "Log a visit (form)", f"/enrollments/{patient.pk}/encounters/new/"),
        ("CHW", chw, "My wellbeing", "/wellbeing/"),
        ("manager", manager, "Team caseloads", "/team/"),
        ("manager", manager, "Supervision and burnout", "/supervision/"),
        ("manager", manager, "A CHW's burnout page", f"/supervision/chws/{chw.pk}/"),
        ("manager", manager, "Alert board", "/alerts/"),
        ("manager", manager, "Fidelity review", f"/fidelity/reviews/{review.pk}/"),
        ("leader", leader, "Program overview", "/overview/"),
        ("leader", leader, "Burnout levels", "/wellbeing/program/"),
        ("leader", leader, "ROI", "/leaders/roi/"),
        ("leader", leader, "Fidelity review", f"/fidelity/reviews/{review.pk}/"),
    ]
    rows = []
    for role, user, name, url in plan:
        client = Client()
        client.force_login(user)

        def get(client=client, url=url, user=user):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} as {user.username}: HTTP {response.status_code}")
            return response

        seconds, queries, floor_s = measure(get, runs)
        limit = TARGET_MS[role]
        ok = seconds * 1000 < limit and (role != "CHW" or queries < CHW_QUERY_LIMIT)
        rows.append(
            Row(role, name, seconds, queries, floor_s, f"< {limit} ms {'ok' if ok else 'MISSED'}")
        )
        print(f"  {role} {name}: {seconds * 1000:.0f} ms, {queries} queries", flush=True)
    return rows


def jobs(program, runs: int) -> list[Row]:
    from caseloads.alerts import alerts_sweep
    from reports.exports import files as exports
    from reports.roi.figures import default_period, roi_summary
    from supervision.services import burnout_snapshot

    start, end = default_period(program.today())
    plan = [
        ("Alert sweep (daily)", lambda: alerts_sweep(program=program), 30),
        (
            "Burnout snapshot (weekly, with its sweep)",
            lambda: burnout_snapshot(program=program),
            30,
        ),
        ("ROI summary", lambda: roi_summary(program=program, start=start, end=end), 10),
        # No time target for exports (they run in the background): memory only.
        ("XLSX export", lambda: exports.build("xlsx", program=program, start=start, end=end), None),
    ]
    rows = []
    for name, action, limit in plan:
        seconds, queries, floor_s = measure(action, runs)
        tracemalloc.start()
        action()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        ok = (limit is None or seconds < limit) and peak < 1024
        target = "< 1 GB" if limit is None else f"< {limit} s, < 1 GB"
        verdict = f"{target} {'ok' if ok else 'MISSED'}"
        rows.append(Row("job", name, seconds, queries, floor_s, verdict, peak))
        print(f"  {name}: {seconds:.2f} s, {queries} queries, {peak:.0f} MiB", flush=True)
    return rows


def report(rows: list[Row], vendor: str) -> None:
    print()
    print("| Role | Page or job | Median | Queries | Floor | Ratio | Peak memory | Target |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for row in rows:
        median = f"{row.seconds:.2f} s" if row.role == "job" else f"{row.seconds * 1000:.0f} ms"
        floor_ = f"{row.floor:.2f} s" if row.role == "job" else f"{row.floor * 1000:.0f} ms"
        memory = f"{row.memory:.0f} MiB" if row.memory is not None else ""
        print(
            f"| {row.role} | {row.name} | {median} | {row.queries} | {floor_} | "
            f"{row.ratio:.1f} | {memory} | {row.target} |"
        )
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(f"Database: {vendor}. Peak resident memory of the whole run: {peak_rss:.0f} MiB.")


if __name__ == "__main__":
    main()

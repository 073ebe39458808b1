"""`manage.py seed_demo`: fill an empty database with the demo program (and, with
`--scale large`, the large one). The data is built in demo/, one module per app; see
demo/seeder.py for what the demo holds."""

from __future__ import annotations

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.core import DEFAULT_SEED
from demo.large import seed_large
from demo.seeder import seed_demo
from demo.summary import large_line, report_lines
from demo.wipe import wipe
from impact import audit
from impact.models import Program, User


@audit.audited_command
class Command(BaseCommand):
    help = (
        "Create a demo program with teams, staff, about 200 patients, nine months of "
        "enrollments and encounters, partners, intakes, goals and action steps. Refuses to "
        "touch a database that already has programs or users unless --force is given."
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
                "Delete ALL programs, users, patients, enrollments, encounters, partners, "
                "intakes, goals and action steps first (and anything that depends on "
                "them), then seed."
            ),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Seed only when the database has no programs or users; otherwise say so "
            "and exit successfully (what `make run` uses).",
        )
        parser.add_argument(
            "--scale",
            choices=["demo", "large"],
            default="demo",
            help="demo (default): the small program above. large: the demo program plus "
            '"Metro Health CHW Network": 40 teams, 400 CHWs, 20,000 active and 60,000 closed '
            "enrollments, 2,000,000 encounters (for benchmarks; a few minutes on SQLite).",
        )

    def handle(self, *args, seed: int, force: bool, if_empty: bool, scale: str, **options):
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
                wipe()
            summary = seed_demo(random.Random(seed))
        for line in report_lines(summary, seed):
            self.stdout.write(line)
        if scale == "large":
            began = time.perf_counter()
            with transaction.atomic():
                large = seed_large(seed=seed)
            self.stdout.write(large_line(large, time.perf_counter() - began))

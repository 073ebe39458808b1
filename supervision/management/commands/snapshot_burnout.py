"""Store every CHW's burnout-risk snapshot now:
`python manage.py snapshot_burnout [--as-of DATE] [--program ID]`."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from impact import audit
from impact.models import Program
from supervision.services import burnout_snapshot

EARLIEST_DAYS = 366


@audit.audited_command
class Command(BaseCommand):
    help = "Compute and store each CHW's burnout-risk snapshot (one per CHW per day)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of",
            type=dt.date.fromisoformat,
            help="YYYY-MM-DD (default: today in each program's time zone).",
        )
        parser.add_argument("--program", type=int, help="Only this program (its ID).")

    def handle(self, *args, as_of=None, program=None, **options):
        found = Program.objects.all()
        if program is not None:
            found = found.filter(pk=program)
            if not found.exists():
                raise CommandError(f"There is no program with ID {program}.")
        programs = list(found)
        for each in programs:  # check every program before writing anything
            if as_of and as_of > each.today():
                raise CommandError(f"{as_of} is in the future for {each.name}.")
            if as_of and as_of < each.today() - dt.timedelta(days=EARLIEST_DAYS):
                raise CommandError(
                    f"{as_of} is more than a year before today for {each.name}: snapshots "
                    "describe the recent weeks."
                )
        for each in programs:
            rows = burnout_snapshot(program=each, day=as_of)
            levels = Counter(row.level for row in rows)
            self.stdout.write(
                f"{each.name}, {as_of or each.today()}: {len(rows)} snapshots "
                f"(high {levels['high']}, elevated {levels['elevated']}, low {levels['low']})"
            )

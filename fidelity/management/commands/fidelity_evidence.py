"""Print a program's automatic fidelity evidence for a period, as JSON:
`python manage.py fidelity_evidence --program ID --from DATE --to DATE`."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from fidelity.evidence import evidence_for
from impact.lib.dates import EARLIEST, iso_date_argument
from impact.models import Program


class Command(BaseCommand):
    help = "Print the automatic evidence of each fidelity component (DESIGN.md §5.3) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--program", type=int, required=True, help="The program's ID.")
        parser.add_argument(
            "--from",
            dest="start",
            type=iso_date_argument,
            required=True,
            help="First day, YYYY-MM-DD.",
        )
        parser.add_argument(
            "--to", dest="end", type=iso_date_argument, required=True, help="Last day, YYYY-MM-DD."
        )

    def handle(self, *args, program: int, start: dt.date, end: dt.date, **options):
        found = Program.objects.filter(pk=program).first()
        if found is None:
            raise CommandError(f"There is no program with ID {program}.")
        if end < start:
            raise CommandError(f"The period ends ({end}) before it starts ({start}).")
        if end > found.today():
            raise CommandError(f"{end} is in the future for {found.name}.")
        if start < EARLIEST:
            raise CommandError(f"Choose a first day in {EARLIEST.year} or later.")
        evidence = evidence_for(program=found, start=start, end=end)
        self.stdout.write(
            json.dumps({code: each.to_json() for code, each in evidence.items()}, indent=2)
        )

"""Import hospital admissions and ED visits from a CSV file, as the leader's upload page
does (same checks, all or nothing):
`python manage.py import_utilization FILE --program ID [--dry-run]`."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from impact import audit
from impact.models import Program
from reports.imports import checks
from reports.imports import services as utilization


@audit.audited_command
class Command(BaseCommand):
    help = (
        "Import a CSV of hospital admissions and ED visits (columns MRN, kind, admitted, "
        "discharged) into a program: every row is checked and either all are imported or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file (UTF-8).")
        parser.add_argument("--program", type=int, required=True, help="The program's ID.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and say what would be imported; write nothing.",
        )

    def handle(self, *args, file: Path, program: int, dry_run: bool, **options):
        found = Program.objects.filter(pk=program).first()
        if found is None:
            raise CommandError(f"There is no program with ID {program}.")
        if not file.is_file():
            raise CommandError(f"{file} is not a file.")
        size = file.stat().st_size
        if size > checks.MAX_BYTES:  # before reading it
            raise CommandError(checks.too_big(size))
        content = file.read_bytes()
        try:
            checked = checks.check(program=found, content=content)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if checked.errors:
            for problem in checked.errors:
                self.stderr.write(f"line {problem.line}, {problem.column}: {problem.message}")
            raise CommandError(
                f"{len(checked.errors)} problems in {file.name}: nothing was imported."
            )
        # Rows about people outside the program, and stays already recorded or clashing
        # with one recorded: counts, never which lines nor the recorded dates.
        skipped = f" {checks.not_enrolled_message(checked.not_enrolled)}"
        skipped = skipped if checked.not_enrolled else ""
        if dry_run:
            self.stdout.write(
                f"Would import {len(checked.new)} rows ({checked.already} already imported)."
                f"{skipped} Nothing was written (--dry-run)."
            )
            return
        if checked.new:
            utilization.import_checked(
                program=found, checked=checked, content=content, filename=file.name, by=None
            )
        self.stdout.write(
            f"Imported {len(checked.new)} rows ({checked.already} already imported).{skipped}"
        )

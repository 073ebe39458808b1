"""Write a program's ROI summary (DESIGN.md §5.4) for a period:
`python manage.py roi_summary --program ID --from DATE --to DATE --format csv|xlsx|json|pdf
--output PATH`. JSON is the summary itself; CSV, XLSX and PDF are the leader exports."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from impact import audit
from impact.lib.dates import iso_date_argument
from impact.lib.periods import PeriodError, leader_period
from impact.models import Program
from reports import disclosed

FORMATS = ("csv", "xlsx", "json", "pdf")


@audit.audited_command
class Command(BaseCommand):
    help = "Write the ROI summary of a program for a period as CSV, XLSX, JSON or PDF."

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
        parser.add_argument("--format", dest="fmt", choices=FORMATS, default="json")
        parser.add_argument(
            "--output",
            help="The file to write (default: standard output, for json and csv only).",
        )

    def handle(self, *args, program: int, start, end, fmt: str, output: str | None, **options):
        found = Program.objects.filter(pk=program).first()
        if found is None:
            raise CommandError(f"There is no program with ID {program}.")
        try:
            period = leader_period(start, end, today=found.today())
        except PeriodError as error:
            raise CommandError(error.message) from None
        if output is None and fmt in ("xlsx", "pdf"):
            raise CommandError(f"A {fmt} file needs --output PATH.")
        if output is not None and not Path(output).parent.is_dir():
            raise CommandError(f"There is no folder {Path(output).parent} to write {output} in.")
        if fmt == "json":
            # As every leader figure: disclosure control (reports.disclosed).
            published = disclosed.roi_summary(disclosed.Grids(found), period)
            content = (json.dumps(disclosed.roi_json(published), indent=2) + "\n").encode()
        else:
            from reports.exports import files as exports

            content, _name = exports.build(fmt, program=found, start=start, end=end)
        audit.log_export(
            what="command: roi_summary",
            fmt=fmt,
            content=content,
            program=found,
            path=output or "-",
            object_ids={"period": period.label, "kind": fmt},
        )
        if output is None:
            self.stdout.write(content.decode("utf-8"), ending="")
            return
        try:
            Path(output).write_bytes(content)
        except OSError as error:
            raise CommandError(f"Could not write {output}: {error.strerror}.") from None
        self.stderr.write(f"Wrote {output} ({len(content):,} bytes).")

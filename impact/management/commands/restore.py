"""`python manage.py restore PATH --yes`: replace the database with a copy from `backup`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from impact.lib.backups import restore


class Command(BaseCommand):
    help = "Replace the whole database with a copy made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path)
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Confirm: everything written since the copy was made is lost.",
        )

    def handle(self, *args, source: Path, yes: bool, **options):
        if not source.is_file():
            raise CommandError(f"{source} is not a file.")
        if not yes:
            raise CommandError(
                "Restoring replaces the whole database: everything written since the copy "
                "was made is lost. Stop the web server and the task cluster, then run this "
                "again with --yes."
            )
        try:
            restore(source)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored from {source}.")

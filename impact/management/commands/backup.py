"""`python manage.py backup [--output PATH]`: a consistent online copy of the database."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from impact.lib.backups import backup
from impact.lib.private import DIR_MODE, private_dir


class Command(BaseCommand):
    help = "Copy the database while it runs (SQLite backup API, or pg_dump for PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="The file to write (default: backups/impact-<time>.sqlite3 or .pgdump).",
        )

    def handle(self, *args, output: Path | None, **options):
        if output is None:
            suffix = "sqlite3" if connection.vendor == "sqlite" else "pgdump"
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            folder = private_dir(Path(settings.BASE_DIR) / "backups")
            folder.chmod(DIR_MODE)  # the product's own folder: private even if made before
            output = folder / f"impact-{stamp}.{suffix}"
        written = backup(output)
        self.stdout.write(f"Backed up to {written} ({written.stat().st_size:,} bytes).")

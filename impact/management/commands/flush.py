"""`manage.py flush`, allowed to empty the append-only tables (the access log and the
historical tables) along with everything else. Django's test framework flushes the
database between transactional tests; nothing else in the application deletes audit rows,
and the database triggers refuse any other DELETE (impact.audit)."""

from __future__ import annotations

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from impact.append_only import purging


class Command(FlushCommand):
    def handle(self, **options):
        with purging(connections[options["database"]]):
            return super().handle(**options)

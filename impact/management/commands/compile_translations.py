"""Compile the translation catalogs with polib, so no GNU gettext tools are needed.

Writes locale/<lang>/LC_MESSAGES/django.mo from each django.po under LOCALE_PATHS (the
Makefile's `translations` target runs this before `make run`, `make serve` and the tests).
Fuzzy and empty entries are left out, as msgfmt does: the English shows instead.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po to .mo with polib (no gettext tools needed)."
    requires_system_checks = []

    def handle(self, *args, **options):
        for base in settings.LOCALE_PATHS:
            for po_path in sorted(Path(base).glob("*/LC_MESSAGES/*.po")):
                catalog = polib.pofile(str(po_path))
                mo_path = po_path.with_suffix(".mo")
                # Write beside, then rename: a running server never reads half a file.
                handle, temporary = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
                os.close(handle)
                try:
                    catalog.save_as_mofile(temporary)
                    os.chmod(temporary, 0o644)  # mkstemp's file is private to its owner
                    os.replace(temporary, mo_path)
                finally:
                    if os.path.exists(temporary):
                        os.remove(temporary)
                self.stdout.write(
                    f"{mo_path}: {len(catalog.translated_entries())} of "
                    f"{len([e for e in catalog if not e.obsolete])} messages translated"
                )

"""Importing a checked file of hospital stays (DESIGN.md §5.4), and the reads of the
import page.

The file is read and checked by `reports.imports.checks`; either every new stay of a
file without row errors is imported, in one transaction, or none is. The web page shows
a preview first (`import_preview` keeps the file in a staging row) and imports on the
uploader's confirmation (`import_confirm`, which checks the file again: the data may
have changed in between). A preview with nothing new keeps no bytes; one nobody
confirmed is deleted after a day (`purge_staging`, run hourly by django-q2).
`python manage.py import_utilization` calls `check` and `import_checked` directly.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from impact import audit
from impact.models import Program, User
from impact.programs import programs_for
from reports.imports.checks import Checked, RowErrors, check
from reports.models import UtilizationImport, UtilizationRecord

# A preview nobody confirmed is dropped after a day (it holds the file, MRNs included).
STAGING_KEPT = dt.timedelta(days=1)


# -- writing -----------------------------------------------------------------------------------


def _insert(*, program: Program, source: UtilizationImport, checked: Checked) -> int:
    UtilizationRecord.objects.bulk_create(
        [
            UtilizationRecord(
                patient_id=stay.patient_id,
                kind=stay.kind,
                admitted_on=stay.admitted_on,
                discharged_on=stay.discharged_on,
                source=source,
            )
            for stay in checked.new
        ],
        batch_size=500,
        # Another import of the same stays that landed in between: theirs stand.
        ignore_conflicts=True,
    )
    # Their history: the rows this import inserted are the ones naming it as their source.
    audit.copy_to_history(UtilizationRecord.objects.filter(source=source), history_type="+")
    return len(checked.new)


def import_checked(
    *, program: Program, checked: Checked, content: bytes, filename: str, by: User | None
) -> UtilizationImport:
    """Import the new stays of a checked file with no row errors, in one transaction."""
    if checked.errors:
        raise RowErrors(checked.errors)
    with transaction.atomic():
        source = UtilizationImport.objects.create(
            program=program,
            filename=filename[:255],
            sha256=hashlib.sha256(content).hexdigest(),
            rows=len(checked.new),
            imported_by=by,
            status=UtilizationImport.Status.IMPORTED,
            preview=checked.preview(),
        )
        _insert(program=program, source=source, checked=checked)
    return source


def import_preview(
    *, program: Program, by: User, filename: str, content: bytes
) -> UtilizationImport:
    """Check an uploaded file and keep it in a staging row for its uploader to confirm.
    Nothing is kept when the file or any row has a problem (RowErrors: every problem)."""
    checked = check(program=program, content=content)
    if checked.errors:
        raise RowErrors(checked.errors)
    digest = hashlib.sha256(content).hexdigest()
    preview = checked.preview()
    earlier = (
        UtilizationImport.objects.filter(
            program=program, sha256=digest, status=UtilizationImport.Status.IMPORTED
        )
        .order_by("-imported_at")
        .values_list("imported_at", flat=True)
        .first()
    )
    preview["imported_before"] = earlier.isoformat() if earlier else None
    purge_staging(program=program)
    return UtilizationImport.objects.create(
        program=program,
        filename=filename[:255],
        sha256=digest,
        imported_by=by,
        status=UtilizationImport.Status.PREVIEWED,
        # Nothing to import, nothing to keep: the file's MRNs are not stored.
        content=content if checked.new else None,
        preview=preview,
    )


def purge_staging(*, program: Program | None = None) -> int:
    """Delete the previews nobody confirmed within a day (in `program`, or all), bytes and
    row: they hold the file's MRNs. Returns how many. Idempotent."""
    stale = UtilizationImport.objects.filter(
        status=UtilizationImport.Status.PREVIEWED,
        imported_at__lt=timezone.now() - STAGING_KEPT,
    )
    if program is not None:
        stale = stale.filter(program=program)
    return stale.delete()[0]


def import_confirm(*, staging: UtilizationImport, by: User) -> UtilizationImport:
    """Import a previewed file: checked again (patients or stays may have changed since
    the preview), then every new stay in one transaction. A file is confirmed once."""
    if staging.status != UtilizationImport.Status.PREVIEWED or staging.imported_by_id != by.pk:
        raise ValidationError({"file": _("This file was already imported.")})
    if staging.content is None:  # the preview had nothing new: its bytes were not kept
        raise ValidationError(
            {"file": _("Nothing to import: every row of this file was already imported.")}
        )
    checked = check(program=staging.program, content=bytes(staging.content))
    if checked.errors:
        raise RowErrors(checked.errors)
    done = {
        "status": UtilizationImport.Status.IMPORTED,
        "rows": len(checked.new),
        "imported_at": timezone.now(),
        "content": None,
        "preview": checked.preview() | {"imported_before": staging.preview.get("imported_before")},
    }
    with transaction.atomic():
        # Compare-and-set: two confirmations of the same preview import once.
        claimed = UtilizationImport.objects.filter(
            pk=staging.pk, status=UtilizationImport.Status.PREVIEWED
        ).update(**done)
        if not claimed:
            raise ValidationError({"file": _("This file was already imported.")})
        _insert(program=staging.program, source=staging, checked=checked)
    for name, value in done.items():
        setattr(staging, name, value)
    return staging


def import_discard(*, staging: UtilizationImport) -> None:
    """Drop a preview nobody will confirm (an imported file stays on record)."""
    UtilizationImport.objects.filter(
        pk=staging.pk, status=UtilizationImport.Status.PREVIEWED
    ).delete()


# -- reads -------------------------------------------------------------------------------------


def imports_for(program: Program) -> QuerySet[UtilizationImport]:
    """The program's imported files, newest first (never the staging rows' bytes)."""
    return (
        UtilizationImport.objects.filter(program=program, status=UtilizationImport.Status.IMPORTED)
        .select_related("imported_by")
        .defer("content", "preview")
        .order_by("-imported_at")
    )


def staging_for_user(user: User, pk: int) -> UtilizationImport:
    """An upload of this user's (in a program they lead): anyone else's is 404."""
    return get_object_or_404(
        UtilizationImport.objects.select_related("program").filter(
            imported_by=user, program__in=programs_for(user)
        ),
        pk=pk,
    )

"""django-q2 entry points. Each takes primary keys, calls a service, and is idempotent."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from caseloads.alerts import alerts_sweep
from caseloads.models import SweepRun
from caseloads.services import encounters_reflag
from impact import audit
from impact.models import Program

logger = logging.getLogger(__name__)

# The daily sweep runs from this hour of the program's own day (DESIGN.md §6).
SWEEP_HOUR = 6


@audit.acting_as(audit.ALERT_SWEEP)
def sweep_due_programs() -> list[str]:
    """Run by an hourly schedule: sweep each program once a local day, from 06:00 there.

    Programs in different time zones each get their sweep at their own 06:00; a cluster
    that was down at 06:00 catches up at the next hour. One failing program does not stop
    the others; the task fails afterwards so the failure shows in the admin.
    """
    done, failed = [], []
    for program in Program.objects.all():
        local = timezone.localtime(timezone.now(), program.tz)
        if local.hour < SWEEP_HOUR:
            continue
        if SweepRun.objects.filter(program=program, day=local.date(), scheduled=True).exists():
            continue
        try:
            result = alerts_sweep(program=program, day=local.date(), scheduled=True)
        except Exception:
            logger.exception("Alert sweep failed for program %s", program.pk)
            failed.append(program.name)
        else:
            done.append(result.describe())
    if failed:
        raise RuntimeError(f"Alert sweep failed for: {', '.join(failed)}")
    return done


@audit.acting_as(audit.ALERT_SWEEP)
def sweep_program(program_id: int, day: str | None = None) -> str:
    program = Program.objects.get(pk=program_id)
    return alerts_sweep(program=program, day=dt.date.fromisoformat(day) if day else None).describe()


@audit.acting_as(audit.SETTINGS_CHANGED)
def program_settings_changed(program_id: int, hours_changed: bool) -> str:
    """After a settings change: re-flag encounters when working hours, days or the time
    zone changed (the time zone moves local dates, so after-end flags too), then bring
    the alerts in line with the new standards."""
    program = Program.objects.get(pk=program_id)
    changed = encounters_reflag(program=program) if hours_changed else 0
    return f"{changed} encounters re-flagged; " + alerts_sweep(program=program).describe()

"""django-q2 entry points for supervision. Each takes primary keys and calls a service."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from impact import audit
from impact.models import Program
from supervision.models import BurnoutSnapshot
from supervision.services import burnout_snapshot

logger = logging.getLogger(__name__)

SNAPSHOT_HOUR = 6
SNAPSHOT_EVERY_DAYS = 7


@audit.acting_as(audit.BURNOUT_SNAPSHOT)
def snapshot_due_programs() -> list[str]:
    """Run by an hourly schedule: snapshot each program's CHWs once a week, from 06:00
    program time on the day a week after the last snapshot (a missed day catches up)."""
    done, failed = [], []
    # Programs with CHWs only: one without would never get a snapshot, and be retried hourly.
    for program in Program.objects.filter(teams__members__role="chw").distinct():
        local = timezone.localtime(timezone.now(), program.tz)
        today = local.date()
        if local.hour < SNAPSHOT_HOUR:
            continue
        recent = BurnoutSnapshot.objects.filter(
            chw__team__program=program,
            as_of__gt=today - dt.timedelta(days=SNAPSHOT_EVERY_DAYS),
        )
        if recent.exists():
            continue
        try:
            rows = burnout_snapshot(program=program, day=today)
        except Exception:
            logger.exception("Burnout snapshot failed for program %s", program.pk)
            failed.append(program.name)
        else:
            done.append(f"{program.name}, {today}: {len(rows)} snapshots")
    if failed:
        raise RuntimeError(f"Burnout snapshot failed for: {', '.join(failed)}")
    return done

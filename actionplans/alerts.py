"""The action-plan rule of the boundary sweep (DESIGN.md §5.1) and its sentence,
registered in `ActionplansConfig.ready()` so that caseloads never imports this app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Exists, OuterRef
from django.utils.translation import ngettext

from actionplans.models import Goal
from actionplans.selectors import GOAL_WINDOW_DAYS
from caseloads.alerts import Finding, SweepDay, register
from caseloads.models import Alert


def goal_missing_sentence(alert: Alert, today: dt.date) -> str:
    enrollment = alert.enrollment
    assert enrollment is not None  # a goal_missing alert is about an enrollment
    enrolled_on, _planned_end_on = enrollment.ran_dates()
    days = (today - enrolled_on).days
    return ngettext(
        "%(patient)s has been enrolled %(n)d day without a goal: ask what they want "
        "to work on and write it in their words.",
        "%(patient)s has been enrolled %(n)d days without a goal: ask what they want "
        "to work on and write it in their words.",
        days,
    ) % {"n": days, "patient": enrollment.patient.display_name}


@register(Alert.Kind.GOAL_MISSING, sentence=goal_missing_sentence)
def goal_missing(sweep: SweepDay) -> Iterator[Finding]:
    """Enrolled 14 days or more and no goal set by the day."""
    goals = Goal.objects.filter(enrollment=OuterRef("pk"), set_on__lte=sweep.day)
    rows = (
        sweep.active()
        .filter(enrolled_on__lte=sweep.day - dt.timedelta(days=GOAL_WINDOW_DAYS))
        .filter(~Exists(goals))
        .values_list("pk", "chw_id")
    )
    for pk, chw_id in rows:
        yield Finding(Alert.Kind.GOAL_MISSING, chw_id, pk)

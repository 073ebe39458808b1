"""Supervision's rules in the boundary sweep (DESIGN.md §5.1, §5.2) and their sentences,
registered in `SupervisionConfig.ready()` so that caseloads never imports this app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from caseloads.alerts import Finding, SweepDay, register
from caseloads.models import Alert
from impact.models import Role, User
from supervision.models import BurnoutSnapshot, SupervisionSession

# A snapshot older than this no longer speaks for the CHW (snapshots are weekly).
SNAPSHOT_FRESH_DAYS = 14


def _chws(sweep: SweepDay) -> QuerySet[User]:
    return sweep.scoped(
        User.objects.filter(role=Role.CHW, is_active=True, team__program=sweep.program), "pk"
    )


def supervision_overdue_sentence(alert: Alert, today: dt.date) -> str:
    last = alert.facts.get("last")
    if not last:
        return _("%(chw)s has not had a one-on-one supervision yet: book one this week.") % {
            "chw": alert.chw
        }
    days = (today - dt.date.fromisoformat(last)).days
    return _("%(chw)s has had no one-on-one supervision for %(n)d days: book one this week.") % {
        "chw": alert.chw,
        "n": days,
    }


@register(Alert.Kind.SUPERVISION_OVERDUE, sentence=supervision_overdue_sentence)
def supervision_overdue(sweep: SweepDay) -> Iterator[Finding]:
    """No one on one in the last 2 × supervision_interval_days days (CHWs hired within
    that span are not yet due)."""
    span = 2 * sweep.program.supervision_interval_days
    first = sweep.day - dt.timedelta(days=span - 1)
    rows = (
        _chws(sweep)
        .filter(Q(hired_on__isnull=True) | Q(hired_on__lt=first))
        .annotate(
            last=Max(
                "supervision_sessions__occurred_on",
                filter=Q(
                    supervision_sessions__kind=SupervisionSession.Kind.ONE_ON_ONE,
                    supervision_sessions__occurred_on__lte=sweep.day,
                ),
            )
        )
        .filter(Q(last__isnull=True) | Q(last__lt=first))
        .values_list("pk", "last")
    )
    for pk, last in rows:
        yield Finding(
            Alert.Kind.SUPERVISION_OVERDUE,
            pk,
            occurrence=last.isoformat() if last else "never",
            facts={"last": last.isoformat() if last else None},
        )


def burnout_risk_high_sentence(alert: Alert, today: dt.date) -> str:
    return _("%(chw)s shows a high burnout risk: check in this week and talk about support.") % {
        "chw": alert.chw
    }


@register(Alert.Kind.BURNOUT_RISK_HIGH, sentence=burnout_risk_high_sentence)
def burnout_risk_high(sweep: SweepDay) -> Iterator[Finding]:
    """The CHW's latest snapshot (within two weeks) is at the high level."""
    latest = BurnoutSnapshot.objects.filter(chw=OuterRef("pk"), as_of__lte=sweep.day).order_by(
        "-as_of"
    )
    rows = (
        _chws(sweep)
        .annotate(
            as_of=Subquery(latest.values("as_of")[:1]),
            level=Subquery(latest.values("level")[:1]),
            flags=Subquery(latest.values("flag_count")[:1]),
        )
        .filter(
            level=BurnoutSnapshot.Level.HIGH,
            as_of__gt=sweep.day - dt.timedelta(days=SNAPSHOT_FRESH_DAYS),
        )
        .values_list("pk", "flags")
    )
    for pk, flags in rows:
        yield Finding(Alert.Kind.BURNOUT_RISK_HIGH, pk, facts={"flags": flags})

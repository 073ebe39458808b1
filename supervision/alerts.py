"""Supervision's rules in the boundary sweep (DESIGN.md §5.1, §5.2) and their sentences,
registered in `SupervisionConfig.ready()` so that caseloads never imports this app.

burnout_risk_high and support_requested are for the manager only
(`Alert.MANAGER_ONLY_KINDS`): the CHW never sees them as alerts of their own, and leaders
never count them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from caseloads.alerts import Finding, SweepDay, register
from caseloads.models import Alert
from impact.models import Role, User
from supervision.models import BurnoutSnapshot, SupervisionSession, WellbeingCheckIn

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


def support_requested_sentence(alert: Alert, today: dt.date) -> str:
    days = (today - dt.date.fromisoformat(alert.facts["on"])).days
    if days <= 0:
        return _(
            "%(chw)s asked for support in today's check-in: talk with them soon, and "
            "record the conversation as a session with wellbeing discussed."
        ) % {"chw": alert.chw}
    return ngettext(
        "%(chw)s asked for support in a check-in %(n)d day ago: talk with them soon, and "
        "record the conversation as a session with wellbeing discussed.",
        "%(chw)s asked for support in a check-in %(n)d days ago: talk with them soon, and "
        "record the conversation as a session with wellbeing discussed.",
        days,
    ) % {"chw": alert.chw, "n": days}


@register(Alert.Kind.SUPPORT_REQUESTED, sentence=support_requested_sentence)
def support_requested(sweep: SweepDay) -> Iterator[Finding]:
    """A check-in with wants_support on or before the day that no session with wellbeing
    discussed has answered yet (DESIGN.md §5.1). A session answers it when it is about the
    CHW (`chw`; being among the others present at a huddle is not a conversation about
    one's own wellbeing), took place on or after the check-in's date and by the day, and
    was recorded after the check-in was last submitted: a session recorded earlier the
    same day, or one dated before the check-in, does not. The occurrence is the date of
    the latest unanswered request, so a request after one was answered (or resolved by
    the manager) is a new alert."""
    answered = SupervisionSession.objects.filter(
        chw_id=OuterRef("chw_id"),
        wellbeing_discussed=True,
        occurred_on__gte=OuterRef("on"),
        occurred_on__lte=sweep.day,
        created_at__gt=OuterRef("updated_at"),
    )
    rows = (
        WellbeingCheckIn.objects.filter(
            chw_id__in=_chws(sweep).values("pk"), wants_support=True, on__lte=sweep.day
        )
        .filter(~Exists(answered))
        .order_by("chw_id", "-on")
        .values_list("chw_id", "on")
    )
    latest: dict[int, dt.date] = {}
    for chw_id, on in rows:
        latest.setdefault(chw_id, on)  # the rows come latest first for each CHW
    for chw_id, on in latest.items():
        yield Finding(
            Alert.Kind.SUPPORT_REQUESTED,
            chw_id,
            occurrence=on.isoformat(),
            facts={"on": on.isoformat()},
        )

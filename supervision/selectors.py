"""Reads of supervision records, each scoped to the user first (DESIGN.md §4): a CHW sees
what is about themselves, a manager what is about the CHWs on their teams."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from caseloads.selectors import chws_for
from impact.models import Program, Role, User
from supervision.models import (
    BurnoutSnapshot,
    FollowUp,
    SupervisionSession,
    TimeOff,
    WellbeingCheckIn,
)

# Leaders see counts of CHWs by level only when a cell holds at least this many.
SMALL_CELL = 11


def chw_for_manager(user: User, pk: int) -> User:
    """One of the manager's CHWs; 404 for anyone else."""
    if user.role != Role.MANAGER:
        raise Http404
    return get_object_or_404(chws_for(user).select_related("team", "program"), pk=pk)


def sessions_for(user: User) -> QuerySet[SupervisionSession]:
    """A CHW's own sessions (including huddles they were in); a manager's CHWs' sessions."""
    if user.role == Role.CHW:
        return SupervisionSession.objects.filter(Q(chw=user) | Q(others_present=user)).distinct()
    if user.role == Role.MANAGER:
        return SupervisionSession.objects.filter(chw__team__manager=user)
    return SupervisionSession.objects.none()


def session_list(user: User) -> QuerySet[SupervisionSession]:
    """`sessions_for`, as the list pages show them: when, who and what kind, never the
    notes. Notes can discuss patients, so only the session's own page (patient-level, in
    the access log) reads them."""
    return sessions_for(user).defer("notes", "private_notes")


def session_for_user(user: User, pk: int) -> SupervisionSession:
    return get_object_or_404(
        sessions_for(user)
        .select_related("chw", "manager")
        .prefetch_related("follow_ups", "others_present", "enrollments_discussed__patient"),
        pk=pk,
    )


def follow_ups_for(user: User) -> QuerySet[FollowUp]:
    if user.role == Role.CHW:
        return FollowUp.objects.filter(session__chw=user)
    if user.role == Role.MANAGER:
        return FollowUp.objects.filter(session__chw__team__manager=user)
    return FollowUp.objects.none()


def open_follow_ups(user: User) -> QuerySet[FollowUp]:
    """Open follow-ups with their session's date and CHW, never its notes (see
    `session_list`)."""
    return (
        follow_ups_for(user)
        .filter(done_on__isnull=True)
        .select_related("session__chw")
        .defer("session__notes", "session__private_notes")
        .order_by("due_on", "pk")
    )


def check_ins_for(user: User, chw: User) -> QuerySet[WellbeingCheckIn]:
    """The CHW's check-ins, for the CHW themselves or their manager only."""
    if user.pk == chw.pk or chws_for(user).filter(pk=chw.pk).exists():
        return WellbeingCheckIn.objects.filter(chw=chw)
    return WellbeingCheckIn.objects.none()


def off_today(chw: User, today: dt.date | None = None) -> TimeOff | None:
    if chw.role != Role.CHW or not chw.program_id:
        return None
    today = today or chw.own_program.today()
    return (
        TimeOff.objects.filter(chw=chw, starts_on__lte=today, ends_on__gte=today)
        .select_related("backup")
        .first()
    )


@dataclass(frozen=True)
class Cadence:
    """One CHW's supervision rhythm on the manager's pages (no ranking: by name)."""

    chw: User
    last_one_on_one: dt.date | None
    due_on: dt.date | None
    level: str | None
    off: bool

    def days_since(self, today: dt.date) -> int | None:
        return (today - self.last_one_on_one).days if self.last_one_on_one else None


def cadence(user: User, today: dt.date) -> list[Cadence]:
    """Each of the manager's CHWs: the last one on one, when the next is due, the latest
    burnout level, and whether they are off today (one query)."""
    program = user.own_program
    latest = BurnoutSnapshot.objects.filter(chw=OuterRef("pk")).order_by("-as_of")
    chws = (
        chws_for(user)
        .annotate(
            last=Max(
                "supervision_sessions__occurred_on",
                filter=Q(supervision_sessions__kind=SupervisionSession.Kind.ONE_ON_ONE),
            ),
            level=Subquery(latest.values("level")[:1]),
            off=Count(
                "time_off",
                filter=Q(time_off__starts_on__lte=today, time_off__ends_on__gte=today),
                distinct=True,
            ),
        )
        .order_by("last_name", "first_name")
    )
    interval = dt.timedelta(days=program.supervision_interval_days)
    return [
        Cadence(
            chw=chw,
            last_one_on_one=chw.last,
            due_on=chw.last + interval if chw.last else None,
            level=chw.level,
            off=bool(chw.off),
        )
        for chw in chws
    ]


def snapshots_for(user: User, chw: User, weeks: int = 12) -> list[BurnoutSnapshot]:
    """The CHW's snapshots of the last `weeks` weeks, oldest first (CHW or manager)."""
    if not (user.pk == chw.pk or chws_for(user).filter(pk=chw.pk).exists()):
        return []
    since = chw.own_program.today() - dt.timedelta(weeks=weeks)
    return list(BurnoutSnapshot.objects.filter(chw=chw, as_of__gt=since).order_by("as_of"))


@dataclass(frozen=True)
class WeekLevels:
    as_of: dt.date
    counts: dict[str, int | None]  # None: fewer than SMALL_CELL CHWs, not shown


def level_distribution(program: Program, weeks: int = 12) -> list[WeekLevels]:
    """Leaders: how many of the program's CHWs were at each level, per snapshot day; no
    names, and any cell under 11 CHWs suppressed (DESIGN.md §4)."""
    since = program.today() - dt.timedelta(weeks=weeks)
    rows = (
        BurnoutSnapshot.objects.filter(chw__team__program=program, as_of__gt=since)
        .values("as_of", "level")
        .annotate(n=Count("pk"))
        .order_by("as_of")
    )
    by_day: dict[dt.date, dict[str, int]] = {}
    for row in rows:
        by_day.setdefault(row["as_of"], {})[row["level"]] = row["n"]
    return [
        WeekLevels(as_of=day, counts=_suppressed(counts)) for day, counts in sorted(by_day.items())
    ]


def _suppressed(counts: dict[str, int]) -> dict[str, int | None]:
    """Hide cells under SMALL_CELL; when exactly one is hidden, hide the smallest shown
    cell too, so the hidden one cannot be worked out from the total."""
    shown = {
        level: (n if (n := counts.get(level, 0)) >= SMALL_CELL else None)
        for level in BurnoutSnapshot.Level.values
    }
    hidden = [level for level, n in shown.items() if n is None]
    visible = [level for level, n in shown.items() if n is not None]
    if len(hidden) == 1 and visible:
        shown[min(visible, key=lambda level: counts[level])] = None
    return shown

"""The boundary-alert sweep (DESIGN.md §5.1): one service for the daily schedule, the
`sweep_alerts` command and the refresh after each write that can change an alert.

Each rule is a function that reads the program's data in a few set-based queries and
yields a `Finding` for every (kind, enrollment, CHW) whose condition holds on the day.
`alerts_sweep` compares the findings with the alerts still live and, in one transaction
per program, opens what is new, refreshes what changed and resolves (as "resolved by
system") what no longer holds. Each rule registers with
the sentence that tells the CHW or manager what happened and what to do
(`Alert.sentence` asks `SENTENCES`). Later apps add their rules and sentences with
`register` from their `AppConfig.ready()` (actionplans: `goal_missing`; supervision:
`supervision_overdue`), so this module never imports them and never writes their words.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from caseloads.models import Alert, Encounter, Enrollment, SweepRun
from impact import audit
from impact.models import Program, Role


@dataclass(frozen=True)
class Finding:
    """A condition that holds: which alert it is, which occurrence, and the facts to show."""

    kind: str
    chw_id: int
    enrollment_id: int | None = None
    occurrence: str = ""
    facts: dict = field(default_factory=dict, compare=False)

    @property
    def subject(self) -> tuple[str, int | None, int]:
        return (self.kind, self.enrollment_id, self.chw_id)


@dataclass(frozen=True)
class SweepDay:
    """What a rule needs: the program, the day, and the CHWs in scope (None: all)."""

    program: Program
    day: dt.date
    chw_ids: Collection[int] | None = None

    def start(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time.min, tzinfo=self.program.tz)

    @property
    def end(self) -> dt.datetime:
        """The first moment after the day: later encounters do not count on `day`."""
        return self.start(self.day + dt.timedelta(days=1))

    def last_days(self, n: int) -> tuple[dt.datetime, dt.datetime]:
        """The moments covering "the last n days" (the dates day−n+1 … day)."""
        return self.start(self.day - dt.timedelta(days=n - 1)), self.end

    def scoped(self, queryset: QuerySet, chw_field: str = "chw_id") -> QuerySet:
        if self.chw_ids is None:
            return queryset
        return queryset.filter(**{f"{chw_field}__in": list(self.chw_ids)})

    def active(self) -> QuerySet[Enrollment]:
        """Enrollments active on the day (DESIGN.md §3) in the program and scope."""
        return self.scoped(
            Enrollment.objects.filter(
                program=self.program,
                status__in=Enrollment.RAN_STATUSES,
                enrolled_on__lte=self.day,
            ).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=self.day))
        )

    def encounters(self) -> QuerySet[Encounter]:
        return self.scoped(
            Encounter.objects.filter(enrollment__program=self.program), "enrollment__chw_id"
        )


Rule = Callable[[SweepDay], Iterable[Finding]]
# An alert's plain sentence as of a day (DESIGN.md §5.1): what happened, what to do.
Sentence = Callable[[Alert, dt.date], str]
RULES: dict[str, Rule] = {}
SENTENCES: dict[str, Sentence] = {}


def register(*kinds: str, sentence: Sentence) -> Callable[[Rule], Rule]:
    """Add a rule producing findings of `kinds` to the sweep, with the sentence its alerts
    read as (idempotent by kind)."""

    def decorator(rule: Rule) -> Rule:
        for kind in kinds:
            RULES[kind] = rule
            SENTENCES[kind] = sentence
        return rule

    return decorator


def patient_of(alert: Alert) -> str:
    """The patient's name as the alert shows it ("" for an alert about a CHW)."""
    return alert.enrollment.patient.display_name if alert.enrollment is not None else ""


def end_dates_sentence(alert: Alert, today: dt.date) -> str:
    patient = patient_of(alert)
    end = dt.date.fromisoformat(alert.facts["end"])
    days = (end - today).days
    if days > 0:
        return ngettext(
            "The program ends in %(n)d day for %(patient)s: plan the handoff.",
            "The program ends in %(n)d days for %(patient)s: plan the handoff.",
            days,
        ) % {"n": days, "patient": patient}
    if days == 0:
        return _(
            "The program ends today for %(patient)s: graduate them with a handoff, "
            "or ask your manager for an extension."
        ) % {"patient": patient}
    return ngettext(
        "%(patient)s is %(n)d day past the program end date: graduate them with a "
        "handoff, or ask your manager for an extension.",
        "%(patient)s is %(n)d days past the program end date: graduate them with a "
        "handoff, or ask your manager for an extension.",
        -days,
    ) % {"n": -days, "patient": patient}


@register(Alert.Kind.END_APPROACHING, Alert.Kind.END_OVERDUE, sentence=end_dates_sentence)
def end_dates(sweep: SweepDay) -> Iterator[Finding]:
    """`end_approaching` in the warning window before planned_end_on; `end_overdue` from it."""
    warning = sweep.program.end_warning_days
    rows = (
        sweep.active()
        .filter(planned_end_on__lte=sweep.day + dt.timedelta(days=warning))
        .values_list("pk", "chw_id", "planned_end_on")
    )
    for pk, chw_id, end in rows:
        assert end is not None  # the filter above keeps only rows with a planned end
        kind = Alert.Kind.END_OVERDUE if sweep.day >= end else Alert.Kind.END_APPROACHING
        yield Finding(kind, chw_id, pk, end.isoformat(), {"end": end.isoformat()})


def contact_after_end_sentence(alert: Alert, today: dt.date) -> str:
    count = alert.facts["count"]
    return ngettext(
        "%(patient)s was in contact %(n)d time this week after the program end date: "
        "agree who takes over and talk it through in supervision.",
        "%(patient)s was in contact %(n)d times this week after the program end date: "
        "agree who takes over and talk it through in supervision.",
        count,
    ) % {"n": count, "patient": patient_of(alert)}


@register(Alert.Kind.CONTACT_AFTER_END, sentence=contact_after_end_sentence)
def contact_after_end(sweep: SweepDay) -> Iterator[Finding]:
    """An after-end encounter in the last 7 days, closed enrollments included: the
    occurrence is the latest such encounter, so a later one is a new occurrence."""
    start, end = sweep.last_days(7)
    rows = (
        sweep.encounters()
        .filter(after_end=True, occurred_at__gte=start, occurred_at__lt=end)
        .values("enrollment_id", "enrollment__chw_id")
        .annotate(latest=Max("pk"), count=Count("pk"), last_at=Max("occurred_at"))
    )
    for row in rows:
        yield Finding(
            Alert.Kind.CONTACT_AFTER_END,
            row["enrollment__chw_id"],
            row["enrollment_id"],
            str(row["latest"]),
            {"count": row["count"], "last": sweep.program.local_date(row["last_at"]).isoformat()},
        )


def _contacts(sweep: SweepDay) -> QuerySet[Encounter]:
    return Encounter.objects.filter(
        enrollment=OuterRef("pk"), reached=True, occurred_at__lt=sweep.end
    ).exclude(kind__in=Encounter.NON_CONTACT_KINDS)


def no_recent_contact_sentence(alert: Alert, today: dt.date) -> str:
    facts = alert.facts
    patient = patient_of(alert)
    since = dt.date.fromisoformat(facts["last"]) if facts.get("last") else None
    if since is None:
        return _(
            "No contact with %(patient)s since enrolling: call or visit, and log each attempt."
        ) % {"patient": patient}
    days = (today - since).days
    return ngettext(
        "No contact with %(patient)s for %(n)d day (the standard is every %(every)d "
        "days): call or visit, and log each attempt.",
        "No contact with %(patient)s for %(n)d days (the standard is every %(every)d "
        "days): call or visit, and log each attempt.",
        days,
    ) % {"n": days, "patient": patient, "every": facts["interval"]}


@register(Alert.Kind.NO_RECENT_CONTACT, sentence=no_recent_contact_sentence)
def no_recent_contact(sweep: SweepDay) -> Iterator[Finding]:
    """Enrolled at least the contact interval, no reached contact in its last days; the
    occurrence is the last contact's date, so a lapse after a new contact is a new one."""
    n = sweep.program.contact_interval_days
    start, _end = sweep.last_days(n)
    contacts = _contacts(sweep)
    rows = (
        sweep.active()
        .filter(enrolled_on__lte=sweep.day - dt.timedelta(days=n))
        .filter(~Exists(contacts.filter(occurred_at__gte=start)))
        .annotate(last_at=Subquery(contacts.order_by("-occurred_at").values("occurred_at")[:1]))
        .values_list("pk", "chw_id", "last_at")
    )
    for pk, chw_id, last_at in rows:
        last = sweep.program.local_date(last_at) if last_at else None
        occurrence = last.isoformat() if last else "never"
        # Days since are computed when shown: facts that change daily would rewrite rows.
        facts = {"last": last.isoformat() if last else None, "interval": n}
        yield Finding(Alert.Kind.NO_RECENT_CONTACT, chw_id, pk, occurrence, facts)


def caseload_over_cap_sentence(alert: Alert, today: dt.date) -> str:
    return _(
        "%(chw)s has %(n)d active patients, over the standard of %(cap)d: hold new "
        "referrals and review the caseload together."
    ) % {"chw": alert.chw, "n": alert.facts["count"], "cap": alert.facts["cap"]}


@register(Alert.Kind.CASELOAD_OVER_CAP, sentence=caseload_over_cap_sentence)
def caseload_over_cap(sweep: SweepDay) -> Iterator[Finding]:
    cap = sweep.program.caseload_cap
    rows = sweep.active().values("chw_id").annotate(n=Count("pk")).filter(n__gt=cap)
    for row in rows:
        yield Finding(
            Alert.Kind.CASELOAD_OVER_CAP, row["chw_id"], facts={"count": row["n"], "cap": cap}
        )


AFTER_HOURS_LIMIT = 3


def after_hours_work_sentence(alert: Alert, today: dt.date) -> str:
    return _(
        "%(chw)s logged %(n)d contacts outside working hours in the last 7 days: take "
        "the time back and talk about boundaries in supervision."
    ) % {"chw": alert.chw, "n": alert.facts["count"]}


@register(Alert.Kind.AFTER_HOURS_WORK, sentence=after_hours_work_sentence)
def after_hours_work(sweep: SweepDay) -> Iterator[Finding]:
    """3 or more after-hours encounters a CHW logged in the last 7 days."""
    start, end = sweep.last_days(7)
    rows = (
        sweep.scoped(Encounter.objects.filter(enrollment__program=sweep.program), "author_id")
        .filter(
            after_hours=True,
            occurred_at__gte=start,
            occurred_at__lt=end,
            author__role=Role.CHW,
        )
        .values("author_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=AFTER_HOURS_LIMIT)
    )
    for row in rows:
        yield Finding(Alert.Kind.AFTER_HOURS_WORK, row["author_id"], facts={"count": row["n"]})


@dataclass
class SweepResult:
    program: Program
    day: dt.date
    opened: Counter = field(default_factory=Counter)
    resolved: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def describe(self) -> str:
        def listed(counts: Counter) -> str:
            if not counts:
                return "0"
            parts = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()))
            return f"{sum(counts.values())} ({parts})"

        return (
            f"{self.program.name}, {self.day}: opened {listed(self.opened)}; "
            f"resolved {listed(self.resolved)}; {self.seconds:.2f} s"
        )


def alerts_sweep(
    *,
    program: Program,
    day: dt.date | None = None,
    chw_ids: Collection[int] | None = None,
    scheduled: bool = False,
) -> SweepResult:
    """Bring the program's alerts in line with the data on `day` (default: today there).

    With `chw_ids`, only those CHWs' alerts are considered (the refresh after a write).
    One transaction: a failure leaves nothing half written, and the next sweep completes
    the work.
    """
    began = time.perf_counter()
    day = day or program.today()
    sweep = SweepDay(program=program, day=day, chw_ids=chw_ids)
    result = SweepResult(program=program, day=day)
    # Alerts the sweep opens or resolves on its own are the system's (unless a task, a
    # command or a person's write named who acts).
    with audit.system(audit.ALERT_SWEEP), transaction.atomic():
        # One sweep of a program at a time (a refresh and the daily sweep may meet): the
        # second waits here rather than inserting the same alert twice.
        Program.objects.select_for_update().filter(pk=program.pk).exists()
        findings: dict[tuple, Finding] = {}
        for rule in dict.fromkeys(RULES.values()):  # each rule once, in a stable order
            for finding in rule(sweep):
                findings[finding.subject] = finding
        # Kinds without a rule here (opened by other processes) are left alone.
        # Whole rows: each change writes its historical row, a copy of every field.
        live = sweep.scoped(
            Alert.objects.filter(program=program, cleared_on__isnull=True, kind__in=list(RULES))
        )
        _apply(program, day, findings, list(live), result)
        result.seconds = time.perf_counter() - began
        if chw_ids is None:
            SweepRun.objects.create(
                program=program,
                day=day,
                scheduled=scheduled,
                opened=dict(result.opened),
                resolved=dict(result.resolved),
                seconds=round(result.seconds, 3),
            )
    return result


def _apply(
    program: Program,
    day: dt.date,
    findings: dict[tuple, Finding],
    live: list[Alert],
    result: SweepResult,
) -> None:
    """Open, refresh, resolve and clear alerts with a bounded number of bulk writes."""
    now = timezone.now()
    by_subject: dict[tuple, list[Alert]] = defaultdict(list)
    for alert in live:
        by_subject[(alert.kind, alert.enrollment_id, alert.chw_id)].append(alert)
    to_resolve: list[Alert] = []  # unresolved, condition gone: resolved by system
    to_clear: list[Alert] = []  # resolved by a person, occurrence over
    to_refresh: list[Alert] = []  # unresolved, facts or occurrence changed
    to_open: list[Alert] = []
    for subject, alerts in by_subject.items():
        finding = findings.get(subject)
        for alert in alerts:
            if alert.is_unresolved:
                if finding is None:
                    to_resolve.append(alert)
                    result.resolved[alert.kind] += 1
                elif (alert.occurrence, alert.facts) != (finding.occurrence, finding.facts):
                    if alert.occurrence != finding.occurrence:
                        alert.status = Alert.Status.OPEN  # something new: needs eyes again
                    alert.occurrence, alert.facts = finding.occurrence, finding.facts
                    to_refresh.append(alert)
            elif finding is None or finding.occurrence != alert.occurrence:
                to_clear.append(alert)
    for subject, finding in findings.items():
        alerts = by_subject.get(subject, [])
        if not any(a.is_unresolved or a.occurrence == finding.occurrence for a in alerts):
            to_open.append(
                Alert(
                    program=program,
                    kind=finding.kind,
                    enrollment_id=finding.enrollment_id,
                    chw_id=finding.chw_id,
                    opened_on=day,
                    occurrence=finding.occurrence,
                    facts=finding.facts,
                )
            )
            result.opened[finding.kind] += 1
    # Each write pairs with its history: one historical row per alert changed, written in
    # bulk (impact.audit), so the sweep's query count stays independent of the caseload.
    for chunk in _chunks([a.pk for a in to_resolve]):
        Alert.objects.filter(pk__in=chunk).update(
            status=Alert.Status.RESOLVED, resolved_at=now, cleared_on=day
        )
        audit.record(Alert, chunk)
    for chunk in _chunks([a.pk for a in to_clear]):
        Alert.objects.filter(pk__in=chunk).update(cleared_on=day)
        audit.record(Alert, chunk)
    audit.bulk_update(Alert, to_refresh, ["status", "occurrence", "facts"], batch_size=500)
    audit.bulk_create(Alert, to_open, batch_size=500)


def _chunks(items: list, size: int = 900) -> Iterator[list]:
    """Slices small enough for any database's limit on query parameters."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def alerts_refresh(*, program: Program, chw_ids: Iterable[int | None]) -> SweepResult:
    """Re-evaluate the alerts of these CHWs today, after a write that may change them."""
    return alerts_sweep(program=program, chw_ids={pk for pk in chw_ids if pk is not None})

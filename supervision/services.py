"""Writes to supervision records. Every rule is checked here; each refusal is a
ValidationError keyed by the field it concerns, and nothing is written when one is raised."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from caseloads.alerts import alerts_refresh, alerts_sweep
from caseloads.models import Enrollment
from impact import audit
from impact.lib.dates import shown
from impact.lib.text import NOTES_MAX_LENGTH
from impact.models import Program, Role, TrainingRecord, User
from supervision.burnout import burnout_for, level_for
from supervision.models import (
    BurnoutSnapshot,
    FollowUp,
    SupervisionSession,
    TimeOff,
    WellbeingCheckIn,
)

# Further ahead than this is a typing slip.
MAX_DAYS_AHEAD = 366


def manages(manager: User, chw: User) -> bool:
    """Whether `manager` manages a team `chw` is a CHW on."""
    return (
        manager.role == Role.MANAGER
        and chw.role == Role.CHW
        and chw.team is not None
        and chw.team.manager_id == manager.pk
    )


def _check_text(errors: dict, **texts: str) -> None:
    for name, text in texts.items():
        if len(text) > NOTES_MAX_LENGTH:
            errors[name] = _("Keep this under %(limit)d characters.") % {"limit": NOTES_MAX_LENGTH}


def session_record(
    *,
    manager: User,
    chw: User,
    kind: str,
    occurred_on: dt.date,
    duration_minutes: int,
    notes: str = "",
    private_notes: str = "",
    wellbeing_discussed: bool = False,
    enrollments: Iterable[Enrollment] = (),
    others: Iterable[User] = (),
    follow_ups: Iterable[tuple[str, dt.date]] = (),
    submission_key: uuid.UUID | None = None,
) -> SupervisionSession:
    """Record a supervision session with one of the manager's CHWs (and, for a huddle,
    others of their CHWs), the patients discussed and the follow-ups agreed."""
    if submission_key and (existing := _session_submitted(submission_key)):
        return existing
    enrollments, others, follow_ups = list(enrollments), list(others), list(follow_ups)
    errors = _session_errors(
        manager=manager,
        chw=chw,
        kind=kind,
        occurred_on=occurred_on,
        enrollments=enrollments,
        others=others,
        follow_ups=follow_ups,
    )
    _check_text(errors, notes=notes, private_notes=private_notes)
    present = {chw.pk} | {other.pk for other in others}
    if errors:
        raise ValidationError(errors)
    session = SupervisionSession(
        manager=manager,
        chw=chw,
        kind=kind,
        occurred_on=occurred_on,
        duration_minutes=duration_minutes,
        notes=notes.strip(),
        private_notes=private_notes.strip(),
        wellbeing_discussed=wellbeing_discussed,
        submission_key=submission_key,
    )
    session.full_clean(exclude=["manager", "chw"])
    return _session_save(
        session, enrollments=enrollments, others=others, follow_ups=follow_ups, present=present
    )


def _session_submitted(submission_key: uuid.UUID) -> SupervisionSession | None:
    """The session a form submitted with `submission_key` already recorded, if any."""
    return SupervisionSession.objects.filter(submission_key=submission_key).first()


def _session_save(
    session: SupervisionSession,
    *,
    enrollments: list[Enrollment],
    others: list[User],
    follow_ups: list[tuple[str, dt.date]],
    present: set[int],
) -> SupervisionSession:
    """Save a new session with the patients discussed, the others present and the
    follow-ups, refreshing the alerts of the CHWs `present`; or the session a concurrent
    submission of the same form saved first."""
    submission_key = session.submission_key
    try:
        with transaction.atomic():
            session.save()
            session.enrollments_discussed.set(enrollments)
            session.others_present.set(others)
            audit.bulk_create(
                FollowUp,
                (
                    FollowUp(session=session, description=d.strip(), due_on=due)
                    for d, due in follow_ups
                ),
            )
            # A one on one resolves supervision_overdue.
            alerts_refresh(program=session.manager.own_program, chw_ids=present)
    except IntegrityError:
        if submission_key and (existing := _session_submitted(submission_key)):
            return existing
        raise
    return session


def _session_errors(
    *,
    manager: User,
    chw: User,
    kind: str,
    occurred_on: dt.date,
    enrollments: list[Enrollment],
    others: list[User],
    follow_ups: list[tuple[str, dt.date]],
) -> dict[str, str]:
    """The problems, by field, with recording this session: a CHW or others present the
    manager does not manage, a day in the future or over a year ago, an unknown kind,
    others present outside a huddle, patients of CHWs not in the session, and follow-ups
    without a description or due outside [the session, a year from today]."""
    errors: dict[str, str] = {}
    if not manages(manager, chw):
        errors["chw"] = _("Choose a CHW on a team you manage.")
    today = manager.own_program.today()
    if occurred_on > today:
        errors["occurred_on"] = _("The session cannot be in the future.")
    elif occurred_on < today - dt.timedelta(days=MAX_DAYS_AHEAD):
        errors["occurred_on"] = _("Record sessions of the last year only.")
    if kind not in SupervisionSession.Kind.values:
        errors["kind"] = _("Choose the kind of session.")
    if others and kind != SupervisionSession.Kind.HUDDLE:
        errors["others_present"] = _("Only a huddle has other CHWs present.")
    elif any(not manages(manager, other) or other.pk == chw.pk for other in others):
        errors["others_present"] = _("Choose other CHWs on the teams you manage.")
    present = {chw.pk} | {other.pk for other in others}
    if any(e.chw_id not in present for e in enrollments):
        errors["enrollments_discussed"] = _("Choose patients of the CHWs in this session.")
    for n, (description, due_on) in enumerate(follow_ups):
        if not description.strip():
            errors[f"follow_up_{n}"] = _("Describe the follow-up.")
        elif due_on < occurred_on:
            errors[f"follow_up_{n}"] = _("A follow-up cannot be due before the session.")
        elif due_on > today + dt.timedelta(days=MAX_DAYS_AHEAD):
            errors[f"follow_up_{n}"] = _("Choose a due date within the next year.")
    return errors


def follow_up_done(*, follow_up: FollowUp, by: User) -> FollowUp:
    """The CHW or their manager marks a follow-up done today."""
    if follow_up.done_on:
        raise ValidationError({"done_on": _("This follow-up is already done.")})
    follow_up.done_on = by.own_program.today()
    follow_up.save(update_fields=["done_on"])
    return follow_up


def check_in_save(
    *,
    chw: User,
    on: dt.date,
    burnout_score: int,
    stressors: Iterable[str] = (),
    integration_friction: int = 0,
    wants_support: bool = False,
    notes: str = "",
) -> WellbeingCheckIn:
    """The CHW's own check-in; a second one the same day replaces the first. Asking for
    support opens `support_requested` for their manager at once (and taking the request
    back the same day resolves it), not at the next nightly sweep."""
    errors: dict[str, str] = {}
    if chw.role != Role.CHW:
        errors["burnout_score"] = _("Check-ins are for community health workers.")
    if not isinstance(burnout_score, int) or not 1 <= burnout_score <= 5:
        errors["burnout_score"] = _("Choose a number from 1 to 5.")
    if on > chw.own_program.today():
        errors["on"] = _("The check-in cannot be in the future.")
    stressors = list(stressors)
    if set(stressors) - set(WellbeingCheckIn.Stressor.values):
        errors["stressors"] = _("Choose from the list.")
    if not 0 <= integration_friction <= 100:
        errors["integration_friction"] = _("Enter a number from 0 to 100.")
    _check_text(errors, notes=notes)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        check_in, _created = WellbeingCheckIn.objects.update_or_create(
            chw=chw,
            on=on,
            defaults={
                "burnout_score": burnout_score,
                "stressors": stressors,
                "integration_friction": integration_friction,
                "wants_support": wants_support,
                "notes": notes.strip(),
            },
        )
        alerts_refresh(program=chw.own_program, chw_ids=[chw.pk])
    return check_in


def time_off_record(
    *, chw: User, starts_on: dt.date, ends_on: dt.date, by: User, backup: User | None = None
) -> TimeOff:
    """Record time off, by the CHW or their manager; periods of one CHW never overlap."""
    errors: dict[str, str] = {}
    if not (by.pk == chw.pk and chw.role == Role.CHW) and not manages(by, chw):
        errors["chw"] = _("Record time off for yourself or for a CHW on a team you manage.")
    if ends_on < starts_on:
        errors["ends_on"] = _("The last day off cannot be before the first.")
    elif (ends_on - starts_on).days > MAX_DAYS_AHEAD:
        errors["ends_on"] = _("Record at most a year at a time.")
    today = chw.own_program.today() if chw.program_id else by.own_program.today()
    if starts_on > today + dt.timedelta(days=MAX_DAYS_AHEAD):
        errors["starts_on"] = _("Choose a first day within the next year.")
    elif starts_on < today - dt.timedelta(days=MAX_DAYS_AHEAD):
        errors["starts_on"] = _("Record time off of the last year only.")
    overlapping = TimeOff.objects.filter(
        chw=chw, starts_on__lte=ends_on, ends_on__gte=starts_on
    ).first()
    if overlapping and "ends_on" not in errors:
        errors["starts_on"] = _(
            "This overlaps time off already recorded (%(start)s – %(end)s)."
        ) % {
            "start": shown(overlapping.starts_on),
            "end": shown(overlapping.ends_on),
        }
    if backup is not None and (
        backup.pk == chw.pk or backup.role != Role.CHW or backup.team_id != chw.team_id
    ):
        errors["backup"] = _("Choose a teammate as backup.")
    if errors:
        raise ValidationError(errors)
    return TimeOff.objects.create(
        chw=chw, starts_on=starts_on, ends_on=ends_on, backup=backup, recorded_by=by
    )


def training_record(
    *, user: User, topic: str, completed_on: dt.date, by: User, note: str = ""
) -> TrainingRecord:
    """A manager records a training one of their CHWs completed."""
    errors: dict[str, str] = {}
    if not manages(by, user):
        errors["topic"] = _("Record trainings for CHWs on a team you manage.")
    if topic not in TrainingRecord.Topic.values:
        errors["topic"] = _("Choose the training.")
    if completed_on > by.own_program.today():
        errors["completed_on"] = _("The completion date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    return TrainingRecord.objects.create(
        user=user, topic=topic, completed_on=completed_on, note=note.strip()
    )


def burnout_snapshot(
    *, program: Program, day: dt.date | None = None, sweep: bool = True
) -> list[BurnoutSnapshot]:
    """Compute every CHW's burnout-risk factors as of `day` and store them: one snapshot
    per CHW per day (a second run the same day replaces, never doubles); then, unless
    `sweep` is off (replaying history), bring today's alerts in line (burnout_risk_high
    for the manager)."""
    day = day or program.today()
    results = burnout_for(program=program, day=day)
    rows = []
    for chw_id, factors in results.items():
        flags = sum(1 for factor in factors if factor.flagged)
        rows.append(
            BurnoutSnapshot(
                chw_id=chw_id,
                as_of=day,
                factors={factor.code: factor.to_json() for factor in factors},
                flag_count=flags,
                level=level_for(flags),
            )
        )
    with transaction.atomic():
        BurnoutSnapshot.objects.filter(chw_id__in=list(results), as_of=day).delete()
        BurnoutSnapshot.objects.bulk_create(rows, batch_size=500)
        if sweep:
            alerts_sweep(program=program)
    return rows

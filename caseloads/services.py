"""Writes to patients, enrollments and encounters. Every write goes through here.

Rules are checked here (not only in forms) so that every caller, a view, a command or a
task, keeps them; each violation is a ValidationError keyed by the field it concerns, so
a form can show it next to that field.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from caseloads.alerts import alerts_refresh
from caseloads.extensions import encounter_fields
from caseloads.models import (
    Alert,
    Encounter,
    Enrollment,
    EnrollmentReassignment,
    Patient,
)
from impact import audit
from impact.lib.dates import shown
from impact.lib.text import NOTES_MAX_LENGTH
from impact.models import Program, Role, User

# A phone's clock may run a little ahead of the server's.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)


def _normalise(text: str) -> str:
    return " ".join(text.casefold().split())


def patient_possible_duplicates(
    *, program: Program, given_name: str, family_name: str, date_of_birth: dt.date
) -> list[Patient]:
    """Patients of the program born the same day whose name looks like this one.

    "Looks like": the same family name, or the same given name, ignoring case and extra
    spaces (a swapped or misspelt family name is still caught by the given name).
    """
    given, family = _normalise(given_name), _normalise(family_name)
    same_day = Patient.objects.filter(program=program, date_of_birth=date_of_birth)
    return [
        patient
        for patient in same_day
        if _normalise(patient.family_name) == family or _normalise(patient.given_name) == given
    ]


def patient_create(*, program: Program, by: User, **fields: Any) -> Patient:
    """Create a patient after checking the MRN is not taken in the program."""
    patient = Patient(program=program, created_by=by, **fields)
    patient.full_clean(exclude=["program", "created_by"])
    if patient.mrn and Patient.objects.filter(program=program, mrn=patient.mrn).exists():
        raise ValidationError({"mrn": _("Another patient in this program has this MRN.")})
    patient.save()
    return patient


def _check_chw(*, chw: User, program: Program) -> None:
    if chw.role != Role.CHW or chw.team is None or chw.team.program_id != program.pk:
        raise ValidationError({"chw": _("Choose a community health worker in this program.")})


def enrollment_create(
    *,
    patient: Patient,
    chw: User,
    status: str,
    referred_on: dt.date,
    enrolled_on: dt.date | None,
    by: User,
    close_reason: str = "",
    submission_key: uuid.UUID | None = None,
) -> Enrollment:
    """Record a referral outcome or start an enrollment for a patient.

    `enrolled` starts support with `planned_end_on = enrolled_on + intervention_days`;
    `referred` records a referral awaiting outreach; `declined` and `ineligible` close
    the referral on the day it was recorded. A form submitted twice (same
    `submission_key`) returns the enrollment the first submission created.
    """
    if submission_key and (existing := _enrollment_submitted(submission_key)):
        return existing
    program = patient.program
    _check_chw(chw=chw, program=program)
    errors = _enrollment_errors(
        patient=patient, status=status, referred_on=referred_on, enrolled_on=enrolled_on
    )
    if errors:
        raise ValidationError(errors)
    enrollment = Enrollment(
        patient=patient,
        program=program,
        chw=chw,
        status=status,
        referred_on=referred_on,
        enrolled_on=enrolled_on,
        created_by=by,
        submission_key=submission_key,
        close_reason=close_reason,
    )
    if status == Enrollment.Status.ENROLLED:
        assert enrolled_on is not None  # _enrollment_errors refuses an enrollment without it
        enrollment.planned_end_on = enrolled_on + dt.timedelta(days=program.intervention_days)
    elif status in (Enrollment.Status.DECLINED, Enrollment.Status.INELIGIBLE):
        enrollment.closed_on = referred_on
    return _enrollment_save(enrollment, submission_key=submission_key)


def _enrollment_submitted(submission_key: uuid.UUID) -> Enrollment | None:
    """The enrollment a form submitted with `submission_key` already created, if any."""
    return Enrollment.objects.filter(submission_key=submission_key).first()


def _enrollment_errors(
    *, patient: Patient, status: str, referred_on: dt.date, enrolled_on: dt.date | None
) -> dict[str, str]:
    """The problems, by field, with recording this outcome for `patient`: an outcome
    that cannot be recorded here, dates in the future or out of order, an enrollment
    date on an outcome that is not an enrollment, or a second open enrollment."""
    program = patient.program
    today = program.today()
    errors: dict[str, str] = {}
    allowed = {
        Enrollment.Status.REFERRED,
        Enrollment.Status.ENROLLED,
        Enrollment.Status.DECLINED,
        Enrollment.Status.INELIGIBLE,
    }
    if status not in allowed:
        errors["status"] = _("Choose enrolled, referred, declined or ineligible.")
    if referred_on > today:
        errors["referred_on"] = _("The referral date cannot be in the future.")
    if status == Enrollment.Status.ENROLLED:
        if enrolled_on is None:
            errors["enrolled_on"] = _("Enter the date the patient enrolled.")
        elif enrolled_on > today:
            errors["enrolled_on"] = _("The enrollment date cannot be in the future.")
        elif enrolled_on < referred_on:
            errors["enrolled_on"] = _("The patient cannot enroll before they were referred.")
    elif enrolled_on is not None:
        errors["enrolled_on"] = _("Leave the enrollment date empty unless the patient enrolled.")
    if status in Enrollment.OPEN_STATUSES and (
        Enrollment.objects.filter(
            patient=patient, program=program, status__in=Enrollment.OPEN_STATUSES
        ).exists()
    ):
        errors["status"] = _(
            "This patient already has an open enrollment in the program. Close it first."
        )
    return errors


def _enrollment_save(enrollment: Enrollment, *, submission_key: uuid.UUID | None) -> Enrollment:
    """Save a new enrollment (refreshing its CHW's alerts when it starts support), or
    the one a concurrent submission of the same form saved first."""
    try:
        with transaction.atomic():
            enrollment.save()
            if enrollment.status == Enrollment.Status.ENROLLED:
                alerts_refresh(program=enrollment.program, chw_ids=[enrollment.chw_id])
    except IntegrityError as error:
        # A concurrent double submit, or an open enrollment created meanwhile.
        if submission_key and (existing := _enrollment_submitted(submission_key)):
            return existing
        raise ValidationError(
            {"status": _("This patient already has an open enrollment in the program.")}
        ) from error
    return enrollment


def encounter_flags(*, enrollment: Enrollment, occurred_at: dt.datetime) -> tuple[bool, bool]:
    """(after_hours, after_end) for an encounter at `occurred_at` (DESIGN.md §3)."""
    program = enrollment.program
    return (
        program.is_after_hours(occurred_at),
        enrollment.is_after_end(program.local_date(occurred_at)),
    )


@dataclass(frozen=True)
class EncounterInput:
    occurred_at: dt.datetime
    kind: str
    reached: bool
    initiated_by: str = Encounter.InitiatedBy.CHW
    setting: str = ""
    duration_minutes: int | None = None
    notes: str = ""
    mental_health_crisis: bool = False
    safety_concern: bool = False


def encounter_log(
    *,
    enrollment: Enrollment,
    author: User,
    data: EncounterInput,
    next_touchpoint_on: dt.date | None = None,
    submission_key: uuid.UUID | None = None,
    **extra: Any,
) -> Encounter:
    """Log an encounter, deriving `after_hours` and `after_end`.

    Refused: a time in the future, a time before the enrollment (or referral) started,
    and encounters on referrals that were declined or found ineligible. Contacts after
    the end date are accepted and flagged: patients keep calling, and that is exactly
    what the program must see.

    `extra`: the values of the fields later apps add to the visit, by name
    (caseloads.extensions: the action plan's `goals` worked on), checked with the rest
    and saved in the same transaction.
    """
    if submission_key and (existing := _encounter_submitted(submission_key)):
        return existing
    errors = _encounter_errors(
        enrollment=enrollment, data=data, next_touchpoint_on=next_touchpoint_on
    )
    extensions, errors = _extension_values(enrollment, extra, errors)
    if errors:
        raise ValidationError(errors)
    encounter = _new_encounter(
        enrollment=enrollment, author=author, data=data, submission_key=submission_key
    )
    encounter.full_clean(exclude=["enrollment", "author"])
    try:
        with transaction.atomic():
            encounter.save()
            for save, value in extensions:
                save(encounter, value)
            if next_touchpoint_on:
                audit.update(
                    Enrollment.objects.filter(pk=enrollment.pk),
                    next_touchpoint_on=next_touchpoint_on,
                )
                enrollment.next_touchpoint_on = next_touchpoint_on
            # A contact resolves no_recent_contact; after-end and after-hours work open alerts.
            alerts_refresh(program=enrollment.program, chw_ids=[enrollment.chw_id, author.pk])
    except IntegrityError:
        existing = _encounter_submitted(submission_key) if submission_key else None
        if existing:
            return existing
        raise
    return encounter


def _encounter_submitted(submission_key: uuid.UUID) -> Encounter | None:
    """The encounter a form submitted with `submission_key` already logged, if any."""
    return Encounter.objects.filter(submission_key=submission_key).first()


def _extension_values(
    enrollment: Enrollment, extra: dict[str, Any], errors: dict[str, str]
) -> tuple[list[tuple[Callable[[Encounter, Any], None], Any]], dict[str, str]]:
    """Each added field's save and cleaned value, and `errors` with its refusals (by
    field). A name no app registered is a programming error."""
    fields = {field.name: field for field in encounter_fields()}
    if unknown := set(extra) - set(fields):
        raise TypeError(f"encounter_log() got unexpected keyword arguments {sorted(unknown)}")
    errors = dict(errors)
    values = []
    for name, value in extra.items():
        try:
            values.append((fields[name].save, fields[name].clean(enrollment, value)))
        except ValidationError as error:
            errors[name] = error.messages[0]
    return values, errors


def _encounter_errors(
    *,
    enrollment: Enrollment,
    data: EncounterInput,
    next_touchpoint_on: dt.date | None,
) -> dict[str, str]:
    """The problems, by field, with logging `data` on `enrollment`: a referral closed
    without enrollment, a time in the future or before the enrollment started, notes too
    long, or a next contact in the past (the added fields' are `_extension_values`')."""
    program = enrollment.program
    errors: dict[str, str] = {}
    if enrollment.status in (Enrollment.Status.DECLINED, Enrollment.Status.INELIGIBLE):
        errors["kind"] = _("This referral was closed without enrollment; nothing can be logged.")
    if timezone.is_naive(data.occurred_at):
        raise ValueError("occurred_at must be an aware datetime")
    if data.occurred_at > timezone.now() + FUTURE_TOLERANCE:
        errors["occurred_at"] = _("The visit cannot be in the future.")
    elif program.local_date(data.occurred_at) < enrollment.started_on:
        errors["occurred_at"] = _(
            "The visit cannot be before the enrollment started (%(day)s)."
        ) % {"day": shown(enrollment.started_on)}
    if len(data.notes) > NOTES_MAX_LENGTH:
        # TextField.max_length is not validated by the model: check it here for every caller.
        errors["notes"] = _("Keep notes under %(limit)d characters (this has %(count)d).") % {
            "limit": NOTES_MAX_LENGTH,
            "count": len(data.notes),
        }
    if next_touchpoint_on and next_touchpoint_on < program.today():
        errors["next_touchpoint_on"] = _("The next contact must be today or later.")
    return errors


def _new_encounter(
    *,
    enrollment: Enrollment,
    author: User,
    data: EncounterInput,
    submission_key: uuid.UUID | None,
) -> Encounter:
    """The encounter to save, with its derived fields: whether the patient was reached (a
    non-contact never is), the setting (the kind's default), `after_hours`, `after_end`."""
    after_hours, after_end = encounter_flags(enrollment=enrollment, occurred_at=data.occurred_at)
    return Encounter(
        enrollment=enrollment,
        author=author,
        occurred_at=data.occurred_at,
        kind=data.kind,
        setting=data.setting or Encounter.DEFAULT_SETTING[data.kind],
        reached=data.reached and data.kind not in Encounter.NON_CONTACT_KINDS,
        initiated_by=data.initiated_by,
        duration_minutes=data.duration_minutes,
        notes=data.notes,
        mental_health_crisis=data.mental_health_crisis,
        safety_concern=data.safety_concern,
        after_hours=after_hours,
        after_end=after_end,
        submission_key=submission_key,
    )


def enrollment_reassign(
    *, enrollment: Enrollment, to_chw: User, reason: str, by: User
) -> Enrollment:
    """Move an open enrollment to another CHW on the same team, recording why."""
    errors: dict[str, str] = {}
    if not enrollment.is_open:
        errors["to_chw"] = _("Only open enrollments can be reassigned.")
    if to_chw.role != Role.CHW or to_chw.team_id is None:
        errors["to_chw"] = _("Choose a community health worker.")
    elif to_chw.team_id != enrollment.chw.team_id:
        errors["to_chw"] = _("Choose a CHW on the same team; ask an administrator to move teams.")
    elif to_chw.pk == enrollment.chw_id:
        errors["to_chw"] = _("This patient is already with this CHW.")
    if not reason.strip():
        errors["reason"] = _("Say why the patient is reassigned.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        EnrollmentReassignment.objects.create(
            enrollment=enrollment, from_chw=enrollment.chw, to_chw=to_chw, reason=reason, by=by
        )
        from_chw_id = enrollment.chw_id
        enrollment.chw = to_chw
        enrollment.save(update_fields=["chw"])
        alerts_refresh(program=enrollment.program, chw_ids=[from_chw_id, to_chw.pk])
    return enrollment


# -- the end of an enrollment -------------------------------------------------------------


def encounters_reflag(
    *, program: Program, encounters: QuerySet[Encounter] | None = None, chunk: int = 5000
) -> int:
    """Recompute `after_hours` and `after_end` from what is stored now: for every
    encounter of the program (its working hours, days or time zone changed), or for
    `encounters` (an enrollment's, after its end or closing date changed). Reads in
    chunks, writes only what changed; returns how many changed."""
    if encounters is None:
        encounters = Encounter.objects.filter(enrollment__program=program)
    changed: dict[tuple[bool, bool], list[int]] = {}
    rows = encounters.values_list(
        "pk",
        "occurred_at",
        "after_hours",
        "after_end",
        "enrollment__planned_end_on",
        "enrollment__closed_on",
    )
    for pk, occurred_at, after_hours, after_end, planned_end, closed in rows.iterator(
        chunk_size=chunk
    ):
        day = program.local_date(occurred_at)
        flags = (
            program.is_after_hours(occurred_at),
            bool((planned_end and day > planned_end) or (closed and day > closed)),
        )
        if flags != (after_hours, after_end):
            changed.setdefault(flags, []).append(pk)
    for (hours, end), pks in changed.items():
        for start in range(0, len(pks), audit.CHUNK):
            part = pks[start : start + audit.CHUNK]
            Encounter.objects.filter(pk__in=part).update(after_hours=hours, after_end=end)
            audit.record(Encounter, part)
    return sum(len(pks) for pks in changed.values())


def _check_closing(enrollment: Enrollment, closed_on: dt.date | None) -> dict[str, str]:
    if enrollment.status != Enrollment.Status.ENROLLED:
        return {
            "closed_on": _(
                "Only an enrolled patient can graduate or withdraw; this enrollment is %(status)s."
            )
            % {"status": enrollment.get_status_display().lower()}
        }
    if closed_on is None:
        return {"closed_on": _("Enter the closing date.")}
    enrolled_on, _planned_end_on = enrollment.ran_dates()
    if closed_on < enrolled_on:
        return {
            "closed_on": _("The closing date cannot be before the enrollment started (%(day)s).")
            % {"day": shown(enrolled_on)}
        }
    if closed_on > enrollment.program.today():
        return {"closed_on": _("The closing date cannot be in the future.")}
    return {}


def enrollment_close_errors(
    *,
    enrollment: Enrollment,
    status: str,
    closed_on: dt.date | None,
    summary: str = "",
    handoff_to: str = "",
    handoff_accepted: bool | None = None,
    reason: str = "",
) -> dict[str, str]:
    """What is wrong with closing the enrollment this way (empty when nothing is)."""
    errors = _check_closing(enrollment, closed_on)
    if status == Enrollment.Status.GRADUATED:
        if not summary.strip():
            errors["summary"] = _("Write a short summary of the patient's time in the program.")
        elif len(summary) > NOTES_MAX_LENGTH:
            errors["summary"] = _("Keep the summary under %(limit)d characters.") % {
                "limit": NOTES_MAX_LENGTH
            }
        if not handoff_to.strip():
            errors["handoff_to"] = _("Name the person or service taking over.")
        if handoff_accepted is None:
            errors["handoff_accepted"] = _("Say whether the patient accepted the handoff.")
    elif status == Enrollment.Status.WITHDRAWN:
        if not reason.strip():
            errors["close_reason"] = _("Say why the enrollment is closed.")
    else:
        errors["status"] = _("Choose graduated or withdrawn.")
    return errors


def enrollment_close(
    *,
    enrollment: Enrollment,
    status: str,
    closed_on: dt.date | None,
    by: User,
    summary: str = "",
    handoff_to: str = "",
    handoff_accepted: bool | None = None,
    reason: str = "",
) -> Enrollment:
    """Graduate (with a summary and a named handoff) or withdraw (with a reason) an
    enrolled patient. Goals are the action plan's business: see
    `actionplans.services.enrollment_graduate`, which calls this."""
    fields = {
        "status": status,
        "closed_on": closed_on,
        "summary": summary.strip() if status == Enrollment.Status.GRADUATED else "",
        "handoff_to": handoff_to.strip() if status == Enrollment.Status.GRADUATED else "",
        "handoff_accepted": handoff_accepted if status == Enrollment.Status.GRADUATED else None,
        "close_reason": reason.strip() if status == Enrollment.Status.WITHDRAWN else "",
    }
    errors = enrollment_close_errors(
        enrollment=enrollment,
        status=status,
        closed_on=closed_on,
        summary=summary,
        handoff_to=handoff_to,
        handoff_accepted=handoff_accepted,
        reason=reason,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Compare-and-set: of two closings at once, only the first one lands.
        updated = audit.update(
            Enrollment.objects.filter(pk=enrollment.pk, status=Enrollment.Status.ENROLLED),
            closed_by=by,
            **fields,
        )
        if not updated:
            raise ValidationError({"closed_on": _("This enrollment was closed meanwhile.")})
        for name, value in fields.items():
            setattr(enrollment, name, value)
        enrollment.closed_by = by
        encounters_reflag(program=enrollment.program, encounters=enrollment.encounters.all())
        alerts_refresh(program=enrollment.program, chw_ids=[enrollment.chw_id])
    return enrollment


def enrollment_extend(
    *, enrollment: Enrollment, planned_end_on: dt.date | None, reason: str, by: User
) -> Enrollment:
    """A manager moves the planned end date later, once, saying why, by at most one more
    standard period (longer than that is a new enrollment, not an extension)."""
    program = enrollment.program
    errors: dict[str, str] = {}
    current = enrollment.planned_end_on
    today = program.today()
    if (
        by.role != Role.MANAGER
        or enrollment.chw.team is None
        or enrollment.chw.team.manager_id != by.pk
    ):
        errors["planned_end_on"] = _("Only the CHW's manager can extend an enrollment.")
    # A referral has no planned end yet: refused here, before any date is compared.
    elif enrollment.status != Enrollment.Status.ENROLLED or current is None:
        errors["planned_end_on"] = _("Only an enrolled patient's end date can be extended.")
    elif enrollment.extended_from is not None:  # was_extended
        errors["planned_end_on"] = _(
            "This enrollment was already extended once (from %(day)s); it cannot be extended "
            "again. Graduate the patient with a handoff."
        ) % {"day": shown(enrollment.extended_from)}
    elif planned_end_on is None:
        errors["planned_end_on"] = _("Enter the new planned end date.")
    elif planned_end_on <= current:
        errors["planned_end_on"] = _(
            "The new end date must be after the current one (%(day)s)."
        ) % {"day": shown(current)}
    elif planned_end_on <= today:
        errors["planned_end_on"] = _(
            "The new end date must be after today: an extension gives the patient more time."
        )
    elif planned_end_on > (
        latest := max(current, today) + dt.timedelta(days=program.intervention_days)
    ):
        errors["planned_end_on"] = _(
            "Extend by at most one standard period (%(n)d days), to %(day)s at the latest."
        ) % {"n": program.intervention_days, "day": shown(latest)}
    if not reason.strip():
        errors["extension_reason"] = _("Say why the enrollment is extended.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        updated = audit.update(
            Enrollment.objects.filter(
                pk=enrollment.pk, status=Enrollment.Status.ENROLLED, extended_from__isnull=True
            ),
            planned_end_on=planned_end_on,
            extended_from=current,
            extension_reason=reason.strip(),
            extended_by=by,
            extended_at=timezone.now(),
        )
        if not updated:
            raise ValidationError({"planned_end_on": _("This enrollment changed meanwhile.")})
        enrollment.refresh_from_db()
        encounters_reflag(program=enrollment.program, encounters=enrollment.encounters.all())
        alerts_refresh(program=program, chw_ids=[enrollment.chw_id])
    return enrollment


# -- alerts -------------------------------------------------------------------------------


def alert_acknowledge(*, alert: Alert, by: User, note: str = "") -> Alert:
    """Mark an open alert as seen, with an optional note on what is being done."""
    return _alert_mark(alert, by=by, note=note, acknowledged=True)


def alert_resolve(*, alert: Alert, by: User, note: str = "") -> Alert:
    """A person resolves an alert; the sweep will not reopen it for the same occurrence.

    Alerts about the CHW as a whole (caseload over the cap, work after hours) are the
    manager's to resolve: a CHW acknowledges them, so the pattern stays in view."""
    if alert.is_unresolved and by.role == Role.CHW and alert.about_chw:
        raise ValidationError(
            {"note": _("Your manager resolves this one with you; acknowledge it with a note.")}
        )
    return _alert_mark(alert, by=by, note=note, acknowledged=False)


def _alert_mark(alert: Alert, *, by: User, note: str, acknowledged: bool) -> Alert:
    if not alert.is_unresolved:
        raise ValidationError({"note": _("This alert is already resolved.")})
    if len(note) > NOTES_MAX_LENGTH:
        raise ValidationError(
            {"note": _("Keep the note under %(limit)d characters.") % {"limit": NOTES_MAX_LENGTH}}
        )
    if acknowledged:
        alert.status = Alert.Status.ACKNOWLEDGED
        alert.acknowledged_at, alert.acknowledged_by = timezone.now(), by
        fields = ["status", "acknowledged_at", "acknowledged_by"]
    else:
        alert.status = Alert.Status.RESOLVED
        alert.resolved_at, alert.resolved_by = timezone.now(), by
        fields = ["status", "resolved_at", "resolved_by"]
    if note.strip():
        alert.note = note.strip()
    # Only while still unresolved: the sweep may have resolved it since the page loaded.
    updated = audit.update(
        Alert.objects.filter(pk=alert.pk, status__in=Alert.UNRESOLVED),
        **{name: getattr(alert, name) for name in [*fields, "note"]},
    )
    if not updated:
        raise ValidationError({"note": _("This alert is already resolved.")})
    return alert

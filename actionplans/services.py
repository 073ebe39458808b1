"""Writes to intakes, goals, action steps and partners. Every rule is checked here.

Each refusal is a ValidationError keyed by the field it concerns, so a form can show it
next to that field; nothing is written when one is raised.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from actionplans.models import ActionStep, Goal, Intake, Partner
from caseloads.alerts import alerts_refresh
from caseloads.models import Enrollment
from caseloads.services import enrollment_close, enrollment_close_errors
from impact import audit
from impact.lib.dates import shown
from impact.models import Program, User


def _check_enrollment_takes_plans(enrollment: Enrollment, field: str) -> None:
    """Goals and steps belong to a running enrollment (not a referral, not a closed one)."""
    if enrollment.status != Enrollment.Status.ENROLLED:
        raise ValidationError(
            {field: _("Goals and steps can only be added while the patient is enrolled.")}
        )


def _check_day(day: dt.date, *, enrollment: Enrollment, field: str, label: str) -> None:
    today = enrollment.program.today()
    if day > today:
        raise ValidationError({field: _("%(label)s cannot be in the future.") % {"label": label}})
    if enrollment.enrolled_on and day < enrollment.enrolled_on:
        raise ValidationError(
            {
                field: _("%(label)s cannot be before the enrollment started (%(day)s).")
                % {"label": label, "day": shown(enrollment.enrolled_on)}
            }
        )


# -- intake -------------------------------------------------------------------------------


def intake_save(*, enrollment: Enrollment, by: User, **fields: Any) -> Intake:
    """Create the enrollment's intake, or update it: there is one per enrollment."""
    if enrollment.status in (Enrollment.Status.DECLINED, Enrollment.Status.INELIGIBLE):
        raise ValidationError(
            {"life_story": _("This referral was closed without enrollment; there is no intake.")}
        )
    intake = Intake.objects.filter(enrollment=enrollment).first() or Intake(
        enrollment=enrollment, recorded_by=by, recorded_on=enrollment.program.today()
    )
    for name, value in fields.items():
        setattr(intake, name, value)
    intake.full_clean(exclude=["enrollment", "recorded_by"], validate_unique=False)
    try:
        with transaction.atomic():
            intake.save()
    except IntegrityError:
        # Two first saves at once (a double tap): the other one won; update it instead.
        intake = Intake.objects.get(enrollment=enrollment)
        for name, value in fields.items():
            setattr(intake, name, value)
        intake.save()
    return intake


# -- goals --------------------------------------------------------------------------------


def goal_create(
    *,
    enrollment: Enrollment,
    by: User,
    statement: str,
    category: str,
    set_on: dt.date,
    set_by: str = Goal.SetBy.PATIENT,
    condition: str = "",
    submission_key: uuid.UUID | None = None,
) -> Goal:
    """Record a goal the patient set, in their own words."""
    if submission_key and (existing := Goal.objects.filter(submission_key=submission_key).first()):
        return existing
    _check_enrollment_takes_plans(enrollment, "statement")
    if not statement.strip():
        raise ValidationError({"statement": _("Write the goal as the patient said it.")})
    _check_day(set_on, enrollment=enrollment, field="set_on", label=_("The date the goal was set"))
    goal = Goal(
        enrollment=enrollment,
        statement=statement.strip(),
        category=category,
        condition=condition,
        set_by=set_by,
        set_on=set_on,
        created_by=by,
        submission_key=submission_key,
    )
    goal.full_clean(exclude=["enrollment", "created_by"])
    with transaction.atomic():
        goal.save()
        alerts_refresh(program=enrollment.program, chw_ids=[enrollment.chw_id])  # goal_missing
    return goal


def goal_update(
    *,
    goal: Goal,
    by: User,
    statement: str,
    category: str,
    condition: str,
    set_by: str,
    set_on: dt.date,
    status: str,
    closed_on: dt.date | None,
) -> Goal:
    """Edit a goal and move it through its statuses.

    Closing (achieved, partly achieved, not achieved, dropped) needs a closing date on or
    after the day the goal was set and not in the future; reopening clears it.
    """
    enrollment = goal.enrollment
    errors: dict[str, str] = {}
    if not statement.strip():
        errors["statement"] = _("Write the goal as the patient said it.")
    try:
        _check_day(
            set_on, enrollment=enrollment, field="set_on", label=_("The date the goal was set")
        )
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if status in Goal.CLOSED_STATUSES:
        if closed_on is None:
            errors["closed_on"] = _("Enter the date the goal was closed.")
        elif closed_on < set_on:
            errors["closed_on"] = _("A goal cannot be closed before it was set (%(day)s).") % {
                "day": shown(set_on)
            }
        elif closed_on > enrollment.program.today():
            errors["closed_on"] = _("The closing date cannot be in the future.")
    else:
        if goal.status != Goal.Status.ACTIVE and enrollment.status != Enrollment.Status.ENROLLED:
            errors["status"] = _("A goal can only be reopened while the patient is enrolled.")
        closed_on = None
    if errors:
        raise ValidationError(errors)
    goal.statement, goal.category, goal.condition = statement.strip(), category, condition
    goal.set_by, goal.set_on, goal.status, goal.closed_on = set_by, set_on, status, closed_on
    goal.full_clean(exclude=["enrollment", "created_by"])
    with transaction.atomic():
        goal.save()
        if status in Goal.CLOSED_STATUSES:
            # A closed goal has no open steps left: they are not overdue, nobody works them.
            audit.update(
                goal.steps.filter(status__in=ActionStep.OPEN_STATUSES),
                status=ActionStep.Status.SKIPPED,
            )
    return goal


def _close_goals(goals: list[Goal], outcomes: dict[int, str], closed_on: dt.date) -> None:
    """Close each goal with its outcome; their open steps are skipped (see goal_update)."""
    by_status: dict[str, list[int]] = {}
    for goal in goals:
        by_status.setdefault(outcomes[goal.pk], []).append(goal.pk)
    for status, pks in by_status.items():
        audit.update(Goal.objects.filter(pk__in=pks), status=status, closed_on=closed_on)
    audit.update(
        ActionStep.objects.filter(
            goal__in=[g.pk for g in goals], status__in=ActionStep.OPEN_STATUSES
        ),
        status=ActionStep.Status.SKIPPED,
    )


def _goal_dates(goals: list[Goal], closed_on: dt.date | None) -> dict[str, str]:
    late = [g for g in goals if closed_on and g.set_on > closed_on]
    if late:
        return {
            "closed_on": _("A goal was set on %(day)s, after this closing date.")
            % {"day": shown(max(g.set_on for g in late))}
        }
    return {}


class Closing(TypedDict, total=False):
    """How an enrollment closes: the arguments of caseloads' enrollment_close."""

    status: str
    closed_on: dt.date | None
    summary: str
    handoff_to: str
    handoff_accepted: bool | None
    reason: str


def enrollment_graduate(
    *,
    enrollment: Enrollment,
    by: User,
    closed_on: dt.date | None,
    summary: str,
    handoff_to: str,
    handoff_accepted: bool | None,
    outcomes: dict[int, str],
) -> Enrollment:
    """Graduate the patient: each active goal gets its outcome (achieved, partly achieved,
    not achieved, dropped), and the enrollment its summary and named handoff."""
    goals = list(enrollment.goals.filter(status=Goal.Status.ACTIVE))
    closing: Closing = {
        "status": Enrollment.Status.GRADUATED,
        "closed_on": closed_on,
        "summary": summary,
        "handoff_to": handoff_to,
        "handoff_accepted": handoff_accepted,
    }
    errors = _goal_dates(goals, closed_on) | enrollment_close_errors(
        enrollment=enrollment, **closing
    )
    for goal in goals:
        if outcomes.get(goal.pk) not in Goal.CLOSED_STATUSES:
            errors[f"goal_{goal.pk}"] = _("Choose how this goal ended.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        enrollment_close(enrollment=enrollment, by=by, **closing)
        assert closed_on is not None  # enrollment_close_errors refuses a closing without it
        _close_goals(goals, outcomes, closed_on)
    return enrollment


def enrollment_withdraw(
    *, enrollment: Enrollment, by: User, closed_on: dt.date | None, reason: str
) -> Enrollment:
    """Close the enrollment as withdrawn; goals still active are closed as dropped."""
    goals = list(enrollment.goals.filter(status=Goal.Status.ACTIVE))
    closing: Closing = {
        "status": Enrollment.Status.WITHDRAWN,
        "closed_on": closed_on,
        "reason": reason,
    }
    errors = _goal_dates(goals, closed_on) | enrollment_close_errors(
        enrollment=enrollment, **closing
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        enrollment_close(enrollment=enrollment, by=by, **closing)
        assert closed_on is not None  # enrollment_close_errors refuses a closing without it
        _close_goals(goals, dict.fromkeys([g.pk for g in goals], Goal.Status.DROPPED), closed_on)
    return enrollment


# -- steps --------------------------------------------------------------------------------


# A step further ahead than this is a typing slip (and would overflow "+1 week" at year 9999).
MAX_DAYS_AHEAD = 366


def _check_due(due_on: dt.date, enrollment: Enrollment) -> dict[str, str]:
    if enrollment.enrolled_on and due_on < enrollment.enrolled_on:
        return {
            "due_on": _("The step cannot be due before the enrollment started (%(day)s).")
            % {"day": shown(enrollment.enrolled_on)}
        }
    if due_on > enrollment.program.today() + dt.timedelta(days=MAX_DAYS_AHEAD):
        return {"due_on": _("Choose a due date within the next year.")}
    return {}


def _check_partner(
    partner: Partner | None,
    *,
    program: Program,
    support_type: str,
    owner: str,
    already_chosen: bool = False,
) -> dict[str, str]:
    """A partner of the step's program, accepting referrals (unless it was chosen before)."""
    errors: dict[str, str] = {}
    if partner is not None:
        if partner.program_id != program.pk:
            errors["partner"] = _("Choose a partner in this program's directory.")
        elif not partner.is_active and not already_chosen:
            errors["partner"] = _("This partner is not accepting referrals.")
    if partner is None and support_type == ActionStep.SupportType.REFERRAL:
        errors["partner"] = _("A referral needs a partner: choose one from the directory.")
    if partner is None and owner == ActionStep.Owner.PARTNER:
        errors["partner"] = _("Choose the partner who does this step.")
    return errors


def step_create(
    *,
    goal: Goal,
    by: User,
    description: str,
    owner: str,
    support_type: str,
    due_on: dt.date,
    partner: Partner | None = None,
    consent_to_share: bool = False,
    warm_handoff: bool = False,
    accompanied: bool = False,
    notes: str = "",
    submission_key: uuid.UUID | None = None,
) -> ActionStep:
    """Add a step to an active goal; a step with a partner is a referral."""
    if submission_key and (
        existing := ActionStep.objects.filter(submission_key=submission_key).first()
    ):
        return existing
    enrollment = goal.enrollment
    errors: dict[str, str] = {}
    if not goal.is_active:
        errors["description"] = _("This goal is %(status)s: reopen it before adding steps.") % {
            "status": goal.get_status_display().lower()
        }
    elif enrollment.status != Enrollment.Status.ENROLLED:
        errors["description"] = _("Steps can only be added while the patient is enrolled.")
    if not description.strip():
        errors["description"] = _("Describe the step.")
    errors |= _check_due(due_on, enrollment)
    errors |= _check_partner(
        partner, program=enrollment.program, support_type=support_type, owner=owner
    )
    if errors:
        raise ValidationError(errors)
    step = ActionStep(
        goal=goal,
        description=description.strip(),
        owner=owner,
        support_type=support_type,
        partner=partner,
        due_on=due_on,
        consent_to_share=consent_to_share and partner is not None,
        warm_handoff=warm_handoff and partner is not None,
        accompanied=accompanied and partner is not None,
        referral_outcome=ActionStep.Outcome.PENDING if partner else "",
        notes=notes,
        created_by=by,
        submission_key=submission_key,
    )
    step.full_clean(exclude=["goal", "created_by", "partner"])
    step.save()
    return step


def step_update(
    *,
    step: ActionStep,
    by: User,
    description: str,
    owner: str,
    support_type: str,
    due_on: dt.date,
    status: str,
    partner: Partner | None = None,
    consent_to_share: bool = False,
    warm_handoff: bool = False,
    accompanied: bool = False,
    referral_outcome: str = "",
    notes: str = "",
) -> ActionStep:
    """Edit a step, including its referral details and outcome."""
    enrollment = step.goal.enrollment
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = _("Describe the step.")
    errors |= _check_due(due_on, enrollment)
    if partner is None and referral_outcome:
        errors["referral_outcome"] = _("Only a referral to a partner has an outcome.")
    if status in ActionStep.OPEN_STATUSES and not step.goal.is_active:
        errors["status"] = _("The goal is closed: reopen the goal before reopening its steps.")
    errors |= _check_partner(
        partner,
        program=enrollment.program,
        support_type=support_type,
        owner=owner,
        already_chosen=partner is not None and partner.pk == step.partner_id,
    )
    if errors:
        raise ValidationError(errors)
    today = enrollment.program.today()
    if partner is not None and step.partner_id is not None and partner.pk != step.partner_id:
        # Consent is given for one partner: a new partner needs the patient's consent anew.
        consent_to_share = warm_handoff = accompanied = False
        referral_outcome = ActionStep.Outcome.PENDING
    elif partner is not None and not referral_outcome:
        referral_outcome = ActionStep.Outcome.PENDING
    step.description, step.owner, step.support_type = description.strip(), owner, support_type
    step.partner, step.due_on, step.notes = partner, due_on, notes
    step.consent_to_share = consent_to_share and partner is not None
    step.warm_handoff = warm_handoff and partner is not None
    step.accompanied = accompanied and partner is not None
    step.referral_outcome = referral_outcome if partner else ""
    if status == ActionStep.Status.DONE and step.status != ActionStep.Status.DONE:
        step.done_on = today
    elif status != ActionStep.Status.DONE:
        step.done_on = None
    step.status = status
    step.full_clean(exclude=["goal", "created_by", "partner"])
    step.save()
    return step


def step_mark_done(*, step: ActionStep, by: User) -> ActionStep:
    """One click on the patient page: the step is done today."""
    if step.status == ActionStep.Status.DONE:
        return step  # a second click (or a retry) changes nothing
    if not step.is_open:
        raise ValidationError({"status": _("This step was skipped; edit it to change that.")})
    step.status = ActionStep.Status.DONE
    step.done_on = step.goal.enrollment.program.today()
    step.save(update_fields=["status", "done_on"])
    return step


def step_move_due(*, step: ActionStep, by: User, due_on: dt.date) -> ActionStep:
    """Move an open step's due date (one click: a week later)."""
    enrollment = step.goal.enrollment
    if not step.is_open:
        raise ValidationError({"due_on": _("Only a planned or started step can be moved.")})
    if errors := _check_due(due_on, enrollment):
        raise ValidationError(errors)
    step.due_on = due_on
    step.save(update_fields=["due_on"])
    return step


# -- partners -----------------------------------------------------------------------------


def partner_save(
    *, program: Program, by: User, partner: Partner | None = None, **fields: Any
) -> Partner:
    """Add a partner to the program's directory, or edit one (managers)."""
    partner = partner or Partner(program=program)
    if partner.program_id != program.pk:
        raise ValidationError({"name": _("This partner belongs to another program.")})
    for name, value in fields.items():
        setattr(partner, name, value)
    if (
        Partner.objects.filter(program=program, name__iexact=partner.name.strip())
        .exclude(pk=partner.pk)
        .exists()
    ):
        raise ValidationError({"name": _("The directory already has a partner with this name.")})
    partner.name = partner.name.strip()
    partner.full_clean(exclude=["program"])
    with transaction.atomic():
        partner.save()
    return partner

"""Writes to program-level rows."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from impact.models import Program, Role, User
from impact.signals import program_settings_changed

# The standards a manager (for their program) or an administrator may change.
SETTINGS_FIELDS = (
    "intervention_days",
    "caseload_cap",
    "outreach_interval_days",
    "contact_interval_days",
    "end_warning_days",
    "supervision_interval_days",
    "workday_start",
    "workday_end",
    "workdays",
    "time_zone",
)
HOURS_FIELDS = ("workday_start", "workday_end", "workdays", "time_zone")


def program_update_settings(*, program: Program, by: User, **fields) -> Program:
    """Save the program's standards. When working hours, days or the time zone change,
    stored after-hours flags are recomputed and alerts re-swept in the background."""
    if by.role != Role.ADMIN and not (by.role == Role.MANAGER and by.program_id == program.pk):
        raise ValidationError(_("Only an administrator or this program's manager can do this."))
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"Not a program setting: {', '.join(sorted(unknown))}")
    before = Program.objects.get(pk=program.pk)
    for name, value in fields.items():
        setattr(program, name, value)
    program.full_clean()
    if program.intervention_days <= program.end_warning_days:
        raise ValidationError(
            {"end_warning_days": _("The end warning must be shorter than the intervention.")}
        )
    hours_changed = any(getattr(before, f) != getattr(program, f) for f in HOURS_FIELDS)
    program.__dict__.pop("tz", None)  # the cached time zone may have changed
    with transaction.atomic():
        program.save(update_fields=list(fields))
        transaction.on_commit(
            lambda: program_settings_changed.send(
                sender=Program, program=program, hours_changed=hours_changed
            )
        )
    return program

"""Writes to program-level rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from impact.models import ROI_WINDOWS, Program, Redaction, Role, SavingsBasis, User
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


def program_update_settings(*, program: Program, by: User, **fields: object) -> Program:
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


# -- ROI settings (DESIGN.md §5.4) -------------------------------------------------------------

ROI_SETTINGS_FIELDS = (
    "roi_window_days",
    "cost_per_admission",
    "cost_per_inpatient_day",
    "cost_per_ed_visit",
    "savings_basis",
    "attribution",
)
ROI_COST_FIELDS = ("cost_per_admission", "cost_per_inpatient_day", "cost_per_ed_visit")
# A unit cost of ten million dollars or more is a typing slip (an extra zero or two).
ROI_COST_LIMIT = Decimal("10000000")


def can_edit_roi_settings(user: User, program: Program) -> bool:
    """The program's leaders and administrators (DESIGN.md §4: ROI is a leader's page)."""
    return (
        user.role == Role.ADMIN
        or user.is_superuser
        or (user.role == Role.LEADER and user.program_id == program.pk)
    )


def program_roi_settings_update(*, program: Program, by: User, **values: object) -> Program:
    """Save the unit costs, window, savings basis and attribution the ROI summary uses.
    Every value is checked before anything is written; a refusal is a ValidationError
    keyed by field (window 90, 180 or 365 days, costs from 0 to under 10,000,000, attribution 0–1,
    at most 2 decimals for money and 3 for attribution)."""
    if not can_edit_roi_settings(by, program):
        raise ValidationError(_("Only an administrator or this program's leader can do this."))
    unknown = set(values) - set(ROI_SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"Not an ROI setting: {', '.join(sorted(unknown))}")
    errors: dict[str, str] = {}
    cleaned: dict = {}
    if "roi_window_days" in values:
        window = values["roi_window_days"]
        if isinstance(window, bool) or not isinstance(window, int):
            errors["roi_window_days"] = _("Enter a whole number of days.")
        elif window not in dict(ROI_WINDOWS):
            errors["roi_window_days"] = _("Choose a window of 90, 180 or 365 days.")
        else:
            cleaned["roi_window_days"] = window
    for name in ROI_COST_FIELDS:
        if name not in values:
            continue
        amount = _decimal(values[name])
        if amount is None:
            errors[name] = _("Enter an amount in dollars, like 16478 or 1200.50.")
        elif amount < 0:
            errors[name] = _("A cost cannot be negative.")
        elif amount >= ROI_COST_LIMIT:
            errors[name] = _("Enter an amount below $10,000,000.")
        elif amount != amount.quantize(Decimal("0.01")):
            errors[name] = _("Use at most 2 decimals (cents).")
        else:
            cleaned[name] = amount
    if "savings_basis" in values:
        if values["savings_basis"] not in SavingsBasis.values:
            errors["savings_basis"] = _("Choose admissions or inpatient days.")
        else:
            cleaned["savings_basis"] = values["savings_basis"]
    if "attribution" in values:
        share = _decimal(values["attribution"])
        if share is None or not 0 <= share <= 1:
            errors["attribution"] = _("Enter a share from 0 to 1, like 0.75.")
        elif share != share.quantize(Decimal("0.001")):
            errors["attribution"] = _("Use at most 3 decimals.")
        else:
            cleaned["attribution"] = share
    if errors:
        raise ValidationError(errors)
    for name, value in cleaned.items():
        setattr(program, name, value)
    program.save(update_fields=list(cleaned))
    return program


def _decimal(value: object) -> Decimal | None:
    """A finite Decimal from a number or its text, else None."""
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def text_redact(
    *,
    obj: models.Model | None = None,
    model: str | type[models.Model] | None = None,
    pk: int | str | None = None,
    field: str,
    by: User,
    on: dt.date,
) -> Redaction:
    """Replace the text of `field` of one record (`obj`, or `model` and `pk`) by
    "[redacted YYYY-MM-DD]" (`on`) in its row and in every historical row that holds
    text in that field, and log who did it (DESIGN.md §4, "Redaction").

    All in one transaction: the row, its history (the triggers accept exactly this
    update), one new historical row saying who redacted and which field, and the
    `Redaction` row (never the text). Only the allowlisted fields of `impact.redaction`
    may be redacted, by the people it names: anyone else gets PermissionDenied, as does a
    record outside their scope (the view answers 404 before it gets here). Empty or
    already redacted text is a ValidationError on the field."""
    from impact import append_only, audit, redaction

    if obj is None:
        if model is None or pk is None:
            raise TypeError("text_redact needs obj, or model and pk")
        label = model if isinstance(model, str) else model._meta.label_lower
        obj = redaction.model_for(label)._base_manager.get(pk=pk)
    label = redaction.label_of(obj)
    rule = redaction.REDACTABLE.get(label)
    if rule is None or field not in rule.fields or not redaction.may_redact(by, obj):
        raise PermissionDenied
    mark = f"{append_only.REDACTED_PREFIX} {on.isoformat()}]"
    model_class = type(obj)
    historical = audit.history_of(model_class).model
    pk_name = model_class._meta.pk.attname
    with transaction.atomic():
        row = model_class._base_manager.select_for_update().filter(pk=obj.pk)
        current = row.values_list(field, flat=True).first() or ""
        if not current.strip():
            raise ValidationError({field: _("There is no text to redact.")})
        if current.startswith(append_only.REDACTED_PREFIX):
            raise ValidationError({field: _("This text was already redacted.")})
        row.update(**{field: mark})
        history_rows = (
            historical.objects.filter(**{pk_name: obj.pk})
            .exclude(**{field: ""})
            .exclude(**{f"{field}__startswith": append_only.REDACTED_PREFIX})
            .update(**{field: mark})
        )
        with audit.acting_as(by, f"redaction: {field}"):
            audit.record(model_class, [obj.pk])
        log = Redaction.objects.create(
            user_id=by.pk,
            username=by.get_username(),
            model=label,
            object_pk=str(obj.pk),
            field=field,
            on=on,
            history_rows=history_rows,
        )
    setattr(obj, field, mark)
    return log

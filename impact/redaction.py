"""Which text may be redacted, and by whom (DESIGN.md §4, "Redaction"; README, "Redaction").

Text kept by mistake (an immigration status in a note) is replaced by "[redacted
YYYY-MM-DD]" in its row and in every historical row of it (`impact.services.text_redact`).
`REDACTABLE` is the allowlist: record kind (app label and model name, as in the URL) →
its free-text fields and whose it is. Models are named as strings, so the ground never
imports a later app.

The database holds the same list: the historical tables' triggers accept an UPDATE only
of these fields' columns, each set to exactly "[redacted YYYY-MM-DD]"
(`history_columns`, `impact.append_only.history_redaction_sql`). A field added here needs a
migration that runs `history_redaction_sql` with the new columns (written out in the
migration, as `impact/migrations/0013_redaction_exact.py` does);
`tests/audit/test_redaction.py` fails while the triggers and this list disagree.

Who may redact:
- patient records (encounters, enrollments' reasons and handoff, reassignments, alerts,
  intake, goals, steps): the manager of the team of the CHW the record belongs to (the
  enrollment's CHW; for an alert about a CHW, that CHW). No one else: a CHW and a leader
  never, an administrator neither (they read patient records only through the Django
  admin; the manager who supervises the work decides).
- supervision and training text (sessions, follow-ups, check-ins, training records):
  the manager of the program who supervises that CHW (the team's manager: the only manager
  who may read it), or an administrator.
- program text (the partner directory, the CFIR log, fidelity ratings): any manager of the
  program, or an administrator.
A record outside the user's scope is "not found" (404); an administrator asking for a
patient record is refused (403).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from impact.models import Role, User


@dataclass(frozen=True)
class Redactable:
    fields: tuple[str, ...]
    # Lookup from the record to the CHW whose manager may redact it (None: program text).
    chw: str | None = None
    # Lookup from the record to its program (program text: any manager of the program).
    program: str | None = None
    # A patient record: only the CHW's manager, never an administrator.
    patient: bool = False


def _patient(*fields: str, chw: str) -> Redactable:
    return Redactable(fields=fields, chw=chw, patient=True)


REDACTABLE: dict[str, Redactable] = {
    "caseloads.encounter": _patient("notes", chw="enrollment__chw"),
    "caseloads.enrollment": _patient(
        "close_reason", "handoff_to", "summary", "extension_reason", chw="chw"
    ),
    "caseloads.enrollmentreassignment": _patient("reason", chw="enrollment__chw"),
    "caseloads.alert": _patient("note", chw="chw"),
    "actionplans.intake": _patient(
        "life_story", "priorities", "what_will_help", "strengths", chw="enrollment__chw"
    ),
    "actionplans.goal": _patient("statement", "condition", chw="enrollment__chw"),
    "actionplans.actionstep": _patient("description", "notes", chw="goal__enrollment__chw"),
    "supervision.supervisionsession": Redactable(("notes", "private_notes"), chw="chw"),
    "supervision.followup": Redactable(("description",), chw="session__chw"),
    "supervision.wellbeingcheckin": Redactable(("notes",), chw="chw"),
    "impact.trainingrecord": Redactable(("note",), chw="user"),
    "actionplans.partner": Redactable(("notes",), program="program"),
    "fidelity.implementationnote": Redactable(("theme", "note"), program="program"),
    "fidelity.componentrating": Redactable(("note",), program="review__program"),
}


def model_for(label: str) -> type[models.Model]:
    app_label, _dot, name = label.partition(".")
    return apps.get_model(app_label, name)


def history_columns() -> dict[str, tuple[str, ...]]:
    """Every historical table → the columns a redaction may change in it: the allowlist's
    fields, as columns of the historical table (none for a record with no redactable
    text, such as a patient's names, MRN and phone). What the triggers accept and the
    PostgreSQL grants allow."""
    from impact.audit import history_models, history_of

    columns: dict[str, tuple[str, ...]] = {
        history_of(model).model._meta.db_table: () for model in history_models()
    }
    for label, rule in REDACTABLE.items():
        historical = history_of(model_for(label)).model
        columns[historical._meta.db_table] = tuple(
            historical._meta.get_field(name).column for name in rule.fields
        )
    return columns


def label_of(obj: models.Model) -> str:
    return obj._meta.label_lower


def rule_for(label: str, field: str) -> Redactable:
    """The allowlist's entry for (record kind, field); 404 for anything else."""
    rule = REDACTABLE.get(label)
    if rule is None or field not in rule.fields:
        raise Http404
    return rule


def scoped(user: User, label: str) -> models.QuerySet:
    """The records of kind `label` whose text `user` may redact."""
    rule = REDACTABLE[label]
    model = model_for(label)
    rows = model._base_manager.all()
    if user.role == Role.ADMIN and not rule.patient:
        return rows
    if user.role != Role.MANAGER:
        return rows.none()
    if rule.chw is not None:
        return rows.filter(**{f"{rule.chw}__team__manager": user})
    if rule.program is None or not user.program_id:
        return rows.none()
    return rows.filter(**{rule.program: user.program_id})


def redactable_for_user(user: User, label: str, pk: int, field: str) -> models.Model:
    """The record whose `field` the user asks to redact: 404 when the kind or field is not
    redactable or the record is outside the user's scope; 403 for an administrator and a
    patient record, and for the roles that never redact."""
    rule = rule_for(label, field)
    if user.role == Role.ADMIN and rule.patient:
        raise PermissionDenied
    if user.role not in (Role.MANAGER, Role.ADMIN):
        raise PermissionDenied
    obj = scoped(user, label).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def may_redact(user: User, obj: models.Model) -> bool:
    """Whether `user` may redact `obj`'s text (one query; none for roles that never can)."""
    label = label_of(obj)
    if label not in REDACTABLE or user.role not in (Role.MANAGER, Role.ADMIN):
        return False
    return scoped(user, label).filter(pk=obj.pk).exists()

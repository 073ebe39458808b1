"""What later apps add to caseloads' pages and visit log, without caseloads naming them.

DESIGN.md §2: caseloads comes before actionplans (and every app after it) and never
imports them. An app that adds to a caseloads page or to logging a visit registers here
from its `AppConfig.ready()`; caseloads calls what is registered, in the order it was
registered. No signals.

The decision, the smallest that keeps every page's figures and query counts:

- A *section* of a page is a panel (`impact.lib.panels`), as supervision's already are.
  caseloads' pages offer these places besides the home pages' ones:
  - "enrollment_plan": the patient page, between the lifecycle buttons and the timeline
    (actionplans: the intake and the goals); called with `enrollment=`;
  - "team_figures": the team page, under the caseloads table (actionplans: the plan
    figures); called with `chws=`, the CHWs the page already read.
- What a panel cannot do lives here, as two small registries:
  - `CaseloadColumns`: columns of the caseload table whose figures are annotations of the
    page's one enrollment query (`annotate`), with the templates of their header cells,
    their row cells (`e` is the row's enrollment) and an optional line under the
    patient's name on small screens;
  - `EncounterField`: a field of the visit form (`field`, built for the enrollment; its
    template decides whether and how it shows), the check `encounter_log` runs with its
    own (`clean`: the value to save, or a ValidationError shown next to the field), and
    the write it does inside the encounter's transaction (`save`). `encounter_log` takes
    the value as a keyword argument named after the field.

Registering the same entry twice is a no-op (`ready()` may run more than once in tests).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django import forms
    from django.db.models import QuerySet

    from caseloads.models import Encounter, Enrollment


@dataclass(frozen=True)
class CaseloadColumns:
    annotate: Callable[[QuerySet[Enrollment], dt.date], QuerySet[Enrollment]]
    head: str  # template: the <th> cells
    cells: str  # template: the <td> cells of the row's enrollment `e`
    note: str = ""  # template: a line under the patient's name on small screens


@dataclass(frozen=True)
class EncounterField:
    name: str
    field: Callable[[Enrollment], forms.Field]
    template: str  # renders `form[name]` (the page's `form`) when there is something to offer
    clean: Callable[[Enrollment, Any], Any]
    save: Callable[[Encounter, Any], None]


_CASELOAD_COLUMNS: list[CaseloadColumns] = []
_ENCOUNTER_FIELDS: list[EncounterField] = []


def register_caseload_columns(columns: CaseloadColumns) -> None:
    if columns not in _CASELOAD_COLUMNS:
        _CASELOAD_COLUMNS.append(columns)


def register_encounter_field(field: EncounterField) -> None:
    if all(known.name != field.name for known in _ENCOUNTER_FIELDS):
        _ENCOUNTER_FIELDS.append(field)


def caseload_columns() -> list[CaseloadColumns]:
    return list(_CASELOAD_COLUMNS)


def encounter_fields() -> list[EncounterField]:
    return list(_ENCOUNTER_FIELDS)


def annotate_caseload(enrollments: QuerySet[Enrollment], today: dt.date) -> QuerySet[Enrollment]:
    """The caseload's enrollments with every registered column's figures."""
    for columns in _CASELOAD_COLUMNS:
        enrollments = columns.annotate(enrollments, today)
    return enrollments

"""A ledger of writes for the audit tests: what changed in every audited table between two
moments, and whether each changed row got its historical row, with which actor.

A write is a row created, changed (any field) or deleted. It is *with history* when a
historical row written since the first moment has the row's id, the right type ("+", "~"
or "-"), the row's values as they are now, and the expected actor (a user id, or the
label of a system process in `history_change_reason`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models

from impact import audit


def _fields(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def _state(model: type[models.Model]) -> dict:
    names = _fields(model)
    return {row[0]: row for row in model._base_manager.values_list(*names)}


@dataclass
class Write:
    model: str
    pk: int
    kind: str  # created, changed, deleted, created and deleted
    recorded: bool
    why: str = ""


@dataclass
class Ledger:
    models: list[type[models.Model]] = field(default_factory=audit.history_models)
    before: dict = field(default_factory=dict)
    marks: dict = field(default_factory=dict)

    def open(self) -> Ledger:
        for model in self.models:
            self.before[model] = _state(model)
            last = (
                audit.history_of(model).order_by("-history_id").values_list("history_id", flat=True)
            )
            self.marks[model] = last.first() or 0
        return self

    def close(self, *, user=None, label: str | None = None) -> list[Write]:
        """Every write since `open`, checked against its history and the expected actor
        (`user` and/or `label`; neither: any actor)."""
        writes: list[Write] = []
        for model in self.models:
            after = _state(model)
            before = self.before[model]
            history = (
                audit.history_of(model)
                .filter(history_id__gt=self.marks[model])
                .order_by("history_id")
            )
            latest: dict[Any, dict] = {}
            types: dict[Any, set[str]] = {}
            names = _fields(model)
            for row in history.values(
                "history_type", "history_user_id", "history_change_reason", *names
            ):
                latest[row[names[0]]] = row
                types.setdefault(row[names[0]], set()).add(row["history_type"])
            changed = (
                [("created", pk) for pk in after.keys() - before.keys()]
                + [("deleted", pk) for pk in before.keys() - after.keys()]
                + [
                    ("changed", pk)
                    for pk in after.keys() & before.keys()
                    if after[pk] != before[pk]
                ]
            )
            # Rows created and deleted in between: seen only in their history.
            changed += [
                ("created and deleted", pk)
                for pk in latest.keys() - before.keys() - after.keys()
                if {"+", "-"} <= types[pk]
            ]
            for kind, pk in sorted(changed, key=lambda c: c[1]):
                writes.append(
                    self._check(model, pk, kind, after.get(pk), latest.get(pk), names, user, label)
                )
        return writes

    @staticmethod
    def _check(model, pk, kind, now, row, names, user, label) -> Write:
        name = model.__name__
        if row is None:
            return Write(name, pk, kind, False, "no historical row")
        expected_type = {"created": "+", "changed": "~"}.get(kind, "-")
        # A row created and changed within the same moment ends with "~": still recorded.
        if row["history_type"] != expected_type and not (
            kind == "created" and row["history_type"] == "~"
        ):
            return Write(name, pk, kind, False, f"history type {row['history_type']}")
        if expected_type != "-" and tuple(row[n] for n in names) != now:
            differs = [n for n, v in zip(names, now, strict=True) if row[n] != v]
            return Write(name, pk, kind, False, f"history differs on {differs}")
        if user is not None and row["history_user_id"] != user.pk:
            return Write(name, pk, kind, False, f"user {row['history_user_id']}")
        if label is not None and row["history_change_reason"] != label:
            return Write(name, pk, kind, False, f"reason {row['history_change_reason']!r}")
        return Write(name, pk, kind, True)


def missing(writes: list[Write]) -> list[str]:
    return [f"{w.model} {w.pk} {w.kind}: {w.why}" for w in writes if not w.recorded]

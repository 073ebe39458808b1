"""supervision 0004: check-ins written before `updated_at` existed take their
`created_at` (when they were submitted); their history rows, append-only, are left as
they were (tests/audit checks the triggers are still whole)."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps

from supervision.models import WellbeingCheckIn

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("supervision.migrations.0004_check_in_updated_at")


def test_existing_check_ins_take_their_created_at(org):
    check_in = WellbeingCheckIn.objects.create(
        chw=org.a1, on=dt.date(2026, 10, 1), burnout_score=3, wants_support=True
    )
    history_before = list(check_in.history.values_list("history_id", "updated_at"))
    created = dt.datetime(2026, 10, 1, 13, 0, tzinfo=dt.UTC)
    migrated_at = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)  # the day of the migration
    WellbeingCheckIn.objects.filter(pk=check_in.pk).update(
        created_at=created, updated_at=migrated_at
    )
    MIGRATION.from_created_at(apps, None)
    check_in.refresh_from_db()
    assert check_in.updated_at == created
    assert (check_in.burnout_score, check_in.wants_support) == (3, True)
    assert list(check_in.history.values_list("history_id", "updated_at")) == history_before

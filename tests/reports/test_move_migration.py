"""The move of the leaders' models from impact to reports (issue 18, item 2) keeps their
tables and rows: on a seeded database, migrating back to before the move and forward
again leaves every row of the nine tables (six models, three histories) as it was, the
content types follow the models (same ids, so permissions keep pointing at them) and the
historical tables stay append-only. Runs on SQLite here; on PostgreSQL too when the
suite runs there (DATABASE_URL)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from impact import audit
from impact.models import Role
from reports.api.views import token_create
from reports.models import (
    ApiToken,
    CostLine,
    ExportJob,
    FundingSource,
    UtilizationImport,
    UtilizationRecord,
)
from tests.factories import (
    CostLineFactory,
    FundingSourceFactory,
    PatientFactory,
    ProgramFactory,
    UserFactory,
    UtilizationFactory,
)

# Migrating the schema cannot run inside the test's transaction on SQLite.
pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("impact", "0014_roi_window_choices"), ("reports", "0001_purge_schedule_task")]
MOVED = [CostLine, FundingSource, UtilizationImport, UtilizationRecord, ExportJob, ApiToken]
HISTORIES = [CostLine, FundingSource, UtilizationRecord]
TABLES = [m._meta.db_table for m in MOVED] + [
    audit.history_of(m).model._meta.db_table for m in HISTORIES
]
MODEL_NAMES = [m._meta.model_name for m in MOVED] + [
    audit.history_of(m).model._meta.model_name for m in HISTORIES
]


def seed() -> None:
    """A few rows of each moved model, with created and changed historical rows."""
    program = ProgramFactory()
    leader = UserFactory(role=Role.LEADER, program=program)
    for n in range(3):
        cost = CostLineFactory(program=program, amount=Decimal(1000 + n), created_by=leader)
        cost.note = f"revised {n}"
        cost.save()  # a second historical row ("~")
    FundingSourceFactory(program=program, name="State grant")
    funding = FundingSourceFactory(program=program, name="Hospital")
    funding.amount = Decimal("1234.50")
    funding.save()
    source = UtilizationImport.objects.create(
        program=program, filename="ehr.csv", sha256="0" * 64, rows=2, imported_by=leader
    )
    for day in (2, 9):
        UtilizationFactory(
            patient=PatientFactory(program=program),
            admitted_on=dt.date(2026, 3, day),
            source=source,
        )
    ExportJob.objects.create(
        program=program,
        requested_by=leader,
        format="csv",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31),
    )
    token_create(user=leader, name="BI tool")
    token_create(user=leader, name="Spreadsheet")


def tables() -> dict[str, list[tuple]]:
    """Every row of every moved table, in id order (history ids for the histories)."""
    found = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
            found[table] = cursor.fetchall()
    return found


def content_types() -> dict[str, tuple[str, int]]:
    return {
        ct.model: (ct.app_label, ct.pk)
        for ct in ContentType.objects.filter(
            model__in=MODEL_NAMES, app_label__in=["impact", "reports"]
        )
    }


def permissions() -> list[tuple[int, str, int]]:
    return list(
        Permission.objects.filter(content_type__model__in=MODEL_NAMES)
        .order_by("pk")
        .values_list("pk", "codename", "content_type_id")
    )


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return MigrationExecutor(connection)  # a fresh loader: what is applied now


def test_migrating_back_and_forth_keeps_every_row_and_its_history():
    seed()
    rows, types, perms = tables(), content_types(), permissions()
    assert all(rows.values()), {table: len(found) for table, found in rows.items()}
    assert len(rows["impact_historicalcostline"]) == 6  # three created, three changed
    assert {label for label, _pk in types.values()} == {"reports"}
    assert len(types) == len(MODEL_NAMES)

    try:
        before = migrate(BEFORE)
        # Before the move: the same tables, rows and histories, owned by impact.
        old = before.loader.project_state(BEFORE).apps
        for model in MOVED:
            count = model._default_manager.count()
            assert old.get_model("impact", model.__name__)._default_manager.count() == count
        assert tables() == rows
        assert content_types() == {model: ("impact", pk) for model, (_label, pk) in types.items()}
        assert permissions() == perms
        # The historical tables are still append-only.
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            connection.cursor().execute('DELETE FROM "impact_historicalcostline"')
    finally:
        after = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert not after.migration_plan(after.loader.graph.leaf_nodes())
    assert tables() == rows
    assert content_types() == types
    assert permissions() == perms
    assert CostLine.history.filter(history_type="~").count() == 3
    assert {t.name for t in ApiToken.objects.all()} == {"BI tool", "Spreadsheet"}
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        connection.cursor().execute('UPDATE "impact_historicalfundingsource" SET "name" = \'x\'')

"""The access log and every historical table are append-only in the database itself: an
UPDATE or DELETE aborts, whether it comes from the ORM or from raw SQL. `manage.py flush`,
which empties the whole database, is the one way to empty them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from caseloads.models import Encounter, Patient
from impact import append_only, audit
from impact.models import AccessLog
from tests.factories import EncounterFactory, EnrollmentFactory, PatientFactory


def triggers() -> dict[str, set[str]]:
    """Trigger names by table, as the database lists them."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal"
            )
        found: dict[str, set[str]] = {}
        for table, name in cursor.fetchall():
            found.setdefault(table, set()).add(name)
    return found


def refused(sql: str, params=()) -> str:
    """Run `sql`; return the database's refusal (the test fails if there is none)."""
    with pytest.raises(DatabaseError) as error, transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, params)
    return str(error.value)


@pytest.mark.django_db
def test_the_access_log_and_every_historical_table_have_their_triggers():
    tables = append_only.append_only_tables()
    assert len(tables) == 1 + len(audit.history_models())
    found = triggers()
    if connection.vendor == "sqlite":
        expected = {table: {f"{table}_no_update", f"{table}_no_delete"} for table in tables}
    else:
        expected = {table: {f"{table}_append_only", f"{table}_no_truncate"} for table in tables}
    assert {table: found.get(table, set()) & names for table, names in expected.items()} == (
        expected
    )


@pytest.mark.django_db
def test_an_access_log_line_cannot_be_changed_or_deleted_at_the_database(org):
    line = audit.log_export(user=org.leader, what="reports:exports", fmt="csv", rows=12)
    table = AccessLog._meta.db_table
    assert "append-only" in refused(f'UPDATE "{table}" SET "rows" = 0')
    assert "append-only" in refused(f'DELETE FROM "{table}"')
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.filter(pk=line.pk).update(username="someone else")
    with pytest.raises(DatabaseError), transaction.atomic():
        line.delete()
    line.refresh_from_db()
    assert (line.username, line.rows) == ("leader", 12)


@pytest.mark.django_db
def test_history_cannot_be_rewritten_or_erased(org):
    enrollment = EnrollmentFactory(chw=org.a1, days_ago=30)
    EncounterFactory(enrollment=enrollment, occurred_at=dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC))
    for model in (Patient, Encounter):
        table = model.history.model._meta.db_table
        assert "append-only" in refused(f'UPDATE "{table}" SET "history_user_id" = 1')
        assert "append-only" in refused(f'DELETE FROM "{table}"')
        with pytest.raises(DatabaseError), transaction.atomic():
            model.history.all().delete()
    assert Patient.history.count() == 1


@pytest.mark.django_db
def test_deleting_a_record_adds_to_its_history(org):
    patient = PatientFactory(program=org.program)
    pk = patient.pk
    patient.delete()
    history = Patient.history.filter(id=pk).order_by("history_id")
    assert list(history.values_list("history_type", flat=True)) == [
        "+",
        "-",
    ]


@pytest.mark.django_db
def test_deleting_a_user_leaves_the_log_and_the_history_naming_them(org):
    someone, pk = org.leader, org.leader.pk
    audit.log_export(user=someone, what="reports:exports", fmt="csv", rows=1)
    with audit.acting_as(someone):
        PatientFactory(program=org.program)
    someone.delete()
    assert AccessLog.objects.get().username == "leader"
    assert Patient.history.get().history_user_id == pk


@pytest.mark.django_db(transaction=True)
def test_flush_is_the_one_way_to_empty_them(program):
    PatientFactory(program=program)
    audit.log_export(what="command: roi_summary", fmt="json")
    call_command("flush", interactive=False, verbosity=0)
    assert not AccessLog.objects.exists()
    assert not Patient.history.exists()
    # Outside a flush, the triggers are back in force.
    audit.log_export(what="command: roi_summary", fmt="json")
    assert "append-only" in refused(f'DELETE FROM "{AccessLog._meta.db_table}"')


@pytest.mark.django_db
def test_the_postgresql_privileges_to_revoke_name_every_append_only_table():
    grant, revoke = append_only.postgres_grants_sql("impact_app")
    assert revoke.startswith("REVOKE UPDATE, DELETE, TRUNCATE ON ")
    assert grant.startswith("GRANT SELECT, INSERT ON ")
    for table in append_only.append_only_tables():
        assert f'"{table}"' in revoke and f'"{table}"' in grant
    if connection.vendor == "postgresql":  # the server accepts them (then rolled back)
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in append_only.postgres_grants_sql(connection.settings_dict["USER"]):
                cursor.execute(statement)
            transaction.set_rollback(True)

"""Redaction (DESIGN.md §4): text kept by mistake is replaced by "[redacted YYYY-MM-DD]"
in its row and in every historical row of it, in one transaction with a `Redaction` log
line that never holds the text. The historical tables' triggers accept exactly that
update and still refuse every other UPDATE and any DELETE; the access log accepts none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from caseloads.models import Encounter
from fidelity.models import ImplementationNote
from impact import audit
from impact.models import AccessLog, Redaction
from impact.services import text_redact
from supervision.models import SupervisionSession
from tests.factories import EncounterFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 11, 18)
MARK = "[redacted 2026-11-18]"
SECRET = "Told me she is undocumented"
WHEN = dt.datetime(2026, 11, 2, 15, tzinfo=dt.UTC)


def refused(sql: str, params=()) -> str:
    with pytest.raises(DatabaseError) as error, transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, params)
    return str(error.value)


def all_history_text(model) -> str:
    """Every value of every historical row of `model`, as one text."""
    return " ".join(str(v) for row in model.history.values() for v in row.values())


@pytest.fixture
def encounter(org):
    """An encounter whose note held the text in two saved versions."""
    encounter = EncounterFactory(
        enrollment=EnrollmentFactory(chw=org.a1), occurred_at=WHEN, notes=SECRET
    )
    encounter.notes = SECRET + ". Walked to the pharmacy."
    encounter.save()
    return encounter


def test_the_row_and_every_historical_row_are_redacted(org, encounter):
    assert Encounter.history.filter(id=encounter.pk).count() == 2
    log = text_redact(obj=encounter, field="notes", by=org.ma, on=ON)
    encounter.refresh_from_db()
    assert encounter.notes == MARK
    rows = Encounter.history.filter(id=encounter.pk).order_by("history_id")
    assert [row.notes for row in rows] == [MARK, MARK, MARK]
    assert "undocumented" not in all_history_text(Encounter)
    # The last historical row says who redacted it and which field.
    latest = rows.last()
    assert (latest.history_user_id, latest.history_change_reason) == (
        org.ma.pk,
        "redaction: notes",
    )
    # The other fields are untouched.
    assert (encounter.kind, encounter.occurred_at) == ("home_visit", WHEN)
    assert (log.user_id, log.username, log.model, log.object_pk, log.field, log.on) == (
        org.ma.pk,
        "ma",
        "caseloads.encounter",
        str(encounter.pk),
        "notes",
        ON,
    )
    assert log.history_rows == 2


def test_the_redaction_log_holds_no_text(org, encounter):
    text_redact(model="caseloads.encounter", pk=encounter.pk, field="notes", by=org.ma, on=ON)
    values = " ".join(str(v) for v in Redaction.objects.values().get().values())
    assert "undocumented" not in values and "Walked" not in values


def test_a_failure_writes_nothing(org, encounter, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Redaction.objects, "create", broken)
    with pytest.raises(RuntimeError):
        text_redact(obj=encounter, field="notes", by=org.ma, on=ON)
    encounter.refresh_from_db()
    assert encounter.notes.startswith(SECRET)
    assert "undocumented" in all_history_text(Encounter)
    assert Encounter.history.filter(id=encounter.pk).count() == 2


@pytest.mark.parametrize(
    "who",
    ["a1", "a2", "mb", "leader", "admin"],
)
def test_only_the_chws_manager_redacts_patient_text(org, encounter, who):
    with pytest.raises(PermissionDenied):
        text_redact(obj=encounter, field="notes", by=getattr(org, who), on=ON)
    encounter.refresh_from_db()
    assert encounter.notes.startswith(SECRET)
    assert not Redaction.objects.exists()


def test_a_field_outside_the_allowlist_cannot_be_redacted(org, encounter):
    with pytest.raises(PermissionDenied):
        text_redact(obj=encounter, field="kind", by=org.ma, on=ON)
    with pytest.raises(PermissionDenied):
        text_redact(obj=encounter.enrollment.patient, field="given_name", by=org.ma, on=ON)


def test_empty_or_already_redacted_text_is_refused_on_the_field(org, encounter):
    text_redact(obj=encounter, field="notes", by=org.ma, on=ON)
    with pytest.raises(ValidationError) as error:
        text_redact(obj=encounter, field="notes", by=org.ma, on=ON + dt.timedelta(days=1))
    assert "already redacted" in str(error.value.message_dict["notes"])
    empty = EncounterFactory(enrollment=encounter.enrollment, occurred_at=WHEN, notes="")
    with pytest.raises(ValidationError):
        text_redact(obj=empty, field="notes", by=org.ma, on=ON)
    assert Redaction.objects.count() == 1


def session_of(org, chw, manager):
    return SupervisionSession.objects.create(
        manager=manager,
        chw=chw,
        occurred_on=ON,
        kind=SupervisionSession.Kind.ONE_ON_ONE,
        duration_minutes=30,
        private_notes="Her husband has no papers",
    )


@pytest.mark.parametrize(("who", "allowed"), [("ma", True), ("admin", True), ("mb", False)])
def test_supervision_text_by_the_chws_manager_or_an_admin(org, who, allowed):
    session = session_of(org, org.a1, org.ma)
    if allowed:
        text_redact(obj=session, field="private_notes", by=getattr(org, who), on=ON)
        session.refresh_from_db()
        assert session.private_notes == MARK
        assert {r.private_notes for r in session.history.all()} == {MARK}
    else:
        with pytest.raises(PermissionDenied):
            text_redact(obj=session, field="private_notes", by=getattr(org, who), on=ON)


@pytest.mark.parametrize(
    ("who", "allowed"), [("ma", True), ("mb", True), ("admin", True), ("leader", False)]
)
def test_cfir_log_text_by_any_manager_of_the_program_or_an_admin(org, who, allowed):
    note = ImplementationNote.objects.create(
        program=org.program,
        on=ON,
        cfir_domain="outer_setting",
        direction="barrier",
        theme="ICE raids",
        note="Families afraid of la migra",
        author=org.leader,
    )
    if allowed:
        text_redact(obj=note, field="theme", by=getattr(org, who), on=ON)
        note.refresh_from_db()
        assert (note.theme, note.note) == (MARK, "Families afraid of la migra")
    else:
        with pytest.raises(PermissionDenied):
            text_redact(obj=note, field="theme", by=getattr(org, who), on=ON)


# -- the triggers -------------------------------------------------------------------------


def test_the_history_triggers_accept_exactly_a_redaction(org, encounter):
    table = Encounter.history.model._meta.db_table
    q = connection.ops.quote_name
    for sql in (
        f"UPDATE {q(table)} SET {q('notes')} = 'something else'",
        f"UPDATE {q(table)} SET {q('notes')} = 'redacted'",
        f"UPDATE {q(table)} SET {q('notes')} = ' [redacted 2026-11-18]'",
        f"UPDATE {q(table)} SET {q('notes')} = '[redacted 2026-11-18]', "
        f"{q('duration_minutes')} = 5",
        f"UPDATE {q(table)} SET {q('history_user_id')} = 1",
        f"UPDATE {q(table)} SET {q('notes')} = {q('notes')}",  # changes nothing
        f"DELETE FROM {q(table)}",
    ):
        assert "append-only" in refused(sql), sql
    # A date is not text: it cannot be "redacted" (PostgreSQL refuses the value itself).
    refused(f"UPDATE {q(table)} SET {q('occurred_at')} = '[redacted 2026-11-18]'")
    assert "undocumented" in all_history_text(Encounter)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {q(table)} SET {q('notes')} = %s", [MARK])
    assert {row.notes for row in Encounter.history.all()} == {MARK}


def test_the_access_log_accepts_no_update_not_even_a_redaction(org):
    audit.log_export(user=org.leader, what="reports:exports", fmt="csv", rows=1)
    table = connection.ops.quote_name(AccessLog._meta.db_table)
    assert "append-only" in refused(f"UPDATE {table} SET path = '[redacted 2026-11-18]'")


def test_every_historical_table_has_the_redaction_trigger_naming_all_its_columns():
    """SQLite names each column in the trigger: a column added later without running
    `history_redaction_sql` again would be writable. PostgreSQL compares whole rows."""
    tables = audit.append_only_tables()[1:]
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s",
                    [f"{table}_no_update"],
                )
                [(sql,)] = cursor.fetchall()
                columns = connection.introspection.get_table_description(cursor, table)
                missing = [c.name for c in columns if f'NEW."{c.name}"' not in sql]
                assert not missing, (table, missing)
            else:
                cursor.execute(
                    "SELECT p.proname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    "JOIN pg_proc p ON p.oid = t.tgfoid WHERE c.relname = %s AND t.tgname = %s",
                    [table, f"{table}_append_only"],
                )
                assert cursor.fetchall() == [("impact_history_append_only",)], table


def test_the_postgresql_grants_let_the_application_redact_only_the_allowlisted_columns():
    statements = audit.postgres_redaction_grants_sql("impact_app")
    assert 'GRANT UPDATE ("notes") ON "caseloads_historicalencounter" TO "impact_app"' in (
        statements
    )
    assert all(s.startswith("GRANT UPDATE (") for s in statements)
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in audit.postgres_redaction_grants_sql(connection.settings_dict["USER"]):
                cursor.execute(statement)
            transaction.set_rollback(True)

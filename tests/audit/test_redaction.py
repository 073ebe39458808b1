"""Redaction (DESIGN.md §4): text kept by mistake is replaced by "[redacted YYYY-MM-DD]"
in its row and in every historical row of it, in one transaction with a `Redaction` log
line that never holds the text. The historical tables' triggers accept exactly that
update and still refuse every other UPDATE and any DELETE; the access log accepts none."""

from __future__ import annotations

import datetime as dt
import decimal
import re
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from caseloads.models import Encounter, Enrollment, Patient
from fidelity.models import ImplementationNote
from impact import append_only, audit, redaction
from impact.models import AccessLog, Redaction
from impact.services import text_redact
from supervision.models import SupervisionSession
from tests.factories import EncounterFactory, EnrollmentFactory, PatientFactory

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
    return " ".join(str(v) for row in audit.history_of(model).values() for v in row.values())


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
    tables = append_only.append_only_tables()[1:]
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
    statements = append_only.postgres_redaction_grants_sql("impact_app")
    assert 'GRANT UPDATE ("notes") ON "caseloads_historicalencounter" TO "impact_app"' in (
        statements
    )
    assert all(s.startswith("GRANT UPDATE (") for s in statements)
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in append_only.postgres_redaction_grants_sql(
                connection.settings_dict["USER"]
            ):
                cursor.execute(statement)
            transaction.set_rollback(True)


# -- exactly that update: the allowlisted columns, the whole mark, nothing else ------------

OTHER_DAY = "[redacted 2026-12-03]"


def history_values(model, pk) -> list[dict]:
    return list(audit.history_of(model).filter(id=pk).order_by("history_id").values())


def test_a_patients_names_mrn_and_phone_cannot_be_redacted_in_history(org):
    """A patient's identity is no free text: "[redacted …]" over a name or MRN in the
    history would erase who the record was about (0012 accepted it)."""
    patient = PatientFactory(
        program=org.program,
        given_name="Ana",
        family_name="Ruiz",
        preferred_name="Anita",
        mrn="MRN-4471",
        phone="+16175550123",
    )
    table = connection.ops.quote_name(Patient.history.model._meta.db_table)
    before = history_values(Patient, patient.pk)
    for column in ("given_name", "family_name", "mrn", "phone", "preferred_name"):
        sql = f"UPDATE {table} SET {connection.ops.quote_name(column)} = %s"
        assert "append-only" in refused(sql, [OTHER_DAY]), column
    assert history_values(Patient, patient.pk) == before


@pytest.mark.parametrize(
    "value",
    [
        "[redacted] Walked to the pharmacy.",
        "[redacted]",
        "[redacted 2026-12-03] she is fine now",
        "[redacted 2026-12-03]\n",
        " [redacted 2026-12-03]",
        "[redacted 2026-12-3]",
        "[redacted 26-12-03]",
        "[REDACTED 2026-12-03]",
        "[redacted 2026-12-03",
        "[redacted 2026/12/03]",
        "[redacted YYYY-MM-DD]",
    ],
)
def test_a_redactable_column_takes_the_whole_mark_and_nothing_else(org, encounter, value):
    table = connection.ops.quote_name(Encounter.history.model._meta.db_table)
    assert "append-only" in refused(f"UPDATE {table} SET notes = %s", [value])
    assert "undocumented" in all_history_text(Encounter)


@pytest.mark.parametrize("column", ["history_type", "history_change_reason"])
def test_the_historys_own_columns_cannot_be_redacted(org, encounter, column):
    table = connection.ops.quote_name(Encounter.history.model._meta.db_table)
    before = history_values(Encounter, encounter.pk)
    # Alone, and beside a redaction that would be accepted on its own.
    for sql in (
        f"UPDATE {table} SET {column} = %s",
        f"UPDATE {table} SET notes = %s, {column} = '[redacted 2026-12-03]'",
    ):
        message = refused(sql, [OTHER_DAY])
        # PostgreSQL's varchar(1) refuses the mark in history_type before the trigger does.
        if connection.vendor == "sqlite" or column == "history_change_reason":
            assert "append-only" in message, sql
    assert history_values(Encounter, encounter.pk) == before


def test_text_redact_works_end_to_end_on_a_record_with_several_redactable_fields(frozen, org):
    enrollment = EnrollmentFactory(chw=org.a1, referred_on=ON, enrolled_on=ON)
    enrollment.close_reason = "Moving back, no papers"
    enrollment.save()
    enrollment.handoff_to = "Clínica del Pueblo"
    enrollment.save()
    log = text_redact(obj=enrollment, field="close_reason", by=org.ma, on=ON)
    enrollment.refresh_from_db()
    rows = history_values(Enrollment, enrollment.pk)
    assert enrollment.close_reason == MARK
    assert [row["close_reason"] for row in rows] == ["", MARK, MARK, MARK]
    # The other text of the same rows is as it was.
    assert [row["handoff_to"] for row in rows] == [
        "",
        "",
        "Clínica del Pueblo",
        "Clínica del Pueblo",
    ]
    assert log.history_rows == 2
    assert re.fullmatch(append_only.REDACTED_REGEX, MARK)


# -- the triggers and the allowlist agree -----------------------------------------------

TEXT_TYPES = {"CharField", "TextField"}


def a_value(field):
    """A value of `field`'s type for a made-up historical row (the historical tables have
    no foreign-key constraints, so any id will do)."""
    kind = field.get_internal_type()
    if kind in TEXT_TYPES:
        return "Lives without papers"[: field.max_length]
    values = {
        "DateField": ON,
        "DateTimeField": WHEN,
        "TimeField": dt.time(9, 0),
        "BooleanField": False,
        "JSONField": {},
        "DecimalField": decimal.Decimal(1),
        "DurationField": dt.timedelta(minutes=5),
        "UUIDField": uuid.UUID(int=1),
        "FloatField": 0.5,
    }
    if kind in values:
        return values[kind]
    if kind.endswith(("IntegerField", "ForeignKey")) or kind == "OneToOneField":
        return 1
    raise AssertionError(f"no sample value for {field!r} ({kind})")


def made_up_row(historical):
    values = {
        field.attname: a_value(field)
        for field in historical._meta.concrete_fields
        if not field.primary_key
    }
    values["history_type"] = "~"
    return historical._base_manager.create(**values)


def accepts(table: str, column: str, pk) -> bool:
    q = connection.ops.quote_name
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {q(table)} SET {q(column)} = %s WHERE history_id = %s", [OTHER_DAY, pk]
            )
            transaction.set_rollback(True)
    except DatabaseError:
        return False
    return True


def test_the_triggers_accept_exactly_the_allowlisted_columns():
    """For every historical table and every text column of it, the database accepts the
    mark exactly where `impact.redaction.REDACTABLE` names the field: an allowlist entry
    without its trigger, or a trigger opening a column the allowlist does not name, fails
    here (on SQLite and PostgreSQL)."""
    expected = redaction.history_columns()
    opened: dict[str, set[str]] = {}
    for model in audit.history_models():
        historical = audit.history_of(model).model
        table = historical._meta.db_table
        row = made_up_row(historical)
        text_columns = [
            field.column
            for field in historical._meta.concrete_fields
            if field.get_internal_type() in TEXT_TYPES
        ]
        assert set(expected[table]) <= set(text_columns), table
        opened[table] = {column for column in text_columns if accepts(table, column, row.pk)}
    assert opened == {table: set(columns) for table, columns in expected.items()}
    # The allowlist itself, read independently: every field of it, and nothing else.
    allowlisted = sorted(
        (audit.history_of(redaction.model_for(label)).model._meta.db_table, field)
        for label, rule in redaction.REDACTABLE.items()
        for field in rule.fields
    )
    assert allowlisted == sorted((t, c) for t, columns in opened.items() for c in columns)


def test_the_triggers_name_the_allowlisted_columns():
    """The same agreement, read from the triggers' definitions."""
    expected = redaction.history_columns()
    with connection.cursor() as cursor:
        for table, columns in expected.items():
            if connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s",
                    [f"{table}_no_update"],
                )
                [(sql,)] = cursor.fetchall()
                named = re.findall(r'NEW\."(\w+)" GLOB', sql)
            else:
                cursor.execute(
                    "SELECT t.tgargs FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    "WHERE c.relname = %s AND t.tgname = %s",
                    [table, f"{table}_append_only"],
                )
                [(arguments,)] = cursor.fetchall()
                named = [a for a in bytes(arguments).decode().split("\x00") if a]
            assert sorted(named) == sorted(columns), table


def test_the_postgresql_grants_name_exactly_the_allowlisted_columns():
    granted = {}
    for statement in append_only.postgres_redaction_grants_sql("impact_app"):
        match = re.fullmatch(r'GRANT UPDATE \(([^)]*)\) ON "(\w+)" TO "impact_app"', statement)
        assert match, statement
        granted[match[2]] = tuple(name.strip('" ') for name in match[1].split(","))
    assert granted == {t: c for t, c in redaction.history_columns().items() if c}
    assert "caseloads_historicalpatient" not in granted

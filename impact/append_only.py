"""The audit tables' own guard (DESIGN.md §4): the access log and every historical table
are append-only in the database, not only in the application.

`append_only_sql` (installed by `impact/migrations/0010_append_only.py`) writes the
triggers that abort any UPDATE or DELETE of those tables on SQLite and PostgreSQL, and
`postgres_grants_sql` the privileges a production role keeps (README, "Security"). The
one exception is `manage.py flush` (it empties the whole database; the test suite uses it
between transactional tests), which runs inside `purging()`. The historical tables accept
one UPDATE, a redaction: an allowlisted column set to exactly "[redacted YYYY-MM-DD]"
(`history_redaction_sql`, installed by `impact/migrations/0013_redaction_exact.py`; the
allowlist is `impact.redaction.REDACTABLE`). What the tables record, and how, is
`impact.audit`'s.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager

from impact.audit import history_models, history_of

_purging = threading.local()


@contextmanager
def purging(connection) -> Iterator[None]:
    """Let `connection` delete rows of the append-only tables inside the block: only for
    `manage.py flush`, which empties the whole database."""
    _purging.on = True
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET impact.audit_purge = 'on'")
    try:
        yield
    finally:
        _purging.on = False
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("RESET impact.audit_purge")


def _sqlite_purging() -> int:
    return int(getattr(_purging, "on", False))


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: the function the SQLite triggers ask whether a flush
    is running. Outside the application (the sqlite3 shell) it does not exist, so a DELETE
    there fails too."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("impact_audit_purging", 0, _sqlite_purging)


def append_only_sql(vendor: str, tables: Iterable[str], *, drop: bool = False) -> list[str]:
    """The statements that make `tables` append-only (or, with `drop`, undo it).

    SQLite: BEFORE UPDATE and BEFORE DELETE triggers that RAISE(ABORT). PostgreSQL: a
    trigger function raising `restrict_violation` on UPDATE, DELETE and TRUNCATE; in
    production also revoke the privileges (README, "Security")."""
    statements: list[str] = []
    if vendor == "sqlite":
        for table in tables:
            if drop:
                statements += [
                    f'DROP TRIGGER IF EXISTS "{table}_no_update"',
                    f'DROP TRIGGER IF EXISTS "{table}_no_delete"',
                ]
                continue
            statements += [
                f'CREATE TRIGGER IF NOT EXISTS "{table}_no_update" BEFORE UPDATE ON "{table}" '
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: rows cannot be changed'); "
                "END",
                f'CREATE TRIGGER IF NOT EXISTS "{table}_no_delete" BEFORE DELETE ON "{table}" '
                "WHEN NOT impact_audit_purging() "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: rows cannot be deleted'); "
                "END",
            ]
    elif vendor == "postgresql":
        if not drop:
            statements.append(
                "CREATE OR REPLACE FUNCTION impact_append_only() RETURNS trigger "
                "LANGUAGE plpgsql AS $$ BEGIN "
                "IF TG_OP <> 'UPDATE' AND "
                "coalesce(current_setting('impact.audit_purge', true), '') = 'on' THEN "
                "RETURN OLD; END IF; "
                "RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP "
                "USING ERRCODE = 'restrict_violation'; "
                "END $$"
            )
        for table in tables:
            statements += [
                f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}"',
                f'DROP TRIGGER IF EXISTS "{table}_no_truncate" ON "{table}"',
            ]
            if not drop:
                statements += [
                    f'CREATE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE ON "{table}" '
                    "FOR EACH ROW EXECUTE FUNCTION impact_append_only()",
                    f'CREATE TRIGGER "{table}_no_truncate" BEFORE TRUNCATE ON "{table}" '
                    "FOR EACH STATEMENT EXECUTE FUNCTION impact_append_only()",
                ]
    return statements


def postgres_grants_sql(role: str) -> list[str]:
    """What to run on PostgreSQL, as the tables' owner after `migrate`, so the role the
    application connects as (`role`, not the owner) may add to the audit tables and read
    them, never change, delete or truncate them (README, "Security"). The triggers refuse
    the same even for the owner; the revoked privileges make it a permission, not only a
    rule."""
    tables = ", ".join(f'"{table}"' for table in append_only_tables())
    return [
        f'GRANT SELECT, INSERT ON {tables} TO "{role}"',
        f'REVOKE UPDATE, DELETE, TRUNCATE ON {tables} FROM "{role}"',
    ]


def append_only_tables() -> list[str]:
    """The access log and every historical table."""
    from impact.models import AccessLog

    return [AccessLog._meta.db_table] + [
        history_of(model).model._meta.db_table for model in history_models()
    ]


# -- redaction: the one change the historical tables accept ---------------------------------

# A redacted value starts with this (DESIGN.md §4: "[redacted YYYY-MM-DD]").
REDACTED_PREFIX = "[redacted"
# The whole of a redacted value, and nothing else: "[redacted 2026-12-03]", never
# "[redacted] …" or "[redacted 2026-12-03] …" (text after the mark would be a rewrite).
REDACTED_GLOB = "[[]redacted [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]]"  # SQLite
REDACTED_REGEX = r"^\[redacted [0-9]{4}-[0-9]{2}-[0-9]{2}\]$"  # PostgreSQL (and Python)

# The redactable columns of each table are the trigger's arguments (TG_ARGV): a changed
# column must be one of them and hold exactly a redaction mark; anything else is refused.
_PG_HISTORY_FUNCTION = r"""
CREATE OR REPLACE FUNCTION impact_history_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    item record;
    old_row jsonb;
    redacted boolean := false;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        old_row := to_jsonb(OLD);
        FOR item IN SELECT key, value FROM jsonb_each(to_jsonb(NEW)) LOOP
            IF item.value IS DISTINCT FROM old_row -> item.key THEN
                IF item.key = ANY (TG_ARGV)
                   AND jsonb_typeof(item.value) = 'string'
                   AND (item.value #>> '{}') ~ 'REDACTED_REGEX' THEN
                    redacted := true;
                ELSE
                    RAISE EXCEPTION '% is append-only: % is not allowed (only a redaction)',
                        TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';
                END IF;
            END IF;
        END LOOP;
        IF redacted THEN
            RETURN NEW;
        END IF;
    ELSIF coalesce(current_setting('impact.audit_purge', true), '') = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END $$
""".replace("REDACTED_REGEX", REDACTED_REGEX)


def _sqlite_redaction_only(columns: Sequence[tuple[str, str]], redactable: Iterable[str]) -> str:
    """The condition under which an UPDATE is a redaction: every column unchanged except
    the `redactable` ones, each either unchanged or set to exactly "[redacted YYYY-MM-DD]"
    (a text), and at least one changed. `columns` are the table's (name, declared type);
    a redactable column must be a text column of the table."""
    redactable = set(redactable)
    kinds = dict(columns)
    for name in redactable:
        kind = kinds.get(name, "").lower()
        if "char" not in kind and "text" not in kind:
            raise ValueError(f"{name!r} is not a text column of this table: {kinds}")
    same = [f'NEW."{name}" IS OLD."{name}"' for name, _type in columns]
    allowed = []
    for (name, _kind), unchanged in zip(columns, same, strict=True):
        if name in redactable:
            allowed.append(
                f"({unchanged} OR (typeof(NEW.\"{name}\") = 'text' AND "
                f"NEW.\"{name}\" GLOB '{REDACTED_GLOB}'))"
            )
        else:
            allowed.append(unchanged)
    return f"({' AND '.join(allowed)}) AND NOT ({' AND '.join(same)})"


def history_redaction_sql(
    connection, tables: Mapping[str, Iterable[str]] | Iterable[str], *, drop: bool = False
) -> list[str]:
    """The statements that let each historical table accept exactly one UPDATE, a
    redaction, and still refuse every other UPDATE and any DELETE (or, with `drop`, go back
    to refusing every UPDATE: `append_only_sql`).

    `tables` maps each table to its redactable columns (`impact.redaction.history_columns`,
    from the allowlist `impact.redaction.REDACTABLE`). A redaction changes only those
    columns, each to exactly "[redacted YYYY-MM-DD]"; every other column stays as it was.
    A table named without columns (a plain list, as `0012_redaction` passed) accepts no
    UPDATE at all.

    SQLite names each column in the trigger, read from the table as it is now: a later
    migration that adds a column to a historical table must run this again
    (`tests/audit/test_redaction.py`, "naming all its columns", fails until it does).
    PostgreSQL compares the rows as JSON in one trigger function, whatever the columns;
    each table's trigger passes it that table's redactable columns."""
    if not isinstance(tables, Mapping):
        tables = {table: () for table in tables}
    columns_of = {table: tuple(columns) for table, columns in tables.items()}
    vendor = connection.vendor
    statements: list[str] = []
    if vendor == "sqlite":
        with connection.cursor() as cursor:
            for table, redactable in columns_of.items():
                statements.append(f'DROP TRIGGER IF EXISTS "{table}_no_update"')
                if drop:
                    continue
                columns = [
                    (column.name, str(column.type_code))
                    for column in connection.introspection.get_table_description(cursor, table)
                ]
                statements.append(
                    f'CREATE TRIGGER "{table}_no_update" BEFORE UPDATE ON "{table}" '
                    f"WHEN NOT ({_sqlite_redaction_only(columns, redactable)}) "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: rows cannot be "
                    "changed, only redacted'); END"
                )
        if drop:
            statements += [s for s in append_only_sql(vendor, columns_of) if "_no_update" in s]
    elif vendor == "postgresql":
        if drop:
            statements += append_only_sql(vendor, columns_of)
            statements.append("DROP FUNCTION IF EXISTS impact_history_append_only()")
            return statements
        statements.append(_PG_HISTORY_FUNCTION)
        for table, redactable in columns_of.items():
            arguments = ", ".join("'" + name.replace("'", "''") + "'" for name in redactable)
            statements += [
                f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}"',
                f'CREATE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE ON "{table}" '
                f"FOR EACH ROW EXECUTE FUNCTION impact_history_append_only({arguments})",
            ]
    return statements


def postgres_redaction_grants_sql(role: str) -> list[str]:
    """What to run on PostgreSQL after `postgres_grants_sql` (whose REVOKE would take these
    back), so the application's role may redact: UPDATE of each historical table's
    redactable columns (`impact.redaction.history_columns`, the columns the triggers
    accept), nothing else; the trigger still checks the value. README, "Redaction"."""
    from impact.redaction import history_columns

    statements = []
    for table, columns in history_columns().items():
        if columns:
            names = ", ".join(f'"{name}"' for name in columns)
            statements.append(f'GRANT UPDATE ({names}) ON "{table}" TO "{role}"')
    return statements

"""Inserting millions of rows fast, for the large demo program and the benchmarks.

`insert_rows` writes plain tuples straight to a table: `executemany` in chunks on SQLite,
`COPY … FROM STDIN` on PostgreSQL. Model instances for two million encounters would take
minutes to build and save; tuples take seconds. The caller gives database-ready values
(`db_date`, `db_datetime`, ints, bools, strings) for the columns it varies; every other
concrete field takes its default, computed once. Nothing here sends signals or writes
history: pair it with `impact.audit.copy_to_history` (one `INSERT … SELECT` per table).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from itertools import islice

from django.db import connection, models
from django.utils import timezone

CHUNK = 20_000


def db_datetime(moment: dt.datetime) -> str:
    """An aware datetime as the database stores it (UTC)."""
    utc = moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    return utc if connection.vendor == "sqlite" else utc + "+00:00"


def db_date(day: dt.date) -> str:
    return day.isoformat()


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple]) -> int:
    """Insert `rows` (tuples of values for the fields named in `columns`, by attname such as
    "enrollment_id") into `model`'s table; other fields get their defaults. Returns the
    number of rows written."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    given = {f.attname: f for f in fields if f.attname in columns}
    missing = set(columns) - set(given)
    if missing:
        raise ValueError(f"{model.__name__} has no field {', '.join(sorted(missing))}")
    now = timezone.now()
    rest = [f for f in fields if f.attname not in given]
    defaults = tuple(
        f.get_db_prep_save(
            now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            else f.get_default(),
            connection,
        )
        for f in rest
    )  # fmt: skip
    names = [_column(given[name]) for name in columns] + [_column(f) for f in rest]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    column_list = ", ".join(quote(name) for name in names)
    written = 0
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while chunk := [row + defaults for row in islice(iterator, CHUNK)]:
            if connection.vendor == "postgresql":
                raw = cursor.cursor  # psycopg's own cursor, for COPY
                with raw.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                    for row in chunk:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(names))
                cursor.executemany(
                    f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})", chunk
                )
            written += len(chunk)
    return written


def _column(field: models.Field) -> str:
    # Only concrete fields reach here, and every concrete field has a column.
    assert field.column is not None, field
    return field.column

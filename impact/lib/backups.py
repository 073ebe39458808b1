"""Consistent online copies of the database, and restoring one (issue 8, "Faults").

SQLite: the backup API copies the live database page by page while the web server and
the task cluster keep working; the copy is one consistent snapshot. PostgreSQL:
`pg_dump --format=custom` (a consistent snapshot by MVCC) and `pg_restore --clean`.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection

from impact.lib.private import private_file


def backup(destination: Path) -> Path:
    """Copy the default database to `destination` (a file) and return it. The copy is
    readable by its owner only (0600; a directory made for it 0700) from the moment it
    exists: it holds every patient's record."""
    private_file(destination)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(destination)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        _pg("pg_dump", "--format=custom", f"--file={destination}")
    else:  # pragma: no cover - only the two supported databases
        raise RuntimeError(f"No backup for {connection.vendor}.")
    return destination


def restore(source: Path) -> None:
    """Replace the default database's contents with the copy in `source`."""
    if not source.is_file():
        raise FileNotFoundError(source)
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            try:
                problem = copy.execute("PRAGMA integrity_check").fetchone()[0]
            except sqlite3.DatabaseError as error:
                problem = str(error)
            if problem != "ok":
                raise ValueError(f"{source} is not a sound copy ({problem}): nothing restored.")
            connection.ensure_connection()
            copy.backup(connection.connection)
        finally:
            copy.close()
    elif connection.vendor == "postgresql":
        # One transaction that stops at the first error: a damaged copy changes nothing
        # (without it, --clean has dropped tables before pg_restore reaches the damage).
        try:
            _pg(
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                str(source),
            )
        except subprocess.CalledProcessError as error:
            problem = (error.stderr or b"").decode(errors="replace").strip().splitlines()
            raise ValueError(
                f"{source} could not be restored ({problem[-1] if problem else error}): "
                "nothing restored."
            ) from error
    else:  # pragma: no cover
        raise RuntimeError(f"No restore for {connection.vendor}.")


def _pg(program: str, *arguments: str) -> None:
    if shutil.which(program) is None:
        raise RuntimeError(f"{program} was not found: install PostgreSQL's client tools.")
    settings = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    command = [
        program,
        f"--host={settings.get('HOST') or 'localhost'}",
        f"--port={settings.get('PORT') or 5432}",
        f"--username={settings.get('USER') or ''}",
        f"--dbname={settings['NAME']}",
        *arguments,
    ]
    subprocess.run(command, env=env, check=True, capture_output=True)

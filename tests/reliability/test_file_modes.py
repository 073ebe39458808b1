"""The SQLite database (with its -wal and -shm) and backups are readable by their owner
only (DESIGN.md §4): files 0600, the directories made for them 0700, whatever the umask
of the shell that started the server (here the usual 022, which would give 0644)."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from impact.lib.private import private_sqlite

ROOT = Path(settings.BASE_DIR)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask():
    before = os.umask(0o022)
    yield
    os.umask(before)


def test_a_new_database_its_wal_and_shm_and_its_new_folder_are_private(tmp_path):
    path = tmp_path / "data" / "db.sqlite3"
    private_sqlite(str(path))
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE patient (name TEXT)")
        db.execute("INSERT INTO patient VALUES ('Ana')")
        db.commit()
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
        assert wal.exists() and shm.exists()
        assert {p.name: oct(mode(p)) for p in (path, wal, shm)} == {
            "db.sqlite3": "0o600",
            "db.sqlite3-wal": "0o600",
            "db.sqlite3-shm": "0o600",
        }
    finally:
        db.close()
    assert oct(mode(path.parent)) == "0o700"


def test_an_existing_database_and_its_companions_are_narrowed(tmp_path):
    path = tmp_path / "db.sqlite3"
    for name in ("db.sqlite3", "db.sqlite3-wal", "db.sqlite3-shm"):
        (tmp_path / name).write_bytes(b"")
        (tmp_path / name).chmod(0o644)
    private_sqlite(str(path))
    assert sorted(oct(mode(p)) for p in tmp_path.iterdir()) == ["0o600"] * 3


def test_the_server_settings_make_the_database_private_before_django_opens_it(tmp_path):
    """What `make run` does: the real settings module, SQLITE_PATH in a new folder, a write
    through Django's connection (WAL on): the file, -wal and -shm are 0600."""
    path = tmp_path / "var" / "impact.sqlite3"
    script = (
        "import json, os, django\n"
        "django.setup()\n"
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('CREATE TABLE t (x INTEGER)')\n"
        "    c.execute('INSERT INTO t VALUES (1)')\n"
        "p = os.environ['SQLITE_PATH']\n"
        "modes = {s: oct(os.stat(p + s).st_mode & 0o777) for s in ('', '-wal', '-shm')}\n"
        "print(json.dumps(modes))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "impact.settings",
        "SQLITE_PATH": str(path),
        "SECRET_KEY": "test-only",
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        umask=0o022,
    )
    assert result.returncode == 0, result.stderr
    modes = json.loads(result.stdout.strip().splitlines()[-1])
    assert modes == {"": "0o600", "-wal": "0o600", "-shm": "0o600"}
    assert oct(mode(path.parent)) == "0o700"


@pytest.mark.django_db(transaction=True)  # the backup API waits for open transactions
def test_a_backup_and_the_folders_made_for_it_are_private(tmp_path, org):
    copy = tmp_path / "offsite" / "2026" / "copy.sqlite3"
    call_command("backup", "--output", str(copy), stdout=StringIO())
    assert copy.stat().st_size > 0
    assert oct(mode(copy)) == "0o600"
    assert oct(mode(copy.parent)) == "0o700"
    assert oct(mode(copy.parent.parent)) == "0o700"


@pytest.mark.django_db(transaction=True)  # the backup API waits for open transactions
def test_the_default_backups_folder_is_private_even_if_it_was_made_before(tmp_path, org, settings):
    settings.BASE_DIR = tmp_path
    (tmp_path / "backups").mkdir(mode=0o755)
    out = StringIO()
    call_command("backup", stdout=out)
    [copy] = (tmp_path / "backups").iterdir()
    # The copy's kind follows the database: SQLite's backup API or pg_dump's archive.
    suffix = ".pgdump" if connection.vendor == "postgresql" else ".sqlite3"
    assert copy.name.startswith("impact-") and copy.suffix == suffix
    assert oct(mode(copy)) == "0o600"
    assert oct(mode(tmp_path / "backups")) == "0o700"

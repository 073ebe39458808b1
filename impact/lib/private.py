"""Files only their owner may read: the SQLite database and backups (DESIGN.md §4).

They hold every patient's record, so other accounts on the machine must not read them,
whatever the umask of the shell that ran `make run`. Standard library only: the settings
module calls `private_sqlite` before Django has opened the database.
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
# SQLite's companions of a database file: the write-ahead log, its shared-memory index and
# the rollback journal. SQLite creates them with the database file's own mode.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) readable by its owner only; a directory that
    already exists is left as it is (it may be shared on purpose, like /tmp)."""
    missing = []
    for directory in (path, *path.parents):
        if directory.exists():
            break
        missing.append(directory)
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    for directory in missing:  # mkdir's mode is narrowed by the umask, never widened
        directory.chmod(DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Make sure `path` exists (empty if new) with mode 0600, created so from the start
    (no moment in which others could open it); an existing file is narrowed to 0600."""
    private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    return path


def private_sqlite(name: str) -> None:
    """Prepare the SQLite database file `name` (a path; ":memory:" and URIs are left
    alone) and narrow any companion files already there to 0600. SQLite gives a new
    -wal, -shm or -journal the database file's mode, so they stay private too."""
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    path = Path(name)
    private_file(path)
    for suffix in SQLITE_COMPANIONS:
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.chmod(FILE_MODE)

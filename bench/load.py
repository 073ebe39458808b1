"""Load test: 50 CHWs logging visits and reading caseloads and 5 managers on their
dashboards, against gunicorn on SQLite with the demo data, on 127.0.0.1 only.

    .venv/bin/python -m bench.load [--users 55] [--seconds 60] [--workers 3]

Users arrive two a second: signing in hashes the password on purpose slowly (PBKDF2), so a
crowd signing in at once measures the hash, not the pages. Measure on a quiet machine.

Builds the demo program once into its own SQLite file ($TMPDIR/impact-load.sqlite3,
never the developer's database; rebuilt with --fresh), starts gunicorn on a free local
port, runs locust headless for a bounded time, and prints requests per second, the
median and 95th-percentile latency and the error count, overall and per page.
"""

from __future__ import annotations

import argparse
import csv
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=55, help="50 CHWs and 5 managers")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--fresh", action="store_true", help="rebuild the demo database")
    args = parser.parse_args()
    if not 1 <= args.seconds <= 600 or not 1 <= args.users <= 500:
        sys.exit("Keep the load bounded: 1–600 seconds, 1–500 users.")

    db = Path(tempfile.gettempdir()) / "impact-load.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "impact.settings",
        "SQLITE_PATH": str(db),
        "SECRET_KEY": os.environ.get("SECRET_KEY", "load-test-secret-" + "x" * 40),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    env.pop("DATABASE_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    if args.fresh and db.exists():
        db.unlink()
    if not db.exists():
        print(f"Building the demo program in {db} …", flush=True)
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
        subprocess.run(
            [*manage, "seed_demo"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL
        )
    # Static files as production serves them (WhiteNoise from STATIC_ROOT).
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    host = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "impact.wsgi",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{host}/login/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        prefix = Path(tempfile.gettempdir()) / "impact-load"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                "2",
                "-t",
                f"{args.seconds}s",
                "--host",
                host,
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env=env,
            cwd=ROOT,
            check=False,
        )
    finally:
        server.terminate()
        server.wait(timeout=15)
    _report(Path(f"{prefix}_stats.csv"), args)


def _report(stats: Path, args) -> None:
    rows = list(csv.DictReader(stats.open()))
    print()
    print(f"{args.users} users for {args.seconds} s, gunicorn with {args.workers} workers, SQLite")
    print(f"{'request':<48}{'count':>8}{'errors':>8}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}")
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "ALL"
        print(
            f"{row['Type'] + ' ' + name:<48}{row['Request Count']:>8}{row['Failure Count']:>8}"
            f"{float(row['Requests/s']):>8.1f}{row['50%']:>8}{row['95%']:>8}"
        )


if __name__ == "__main__":
    main()

"""`make run` and `make serve` stop within 10 seconds on SIGTERM or Ctrl-C, and every
process they started is gone (issue 17: django-q2's cluster could hang at "Q Cluster …
stopping." for minutes). The real make targets run on a migrated temporary database
(with a placeholder account) and a free port, 5 times per target and signal; then once
with a stand-in cluster that ignores TERM and INT, which the supervisor
(tools/supervise.py) must kill after its 8-second grace. `make -o demo` skips the
migrate-and-seed step that the prepared database does not need (it would only check
that there is nothing to do, 10-30 s a run on a busy machine): what runs is each target's
own recipe, collectstatic included.

SIGTERM goes to make's own pid, as `kill` or systemd send it; SIGINT goes to make's whole
process group, as a terminal sends Ctrl-C. Before signalling, the test records every
descendant of make (pid and start time, walking /proc); after, none may be running.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUNS = 5
LIMIT_SECONDS = 10.0
READY_SECONDS = 120.0
SIGNALS = {"TERM": signal.SIGTERM, "INT": signal.SIGINT}

pytestmark = pytest.mark.skipif(
    not Path("/proc").is_dir() or shutil.which("make") is None, reason="needs Linux and make"
)

# The stand-in cluster: it and a child of its own ignore TERM and INT, as a hung
# django-q2 cluster does; only SIGKILL ends them.
STUBBORN = textwrap.dedent(
    """
    import os, signal, time
    for s in (signal.SIGTERM, signal.SIGINT):
        signal.signal(s, signal.SIG_IGN)
    os.fork()
    print("Q Cluster stand-in running.", flush=True)
    while True:
        time.sleep(1)
    """
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def processes() -> dict[int, tuple[int, str, str]]:
    """Every process on the machine: pid -> (parent pid, state, start time)."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        table[int(entry.name)] = (int(fields[1]), fields[0], fields[19])
    return table


def descendants(root: int) -> dict[int, str]:
    """The processes below `root`: pid -> start time (so a reused pid is not mistaken)."""
    table = processes()
    found: dict[int, str] = {}
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, _state, started) in table.items():
            if ppid == parent and pid not in found:
                found[pid] = started
                frontier.append(pid)
    return found


def still_running(recorded: dict[int, str]) -> list[int]:
    table = processes()
    return [
        pid
        for pid, started in recorded.items()
        if pid in table and table[pid][2] == started and table[pid][1] not in ("Z", "X")
    ]


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> dict[str, str]:
    """A migrated SQLite database with one placeholder account, and the environment the
    make targets run in."""
    folder = tmp_path_factory.mktemp("stopping")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "impact.settings",
        "SQLITE_PATH": str(folder / "impact.sqlite3"),
        "SECRET_KEY": "stopping-test-secret-not-for-production-0123456789",
        "DEBUG": "false",
        "TESTING": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "Q_WORKERS": "2",
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("DATABASE_URL", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"):
        env.pop(name, None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from impact.models import User; User.objects.create(username='x')",
        ],
        env=env,
        check=True,
        cwd=ROOT,
    )
    (folder / "stubborn.py").write_text(STUBBORN)
    env["STOPPING_FOLDER"] = str(folder)
    return env


def run_and_stop(env: dict[str, str], target: str, signum: int, *make_args: str) -> tuple:
    """Start `make target`, wait until it serves and its cluster runs, record its
    processes, send `signum`; return (seconds to stop, processes left, how many, log)."""
    port = free_port()
    folder = Path(env["STOPPING_FOLDER"])
    log = folder / f"{target}-{port}.log"
    with log.open("w") as out:
        make = subprocess.Popen(
            [
                *("make", "--no-print-directory", "-o", "demo", target),
                *(f"PORT={port}", "WORKERS=2", *make_args),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # make leads its own group, as in a terminal
        )
    recorded: dict[int, str] = {}
    try:
        deadline = time.monotonic() + READY_SECONDS
        while not (answers(port) and "running." in log.read_text()):
            assert make.poll() is None, f"make {target} exited early:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"make {target} never got ready:\n{log.read_text()}"
            time.sleep(0.2)
        recorded.update(descendants(make.pid))
        recorded[make.pid] = processes()[make.pid][2]
        started = time.monotonic()
        if signum == signal.SIGINT:
            os.killpg(make.pid, signal.SIGINT)  # Ctrl-C: the terminal's foreground group
        else:
            os.kill(make.pid, signal.SIGTERM)
        while still_running(recorded) and time.monotonic() - started < LIMIT_SECONDS + 5:
            make.poll()
            time.sleep(0.05)
        make.poll()
        elapsed = time.monotonic() - started
        left = still_running(recorded)
        return elapsed, left, len(recorded), log.read_text(), port
    finally:
        # Leave nothing behind, whatever the test found, and touch only what this run
        # started: make's descendants while make (not yet reaped) still holds its pid,
        # otherwise the processes recorded, each checked by its start time.
        if make.poll() is None:
            recorded.update(descendants(make.pid))
            recorded.setdefault(make.pid, processes()[make.pid][2])
        for pid in still_running(recorded):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        make.wait(timeout=10)


@pytest.mark.parametrize("target", ["run", "serve"])
def test_make_target_stops_within_10_seconds_on_term_and_ctrl_c(database, target):
    timings: dict[str, list[float]] = {}
    for name, signum in SIGNALS.items():
        for _ in range(RUNS):
            elapsed, left, count, log, port = run_and_stop(database, target, signum)
            assert not left, f"make {target}, SIG{name}: still running {left}\n{log}"
            assert elapsed < LIMIT_SECONDS, f"make {target}, SIG{name}: {elapsed:.1f} s\n{log}"
            assert count >= 5  # make, the supervisor, the server and the cluster's processes
            assert not answers(port)
            timings.setdefault(name, []).append(elapsed)
    for name, seconds in timings.items():
        print(
            f"\nmake {target}, SIG{name}: stopped in "
            + ", ".join(f"{s:.1f}" for s in seconds)
            + f" s (max {max(seconds):.1f})"
        )


def test_a_cluster_that_ignores_term_is_killed_within_10_seconds(database):
    stand_in = f"{sys.executable} {database['STOPPING_FOLDER']}/stubborn.py"
    elapsed, left, count, log, port = run_and_stop(
        database, "run", signal.SIGTERM, f"QCLUSTER={stand_in}"
    )
    print(f"\nmake run with a cluster that ignores TERM: stopped in {elapsed:.1f} s")
    assert not left, f"still running {left}\n{log}"
    assert elapsed < LIMIT_SECONDS
    assert elapsed >= 7.5  # it took the SIGKILL after the grace time
    assert "killed: process groups" in log
    assert not answers(port)


def test_when_one_command_exits_the_others_are_stopped_and_the_exit_is_not_zero(tmp_path):
    marker = tmp_path / "sleeper.pid"
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "supervise.py"),
            "--leader",
            f"sh -c 'echo $$ > {marker}; exec sleep 600'",
            "sh -c 'sleep 1; exit 3'",
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 3
    assert "exited (3): stopping the others" in result.stderr
    assert time.monotonic() - started < LIMIT_SECONDS
    sleeper = int(marker.read_text())
    assert sleeper not in processes() or processes()[sleeper][1] in ("Z", "X")

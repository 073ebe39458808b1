"""Run a few commands side by side and stop them all, for sure, within 10 seconds.

`make run` and `make serve` hand the web server and the django-q2 cluster to this script:

    python tools/supervise.py [--grace SECONDS] [--leader "COMMAND"]... "COMMAND" ...

Each command (split like a shell would, without a shell) starts in its own process group
and session, with stdin from /dev/null, so it never reads the terminal and a signal can
reach every process it starts (runserver's reloader child, gunicorn's workers, the
cluster's worker processes). Then:

- SIGTERM, SIGINT (Ctrl-C) or SIGHUP to this script is sent on to each command's whole
  process group (runserver's reloader parent does not pass TERM to the child that holds
  the port); whatever is still alive GRACE seconds later (8 by default) gets SIGKILL,
  group and all. The script then exits 0.
- A command given with --leader gets the signal on its first process only, and SIGKILL
  to its group after the grace time like the others. That is for django-q2's cluster:
  its main process stops the sentinel and workers itself (about 2 s here), while a TERM
  to the whole group kills the sentinel mid-stop and leaves the main process hanging at
  "Q Cluster … stopping.", deaf to further TERM and INT (issue 17; measured: every time).
  Either way, SIGKILL ends what hangs within the grace time.
- If one command exits by itself, the others are stopped the same way and the script
  exits non-zero (the command's own code, or 1), so `make` reports the failure.

Standard library only, no Django: it must work when Django itself is what is broken.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

GRACE_SECONDS = 8.0
POLL_SECONDS = 0.05
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def _say(message: str) -> None:
    print(f"supervise: {message}", file=sys.stderr, flush=True)


def group_alive(pgid: int) -> bool:
    """Whether any process of group `pgid` is still running (zombies, which only wait to
    be reaped, do not count: they hold no port and no file)."""
    proc = Path("/proc")
    if not proc.is_dir():  # not Linux: ask the kernel, zombies included
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses.
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 2 and int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            return True
    return False


def signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


class Supervisor:
    def __init__(self, commands: list[tuple[list[str], bool]], grace: float):
        self.commands = commands  # (argv, signal the leader only)
        self.grace = grace
        self.children: list[subprocess.Popen[bytes]] = []
        self.leader_only: list[bool] = []
        self.stop_signal: int | None = None

    def _on_signal(self, signum, frame) -> None:
        if self.stop_signal is None:
            self.stop_signal = signum

    def start(self) -> None:
        for signum in STOP_SIGNALS:
            signal.signal(signum, self._on_signal)
        for argv, leader_only in self.commands:
            child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, start_new_session=True)
            # A new session: the child's pid is its process group's id.
            self.children.append(child)
            self.leader_only.append(leader_only)

    def _reap(self) -> None:
        for child in self.children:
            child.poll()

    def wait(self) -> int:
        """Until a stop signal arrives or a command exits: the exit status to report."""
        while True:
            if self.stop_signal is not None:
                name = signal.Signals(self.stop_signal).name
                _say(f"{name} received: stopping {len(self.children)} processes.")
                self.stop(self.stop_signal)
                return 0
            for child, (argv, _leader_only) in zip(self.children, self.commands, strict=True):
                code = child.poll()
                if code is not None:
                    _say(f"{shlex.join(argv)} exited ({code}): stopping the others.")
                    self.stop(signal.SIGTERM)
                    return code if code > 0 else 1
            time.sleep(POLL_SECONDS)

    def stop(self, signum: int) -> None:
        """Send `signum` to every group, SIGKILL to what is left after the grace time."""
        groups = [child.pid for child in self.children]
        for child, leader_only in zip(self.children, self.leader_only, strict=True):
            if not leader_only:
                signal_group(child.pid, signum)
            elif child.poll() is None:
                child.send_signal(signum)
        deadline = time.monotonic() + self.grace
        while time.monotonic() < deadline:
            self._reap()
            if not any(group_alive(pgid) for pgid in groups):
                return
            time.sleep(POLL_SECONDS)
        stuck = [pgid for pgid in groups if group_alive(pgid)]
        _say(f"still running after {self.grace:g} s, killed: process groups {stuck}.")
        for pgid in stuck:
            signal_group(pgid, signal.SIGKILL)
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline and any(group_alive(pgid) for pgid in stuck):
            self._reap()
            time.sleep(POLL_SECONDS)
        self._reap()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--grace",
        type=float,
        default=GRACE_SECONDS,
        help="seconds between the stop signal and SIGKILL (default %(default)s)",
    )
    parser.add_argument(
        "--leader",
        action="append",
        default=[],
        metavar="COMMAND",
        help="a command whose first process alone gets the stop signal (it stops its own "
        "children); its group still gets SIGKILL after the grace time",
    )
    parser.add_argument("commands", nargs="*", help="each command as one string")
    options = parser.parse_args(argv)
    commands = [(shlex.split(c), True) for c in options.leader] + [
        (shlex.split(c), False) for c in options.commands
    ]
    if not commands or any(not argv for argv, _leader in commands):
        parser.error("give at least one command, none of them empty")
    supervisor = Supervisor(commands, options.grace)
    supervisor.start()
    return supervisor.wait()


if __name__ == "__main__":
    sys.exit(main())

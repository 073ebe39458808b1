"""A test-only clock: a process started with IMPACT_TEST_NOW runs at that instant.

The suite can run travelled to another hour (`make test-night`: Saturday 03:00 in the
program's time zone, README "Tests at any hour"); the servers and commands it starts as
child processes (gunicorn, `manage.py`, `make run`) must see the same clock. The suite
puts the instant in the environment variable IMPACT_TEST_NOW (an ISO 8601 datetime with
its UTC offset) and the settings call `travel_from_env()`, which starts time-machine's
ticking travel there: the clock then runs on from that instant.

Only when TESTING is on (impact/settings.py checks): production settings never travel,
and time-machine is a test dependency that a production install does not have.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping

ENV = "IMPACT_TEST_NOW"

_travel = None  # the travel this module started, at most one per process


def parse_instant(value: str) -> dt.datetime:
    """IMPACT_TEST_NOW's value as an aware datetime; a clear error for anything else."""
    try:
        instant = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"{ENV}={value!r} is not an ISO 8601 datetime (e.g. 2026-12-05T03:00:00-05:00)."
        ) from None
    if instant.tzinfo is None:
        raise ValueError(f"{ENV}={value!r} needs a UTC offset (e.g. -05:00 or Z).")
    return instant


def travel_from_env(environ: Mapping[str, str] = os.environ) -> dt.datetime | None:
    """Start a ticking travel to the instant in IMPACT_TEST_NOW; None when it is unset.

    Idempotent: a process travels once (the settings may be imported after the test
    suite has already started its own travel to the same instant).
    """
    global _travel
    value = environ.get(ENV, "")
    if not value or _travel is not None:
        return None
    import time_machine  # a test dependency: imported only when a test asks for it

    instant = parse_instant(value)
    _travel = time_machine.travel(instant, tick=True)
    _travel.start()
    return instant


def travelling() -> bool:
    """True when this process runs on IMPACT_TEST_NOW's clock."""
    return _travel is not None


def stop() -> None:
    global _travel
    if _travel is not None:
        _travel.stop()
        _travel = None

"""The test clock: where `--travel-to` sends the suite, and the instant a child process
started by a travelled test runs at (README, "Tests at any hour")."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import zoneinfo
from pathlib import Path

import pytest
from time_machine import escape_hatch

from impact import testclock
from tests import clock

NY = zoneinfo.ZoneInfo("America/New_York")
ROOT = Path(__file__).resolve().parents[2]


def at(y, m, d, h=0, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=NY)


def test_the_program_time_zone_is_the_default_programs():
    assert clock.program_time_zone() == NY


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2026, 12, 2, 10), at(2026, 12, 5, 3)),  # a Wednesday: that week's Saturday
        (at(2026, 12, 5, 2, 59), at(2026, 12, 5, 3)),  # Saturday before 03:00: today
        (at(2026, 12, 5, 3), at(2026, 12, 12, 3)),  # Saturday at 03:00: the next one
        # Saturday 31 October 2026 is within a day of the change on 1 November (02:00
        # EDT becomes 01:00 EST); Saturday 13 March 2027 of the one on 14 March.
        (at(2026, 10, 28, 12), at(2026, 11, 7, 3)),
        (at(2027, 3, 10, 12), at(2027, 3, 20, 3)),
    ],
)
def test_next_saturday_3am_is_in_program_time_and_never_beside_a_dst_change(now, expected):
    assert clock.resolve("next-saturday-3am", now, NY) == expected


def test_next_weekday_noon_skips_the_weekend():
    friday_afternoon = at(2026, 12, 4, 13)
    assert clock.resolve("next-weekday-noon", friday_afternoon, NY) == at(2026, 12, 7, 12)


def test_an_iso_instant_needs_its_offset():
    now = at(2026, 12, 2, 10)
    assert clock.resolve("2026-12-06T23:30:00-05:00", now, NY) == at(2026, 12, 6, 23, 30)
    with pytest.raises(ValueError, match="UTC offset"):
        clock.resolve("2026-12-06T23:30:00", now, NY)
    with pytest.raises(ValueError, match="--travel-to"):
        clock.resolve("tonight", now, NY)


CHILD = (
    "import django; django.setup(); from django.utils import timezone; "
    "print(timezone.now().isoformat())"
)


def child_now(**env: str) -> dt.datetime:
    """The clock of a fresh process that loads the settings with `env`."""
    environ = {k: v for k, v in os.environ.items() if k not in ("TESTING", testclock.ENV)}
    environ |= {"DJANGO_SETTINGS_MODULE": "impact.settings", "SECRET_KEY": "x" * 50} | env
    out = subprocess.run(
        [sys.executable, "-c", CHILD], env=environ, cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return dt.datetime.fromisoformat(out.stdout.strip())


def test_a_child_with_testing_on_runs_at_the_instant_it_is_given():
    instant = at(2027, 1, 9, 3)
    now = child_now(TESTING="1", IMPACT_TEST_NOW=instant.isoformat())
    assert instant <= now < instant + dt.timedelta(seconds=30)  # ticking from there


def test_production_settings_never_travel():
    now = child_now(TESTING="0", IMPACT_TEST_NOW=at(2027, 1, 9, 3).isoformat())
    # This process may itself be travelled (make test-night): compare with the real clock.
    travelled = escape_hatch.is_travelling()
    real = escape_hatch.datetime.datetime.now(dt.UTC) if travelled else dt.datetime.now(dt.UTC)
    assert abs(real - now) < dt.timedelta(seconds=30)

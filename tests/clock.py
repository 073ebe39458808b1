"""Where `pytest --travel-to=…` sends the whole suite (README, "Tests at any hour").

Every test must pass at any hour and on any day of the week. The travelled runs prove it:
the suite starts at a chosen instant in the program's time zone and the clock ticks on
from there (tests that pin their own time still do, inside the travel).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from impact.testclock import parse_instant

SPECS = {
    # Night and weekend: after hours, and a day that is not a workday.
    "next-saturday-3am": (dt.time(3, 0), {5}),
    # Working hours on a workday.
    "next-weekday-noon": (dt.time(12, 0), {0, 1, 2, 3, 4}),
}
HELP = (
    "Run the suite with the clock travelled (ticking) to an instant: "
    + ", ".join(SPECS)
    + " (in the program's default time zone, never within a day of a daylight-saving"
    " change), or an ISO 8601 datetime with its UTC offset."
)


def program_time_zone() -> zoneinfo.ZoneInfo:
    """The time zone a new program (and the demo, and the test factories) is in."""
    from impact.models import Program

    return zoneinfo.ZoneInfo(Program._meta.get_field("time_zone").get_default())


def near_dst_change(moment: dt.datetime, tz: zoneinfo.ZoneInfo) -> bool:
    """True when the zone's UTC offset changes within a day either side of `moment`."""
    utc = moment.astimezone(dt.UTC)
    offsets = {(utc + dt.timedelta(hours=h)).astimezone(tz).utcoffset() for h in (-24, 0, 24)}
    return len(offsets) > 1


def next_local(
    now: dt.datetime, tz: zoneinfo.ZoneInfo, at: dt.time, weekdays: set[int]
) -> dt.datetime:
    """The first local `at` after `now` on one of `weekdays` (Monday=0), skipping any
    that falls within a day of a daylight-saving change (the next week's, then)."""
    day = now.astimezone(tz).date()
    while True:
        candidate = dt.datetime.combine(day, at, tzinfo=tz)
        if candidate > now and day.weekday() in weekdays and not near_dst_change(candidate, tz):
            return candidate
        day += dt.timedelta(days=1)


def resolve(spec: str, now: dt.datetime, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    """The instant a --travel-to value names, as an aware datetime in `tz`."""
    if spec in SPECS:
        at, weekdays = SPECS[spec]
        return next_local(now, tz, at, weekdays)
    try:
        return parse_instant(spec).astimezone(tz)
    except ValueError:
        raise ValueError(f"--travel-to={spec!r}: {HELP}") from None

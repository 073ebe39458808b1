"""Personas for every test: two teams of two CHWs, a manager per team, a leader, an admin.

DESIGN.md §4 is tested with these: each test that reads patient-level data checks what
the other team's people can and cannot see.
"""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo
from types import SimpleNamespace

import pytest
import time_machine
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from impact import testclock
from impact.auth.rules import confirmed_device, two_factor_required
from impact.models import Role
from tests import clock
from tests.factories import PASSWORD, ProgramFactory, TeamFactory, UserFactory

# A week before NOW (below): where the clock is pinned at NOW, the personas' hire date.
HIRED_ON = dt.date(2026, 11, 11)


# The whole suite travelled to another hour (README, "Tests at any hour"): `make
# test-night` runs `pytest --travel-to=next-saturday-3am`. The clock ticks on from that
# instant for the whole session; tests that pin their own time travel again inside it.
def pytest_addoption(parser):
    parser.addoption("--travel-to", metavar="WHEN", default=None, help=clock.HELP)


def pytest_configure(config):
    spec = config.getoption("--travel-to")
    if spec is None:
        return  # IMPACT_TEST_NOW, when set by hand, started the travel with the settings
    if testclock.travelling():
        raise pytest.UsageError(f"Give --travel-to or {testclock.ENV}, not both.")
    try:
        instant = clock.resolve(spec, dt.datetime.now(dt.UTC), clock.program_time_zone())
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
    os.environ[testclock.ENV] = instant.isoformat()
    testclock.travel_from_env()


def pytest_unconfigure(config):
    testclock.stop()


def pytest_report_header(config):
    if testclock.travelling():
        now = dt.datetime.now(clock.program_time_zone())
        return f"clock: travelled to {now:%A %Y-%m-%d %H:%M %Z} (program time), ticking"
    return None


@pytest.fixture(autouse=True)
def _children_share_the_clock():
    """Processes a test starts (gunicorn, manage.py, make run) begin at the suite's
    current instant: the settings of a child with TESTING on read IMPACT_TEST_NOW."""
    if testclock.travelling():
        os.environ[testclock.ENV] = dt.datetime.now(dt.UTC).isoformat()


def pinned_first(request) -> None:
    """Enter the test's clock pin (`frozen`, `still`) now if it asks for one, so a fixture
    that builds on the clock (the personas' hire date, a browser's clock) uses the pinned
    time whatever order the test lists its fixtures in."""
    for name in ("frozen", "still"):
        if name in request.fixturenames:
            request.getfixturevalue(name)


@pytest.fixture
def program(db):
    return ProgramFactory(name="Eastside CHW Program")


@pytest.fixture
def org(request, program):
    """The organisation: team A (manager ma, CHWs a1, a2), team B (mb; b1, b2), leader.

    The CHWs were hired a week before the clock's today (HIRED_ON when the clock is
    pinned at NOW), whenever the test runs: a fixed date would make every CHW overdue for
    supervision once the calendar moved on, and tests that do not pin the clock would
    depend on the day they run.
    """
    pinned_first(request)  # the people are hired on the pinned clock's day
    hired_on = program.today() - dt.timedelta(days=7)
    ma = UserFactory(username="ma", role=Role.MANAGER, program=program)
    mb = UserFactory(username="mb", role=Role.MANAGER, program=program)
    team_a = TeamFactory(program=program, name="North", manager=ma)
    team_b = TeamFactory(program=program, name="South", manager=mb)
    ma.team, mb.team = team_a, team_b
    ma.save()
    mb.save()

    def chw(username, team):
        # Hired a week ago: not yet due for supervision (no supervision_overdue alert
        # unless a test sets an earlier hire date).
        return UserFactory(
            username=username,
            role=Role.CHW,
            program=program,
            team=team,
            hired_on=hired_on,
        )

    return SimpleNamespace(
        program=program,
        team_a=team_a,
        team_b=team_b,
        ma=ma,
        mb=mb,
        a1=chw("a1", team_a),
        a2=chw("a2", team_a),
        b1=chw("b1", team_b),
        b2=chw("b2", team_b),
        leader=UserFactory(username="leader", role=Role.LEADER, program=program),
        admin=UserFactory(
            username="admin", role=Role.ADMIN, program=None, is_staff=True, is_superuser=True
        ),
    )


@pytest.fixture
def login(client):
    """Sign a persona in on the test client and return the client.

    Someone who must give a second factor (admins, anyone with a device) is signed in as
    having given it: the admin persona gets a device the first time. tests/auth/ tests the
    code itself.
    """

    def _login(user):
        client.force_login(user)
        if two_factor_required(user):
            device = confirmed_device(user) or TOTPDevice.objects.create(
                user=user, name="test phone", confirmed=True
            )
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    return _login


@pytest.fixture
def password():
    return PASSWORD


# Wednesday 18 November 2026, 10:00 in New York (the test program's time zone): a
# weekday in working hours, so tests that log "now" are in hours unless they say otherwise.
NOW = dt.datetime(2026, 11, 18, 10, 0, tzinfo=zoneinfo.ZoneInfo("America/New_York"))


@pytest.fixture
def frozen():
    """Freeze the clock at NOW."""
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def still():
    """Hold the clock still at the current instant (the travelled one in a night run).

    For tests that build data relative to now (seed_demo) and check it against today: they
    run at whatever hour the suite does, but cannot straddle midnight between the two.
    """
    with time_machine.travel(dt.datetime.now(dt.UTC), tick=False) as traveller:
        yield traveller


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests that flush the database (live server, `transaction=True`) run after every
    test that relies on the rows the migrations seed (task schedules, fidelity
    components, content types), as pytest-django orders them; re-applied last because
    another hook may have moved them since."""

    def order(item) -> int:
        marker = item.get_closest_marker("django_db")
        names = getattr(item, "fixturenames", ())
        if (marker and marker.kwargs.get("transaction")) or {
            "live_server",
            "transactional_db",
        } & set(names):
            return 1
        return 0 if marker or "db" in names else 2

    items.sort(key=order)

"""The browser's clock is the server's: in a travelled run (`make test-night`) and when a
test pins the time, the page sees the same instant as the live server (README, "Tests at
any hour")."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import NOW

pytestmark = pytest.mark.django_db(transaction=True)


def browser_now(page) -> dt.datetime:
    return dt.datetime.fromisoformat(page.evaluate("new Date().toISOString()"))


def test_the_browser_runs_on_the_suites_clock(live_server, desktop):
    desktop.goto(f"{live_server.url}/login/")
    assert abs(browser_now(desktop) - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)


def test_a_pinned_time_reaches_the_browser(live_server, phone, frozen):
    phone.goto(f"{live_server.url}/login/")
    assert NOW <= browser_now(phone) < NOW + dt.timedelta(minutes=1)

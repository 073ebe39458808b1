"""Real-browser tests: Playwright driving Debian's Chromium against the live test server.

Chromium is never skipped: when it is missing these tests fail with the fix in the
message (`make test` checks first, with the same advice).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from time_machine import escape_hatch

from tests.conftest import pinned_first

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
# ordinary synchronous code and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium was not found at {CHROMIUM}. Install it with "
            "`sudo apt-get install -y chromium` or set CHROMIUM_PATH.",
            pytrace=False,
        )
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


def new_page(browser, **context_options):
    """A page in a new context whose clock agrees with the server's.

    The live server runs in this process, so a travelled suite or a test's pinned time
    applies to it; the browser gets the same instant through Playwright's clock (its
    clock then runs on from there, like the server's ticking travel).
    """
    context = browser.new_context(**context_options)
    if escape_hatch.is_travelling():
        context.clock.install(time=dt.datetime.now(dt.UTC))
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def phone(request, browser):
    """A phone-sized page (a CHW in the field)."""
    pinned_first(request)
    page = new_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    yield page
    page.context.close()


@pytest.fixture
def desktop(request, browser):
    pinned_first(request)
    page = new_page(browser, viewport={"width": 1280, "height": 900})
    yield page
    page.context.close()


def sign_in(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()

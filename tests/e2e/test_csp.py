"""The Content Security Policy breaks nothing: each role's main pages (and the Django
admin, after the admin sets up two-factor sign-in in the browser) load with no CSP
violation and no script error."""

from __future__ import annotations

from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from tests.e2e.conftest import sign_in
from tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def watch(page) -> list[str]:
    problems: list[str] = []
    # A missing resource is reported with its address (the console message has none);
    # the browser's own /favicon.ico request is not the application's.
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if "Content Security Policy" in m.text
            or (m.type == "error" and not m.text.startswith("Failed to load resource"))
            else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def visit(page, live_server, paths: list[str]) -> None:
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status < 400, path
        page.wait_for_load_state("networkidle")


def test_chw_manager_and_leader_pages_load_under_the_policy(live_server, desktop, org, password):
    enrollment = EnrollmentFactory(chw=org.a1)
    problems = watch(desktop)
    sign_in(desktop, live_server, "a1", password)
    visit(desktop, live_server, ["/", f"/enrollments/{enrollment.pk}/", "/alerts/"])
    desktop.get_by_role("button", name="Sign out").click()
    sign_in(desktop, live_server, "ma", password)
    visit(desktop, live_server, ["/", "/supervision/", f"/supervision/chws/{org.a1.pk}/"])
    desktop.get_by_role("button", name="Sign out").click()
    sign_in(desktop, live_server, "leader", password)
    visit(desktop, live_server, ["/", "/leaders/exports/", "/fidelity/"])
    assert problems == []


def test_an_admin_sets_up_two_factor_in_the_browser_and_opens_the_admin(
    live_server, desktop, org, password
):
    problems = watch(desktop)
    sign_in(desktop, live_server, "admin", password)
    assert "/account/two-factor/" in desktop.url
    key = desktop.locator(".two-factor-key").inner_text().replace(" ", "")
    code = f"{TOTP(b32decode(key)).token():06d}"
    desktop.get_by_label("6-digit code").fill(code)
    desktop.get_by_role("button", name="Turn on two-factor sign-in").click()
    desktop.get_by_text("Two-factor sign-in is on").wait_for()
    visit(desktop, live_server, ["/admin/", f"/admin/impact/user/{org.a1.pk}/change/"])
    assert problems == []

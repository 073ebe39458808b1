"""A CHW asks for support from her phone, and her manager hears it (issue 19, item 6): the
check-in opens `support_requested` for the manager at once; the CHW does not get it as an
alert of her own; the manager finds it on her home page and the alert board, acknowledges
it, records a one on one with wellbeing discussed from her home page, and the alert
resolves by itself."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from caseloads.models import Alert
from supervision.models import SupervisionSession, WellbeingCheckIn
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SENTENCE = (
    "Amina Diallo asked for support in today's check-in: talk with them soon, and record "
    "the conversation as a session with wellbeing discussed."
)
NOTE = "Calling Amina at 2 pm"


def test_a_chw_asks_for_support_from_her_phone_and_her_manager_acts_on_it(
    live_server, phone, desktop, org, password
):
    org.a1.first_name, org.a1.last_name = "Amina", "Diallo"
    org.a1.save()
    today = org.program.today()

    # -- Amina, on her phone, checks in and asks for support --------------------------
    chw = phone
    sign_in(chw, live_server, "a1", password)
    expect(chw).to_have_url(f"{live_server.url}/caseload/")
    chw.get_by_role("button", name="Menu").click()
    chw.get_by_role("link", name="My wellbeing").click()
    chw.get_by_role("link", name="Check in").click()
    expect(chw.get_by_role("heading", name="Your monthly check-in")).to_be_visible()
    chw.get_by_label("3. I am definitely burning out", exact=False).check()
    chw.get_by_label("Too many patients").check()
    chw.get_by_label("Yes, please").check()
    chw.get_by_role("button", name="Send my check-in").click()

    expect(chw.get_by_text("Thank you for checking in.")).to_be_visible()
    expect(
        chw.get_by_text("Your manager has been told you would like support and will be in touch")
    ).to_be_visible()
    check_in = WellbeingCheckIn.objects.get()
    assert (check_in.chw, check_in.on, check_in.burnout_score) == (org.a1, today, 3)
    assert check_in.wants_support
    # Opened as she sent it, for the manager: not an alert of her own.
    alert = Alert.objects.get(kind="support_requested")
    assert (alert.chw, alert.status, alert.opened_on) == (org.a1, "open", today)
    chw.goto(f"{live_server.url}/alerts/")
    expect(chw.get_by_text("No open alerts.")).to_be_visible()
    expect(chw.get_by_text("asked for support")).to_have_count(0)
    expect(chw.locator("#nav-alert-count")).to_have_count(0)

    # -- Her manager signs in and sees the request on her home page and the board -----
    manager = desktop
    sign_in(manager, live_server, "ma", password)
    expect(manager).to_have_url(f"{live_server.url}/team/")
    waiting = manager.get_by_role("region", name="Asked for support")
    expect(waiting.get_by_text(SENTENCE)).to_be_visible()
    expect(manager.locator("#nav-alert-count [aria-hidden]")).to_have_text("1")
    manager.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Alerts", exact=False
    ).first.click()
    board = manager.get_by_role("table", name="Open alerts by CHW and kind")
    expect(board.get_by_role("columnheader", name="Support requested")).to_be_visible()
    item = manager.locator(".alert-item").filter(has_text=SENTENCE)
    expect(item).to_be_visible()
    expect(item.get_by_text("Support requested")).to_be_visible()

    # She acknowledges it with what she is doing about it...
    item.get_by_label("Note (optional)").fill(NOTE)
    item.get_by_role("button", name="Acknowledge").click()
    expect(manager.get_by_text(f"“{NOTE}”")).to_be_visible()
    expect(manager.locator("#nav-alert-count")).to_be_hidden()
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by, alert.note) == ("acknowledged", org.ma, NOTE)

    # ... talks with Amina and records it from her home page: the request is answered.
    manager.goto(f"{live_server.url}/")
    expect(waiting).to_contain_text(NOTE)
    waiting.get_by_role("link", name="Record a session").click()
    expect(manager.get_by_role("heading", name="Session with Amina Diallo")).to_be_visible()
    manager.get_by_label("Minutes").fill("30")
    manager.get_by_label("We talked about wellbeing").check()
    manager.get_by_role("button", name="Save the session").click()
    expect(manager.get_by_text("Session recorded.")).to_be_visible()
    session = SupervisionSession.objects.get()
    assert (session.chw, session.occurred_on, session.wellbeing_discussed) == (
        org.a1,
        today,
        True,
    )

    alert.refresh_from_db()
    assert alert.status == "resolved" and alert.resolved_by_system
    manager.goto(f"{live_server.url}/alerts/")
    expect(board.get_by_role("row").filter(has_text="Amina Diallo")).to_be_visible()
    expect(manager.get_by_text(SENTENCE)).to_have_count(0)
    manager.goto(f"{live_server.url}/")
    expect(manager.get_by_role("heading", name="Team caseloads")).to_be_visible()
    expect(waiting).to_have_count(0)

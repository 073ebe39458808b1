"""Supervision in a real browser: a manager records a one on one with a follow-up and
private notes; the CHW sees the follow-up on their home page and wellbeing page, never the
private notes, and marks it done; the manager reads the CHW's burnout-risk panel."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from supervision.burnout import FACTORS
from supervision.models import BurnoutSnapshot, FollowUp, SupervisionSession
from supervision.services import burnout_snapshot
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PRIVATE = "Seemed exhausted; ask HR about the schedule change."
SHARED = "Talked through the Friday home visits."
FOLLOW_UP = "Book a ride-along for the Friday visits"


def _burnout_history(org, today: dt.date) -> None:
    """Today's real snapshot of every CHW, and three earlier weeks for a1's trend."""
    burnout_snapshot(program=org.program)
    current = BurnoutSnapshot.objects.get(chw=org.a1, as_of=today)
    for weeks_ago, flags, level in ((3, 0, "low"), (2, 2, "elevated"), (1, 4, "high")):
        BurnoutSnapshot.objects.create(
            chw=org.a1,
            as_of=today - dt.timedelta(weeks=weeks_ago),
            factors=current.factors,
            flag_count=flags,
            level=level,
        )


def test_one_on_one_follow_up_private_notes_and_burnout_panel(
    live_server, desktop, phone, org, password
):
    org.a1.first_name, org.a1.last_name = "Amina", "Diallo"
    org.a1.save()
    today = org.program.today()
    due = today + dt.timedelta(days=3)
    _burnout_history(org, today)

    # -- The manager records a one on one with a1 ------------------------------------
    manager = desktop
    sign_in(manager, live_server, "ma", password)
    manager.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Supervision", exact=True
    ).click()
    expect(manager).to_have_url(f"{live_server.url}/supervision/")
    row = (
        manager.get_by_role("table", name="Supervision rhythm by CHW")
        .get_by_role("row")
        .filter(has_text="Amina Diallo")
    )
    row.get_by_role("link", name="Record a session").click()

    expect(manager.get_by_role("heading", name="Session with Amina Diallo")).to_be_visible()
    expect(manager.get_by_label("One on one")).to_be_checked()
    expect(manager.get_by_label("Date")).to_have_value(today.isoformat())
    manager.get_by_label("Minutes").fill("45")
    manager.get_by_label("We talked about wellbeing").check()
    manager.get_by_label("Notes (the CHW sees these)").fill(SHARED)
    manager.get_by_label("Private notes (never shown to the CHW)").fill(PRIVATE)
    manager.get_by_label("Follow-up", exact=True).nth(0).fill(FOLLOW_UP)
    manager.get_by_label("Due", exact=True).nth(0).fill(due.isoformat())
    manager.get_by_role("button", name="Save the session").click()

    expect(manager.get_by_text("Session recorded.")).to_be_visible()
    expect(manager.get_by_text(PRIVATE)).to_be_visible()  # the manager sees them
    session = SupervisionSession.objects.get()
    assert manager.url == f"{live_server.url}/supervision/sessions/{session.pk}/"
    assert (session.chw, session.manager, session.kind) == (org.a1, org.ma, "one_on_one")
    assert (session.occurred_on, session.duration_minutes) == (today, 45)
    assert session.wellbeing_discussed
    assert (session.notes, session.private_notes) == (SHARED, PRIVATE)
    follow_up = FollowUp.objects.get()
    assert (follow_up.session, follow_up.description, follow_up.due_on) == (
        session,
        FOLLOW_UP,
        due,
    )
    assert follow_up.done_on is None

    # -- a1 on a phone: the follow-up on the home page and on My wellbeing -----------
    chw = phone
    sign_in(chw, live_server, "a1", password)
    expect(chw).to_have_url(f"{live_server.url}/caseload/")
    panel = chw.get_by_role("region", name="Supervision follow-ups")
    expect(panel.get_by_text(FOLLOW_UP)).to_be_visible()

    chw.goto(f"{live_server.url}/wellbeing/")
    expect(chw.get_by_role("heading", name="My wellbeing")).to_be_visible()
    expect(
        chw.get_by_role("region", name="Supervision follow-ups").get_by_text(FOLLOW_UP)
    ).to_be_visible()
    expect(chw.get_by_text(PRIVATE)).to_have_count(0)
    chw.get_by_role("region", name="My supervision").get_by_role(
        "link", name=re.compile("One on one")
    ).click()

    # The session page: shared notes and the follow-up, never the private notes.
    expect(chw).to_have_url(f"{live_server.url}/supervision/sessions/{session.pk}/")
    expect(chw.get_by_text(SHARED)).to_be_visible()
    expect(chw.get_by_text(FOLLOW_UP)).to_be_visible()
    expect(chw.get_by_text(PRIVATE)).to_have_count(0)
    expect(chw.get_by_text("Private notes")).to_have_count(0)
    assert PRIVATE not in chw.content()

    # Done from the home page: the follow-up (and the empty panel) disappear.
    chw.goto(f"{live_server.url}/caseload/")
    item = panel.get_by_role("listitem").filter(has_text=FOLLOW_UP)
    item.get_by_role("button", name="Done").click()
    expect(chw.get_by_text("Follow-up done.")).to_be_visible()
    expect(chw).to_have_url(f"{live_server.url}/caseload/")
    expect(chw.get_by_text(FOLLOW_UP)).to_have_count(0)
    expect(panel).to_have_count(0)
    follow_up.refresh_from_db()
    assert follow_up.done_on == today

    chw.goto(f"{live_server.url}/wellbeing/")
    expect(chw.get_by_text("No open follow-ups.")).to_be_visible()
    expect(chw.get_by_text(FOLLOW_UP)).to_have_count(0)

    # -- The manager opens a1's burnout-risk panel -----------------------------------
    manager.goto(f"{live_server.url}/supervision/")
    manager.get_by_role("table", name="Supervision rhythm by CHW").get_by_role(
        "link", name="Amina Diallo"
    ).click()
    expect(manager).to_have_url(f"{live_server.url}/supervision/chws/{org.a1.pk}/")
    burnout = manager.get_by_role("region", name="Burnout-risk indicators")
    expect(burnout).to_be_visible()
    chart = burnout.get_by_role("img", name="Factors flagged each week over the last 12 weeks")
    chart_path = f"/supervision/chws/{org.a1.pk}/burnout.svg"
    expect(chart).to_have_attribute("src", chart_path)
    manager.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=chart.element_handle()
    )
    response = manager.request.get(f"{live_server.url}{chart_path}")
    assert response.status == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.body().lstrip().startswith((b"<?xml", b"<svg"))

    factors = burnout.get_by_role("table", name="Each factor against its threshold")
    expect(factors).to_have_class(re.compile(r"\bburnout-factors\b"))
    expect(factors.locator("tbody").get_by_role("row")).to_have_count(11)
    assert len(FACTORS) == 11
    for spec in FACTORS:
        label = re.compile(re.escape(str(spec.label)))
        expect(factors.get_by_role("rowheader", name=label)).to_be_visible()

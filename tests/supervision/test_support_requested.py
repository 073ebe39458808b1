"""`support_requested` (DESIGN.md §5.1): a check-in with wants_support is an alert for the
CHW's manager, opened when the check-in is sent and open until a session with wellbeing
discussed is recorded after it. The CHW never sees it as an alert of their own; leaders
never count it.

The clock is Wednesday 18 November 2026; `clock(hour)` moves it within that day (or to
another day) so that which write came first is explicit: a session answers a request only
when it is recorded after the check-in was sent.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from caseloads.alerts import alerts_sweep
from caseloads.models import Alert
from caseloads.selectors import alerts_for, open_alert_count
from reports import figures
from supervision.models import WellbeingCheckIn
from supervision.services import check_in_save, session_record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NY = zoneinfo.ZoneInfo("America/New_York")
TODAY = dt.date(2026, 11, 18)
KIND = "support_requested"


def clock(hour: int, minute: int = 0, day: dt.date = TODAY):
    """The clock held at hour:minute, New York time, on `day`."""
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour, minute), NY), tick=False)


def ask(chw, *, day: dt.date = TODAY, wants_support: bool = True) -> WellbeingCheckIn:
    return check_in_save(chw=chw, on=day, burnout_score=3, wants_support=wants_support)


def talk(org, chw, *, on: dt.date = TODAY, wellbeing: bool = True, kind: str = "one_on_one"):
    return session_record(
        manager=org.ma,
        chw=chw,
        kind=kind,
        occurred_on=on,
        duration_minutes=30,
        wellbeing_discussed=wellbeing,
    )


def support_alerts(chw=None) -> list[Alert]:
    alerts = Alert.objects.filter(kind=KIND).order_by("pk")
    return list(alerts.filter(chw=chw) if chw else alerts)


def test_a_check_in_asking_for_support_opens_the_alert_at_once(org, login):
    response = login(org.a1).post(
        reverse("supervision:check_in"),
        {"burnout_score": "4", "integration_friction": "0", "wants_support": "yes"},
        follow=True,
    )
    assert "Your manager has been told you would like support" in response.content.decode()
    [alert] = support_alerts()
    assert (alert.chw, alert.enrollment, alert.status) == (org.a1, None, "open")
    assert (alert.opened_on, alert.occurrence, alert.facts) == (
        TODAY,
        "2026-11-18",
        {"on": "2026-11-18"},
    )
    assert alert.sentence(TODAY) == (
        f"{org.a1} asked for support in today's check-in: talk with them soon, and record "
        "the conversation as a session with wellbeing discussed."
    )
    # Two days on, the sentence counts the days since the request.
    assert alert.sentence(TODAY + dt.timedelta(days=2)).startswith(
        f"{org.a1} asked for support in a check-in 2 days ago:"
    )


def test_a_check_in_without_a_request_opens_nothing(org, login):
    response = login(org.a1).post(
        reverse("supervision:check_in"),
        {"burnout_score": "2", "integration_friction": "0", "wants_support": "no"},
        follow=True,
    )
    assert "Your manager has been told" not in response.content.decode()
    assert support_alerts() == []


def test_the_manager_sees_it_on_the_board_and_acts_on_it(org, login):
    ask(org.a1)
    [alert] = support_alerts()
    client = login(org.ma)
    page = client.get(reverse("caseloads:alerts"))
    a1_row = next(row for row in page.context["board"] if row.chw == org.a1)
    assert [a.pk for a in a1_row.by_kind[KIND]] == [alert.pk]
    html = page.content.decode()
    assert "Support requested" in html and "asked for support in today&#x27;s check-in" in html
    assert open_alert_count(org.ma) == 1
    client.post(
        reverse("caseloads:alert_acknowledge", args=[alert.pk]), {"note": "Calling her at 2"}
    )
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by, alert.note) == (
        "acknowledged",
        org.ma,
        "Calling her at 2",
    )


def test_the_chw_the_other_manager_and_leaders_never_see_it(org, login):
    ask(org.a1)
    [alert] = support_alerts()
    assert not alerts_for(org.a1).filter(pk=alert.pk).exists()
    assert login(org.a1).get(reverse("caseloads:alerts")).context["alerts"] == []
    assert open_alert_count(org.a1) == 0
    assert not alerts_for(org.mb).filter(pk=alert.pk).exists()
    assert not alerts_for(org.leader).exists()
    assert (
        login(org.a1).post(reverse("caseloads:alert_resolve", args=[alert.pk])).status_code == 404
    )
    counts = figures.overview(
        program=org.program, start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31)
    ).alerts_by_kind
    assert KIND not in counts and sum(counts.values()) == 0


def test_a_session_with_wellbeing_recorded_after_the_check_in_resolves_it(org, login):
    with clock(9):
        ask(org.a1)
    with clock(15):  # the same day, later: the request is answered
        talk(org, org.a1)
    [alert] = support_alerts()
    assert alert.status == "resolved" and alert.resolved_by_system
    assert alert.cleared_on == TODAY


def test_a_session_recorded_earlier_the_same_day_does_not_close_it(org):
    with clock(8):
        talk(org, org.a1)
    with clock(9):
        ask(org.a1)
    [alert] = support_alerts()
    assert alert.status == "open"
    alerts_sweep(program=org.program)  # the nightly sweep agrees
    assert support_alerts()[0].status == "open"


def test_a_session_before_the_check_in_day_does_not_close_it(org):
    monday = TODAY - dt.timedelta(days=2)
    with clock(10, day=monday):
        talk(org, org.a1, on=monday)
    with clock(9):
        ask(org.a1)
    assert support_alerts()[0].status == "open"


def test_a_session_recorded_later_but_dated_before_the_check_in_does_not_close_it(org):
    """Monday's conversation, written down on Wednesday after the check-in: it happened
    before the CHW asked."""
    with clock(9):
        ask(org.a1)
    with clock(15):
        talk(org, org.a1, on=TODAY - dt.timedelta(days=2))
    assert support_alerts()[0].status == "open"


def test_a_session_without_wellbeing_discussed_does_not_close_it(org):
    with clock(9):
        ask(org.a1)
    with clock(15):
        talk(org, org.a1, wellbeing=False)
    assert support_alerts()[0].status == "open"


def test_being_present_at_a_huddle_does_not_close_it(org):
    with clock(9):
        ask(org.a1)
    with clock(15):
        session_record(
            manager=org.ma,
            chw=org.a2,
            others=[org.a1],
            kind="huddle",
            occurred_on=TODAY,
            duration_minutes=30,
            wellbeing_discussed=True,
        )
    assert support_alerts()[0].status == "open"


def test_a_second_request_after_the_first_was_answered_opens_a_new_alert(org):
    last_week = TODAY - dt.timedelta(days=7)
    with clock(9, day=last_week):
        ask(org.a1, day=last_week)
    with clock(15, day=last_week):
        talk(org, org.a1, on=last_week)
    [answered] = support_alerts()
    assert answered.status == "resolved"
    with clock(9):
        ask(org.a1)
    first, second = support_alerts()
    assert first.pk == answered.pk and first.status == "resolved"
    assert (second.status, second.opened_on, second.occurrence) == ("open", TODAY, "2026-11-18")


def test_a_request_resolved_by_the_manager_stays_resolved_until_a_new_one(org, login):
    last_week = TODAY - dt.timedelta(days=7)
    with clock(9, day=last_week):
        ask(org.a1, day=last_week)
        [alert] = support_alerts()
        login(org.ma).post(
            reverse("caseloads:alert_resolve", args=[alert.pk]), {"note": "Talked by phone"}
        )
    # No session recorded: the request still stands, but this occurrence stays resolved.
    alerts_sweep(program=org.program, day=TODAY - dt.timedelta(days=1))
    assert [a.status for a in support_alerts()] == ["resolved"]
    with clock(9):
        ask(org.a1)  # a new request: a new alert
    assert [(a.status, a.occurrence) for a in support_alerts()] == [
        ("resolved", "2026-11-11"),
        ("open", "2026-11-18"),
    ]


def test_an_older_unanswered_request_stays_open_after_a_check_in_without_one(org):
    """Last week's request was never answered; today's check-in does not ask again. The
    request stands until a session answers it (§5.1): the alert keeps last week's date."""
    last_week = TODAY - dt.timedelta(days=7)
    with clock(9, day=last_week):
        ask(org.a1, day=last_week)
    with clock(9):
        ask(org.a1, wants_support=False)
    [alert] = support_alerts()
    assert (alert.status, alert.occurrence) == ("open", "2026-11-11")


def test_taking_the_request_back_the_same_day_resolves_it_and_asking_again_reopens(org):
    with clock(9):
        ask(org.a1)
    with clock(9, 5):
        ask(org.a1, wants_support=False)  # the same day's check-in, replaced
    assert [a.status for a in support_alerts()] == ["resolved"]
    with clock(15):
        talk(org, org.a1)
    with clock(16):
        ask(org.a1)  # sent again after the session: not answered by it
    assert [a.status for a in support_alerts()] == ["resolved", "open"]
    assert WellbeingCheckIn.objects.count() == 1


def test_the_sweep_is_idempotent_and_reads_the_day_it_is_run_for(org):
    with clock(9):
        ask(org.a1)
    assert alerts_sweep(program=org.program).opened[KIND] == 0  # already open
    assert len(support_alerts()) == 1
    # As of yesterday the request had not been made.
    yesterday = alerts_sweep(program=org.program, day=TODAY - dt.timedelta(days=1))
    assert yesterday.resolved[KIND] == 1


def test_the_managers_home_page_lists_the_request_with_a_way_to_answer_it(org, login):
    with clock(9):
        ask(org.a1)
    home = login(org.ma).get(reverse("home"), follow=True).content.decode()
    assert "Asked for support" in home
    assert f"{org.a1} asked for support in today&#x27;s check-in" in home
    assert f"{reverse('supervision:session_new')}?chw={org.a1.pk}" in home
    for other in (org.mb, org.a1):
        assert (
            "Asked for support"
            not in login(other).get(reverse("home"), follow=True).content.decode()
        )
    with clock(15):
        talk(org, org.a1)
    assert (
        "Asked for support" not in login(org.ma).get(reverse("home"), follow=True).content.decode()
    )

"""The alert inbox: the CHW's home and alerts page, the manager's board, and who may act."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from caseloads.alerts import alerts_sweep
from caseloads.models import Alert
from tests.conftest import NOW
from tests.factories import EncounterFactory, EnrollmentFactory, GoalFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

TODAY = dt.date(2026, 11, 18)


@pytest.fixture
def alerts(org):
    """a1: one patient ending in 9 days (end_approaching); b1: one patient without a goal
    after 20 days (goal_missing)."""
    ending = EnrollmentFactory(chw=org.a1, days_ago=171)
    GoalFactory(enrollment=ending)
    no_goal = EnrollmentFactory(chw=org.b1, days_ago=20)
    for enrollment in (ending, no_goal):  # reached yesterday: no contact alert
        EncounterFactory(enrollment=enrollment, occurred_at=NOW - dt.timedelta(days=1))
    alerts_sweep(program=org.program)
    return {
        "a1": Alert.objects.get(chw=org.a1),
        "b1": Alert.objects.get(chw=org.b1),
        "ending": ending,
    }


def test_the_chw_sees_their_alerts_on_their_home_page_with_the_count(org, login, alerts):
    page = login(org.a1).get(reverse("home"), follow=True)
    html = page.content.decode()
    name = alerts["ending"].patient.display_name
    assert f"The program ends in 9 days for {name}: plan the handoff." in html
    assert '<span aria-hidden="true">1</span>' in html  # the navigation count
    assert [a.pk for a in page.context["alerts"]] == [alerts["a1"].pk]


def test_a_chw_never_sees_another_chws_alerts(org, login, alerts):
    for user in (org.a2, org.b2):
        page = login(user).get(reverse("caseloads:alerts"))
        assert page.context["alerts"] == []
        assert "nav-alert-count" not in page.content.decode()


def test_acknowledging_with_a_note_keeps_the_alert_but_drops_the_count(org, login, alerts):
    client = login(org.a1)
    response = client.post(
        reverse("caseloads:alert_acknowledge", args=[alerts["a1"].pk]),
        {"note": "Handoff visit booked for Tuesday", "next": reverse("caseloads:mine")},
    )
    assert response.status_code == 302 and response.url == reverse("caseloads:mine")
    alert = Alert.objects.get(pk=alerts["a1"].pk)
    assert (alert.status, alert.note, alert.acknowledged_by) == (
        "acknowledged",
        "Handoff visit booked for Tuesday",
        org.a1,
    )
    page = client.get(reverse("caseloads:mine")).content.decode()
    assert "nav-alert-count" not in page and "Handoff visit booked for Tuesday" in page


def test_resolving_by_hand_is_not_undone_by_the_sweep(org, login, alerts):
    login(org.a1).post(reverse("caseloads:alert_resolve", args=[alerts["a1"].pk]), {"note": ""})
    alerts_sweep(program=org.program)
    alert = Alert.objects.get(pk=alerts["a1"].pk)
    assert (alert.status, alert.resolved_by) == ("resolved", org.a1)
    assert Alert.objects.filter(chw=org.a1).count() == 1


def test_acting_on_another_chws_alert_answers_404_and_writes_nothing(org, login, alerts):
    target = alerts["a1"]
    for user in (org.a2, org.b1, org.mb):
        client = login(user)
        for name in ("caseloads:alert_acknowledge", "caseloads:alert_resolve"):
            response = client.post(reverse(name, args=[target.pk]), {"note": "mine now"})
            assert response.status_code == 404
    assert (
        login(org.leader).post(reverse("caseloads:alert_resolve", args=[target.pk])).status_code
        == 403
    )
    target.refresh_from_db()
    assert (target.status, target.note) == ("open", "")


def test_a_note_too_long_is_refused_with_a_message(org, login, alerts):
    response = login(org.a1).post(
        reverse("caseloads:alert_acknowledge", args=[alerts["a1"].pk]),
        {"note": "x" * 4001},
        follow=True,
    )
    assert "at most 4000 characters" in response.content.decode()
    assert Alert.objects.get(pk=alerts["a1"].pk).status == "open"


def test_acknowledging_through_htmx_returns_the_updated_row(org, login, alerts):
    response = login(org.a1).post(
        reverse("caseloads:alert_acknowledge", args=[alerts["a1"].pk]),
        {"note": "On it"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert html.startswith("<li") and "acknowledged" in html and "On it" in html


def test_the_manager_sees_the_team_board_grouped_by_chw_with_stale_alerts(org, login, alerts):
    Alert.objects.filter(pk=alerts["a1"].pk).update(opened_on=TODAY - dt.timedelta(days=8))
    Alert.objects.create(  # a1 worked late 4 times this week
        program=org.program,
        kind="after_hours_work",
        chw=org.a1,
        opened_on=TODAY,
        facts={"count": 4},
    )
    page = login(org.ma).get(reverse("caseloads:alerts"))
    board = page.context["board"]
    assert [row.chw for row in board] == [org.a1, org.a2]
    a1, a2 = board
    assert (a1.total, a1.stale, a2.total) == (2, 1, 0)
    assert set(a1.by_kind) == {"end_approaching", "after_hours_work"}
    html = page.content.decode()
    assert "4 in 7 days" in html and 'class="table-danger"' in html
    # The other team's alerts are not on it.
    on_board = [a.pk for row in board for found in row.by_kind.values() for a in found]
    assert alerts["b1"].pk not in on_board


def test_manager_only_alerts_are_hidden_from_the_chw(org, login, alerts):
    Alert.objects.create(program=org.program, kind="burnout_risk_high", chw=org.a1, opened_on=TODAY)
    assert [a.kind for a in login(org.a1).get(reverse("caseloads:alerts")).context["alerts"]] == [
        "end_approaching"
    ]
    board = login(org.ma).get(reverse("caseloads:alerts")).context["board"]
    assert "burnout_risk_high" in board[0].by_kind


def test_the_manager_may_acknowledge_their_chws_alert(org, login, alerts):
    login(org.ma).post(
        reverse("caseloads:alert_acknowledge", args=[alerts["a1"].pk]), {"note": "Discussed"}
    )
    alert = Alert.objects.get(pk=alerts["a1"].pk)
    assert (alert.status, alert.acknowledged_by) == ("acknowledged", org.ma)


def test_leaders_and_anonymous_users_have_no_alert_inbox(org, login, client, alerts):
    url = reverse("caseloads:alerts")
    assert client.get(url).status_code == 302
    assert login(org.leader).get(url).status_code == 403


def test_the_patient_page_shows_that_patients_alerts(org, login, alerts):
    page = login(org.a1).get(reverse("caseloads:enrollment", args=[alerts["ending"].pk]))
    assert [a.pk for a in page.context["alerts"]] == [alerts["a1"].pk]


def test_a_chw_acknowledges_but_does_not_resolve_an_over_cap_alert(org, login, alerts):
    over = Alert.objects.create(
        program=org.program,
        kind="caseload_over_cap",
        chw=org.a1,
        opened_on=TODAY,
        facts={"count": 31, "cap": 30},
    )
    client = login(org.a1)
    html = client.get(reverse("caseloads:alerts")).content.decode()
    assert reverse("caseloads:alert_resolve", args=[over.pk]) not in html
    assert reverse("caseloads:alert_acknowledge", args=[over.pk]) in html
    refused = client.post(reverse("caseloads:alert_resolve", args=[over.pk]), follow=True)
    assert "Your manager resolves this one with you" in refused.content.decode()
    assert Alert.objects.get(pk=over.pk).status == "open"
    login(org.ma).post(reverse("caseloads:alert_resolve", args=[over.pk]))
    assert Alert.objects.get(pk=over.pk).resolved_by == org.ma


def test_the_most_pressing_alerts_come_first_and_the_home_page_says_how_many(org, login):
    """Seven of a1's patients: one past its end, one ending, five without a goal."""

    def patient(**kw):
        enrollment = EnrollmentFactory(chw=org.a1, **kw)
        EncounterFactory(enrollment=enrollment, occurred_at=NOW - dt.timedelta(days=1))
        return enrollment

    for _ in range(5):
        patient(days_ago=20)
    ending = patient(days_ago=171)
    GoalFactory(enrollment=ending)
    past = patient(days_ago=185)
    GoalFactory(enrollment=past)
    alerts_sweep(program=org.program)
    page = login(org.a1).get(reverse("caseloads:mine"))
    assert [a.kind for a in page.context["alerts"]] == [
        "end_overdue",
        "end_approaching",
        "goal_missing",
        "goal_missing",
        "goal_missing",
    ]
    assert "See all 7 alerts" in page.content.decode()


def test_an_alert_is_stale_once_more_than_7_days_pass_without_acknowledgement(org, alerts):
    alert = alerts["a1"]
    alert.opened_on = TODAY - dt.timedelta(days=7)
    assert not alert.is_stale(TODAY)
    assert alert.is_stale(TODAY + dt.timedelta(days=1))
    alert.status = Alert.Status.ACKNOWLEDGED
    assert not alert.is_stale(TODAY + dt.timedelta(days=30))

"""Weekly burnout snapshots: the command and the schedule, the high-risk alert for the
manager only, the panel and chart, and the leader's suppressed distribution."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_q.models import Schedule
from django_q.tasks import async_task

from caseloads.models import Alert
from caseloads.selectors import alerts_for
from impact.models import Role
from supervision.models import BurnoutSnapshot, WellbeingCheckIn
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NY = zoneinfo.ZoneInfo("America/New_York")
TODAY = dt.date(2026, 11, 18)


def strained(chw) -> None:
    """Four flags by hand: hired in January 2025 with no time off since (days since time
    off 686 ≥ 90), never supervised (686 ≥ 14), check-in score 4 (≥ 3) with 2 dismissals
    (≥ 2): the level is high."""
    chw.hired_on = dt.date(2025, 1, 1)
    chw.save()
    WellbeingCheckIn.objects.create(
        chw=chw, on=TODAY - dt.timedelta(days=3), burnout_score=4, integration_friction=2
    )


def test_snapshot_burnout_stores_one_snapshot_per_chw_per_day(org):
    strained(org.a1)
    out = io.StringIO()
    call_command("snapshot_burnout", stdout=out)
    call_command("snapshot_burnout", stdout=out)  # the same day again: replaces
    assert "2026-11-18: 4 snapshots (high 1, elevated 0, low 3)" in out.getvalue()
    assert BurnoutSnapshot.objects.count() == 4
    snapshot = BurnoutSnapshot.objects.get(chw=org.a1)
    assert (snapshot.as_of, snapshot.flag_count, snapshot.level) == (TODAY, 4, "high")
    assert snapshot.factors["days_since_time_off"] == {
        "value": 686,
        "threshold": 90,
        "flagged": True,
    }


def test_snapshot_burnout_refuses_a_future_day_and_an_unknown_program(org):
    with pytest.raises(CommandError, match="in the future"):
        call_command("snapshot_burnout", "--as-of", "2026-11-19", stdout=io.StringIO())
    with pytest.raises(CommandError, match="no program with ID 999"):
        call_command("snapshot_burnout", "--program", "999", stdout=io.StringIO())
    assert not BurnoutSnapshot.objects.exists()


def test_a_high_level_opens_an_alert_for_the_manager_only(org, login):
    strained(org.a1)
    call_command("snapshot_burnout", stdout=io.StringIO())
    alert = Alert.objects.get(kind="burnout_risk_high")
    assert alert.chw == org.a1
    assert alert in alerts_for(org.ma)
    assert alert not in alerts_for(org.a1)
    assert "burnout" not in login(org.a1).get(reverse("caseloads:alerts")).content.decode()


def test_the_weekly_schedule_snapshots_once_a_week_from_six_local(org):
    assert Schedule.objects.filter(func="supervision.tasks.snapshot_due_programs").count() == 1
    with time_machine.travel(dt.datetime(2026, 11, 18, 5, 59, tzinfo=NY), tick=False):
        async_task("supervision.tasks.snapshot_due_programs")
    assert not BurnoutSnapshot.objects.exists()
    with time_machine.travel(dt.datetime(2026, 11, 18, 6, 0, tzinfo=NY), tick=False):
        async_task("supervision.tasks.snapshot_due_programs")
        async_task("supervision.tasks.snapshot_due_programs")
    assert BurnoutSnapshot.objects.filter(as_of=TODAY).count() == 4
    with time_machine.travel(dt.datetime(2026, 11, 24, 9, 0, tzinfo=NY), tick=False):
        async_task("supervision.tasks.snapshot_due_programs")  # six days on: not yet
    with time_machine.travel(dt.datetime(2026, 11, 25, 6, 0, tzinfo=NY), tick=False):
        async_task("supervision.tasks.snapshot_due_programs")
    assert sorted(set(BurnoutSnapshot.objects.values_list("as_of", flat=True))) == [
        TODAY,
        dt.date(2026, 11, 25),
    ]


def test_the_manager_sees_each_factor_against_its_threshold_with_its_domain(org, login):
    strained(org.a1)
    call_command("snapshot_burnout", stdout=io.StringIO())
    page = login(org.ma).get(reverse("supervision:chw", args=[org.a1.pk]))
    rows = {row["spec"].code: row for row in page.context["factor_rows"]}
    assert len(rows) == 11
    assert (rows["self_reported_burnout"]["value"], rows["self_reported_burnout"]["flagged"]) == (
        4,
        True,
    )
    assert rows["days_since_supervision"]["threshold"] == 14
    html = page.content.decode()
    assert "Inner setting" in html and "4 factors flagged as of Nov 18, 2026." in html


def test_the_chw_sees_their_own_panel_written_supportively(org, login):
    strained(org.a1)
    call_command("snapshot_burnout", stdout=io.StringIO())
    html = login(org.a1).get(reverse("supervision:me")).content.decode()
    assert "That is not your fault" in html
    assert "CFIR domain" not in html


def test_the_trend_chart_is_an_svg_for_the_chw_and_their_manager_only(org, login):
    for weeks in range(3):
        BurnoutSnapshot.objects.create(
            chw=org.a1,
            as_of=TODAY - dt.timedelta(weeks=weeks),
            factors={},
            flag_count=weeks,
            level="low",
        )
    url = reverse("supervision:burnout_chart", args=[org.a1.pk])
    response = login(org.ma).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<?xml") and b"<svg" in response.content
    assert login(org.a1).get(url).status_code == 200
    assert login(org.a2).get(url).status_code == 404
    assert login(org.mb).get(url).status_code == 404
    assert login(org.leader).get(url).status_code == 403


def test_leaders_see_counts_by_level_with_cells_under_11_suppressed(org, login):
    """12 CHWs: 11 low and 1 high. Low shows 11; elevated (0) and high (1) are hidden."""
    chws = [org.a1, org.a2, org.b1, org.b2] + [
        UserFactory(role=Role.CHW, program=org.program, team=org.team_a) for _ in range(8)
    ]
    for n, chw in enumerate(chws):
        BurnoutSnapshot.objects.create(
            chw=chw,
            as_of=TODAY,
            factors={},
            flag_count=5 if n == 0 else 0,
            level="high" if n == 0 else "low",
        )
    page = login(org.leader).get(reverse("supervision:levels"))
    [(program, [week])] = page.context["programs"]
    assert week.counts == {"low": 11, "elevated": None, "high": None}
    html = page.content.decode()
    cells = html.split("<tbody>")[1]
    assert cells.count("fewer than 11") == 2 and ">11<" in cells
    assert str(org.a1) not in html
    assert login(org.ma).get(reverse("supervision:levels")).status_code == 403
    assert login(org.a1).get(reverse("supervision:levels")).status_code == 403


def test_a_single_hidden_cell_hides_the_next_smallest_so_it_cannot_be_worked_out():
    """25 CHWs: 14 low, 11 elevated, 0 high. With the total known, hiding only "high"
    would reveal it (25 − 14 − 11 = 0): "elevated" is hidden too."""
    from supervision.selectors import _suppressed

    assert _suppressed({"low": 14, "elevated": 11}) == {
        "low": 14,
        "elevated": None,
        "high": None,
    }
    assert _suppressed({"low": 14, "elevated": 12, "high": 11}) == {
        "low": 14,
        "elevated": 12,
        "high": 11,
    }
    assert _suppressed({"low": 30, "elevated": 3, "high": 1}) == {
        "low": 30,
        "elevated": None,
        "high": None,
    }


def test_snapshots_leave_out_chws_who_left(org):
    org.b2.is_active = False
    org.b2.save()
    call_command("snapshot_burnout", stdout=io.StringIO())
    assert not BurnoutSnapshot.objects.filter(chw=org.b2).exists()
    assert BurnoutSnapshot.objects.count() == 3


def test_snapshot_burnout_refuses_a_day_more_than_a_year_back(org):
    with pytest.raises(CommandError, match="more than a year before today"):
        call_command("snapshot_burnout", "--as-of", "1600-01-01", stdout=io.StringIO())
    assert not BurnoutSnapshot.objects.exists()

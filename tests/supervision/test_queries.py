"""Supervision pages run a fixed number of queries whatever the history's size."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from supervision.models import BurnoutSnapshot, FollowUp, SupervisionSession, WellbeingCheckIn

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

TODAY = dt.date(2026, 11, 18)
# Session, user, program, the cadence (one query), follow-ups, recent sessions, and the
# navigation's alert count. Pinned: a change that adds a query per row fails.
TEAM_QUERIES = 7
# + the CHW, their sessions, check-ins, time off, trainings, snapshots (scope checks).
CHW_PAGE_QUERIES = 13
# Session, user, program, follow-ups, sessions, check-ins, time off, snapshots, nav count.
ME_QUERIES = 9
# The leader's burnout levels: session, user, program, the latest snapshot per CHW,
# navigation.
LEVELS_QUERIES = 5


def history(org, weeks: int) -> None:
    for chw in (org.a1, org.a2):
        for week in range(weeks):
            day = TODAY - dt.timedelta(weeks=week)
            session = SupervisionSession.objects.create(
                manager=org.ma, chw=chw, kind="one_on_one", occurred_on=day, duration_minutes=30
            )
            FollowUp.objects.create(session=session, description="Follow up", due_on=day)
            WellbeingCheckIn.objects.create(chw=chw, on=day, burnout_score=2)
            BurnoutSnapshot.objects.create(
                chw=chw, as_of=day, factors={}, flag_count=1, level="low"
            )


@pytest.mark.parametrize("weeks", [1, 12])
def test_supervision_pages_run_a_fixed_number_of_queries(
    org, login, django_assert_max_num_queries, weeks
):
    history(org, weeks)
    manager = login(org.ma)
    with django_assert_max_num_queries(TEAM_QUERIES):
        page = manager.get(reverse("supervision:team"))
    assert len(page.context["follow_ups"]) == 2 * weeks
    with django_assert_max_num_queries(CHW_PAGE_QUERIES):
        manager.get(reverse("supervision:chw", args=[org.a1.pk]))
    chw = login(org.a1)
    with django_assert_max_num_queries(ME_QUERIES):
        page = chw.get(reverse("supervision:me"))
    assert len(page.context["follow_ups"]) == weeks
    leader = login(org.leader)
    with django_assert_max_num_queries(LEVELS_QUERIES):
        assert leader.get(reverse("supervision:levels")).status_code == 200

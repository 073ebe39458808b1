"""A background task that dies mid-run is retried by django-q2 (max_attempts 3); the
retry must not double anything: each program is swept once a day and snapshotted once a
week, with one alert per condition and one snapshot per CHW and day.

The clock is frozen on 18 November 2026 at 10:00 in New York, after 06:00, so both
hourly tasks find every program due."""

from __future__ import annotations

import pytest

import caseloads.alerts
import supervision.services
from caseloads.models import Alert, SweepRun
from caseloads.tasks import sweep_due_programs
from supervision.models import BurnoutSnapshot
from supervision.tasks import snapshot_due_programs
from tests.factories import EnrollmentFactory, ProgramFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def programs(org):
    """Two programs, each with CHWs whose patients were never contacted (alerts open)."""
    other = ProgramFactory(name="Westside")
    chw = UserFactory(role="chw", program=other, team=TeamFactory(program=other))
    for owner in (org.a1, org.b1, chw):
        EnrollmentFactory(chw=owner, days_ago=40)
    return [org.program, other]


def die_once(monkeypatch, module, name: str):
    """Make `module.name` fail the first time, as a worker killed mid-run would."""
    real = getattr(module, name)
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise SystemExit("worker killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, flaky)


def alerts() -> list[tuple]:
    return sorted(Alert.objects.values_list("kind", "enrollment_id", "chw_id", "status"))


def test_a_sweep_killed_mid_run_is_retried_without_doubling(programs, monkeypatch):
    # The kill lands inside the first program's transaction, after its findings are made.
    die_once(monkeypatch, caseloads.alerts, "_apply")
    with pytest.raises(SystemExit):
        sweep_due_programs()
    assert not Alert.objects.exists() and not SweepRun.objects.exists()

    sweep_due_programs()  # django-q2's retry
    after_retry = alerts()
    assert SweepRun.objects.filter(scheduled=True).count() == 2  # one per program
    assert after_retry and len(after_retry) == len(set(after_retry))

    sweep_due_programs()  # a duplicate delivery the same day does nothing
    assert alerts() == after_retry
    assert SweepRun.objects.filter(scheduled=True).count() == 2


def test_a_snapshot_killed_mid_run_is_retried_without_doubling(programs, monkeypatch):
    # Killed after the first program's snapshots are inserted, before its sweep commits.
    die_once(monkeypatch, supervision.services, "alerts_sweep")
    with pytest.raises(SystemExit):
        snapshot_due_programs()
    assert not BurnoutSnapshot.objects.exists()

    snapshot_due_programs()
    chws = BurnoutSnapshot.objects.values_list("chw_id", "as_of")
    assert len(chws) == 5 and len(set(chws)) == 5  # a1, a2, b1, b2 and Westside's CHW

    snapshot_due_programs()  # the week's snapshot is done: nothing more
    assert BurnoutSnapshot.objects.count() == 5

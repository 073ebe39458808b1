"""Burnout-risk factors (DESIGN.md §5.2), with hand-made dates and a frozen clock.

The clock is Wednesday 18 November 2026, 10:00 in New York: d is 2026-11-18, the 28-day
window is 22 October … 18 November (d−27 … d), d−28 is 21 October (still summer time in
New York: clocks went back on 1 November), and the check-in window of 45 days starts on
4 October (d−44).
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caseloads.models import Enrollment
from impact.models import Role, TrainingRecord
from supervision.burnout import (
    FACTORS,
    CfirDomain,
    Factor,
    burnout_for,
    compute,
    level_for,
    load_frames,
)
from supervision.models import SupervisionSession, TimeOff, WellbeingCheckIn
from tests.factories import (
    EncounterFactory,
    EnrollmentFactory,
    ProgramFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NY = zoneinfo.ZoneInfo("America/New_York")
TODAY = dt.date(2026, 11, 18)
CODES = (
    "caseload_ratio",
    "caseload_growth",
    "after_hours_share",
    "post_end_contacts",
    "overdue_enrollments",
    "high_intensity",
    "days_since_time_off",
    "worked_on_leave",
    "days_since_supervision",
    "self_reported_burnout",
    "integration_friction",
)


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=NY)


def factors_of(org, chw, day: dt.date = TODAY) -> dict[str, Factor]:
    return {factor.code: factor for factor in burnout_for(program=org.program, day=day)[chw.pk]}


def encounters(chw, n: int, *, when: dt.datetime | None = None, **flags: bool) -> None:
    enrollment = EnrollmentFactory(chw=chw, days_ago=60)
    for _ in range(n):
        EncounterFactory(
            enrollment=enrollment, occurred_at=when or at(TODAY - days(3), 11), **flags
        )


def one_on_one(org, chw, on: dt.date, kind: str = SupervisionSession.Kind.ONE_ON_ONE):
    return SupervisionSession.objects.create(
        manager=org.ma, chw=chw, occurred_on=on, kind=kind, duration_minutes=30
    )


def time_off(org, chw, starts_on: dt.date, ends_on: dt.date) -> TimeOff:
    return TimeOff.objects.create(chw=chw, starts_on=starts_on, ends_on=ends_on, recorded_by=org.ma)


def check_in(chw, on: dt.date, score: int = 1, friction: int = 0) -> WellbeingCheckIn:
    return WellbeingCheckIn.objects.create(
        chw=chw, on=on, burnout_score=score, integration_friction=friction
    )


# -- the factor list and the level rule -----------------------------------------------------


def test_factors_come_in_the_design_order_each_with_a_cfir_domain_and_supportive_texts():
    assert tuple(spec.code for spec in FACTORS) == CODES
    for spec in FACTORS:
        assert spec.cfir_domain in CfirDomain.values
        assert str(spec.label) and str(spec.talk_about) and str(spec.for_chw)
        # Written for support: the CHW's text speaks to them.
        assert "you" in str(spec.for_chw).lower()


@pytest.mark.parametrize(
    ("flags", "level"),
    [(0, "low"), (1, "low"), (2, "elevated"), (3, "elevated"), (4, "high"), (11, "high")],
)
def test_the_level_is_low_up_to_one_flag_elevated_for_two_or_three_and_high_from_four(flags, level):
    assert level_for(flags) == level


def test_every_chw_of_the_program_gets_eleven_factors_and_other_programs_are_left_out(org):
    other = ProgramFactory(name="Westside")
    outsider = UserFactory(
        role=Role.CHW, program=other, team=TeamFactory(program=other, name="West")
    )
    EnrollmentFactory(chw=outsider)
    results = burnout_for(program=org.program, day=TODAY)
    assert set(results) == {org.a1.pk, org.a2.pk, org.b1.pk, org.b2.pk}
    assert all([f.code for f in factors] == list(CODES) for factors in results.values())
    assert set(burnout_for(program=org.program, day=TODAY, chw_ids=[org.a1.pk])) == {org.a1.pk}
    assert set(burnout_for(program=other, day=TODAY)) == {outsider.pk}


def test_a_chw_without_any_data_has_no_data_where_a_figure_cannot_be_computed(org):
    org.a1.hired_on = None
    org.a1.save()
    factors = factors_of(org, org.a1)
    # No encounters: no after-hours share (an empty denominator is not 0%).
    assert factors["after_hours_share"].value is None
    assert not factors["after_hours_share"].flagged
    # No time off and no hire date; no check-in in 45 days.
    assert factors["days_since_time_off"].value is None
    assert not factors["days_since_time_off"].flagged
    assert factors["self_reported_burnout"].value is None
    assert not factors["self_reported_burnout"].flagged
    # Never supervised and no hire date: no number, but flagged all the same.
    assert factors["days_since_supervision"].value is None
    assert factors["days_since_supervision"].flagged
    assert [code for code, f in factors.items() if f.flagged] == ["days_since_supervision"]
    # Counts of nothing are 0, not "no data".
    assert factors["caseload_ratio"].value == 0
    assert factors["post_end_contacts"].value == 0
    assert factors["integration_friction"].value == 0
    assert factors["days_since_supervision"].to_json() == {
        "value": None,
        "threshold": 14,
        "flagged": True,
    }


def test_to_json_gives_value_threshold_and_flag_as_plain_json_types(org):
    org.program.caseload_cap = 4
    org.program.save()
    for _ in range(2):
        EnrollmentFactory(chw=org.a1)
    factor = factors_of(org, org.a1)["caseload_ratio"]
    # 2 active ÷ cap 4 = 0.5
    assert factor.to_json() == {"value": 0.5, "threshold": 1.0, "flagged": False}
    assert type(factors_of(org, org.a1)["caseload_growth"].to_json()["value"]) is int
    # What BurnoutSnapshot.factors stores must serialise as it is (no numpy numbers).
    stored = {f.code: f.to_json() for f in factors_of(org, org.a1).values()}
    assert json.loads(json.dumps(stored)) == stored


# -- each factor at, just below and just above its threshold --------------------------------


@pytest.mark.parametrize(
    ("active", "ratio", "flagged"),
    # cap 4: 3 ÷ 4 = 0.75, 4 ÷ 4 = 1.0, 5 ÷ 4 = 1.25; flagged from 1.0.
    [(3, 0.75, False), (4, 1.0, True), (5, 1.25, True)],
)
def test_caseload_ratio_is_active_enrollments_over_the_cap_and_flagged_from_one(
    org, active, ratio, flagged
):
    org.program.caseload_cap = 4
    org.program.save()
    for _ in range(active):
        EnrollmentFactory(chw=org.a1)
    # Not counted: a referral (never ran), and a graduation closed today (not active on d).
    EnrollmentFactory(chw=org.a1, status=Enrollment.Status.REFERRED, enrolled_on=None)
    EnrollmentFactory(chw=org.a1, status=Enrollment.Status.GRADUATED, closed_on=TODAY)
    factor = factors_of(org, org.a1)["caseload_ratio"]
    assert factor.value == pytest.approx(ratio)
    assert factor.threshold == 1.0
    assert factor.flagged is flagged


@pytest.mark.parametrize(
    ("new", "growth", "flagged"),
    # 2 kept + new on d, 2 kept + 1 since closed on d−28: growth = (2 + new) − 3 = new − 1.
    [(5, 4, False), (6, 5, True), (7, 6, True)],
)
def test_caseload_growth_is_active_on_d_minus_active_28_days_earlier(org, new, growth, flagged):
    for _ in range(2):
        EnrollmentFactory(chw=org.a1, days_ago=40)
    EnrollmentFactory(
        chw=org.a1, days_ago=60, status=Enrollment.Status.WITHDRAWN, closed_on=TODAY - days(10)
    )
    for _ in range(new):
        EnrollmentFactory(chw=org.a1, days_ago=10)
    factor = factors_of(org, org.a1)["caseload_growth"]
    assert (factor.value, factor.threshold, factor.flagged) == (growth, 5, flagged)


def test_active_on_a_day_counts_enrollments_from_their_first_day_until_the_day_they_close(org):
    # Active on d−28 (21 Oct): enrolled that day (1), closed on d (2); closed on d−28 is not.
    # Active on d: enrolled that day (1), enrolled on d (3); closed on d (2) is not.
    EnrollmentFactory(chw=org.a1, days_ago=28)  # 1
    EnrollmentFactory(
        chw=org.a1, days_ago=50, status=Enrollment.Status.GRADUATED, closed_on=TODAY
    )  # 2
    EnrollmentFactory(chw=org.a1, days_ago=0)  # 3
    EnrollmentFactory(
        chw=org.a1,
        days_ago=50,
        status=Enrollment.Status.WITHDRAWN,
        closed_on=TODAY - days(28),
    )
    factors = factors_of(org, org.a1)
    # On d: {1, 3} = 2; on d−28: {1, 2} = 2; growth 0.
    assert factors["caseload_ratio"].value == pytest.approx(2 / 30)
    assert factors["caseload_growth"].value == 0


@pytest.mark.parametrize(
    ("total", "after_hours", "share", "flagged"),
    [
        (10, 1, 0.10, False),  # 1 ÷ 10, below 0.20
        (10, 2, 0.20, True),  # 2 ÷ 10, at 0.20
        (10, 3, 0.30, True),  # 3 ÷ 10, above
        (9, 9, 1.00, False),  # 9 ÷ 9, but fewer than 10 encounters: not flagged
        (0, 0, None, False),  # no encounters: no data
    ],
)
def test_after_hours_share_needs_ten_encounters_and_flags_from_a_fifth(
    org, total, after_hours, share, flagged
):
    encounters(org.a1, after_hours, after_hours=True)
    encounters(org.a1, total - after_hours)
    factor = factors_of(org, org.a1)["after_hours_share"]
    assert factor.value == (None if share is None else pytest.approx(share))
    assert factor.threshold == 0.20
    assert factor.flagged is flagged


@pytest.mark.parametrize(("n", "flagged"), [(2, False), (3, True), (4, True)])
def test_post_end_contacts_count_after_end_encounters_in_the_window(org, n, flagged):
    encounters(org.a1, n, after_end=True)
    encounters(org.a1, 5)  # ordinary contacts do not count
    # Before the window (d−28): not counted.
    encounters(org.a1, 1, when=at(TODAY - days(28), 12), after_end=True)
    factor = factors_of(org, org.a1)["post_end_contacts"]
    assert (factor.value, factor.threshold, factor.flagged) == (n, 3, flagged)


@pytest.mark.parametrize(("n", "flagged"), [(1, False), (2, True), (3, True)])
def test_overdue_enrollments_are_active_ones_past_their_planned_end(org, n, flagged):
    for k in range(n):
        EnrollmentFactory(chw=org.a1, days_ago=200, planned_end_on=TODAY - days(1 + k))
    # Ends today: not past yet. Graduated past its end: no longer active.
    EnrollmentFactory(chw=org.a1, days_ago=200, planned_end_on=TODAY)
    EnrollmentFactory(
        chw=org.a1,
        days_ago=200,
        planned_end_on=TODAY - days(5),
        status=Enrollment.Status.GRADUATED,
        closed_on=TODAY - days(1),
    )
    factor = factors_of(org, org.a1)["overdue_enrollments"]
    assert (factor.value, factor.threshold, factor.flagged) == (n, 2, flagged)


@pytest.mark.parametrize(
    ("trained", "n", "threshold", "flagged"),
    [
        (True, 2, 3, False),
        (True, 3, 3, True),
        (True, 4, 3, True),
        (False, 0, 1, False),
        (False, 1, 1, True),
        (False, 2, 1, True),
    ],
)
def test_high_intensity_flags_from_three_or_from_one_without_mental_health_training(
    org, trained, n, threshold, flagged
):
    if trained:
        TrainingRecord.objects.create(
            user=org.a1, topic=TrainingRecord.Topic.MENTAL_HEALTH, completed_on=TODAY
        )
    # Crisis, safety concern, both: each encounter counts once.
    kinds: list[dict[str, Any]] = [
        {"mental_health_crisis": True},
        {"safety_concern": True},
        {"mental_health_crisis": True, "safety_concern": True},
    ]
    for k in range(n):
        encounters(org.a1, 1, **kinds[k % 3])
    encounters(org.a1, 4)
    factor = factors_of(org, org.a1)["high_intensity"]
    assert (factor.value, factor.threshold, factor.flagged) == (n, threshold, flagged)


def test_mental_health_training_counts_only_when_completed_by_the_day(org):
    TrainingRecord.objects.create(
        user=org.a1, topic=TrainingRecord.Topic.MENTAL_HEALTH, completed_on=TODAY + days(1)
    )
    TrainingRecord.objects.create(
        user=org.a1, topic=TrainingRecord.Topic.SAFETY, completed_on=TODAY - days(100)
    )
    encounters(org.a1, 1, mental_health_crisis=True)
    factor = factors_of(org, org.a1)["high_intensity"]
    assert (factor.value, factor.threshold, factor.flagged) == (1, 1, True)


@pytest.mark.parametrize(("since", "flagged"), [(89, False), (90, True), (91, True)])
def test_days_since_time_off_counts_from_the_last_day_off_and_flags_from_ninety(
    org, since, flagged
):
    org.a1.hired_on = TODAY - days(400)
    org.a1.save()
    time_off(org, org.a1, TODAY - days(since + 6), TODAY - days(since))
    time_off(org, org.a1, TODAY - days(300), TODAY - days(290))
    time_off(org, org.a1, TODAY + days(10), TODAY + days(12))  # booked, not taken yet
    time_off(org, org.a2, TODAY - days(3), TODAY - days(1))  # someone else's
    factor = factors_of(org, org.a1)["days_since_time_off"]
    assert (factor.value, factor.threshold, factor.flagged) == (since, 90, flagged)


def test_days_since_time_off_is_zero_while_off_and_counts_from_hiring_without_any(org):
    org.a1.hired_on = TODAY - days(120)
    org.a1.save()
    org.a2.hired_on = TODAY - days(120)
    org.a2.save()
    time_off(org, org.a1, TODAY - days(2), TODAY + days(2))
    assert factors_of(org, org.a1)["days_since_time_off"].value == 0
    # Never off: 18 Nov − 21 Jul = 120 days since hiring, flagged.
    factor = factors_of(org, org.a2)["days_since_time_off"]
    assert (factor.value, factor.flagged) == (120, True)


@pytest.mark.parametrize(("inside", "flagged"), [(0, False), (1, True), (2, True)])
def test_worked_on_leave_counts_encounters_on_local_days_inside_the_chws_own_time_off(
    org, inside, flagged
):
    # Off 8–12 November (d−10 … d−6).
    time_off(org, org.a1, TODAY - days(10), TODAY - days(6))
    days_inside = [at(TODAY - days(10), 0, 0), at(TODAY - days(6), 23, 59)]
    for when in days_inside[:inside]:
        encounters(org.a1, 1, when=when)
    # Outside: 7 Nov at 23:30 local (already 8 Nov in UTC), and 13 Nov.
    encounters(org.a1, 1, when=at(TODAY - days(11), 23, 30))
    encounters(org.a1, 1, when=at(TODAY - days(5), 0, 0))
    # A teammate's time off does not make a1's work "on leave".
    time_off(org, org.a2, TODAY - days(3), TODAY - days(1))
    encounters(org.a1, 1, when=at(TODAY - days(2), 12))
    factor = factors_of(org, org.a1)["worked_on_leave"]
    assert (factor.value, factor.threshold, factor.flagged) == (inside, 1, flagged)


@pytest.mark.parametrize(("since", "flagged"), [(13, False), (14, True), (15, True)])
def test_days_since_supervision_counts_from_the_last_one_on_one_and_flags_from_twice_the_interval(
    org, since, flagged
):
    # supervision_interval_days 7: threshold 2 × 7 = 14.
    one_on_one(org, org.a1, TODAY - days(since))
    one_on_one(org, org.a1, TODAY - days(40))
    one_on_one(org, org.a1, TODAY - days(1), kind=SupervisionSession.Kind.HUDDLE)
    one_on_one(org, org.a1, TODAY + days(1))  # booked, not held yet
    factor = factors_of(org, org.a1)["days_since_supervision"]
    assert (factor.value, factor.threshold, factor.flagged) == (since, 14, flagged)


def test_days_since_supervision_follows_the_program_interval_and_counts_from_hiring(org):
    org.program.supervision_interval_days = 10
    org.program.save()
    org.a1.hired_on = TODAY - days(19)
    org.a1.save()
    # Never supervised, hired 19 days ago; threshold 2 × 10 = 20: not flagged yet.
    factor = factors_of(org, org.a1)["days_since_supervision"]
    assert (factor.value, factor.threshold, factor.flagged) == (19, 20, False)


@pytest.mark.parametrize(("score", "flagged"), [(2, False), (3, True), (4, True)])
def test_self_reported_burnout_is_the_latest_check_in_score_and_flags_from_three(
    org, score, flagged
):
    check_in(org.a1, TODAY - days(30), score=5)  # earlier: the latest one counts
    check_in(org.a1, TODAY - days(44), score=5)
    check_in(org.a1, TODAY - days(2), score=score)
    check_in(org.a1, TODAY + days(1), score=1)  # after d: not known on d
    factor = factors_of(org, org.a1)["self_reported_burnout"]
    assert (factor.value, factor.threshold, factor.flagged) == (score, 3, flagged)


def test_self_reported_burnout_looks_back_45_days(org):
    check_in(org.a1, TODAY - days(44), score=4)  # 4 Oct, the first day of the 45
    check_in(org.a2, TODAY - days(45), score=4)  # 3 Oct: too old, no data
    assert factors_of(org, org.a1)["self_reported_burnout"].value == 4
    factor = factors_of(org, org.a2)["self_reported_burnout"]
    assert (factor.value, factor.flagged) == (None, False)


@pytest.mark.parametrize(
    ("first", "last", "total", "flagged"),
    # d−27 and d both count; d−28 (friction 5) does not: total = first + last.
    [(0, 1, 1, False), (1, 1, 2, True), (1, 2, 3, True)],
)
def test_integration_friction_sums_the_check_ins_of_the_window(org, first, last, total, flagged):
    check_in(org.a1, TODAY - days(28), friction=5)
    check_in(org.a1, TODAY - days(27), friction=first)
    check_in(org.a1, TODAY, friction=last)
    check_in(org.a2, TODAY, friction=9)
    factor = factors_of(org, org.a1)["integration_friction"]
    assert (factor.value, factor.threshold, factor.flagged) == (total, 2, flagged)


# -- local days, query counts, purity --------------------------------------------------------


def test_the_window_starts_at_local_midnight_of_d_minus_27(org):
    # 21 Oct 23:59 New York (03:59 UTC on 22 Oct): outside; 22 Oct 00:00: inside;
    # 18 Nov 23:59 (04:59 UTC on 19 Nov): inside, the last moment of d.
    encounters(org.a1, 1, when=at(TODAY - days(28), 23, 59), after_end=True)
    encounters(org.a1, 1, when=at(TODAY - days(27), 0, 0), after_end=True)
    encounters(org.a1, 1, when=at(TODAY, 23, 59), after_end=True)
    encounters(org.a1, 1, when=at(TODAY + days(1), 0, 0), after_end=True)
    assert factors_of(org, org.a1)["post_end_contacts"].value == 2
    frames = load_frames(program=org.program, day=TODAY, chw_ids=[org.a1.pk])
    assert sorted(d.date() for d in frames.encounters["on"]) == [TODAY - days(27), TODAY]


def _busy(org, chw) -> None:
    """A bit of everything for one CHW, so every query returns rows."""
    chw.hired_on = TODAY - days(300)
    chw.save()
    EnrollmentFactory(chw=chw)
    encounters(chw, 2, after_hours=True, after_end=True, mental_health_crisis=True)
    time_off(org, chw, TODAY - days(20), TODAY - days(18))
    one_on_one(org, chw, TODAY - days(5))
    one_on_one(org, chw, TODAY - days(12))
    check_in(chw, TODAY - days(3), score=2, friction=1)
    TrainingRecord.objects.create(
        user=chw, topic=TrainingRecord.Topic.MENTAL_HEALTH, completed_on=TODAY - days(30)
    )


def test_load_frames_runs_the_same_few_queries_for_one_chw_or_four(org):
    for chw in (org.a1, org.a2, org.b1, org.b2):
        _busy(org, chw)
    with CaptureQueriesContext(connection) as one:
        frames_one = load_frames(program=org.program, day=TODAY, chw_ids=[org.a1.pk])
    with CaptureQueriesContext(connection) as four:
        frames_four = load_frames(program=org.program, day=TODAY)
    assert len(one) == len(four) == 7
    assert list(frames_one.chws["chw_id"]) == [org.a1.pk]
    assert len(frames_four.chws) == 4
    assert len(frames_four.encounters) == 8
    assert frames_four.mental_health_trained == {org.a1.pk, org.a2.pk, org.b1.pk, org.b2.pk}


def test_compute_reads_nothing_from_the_database(org, django_assert_num_queries):
    for chw in (org.a1, org.b1):
        _busy(org, chw)
    org.a2.hired_on = None
    org.a2.save()
    frames = load_frames(program=org.program, day=TODAY)
    with django_assert_num_queries(0):
        results = compute(frames, day=TODAY, caseload_cap=30, supervision_interval_days=7)
    factors = {f.code: f for f in results[org.a1.pk]}
    # 2 encounters, both after hours: share 1.0 but fewer than 10, so not flagged.
    assert factors["after_hours_share"].value == 1.0
    assert not factors["after_hours_share"].flagged
    # Last one on one 5 days ago; last time off ended 18 days ago; trained, so 2 < 3.
    assert factors["days_since_supervision"].value == 5
    assert factors["days_since_time_off"].value == 18
    assert (factors["high_intensity"].value, factors["high_intensity"].threshold) == (2, 3)
    assert factors["self_reported_burnout"].value == 2
    assert sum(f.flagged for f in results[org.a2.pk]) == 1  # never supervised, no hire date

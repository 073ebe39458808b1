"""Automatic fidelity evidence (DESIGN.md §5.3), with hand-computed cases.

The period is s = Tuesday 1 September 2026 … e = Saturday 31 October 2026 (summer time in
New York throughout: clocks go back on 1 November). Its snapshot days are e, e−7, …, not
before s: 31 Oct, 24 Oct, 17 Oct, 10 Oct, 3 Oct, 26 Sep, 19 Sep, 12 Sep, 5 Sep (nine days;
29 August is before s). The clock is frozen on 18 November 2026, after the period.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actionplans.selectors import goals_set_early
from caseloads.models import Encounter, Enrollment
from fidelity.evidence import (
    AUTO_COMPONENTS,
    Evidence,
    evidence_for,
    propose,
    propose_balance,
    snapshot_days,
)
from impact.models import Role
from supervision.models import SupervisionSession
from tests.factories import (
    EncounterFactory,
    EnrollmentFactory,
    GoalFactory,
    ProgramFactory,
    StepFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NY = zoneinfo.ZoneInfo("America/New_York")
S = dt.date(2026, 9, 1)
E = dt.date(2026, 10, 31)
SNAPSHOTS = [
    dt.date(2026, 10, 31),
    dt.date(2026, 10, 24),
    dt.date(2026, 10, 17),
    dt.date(2026, 10, 10),
    dt.date(2026, 10, 3),
    dt.date(2026, 9, 26),
    dt.date(2026, 9, 19),
    dt.date(2026, 9, 12),
    dt.date(2026, 9, 5),
]
# Program, CHWs, enrollments, sessions, the duration rows, contacts for the cadence,
# early goals, goals with steps, the community share: pinned, whatever the data's size.
QUERIES = 8


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A moment on a local day in New York."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=NY)


def enroll(chw, on, *, status="enrolled", closed=None, planned_end=None) -> Enrollment:
    extra = {"planned_end_on": planned_end} if planned_end else {}
    return EnrollmentFactory(
        chw=chw, referred_on=on, enrolled_on=on, status=status, closed_on=closed, **extra
    )


def graduate(chw, *, closed: dt.date, length: int) -> Enrollment:
    """A graduation on `closed` after `length` days."""
    return enroll(chw, closed - days(length), status="graduated", closed=closed)


def one_on_one(org, chw, on: dt.date, kind: str = "one_on_one") -> SupervisionSession:
    return SupervisionSession.objects.create(
        manager=org.ma, chw=chw, kind=kind, occurred_on=on, duration_minutes=30
    )


def evidence(org, code: str, start: dt.date = S, end: dt.date = E) -> Evidence:
    return evidence_for(program=org.program, start=start, end=end)[code]


def assert_no_data(found: Evidence) -> None:
    """An empty denominator is "no data": never 0% or 100%, and no proposal."""
    assert (found.numerator, found.denominator) == (0, 0)
    assert found.value is None
    assert found.proposal is None
    assert found.misses == []


# Snapshot days and proposals ---------------------------------------------------------


def test_snapshot_days_are_e_then_every_7_days_back_not_before_s():
    assert snapshot_days(S, E) == SNAPSHOTS
    # s on a snapshot day includes it; one day later leaves it out.
    assert snapshot_days(dt.date(2026, 9, 5), E) == SNAPSHOTS
    assert snapshot_days(dt.date(2026, 9, 6), E) == SNAPSHOTS[:-1]
    assert snapshot_days(E, E) == [E]
    assert snapshot_days(E - days(6), E) == [E]
    assert snapshot_days(E - days(7), E) == [E, E - days(7)]
    assert snapshot_days(E + days(1), E) == []


@pytest.mark.parametrize(
    ("share", "proposal"),
    [
        (1.0, "met"),
        (0.85, "met"),
        (0.8499, "partly_met"),
        (0.60, "partly_met"),
        (0.5999, "not_met"),
        (0.0, "not_met"),
        (None, None),
    ],
)
def test_propose_thresholds(share, proposal):
    assert propose(share) == proposal


@pytest.mark.parametrize(
    ("share", "proposal"),
    [
        (0.30, "met"),
        (0.55, "met"),
        (0.80, "met"),
        (0.29, "not_met"),
        (0.81, "not_met"),
        (0.0, "not_met"),
        (1.0, "not_met"),
        (None, None),
    ],
)
def test_clinical_integration_is_met_inside_the_band_and_never_partly(share, proposal):
    assert propose_balance(share) == proposal


def test_evidence_for_gives_every_automatic_component_in_order(org):
    found = evidence_for(program=org.program, start=S, end=E)
    assert (
        tuple(found)
        == AUTO_COMPONENTS
        == (
            "standard_duration",
            "standard_caseload",
            "supervision",
            "contact_cadence",
            "patient_set_goals",
            "action_plans",
            "clinical_integration",
        )
    )
    assert all(each.code == code for code, each in found.items())


def test_evidence_for_refuses_a_period_that_ends_before_it_starts(org):
    with pytest.raises(ValueError):
        evidence_for(program=org.program, start=E, end=S)


def test_to_json():
    found = Evidence.of(
        "supervision", numerator=3, denominator=4, misses=[7, 5, 7], miss_kind="chw"
    )
    assert found.to_json() == {
        "numerator": 3,
        "denominator": 4,
        "value": 0.75,
        "proposal": "partly_met",
        "miss_kind": "chw",
        "misses": [5, 7],
    }
    empty = Evidence.of("action_plans", numerator=0, denominator=0, miss_kind="enrollment")
    assert empty.to_json()["value"] is None
    assert empty.to_json()["proposal"] is None


# standard_duration ---------------------------------------------------------------------


def test_standard_duration(org):
    # intervention_days 180: a graduation is within ±15% when its length is 153 … 207 days.
    on_s = graduate(org.a1, closed=S, length=153)  # on s, at the lower edge: hit
    on_e = graduate(org.a1, closed=E, length=208)  # on e, one day too long: miss
    graduate(org.a2, closed=dt.date(2026, 10, 1), length=207)  # upper edge: hit
    graduate(org.a2, closed=S - days(1), length=180)  # s − 1: not in the period
    # Closed after e: active on e and not overdue (planned end 1 Dec): not counted.
    graduate(org.a2, closed=E + days(1), length=180)
    enroll(  # a withdrawal is not a graduation
        org.b1, dt.date(2026, 4, 1), status="withdrawn", closed=dt.date(2026, 10, 1)
    )
    # Active on e, more than 14 days past the planned end: misses.
    overdue = enroll(org.b1, dt.date(2026, 3, 1), planned_end=E - days(15))
    late_graduation = enroll(
        org.b2,
        dt.date(2026, 3, 1),
        status="graduated",
        closed=E + days(5),
        planned_end=E - days(20),
    )
    enroll(org.b2, dt.date(2026, 3, 2), planned_end=E - days(14))  # exactly 14 days: fine
    # Graduations in [s, e]: 3 (2 within); overdue on e: 2. 2 / 5 = 0.4.
    found = evidence(org, "standard_duration")
    assert (found.numerator, found.denominator) == (2, 5)
    assert found.value == pytest.approx(0.4)
    assert found.proposal == "not_met"
    assert found.miss_kind == "enrollment"
    assert found.misses == sorted([on_e.pk, overdue.pk, late_graduation.pk])
    assert on_s.pk not in found.misses


def test_standard_duration_without_graduations_or_overdue_enrollments_is_no_data(org):
    enroll(org.a1, dt.date(2026, 8, 1))  # running, not past its end
    graduate(org.a1, closed=S - days(1), length=180)
    assert_no_data(evidence(org, "standard_duration"))


# standard_caseload ---------------------------------------------------------------------


def test_standard_caseload(org):
    org.program.caseload_cap = 2
    org.program.save()
    early = dt.date(2026, 8, 1)
    for _ in range(3):
        enroll(org.a1, early)  # 3 > 2 on all 9 days: 9 misses
    for _ in range(2):
        enroll(org.a2, early)
    enroll(org.a2, dt.date(2026, 10, 24))  # 3 from 24 Oct: misses on 24 and 31 Oct
    for _ in range(2):
        enroll(org.b1, early)
        enroll(org.b2, early)
    # Closed on 5 Sep: not active on 5 Sep (d < closed_on), so b1 is never over the cap.
    enroll(org.b1, early, status="graduated", closed=dt.date(2026, 9, 5))
    # Closed on 6 Sep: still active on 5 Sep, b2 is over the cap that day (1 miss).
    enroll(org.b2, early, status="graduated", closed=dt.date(2026, 9, 6))
    EnrollmentFactory(  # referred, never enrolled: not on the caseload
        chw=org.b1, referred_on=early, enrolled_on=None, planned_end_on=None, status="referred"
    )
    gone = UserFactory(
        role=Role.CHW, program=org.program, team=org.team_a, is_active=False
    )  # an inactive CHW is not counted, whatever their caseload
    for _ in range(5):
        enroll(gone, early)
    # Pairs: 4 CHWs × 9 days = 36; misses 9 + 2 + 1 = 12. 24 / 36 = 0.667.
    found = evidence(org, "standard_caseload")
    assert (found.numerator, found.denominator) == (24, 36)
    assert found.proposal == "partly_met"
    assert found.miss_kind == "chw"
    assert found.misses == sorted([org.a1.pk, org.a2.pk, org.b2.pk])


def test_standard_caseload_counts_chws_without_patients(org):
    # 4 CHWs × 9 days, all with no patient: 36 / 36 within the cap.
    found = evidence(org, "standard_caseload")
    assert (found.numerator, found.denominator, found.proposal) == (36, 36, "met")


def test_standard_caseload_without_chws_is_no_data():
    program = ProgramFactory()
    found = evidence_for(program=program, start=S, end=E)["standard_caseload"]
    assert_no_data(found)


# supervision ---------------------------------------------------------------------------


def test_supervision(org):
    for day in SNAPSHOTS:
        one_on_one(org, org.a1, day - days(6))  # day − 6 is in the week: 9 of 9
    one_on_one(org, org.a2, E)  # covers 31 Oct only: 1 of 9
    one_on_one(org, org.a2, dt.date(2026, 10, 24), kind="huddle")  # not a one on one
    one_on_one(org, org.a2, E + days(1))  # after e
    one_on_one(org, org.b1, dt.date(2026, 8, 29))  # 5 Sep − 7: outside its week
    # b2: none. Pairs 4 × 9 = 36; hits 9 + 1 = 10. 10 / 36 = 0.278.
    found = evidence(org, "supervision")
    assert (found.numerator, found.denominator) == (10, 36)
    assert found.proposal == "not_met"
    assert found.miss_kind == "chw"
    assert found.misses == sorted([org.a2.pk, org.b1.pk, org.b2.pk])


def test_supervision_weekly_for_everyone_is_met(org):
    for chw in (org.a1, org.a2, org.b1, org.b2):
        for day in SNAPSHOTS:
            one_on_one(org, chw, day)
    found = evidence(org, "supervision")
    assert (found.numerator, found.denominator, found.proposal) == (36, 36, "met")
    assert found.misses == []


def test_supervision_without_chws_is_no_data():
    found = evidence_for(program=ProgramFactory(), start=S, end=E)["supervision"]
    assert_no_data(found)


# contact_cadence -----------------------------------------------------------------------


def test_contact_cadence(org):
    oct17 = dt.date(2026, 10, 17)
    # Enrolled 17 Oct: only 31 Oct is 14 days on (24 Oct is 7). Its window is 18 … 31 Oct.
    late_night = enroll(org.a1, oct17)
    EncounterFactory(enrollment=late_night, occurred_at=at(oct17, 23, 30))  # 17 Oct: miss
    just_after = enroll(org.b1, oct17)
    EncounterFactory(enrollment=just_after, occurred_at=at(oct17 + days(1), 0, 30))  # hit
    # Enrolled 1 Aug: all 9 days count.
    long = enroll(org.a1, dt.date(2026, 8, 1))
    # 17 Oct 23:30 in New York is 18 Oct in UTC: covers 17 and 24 Oct, not 31 Oct.
    EncounterFactory(
        enrollment=long,
        occurred_at=at(oct17, 23, 30),
        kind=Encounter.Kind.PHONE,
        setting=Encounter.Setting.REMOTE,
    )
    EncounterFactory(  # covers 5 Sep (the day itself) and 12 Sep (day − 7)
        enrollment=long, occurred_at=at(dt.date(2026, 9, 5), 9)
    )
    EncounterFactory(  # an attempt that did not reach the patient is no contact
        enrollment=long,
        occurred_at=at(dt.date(2026, 10, 30)),
        kind=Encounter.Kind.OUTREACH_ATTEMPT,
        setting=Encounter.Setting.REMOTE,
        reached=False,
    )
    EncounterFactory(  # nor is a safety note
        enrollment=long,
        occurred_at=at(dt.date(2026, 9, 28)),
        kind=Encounter.Kind.SAFETY_NOTE,
        reached=False,
    )
    # long: 4 hits (5, 12 Sep, 17, 24 Oct) of 9.
    # Graduated 12 Sep: active on 5 Sep only (not on 12 Sep), with a contact on 1 Sep.
    graduated = enroll(org.a2, dt.date(2026, 6, 1), status="graduated", closed=dt.date(2026, 9, 12))
    EncounterFactory(enrollment=graduated, occurred_at=at(S))
    EnrollmentFactory(  # referred, never enrolled: no pairs
        chw=org.b2, referred_on=S, enrolled_on=None, planned_end_on=None, status="referred"
    )
    # Pairs 1 + 1 + 9 + 1 = 12; hits 0 + 1 + 4 + 1 = 6. 6 / 12 = 0.5.
    found = evidence(org, "contact_cadence")
    assert (found.numerator, found.denominator) == (6, 12)
    assert found.value == 0.5
    assert found.proposal == "not_met"
    assert found.miss_kind == "enrollment"
    assert found.misses == sorted([late_night.pk, long.pk])


def test_contact_cadence_without_enrollments_14_days_in_is_no_data(org):
    recent = enroll(org.a1, dt.date(2026, 10, 20))  # 11 days on 31 Oct
    EncounterFactory(enrollment=recent, occurred_at=at(dt.date(2026, 10, 21)))
    assert_no_data(evidence(org, "contact_cadence"))


# patient_set_goals ---------------------------------------------------------------------


def test_patient_set_goals(org):
    # Enrollments begun in [s, e − 14] = [1 Sep, 17 Oct] that ran.
    on_s = enroll(org.a1, S)
    GoalFactory(enrollment=on_s, set_on=S + days(14))  # on the 14th day: hit
    last = enroll(org.a1, E - days(14))  # e − 14: counted
    GoalFactory(enrollment=last, set_on=E - days(14) + days(15))  # 15th day: miss
    GoalFactory(enrollment=enroll(org.a2, E - days(13)), set_on=E)  # e − 13: not counted
    enroll(org.a2, E - days(13))  # no goal, but not counted either
    enroll(org.a2, S - days(1))  # before s: not counted
    withdrawn = enroll(
        org.b1, dt.date(2026, 9, 10), status="withdrawn", closed=dt.date(2026, 9, 20)
    )
    GoalFactory(enrollment=withdrawn, set_on=dt.date(2026, 9, 11))  # ran: hit
    enroll(org.b1, dt.date(2026, 9, 10), status="declined")  # never ran: not counted
    no_goal = enroll(org.b2, dt.date(2026, 9, 20))  # miss
    # 4 counted (on_s, last, withdrawn, no_goal); 2 hits. 2 / 4 = 0.5.
    found = evidence(org, "patient_set_goals")
    assert (found.numerator, found.denominator) == (2, 4)
    assert found.proposal == "not_met"
    assert found.miss_kind == "enrollment"
    assert found.misses == sorted([last.pk, no_goal.pk])
    # The same rule as the manager's figure.
    share = goals_set_early(Enrollment.objects.filter(program=org.program), S, E)
    assert (share.numerator, share.denominator) == (2, 4)


def test_patient_set_goals_with_a_period_shorter_than_14_days_is_no_data(org):
    GoalFactory(enrollment=enroll(org.a1, dt.date(2026, 10, 20)))
    assert_no_data(evidence(org, "patient_set_goals", start=dt.date(2026, 10, 20)))


# action_plans --------------------------------------------------------------------------


def test_action_plans(org):
    enrollment = enroll(org.a1, dt.date(2026, 8, 1))
    StepFactory(goal=GoalFactory(enrollment=enrollment, set_on=S))  # on s: hit
    other = enroll(org.a2, dt.date(2026, 8, 1))
    GoalFactory(enrollment=other, set_on=E)  # on e, no step: miss
    GoalFactory(enrollment=other, set_on=dt.date(2026, 10, 10))  # no step: miss
    two_steps = GoalFactory(enrollment=enrollment, set_on=dt.date(2026, 10, 1))
    StepFactory(goal=two_steps)
    StepFactory(goal=two_steps)  # still one goal: hit
    GoalFactory(enrollment=enrollment, set_on=S - days(1))  # s − 1: not counted
    GoalFactory(enrollment=enrollment, set_on=E + days(1))  # e + 1: not counted
    # 4 goals in [s, e], 2 with a step: 0.5. Misses name the enrollment once.
    found = evidence(org, "action_plans")
    assert (found.numerator, found.denominator) == (2, 4)
    assert found.proposal == "not_met"
    assert found.miss_kind == "enrollment"
    assert found.misses == [other.pk]


@pytest.mark.parametrize(
    ("with_step", "value", "proposal"),
    [
        (20, 1.0, "met"),
        (17, 0.85, "met"),
        (16, 0.80, "partly_met"),
        (12, 0.60, "partly_met"),
        (11, 0.55, "not_met"),
    ],
)
def test_action_plans_proposal_thresholds_from_data(org, with_step, value, proposal):
    enrollment = enroll(org.a1, dt.date(2026, 8, 1))
    for n in range(20):
        goal = GoalFactory(enrollment=enrollment, set_on=S + days(n))
        if n < with_step:
            StepFactory(goal=goal)
    found = evidence(org, "action_plans")
    assert (found.numerator, found.denominator) == (with_step, 20)
    assert found.value == value
    assert found.proposal == proposal


def test_action_plans_without_goals_is_no_data(org):
    enroll(org.a1, dt.date(2026, 8, 1))
    assert_no_data(evidence(org, "action_plans"))


# clinical_integration ------------------------------------------------------------------


def log_minutes(enrollment, moment, kind, setting, minutes, reached=True):
    return EncounterFactory(
        enrollment=enrollment,
        occurred_at=moment,
        kind=kind,
        setting=setting,
        reached=reached,
        duration_minutes=minutes,
    )


def test_clinical_integration_counts_minutes_of_in_person_contacts(org):
    enrollment = enroll(org.a1, dt.date(2026, 8, 1))
    kind, setting = Encounter.Kind, Encounter.Setting

    def log(moment, k, where, minutes, reached=True):
        log_minutes(enrollment, moment, k, where, minutes, reached)

    log(at(S, 0, 0), kind.HOME_VISIT, setting.COMMUNITY, 40)  # first moment of s
    log(at(E, 23, 59), kind.CLINIC_VISIT, setting.CLINICAL, 60)  # last minute of e
    log(at(dt.date(2026, 10, 20)), kind.COMMUNITY_VISIT, setting.COMMUNITY, 20)
    # Left out: a remote contact, an in-person contact without minutes, a chart review
    # and a safety note (never contacts), a visit that did not reach the patient, and
    # 31 Aug 23:59 in New York (1 Sep in UTC) and 1 Nov (outside [s, e]).
    log(at(dt.date(2026, 10, 15)), kind.PHONE, setting.REMOTE, 30)
    log(at(dt.date(2026, 10, 16)), kind.CLINIC_VISIT, setting.CLINICAL, None)
    log(at(dt.date(2026, 10, 17)), kind.CHART_REVIEW, setting.CLINICAL, 45, reached=False)
    log(at(dt.date(2026, 10, 3)), kind.SAFETY_NOTE, setting.COMMUNITY, 15, reached=False)
    log(at(dt.date(2026, 10, 2)), kind.HOSPITAL_VISIT, setting.CLINICAL, 50, reached=False)
    log(at(S - days(1), 23, 59), kind.HOME_VISIT, setting.COMMUNITY, 90)
    log(at(E + days(1), 0, 0), kind.HOME_VISIT, setting.COMMUNITY, 90)
    # Community 40 + 20 = 60 minutes of 60 + 60 = 120: 0.5, inside [0.30, 0.80].
    found = evidence(org, "clinical_integration")
    assert (found.numerator, found.denominator) == (60, 120)
    assert found.value == 0.5
    assert found.proposal == "met"
    assert found.unit == "minutes" and found.to_json()["unit"] == "minutes"
    assert found.misses == []
    assert found.miss_kind is None


def test_clinical_integration_weighs_time_not_the_number_of_contacts(org):
    """Three short home visits and one long clinic visit: 3 of 4 contacts (0.75) are in
    the community, but only 3 × 10 = 30 of 30 + 90 = 120 minutes (0.25): not met."""
    enrollment = enroll(org.a1, dt.date(2026, 8, 1))
    for n in range(3):
        log_minutes(
            enrollment,
            at(S + days(n)),
            Encounter.Kind.HOME_VISIT,
            Encounter.Setting.COMMUNITY,
            10,
        )
    log_minutes(
        enrollment, at(S + days(5)), Encounter.Kind.CLINIC_VISIT, Encounter.Setting.CLINICAL, 90
    )
    found = evidence(org, "clinical_integration")
    assert (found.numerator, found.denominator) == (30, 120)
    assert found.value == 0.25
    assert found.proposal == "not_met"


@pytest.mark.parametrize(
    ("community", "clinical", "proposal"),
    [
        (30, 70, "met"),  # 30 ÷ 100 = 0.30, the lower edge
        (299, 701, "not_met"),  # 299 ÷ 1000 = 0.299, just below
        (301, 699, "met"),  # 0.301, just above the lower edge
        (80, 20, "met"),  # 80 ÷ 100 = 0.80, the upper edge
        (801, 199, "not_met"),  # 0.801, just above
        (799, 201, "met"),  # 0.799, just below the upper edge
        (60, 0, "not_met"),  # all community: 1.0
        (0, 45, "not_met"),  # all clinical: 0.0, not "no data"
    ],
)
def test_clinical_integration_band_edges_from_data(org, community, clinical, proposal):
    enrollment = enroll(org.a1, dt.date(2026, 8, 1))
    # Each side's minutes split over two contacts (whole minutes, at least 1 each).
    for n, (kind, setting, minutes) in enumerate(
        [
            (Encounter.Kind.HOME_VISIT, Encounter.Setting.COMMUNITY, community),
            (Encounter.Kind.CLINIC_VISIT, Encounter.Setting.CLINICAL, clinical),
        ]
    ):
        if minutes:
            first = minutes // 2 or minutes
            parts = [first, minutes - first] if minutes - first else [first]
            for m, part in enumerate(parts):
                log_minutes(enrollment, at(S + days(2 * n + m)), kind, setting, part)
    found = evidence(org, "clinical_integration")
    assert (found.numerator, found.denominator) == (community, community + clinical)
    assert found.value == community / (community + clinical)
    assert found.proposal == proposal


def test_clinical_integration_without_in_person_minutes_is_no_data(org):
    enrollment = enroll(org.a1, dt.date(2026, 8, 1))
    kind, setting = Encounter.Kind, Encounter.Setting
    log_minutes(enrollment, at(dt.date(2026, 10, 2)), kind.PHONE, setting.REMOTE, 30)
    log_minutes(enrollment, at(dt.date(2026, 10, 3)), kind.HOME_VISIT, setting.COMMUNITY, None)
    log_minutes(
        enrollment,
        at(dt.date(2026, 10, 4)),
        kind.OUTREACH_ATTEMPT,
        setting.COMMUNITY,
        20,
        reached=False,
    )
    assert_no_data(evidence(org, "clinical_integration"))


# A fixed number of queries -------------------------------------------------------------


def program_data(org, size: int) -> None:
    """`size` enrollments per CHW (more CHWs with more data), each with goals, steps,
    contacts and weekly supervision."""
    chws = [org.a1, org.a2, org.b1, org.b2]
    for _ in range(size // 2):
        team = TeamFactory(program=org.program)
        chws.append(UserFactory(role=Role.CHW, program=org.program, team=team))
    for chw in chws:
        for day in SNAPSHOTS[: size + 1]:
            one_on_one(org, chw, day)
        for n in range(size):
            enrollment = enroll(chw, dt.date(2026, 6, 1) + days(n * 9))
            goal = GoalFactory(enrollment=enrollment)
            StepFactory(goal=goal)
            for week in range(size):
                EncounterFactory(enrollment=enrollment, occurred_at=at(S + days(7 * week)))
            if n % 2:
                enrollment.status = "graduated"
                enrollment.closed_on = enrollment.ran_dates()[0] + days(175)
                enrollment.save()


@pytest.mark.parametrize("size", [1, 8])
def test_evidence_runs_a_fixed_number_of_queries(org, size):
    program_data(org, size)
    with CaptureQueriesContext(connection) as queries:
        found = evidence_for(program=org.program, start=S, end=E)
    assert len(queries) == QUERIES
    assert found["contact_cadence"].denominator > 0
    assert found["supervision"].denominator == 9 * (4 + size // 2)


# The command ---------------------------------------------------------------------------


def run(*args: str) -> str:
    out = StringIO()
    call_command("fidelity_evidence", *args, stdout=out)
    return out.getvalue()


def test_command_prints_the_evidence_as_json(org):
    one_on_one(org, org.a1, E)
    graduate(org.a1, closed=E, length=180)
    output = run("--program", str(org.program.pk), "--from", "2026-09-01", "--to", "2026-10-31")
    printed = json.loads(output)
    assert list(printed) == list(AUTO_COMPONENTS)
    expected = evidence_for(program=org.program, start=S, end=E)
    assert printed == {code: each.to_json() for code, each in expected.items()}
    assert printed["standard_duration"]["proposal"] == "met"
    assert printed["supervision"]["numerator"] == 1
    assert printed["clinical_integration"]["value"] is None
    assert output.startswith('{\n  "standard_duration": {\n    "numerator": 1,')


def test_command_accepts_today_as_the_end(org):
    printed = json.loads(
        run("--program", str(org.program.pk), "--from", "2026-11-01", "--to", "2026-11-18")
    )
    assert printed["supervision"]["denominator"] == 4 * 3  # 18, 11 and 4 Nov


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--program", "999999", "--from", "2026-09-01", "--to", "2026-10-31"), "no program"),
        (("--from", "2026-10-31", "--to", "2026-09-01"), "before it starts"),
        (("--from", "2026-09-01", "--to", "2026-11-19"), "in the future"),
        (("--from", "2026-09-01", "--to", "2026-13-01"), "not a date"),
        (("--from", "1 Sep 2026", "--to", "2026-10-31"), "not a date"),
    ],
)
def test_command_errors(org, args, message):
    if "--program" not in args:
        args = ("--program", str(org.program.pk), *args)
    with pytest.raises(CommandError, match=message):
        run(*args)

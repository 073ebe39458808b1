"""Leader figures as published (reports.disclosed): the grid's true values agree
with the overview's and the ROI summary's own definitions for every month, quarter and
year, and what a leader reads is the grid's suppressed cell."""

from __future__ import annotations

import datetime as dt

import pytest

from impact.lib.periods import month, quarter, year, year_grid
from reports import disclosed, figures
from reports.grid import CHW_MEASURES
from reports.roi import figures as roi
from tests.factories import EnrollmentFactory, UtilizationFactory
from tests.reports.test_overview import made_up  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

TODAY = dt.date(2026, 11, 18)
AS_OF = dt.date(2026, 10, 31)  # the end of the last complete month: figures stop there


@pytest.fixture
def stays(org, made_up):  # noqa: F811
    # e3's patient: admitted twice before enrolling (Jun 1 2026) and once after; e4's once
    # after. Both enrollments are evaluable (Jun 1 / May 1 + 180 days ≤ Nov 18).
    UtilizationFactory(patient=made_up.e3.patient, admitted_on=dt.date(2026, 1, 5))
    UtilizationFactory(patient=made_up.e3.patient, admitted_on=dt.date(2026, 3, 9))
    UtilizationFactory(patient=made_up.e3.patient, admitted_on=dt.date(2026, 7, 1))
    UtilizationFactory(patient=made_up.e4.patient, admitted_on=dt.date(2026, 8, 2))
    return made_up


def test_the_grid_agrees_with_the_overview_and_the_roi_for_every_cell(org, stays):
    grid = disclosed.year_grid_for(org.program, 2026)
    assert grid.as_of == AS_OF
    for period in year_grid(2026):
        if period.start > AS_OF:
            continue
        end = min(period.end, AS_OF)
        o = figures.overview(program=org.program, start=period.start, end=end)
        s = roi.roi_summary(program=org.program, start=period.start, end=end, as_of=AS_OF)
        expected = {
            "patients_served": o.patients_served,
            "graduations": o.graduations,
            "handoffs_accepted": o.handoffs_accepted,
            "goals_closed": o.goals_closed,
            "goals_achieved": o.goals_achieved,
            "contacts": o.contacts,
            "patient_days": round(o.patient_months * figures.DAYS_PER_MONTH),
            "enrollments": s.cohort,
            "evaluable": s.evaluable,
            "pre_admissions": s.pre.admissions,
            "post_admissions": s.post.admissions,
        }
        got = {name: grid.values[(name, None, period)] for name in expected}
        assert got == expected, period.label
        chw_rows = figures.by_chw(program=org.program, start=period.start, end=end)
        for row in chw_rows.to_dict("records"):
            for name in CHW_MEASURES:
                assert grid.values[(name, row["chw_id"], period)] == row[name], (period, name)


def test_october_reads_fewer_than_11_for_its_small_counts(org, stays):
    # October 2026: 5 patients served, 3 graduations (made_up's sums): both 1 to 10 people.
    shown = disclosed.overview(disclosed.Grids(org.program), month(2026, 10))
    assert shown.patients_served == disclosed.FEWER
    assert shown.graduations == disclosed.FEWER
    assert str(shown.graduations) == "fewer than 11"
    assert shown.as_dict()["graduations"] == "<11"
    # A share of hidden counts is hidden with them.
    assert disclosed.hidden(shown.handoff_share)


def test_eleven_graduations_in_a_quarter_publish_and_its_months_protect_each_other(org):
    # 11 graduations: 6 in July, 5 in August, none in September. The quarter's 11 publishes;
    # July and August are hidden (1 to 10 each): 6 + 5 = 11 leaves each of them 1..10.
    for n in range(6):
        EnrollmentFactory(
            chw=org.a1,
            referred_on=dt.date(2026, 1, 5),
            status="graduated",
            closed_on=dt.date(2026, 7, 1 + n),
        )
    for n in range(5):
        EnrollmentFactory(
            chw=org.b1,
            referred_on=dt.date(2026, 1, 5),
            status="graduated",
            closed_on=dt.date(2026, 8, 1 + n),
        )
    grid = disclosed.Grids(org.program).year(2026)
    assert grid.shown("graduations", quarter(2026, 3)) == 11
    assert grid.shown("graduations", month(2026, 7)) == disclosed.FEWER
    assert grid.shown("graduations", month(2026, 8)) == disclosed.FEWER
    assert grid.shown("graduations", month(2026, 9)) == 0
    assert grid.shown("graduations", year(2026)) == 11

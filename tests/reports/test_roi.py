"""The ROI summary (DESIGN.md §5.4): figures from a small cohort counted by hand, the page,
its chart, its settings and the `roi_summary` command."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from caseloads.models import Enrollment
from impact.models import Program, Role
from impact.services import program_roi_settings_update
from reports.roi.figures import RoiSummary, Use, cohort_frame, roi_summary
from tests.factories import (
    CostLineFactory,
    EnrollmentFactory,
    ProgramFactory,
    TeamFactory,
    UserFactory,
    UtilizationFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

D = dt.date
START, END = D(2026, 1, 1), D(2026, 6, 30)
TODAY = D(2026, 11, 18)  # the frozen clock, in the program's time zone


def enroll(chw, on: dt.date, status: str = Enrollment.Status.ENROLLED) -> Enrollment:
    return EnrollmentFactory(chw=chw, referred_on=on, enrolled_on=on, status=status)


def stay(enrollment, admitted: dt.date, discharged: dt.date | None = None, kind="inpatient"):
    return UtilizationFactory(
        patient=enrollment.patient,
        kind=kind,
        admitted_on=admitted,
        discharged_on=discharged or admitted,
    )


def ed(enrollment, on: dt.date):
    return stay(enrollment, on, kind="ed")


@pytest.fixture
def priced(org) -> Program:
    """A 30-day window and round unit costs, so every figure is easy to count by hand."""
    Program.objects.filter(pk=org.program.pk).update(
        roi_window_days=30,
        cost_per_admission=Decimal("10000"),
        cost_per_inpatient_day=Decimal("2000"),
        cost_per_ed_visit=Decimal("500"),
        savings_basis="admissions",
        attribution=Decimal("1"),
    )
    org.program.refresh_from_db()
    return org.program


@pytest.fixture
def cohort(org, priced) -> dict[str, Enrollment]:
    """Four enrollments begun in [2026-01-01, 2026-06-30], W = 30 days; as of 2026-11-18
    every one has had its 30 days after enrolling, so all four are evaluable.

    e1, enrolled 2026-03-01: pre window [Jan 30, Mar 1), post [Mar 1, Mar 31).
      stay Feb 28 – Mar 3   admitted the day before enrolling: 1 pre admission; its nights
                            Feb 28 | Mar 1, Mar 2 split: 1 pre day, 2 post days
      stay Mar 1 (same day) admitted on the enrollment day: 1 post admission, 1 post day
      stay Jan 30 – Feb 1   admitted on enrolled_on − W: 1 pre admission, 2 pre days
      stay Mar 31 – Apr 2   admitted on enrolled_on + W: outside both windows
      stay Jan 29 (same day) the day before the pre window: not counted
      ED Feb 15: 1 pre; ED Mar 10: 1 post
      → pre 2 admissions, 3 days, 1 ED; post 1 admission, 3 days, 1 ED
    e2, enrolled 2026-06-30 (the period's last day): pre [May 31, Jun 30), post [Jun 30, Jul 30)
      stay May 25 – Jun 2   admitted before the pre window: no admission, nights May 31 and
                            Jun 1 inside it: 2 pre days
      stays Jul 5 – Jul 10 and Jul 12 – Jul 15: 2 post admissions, 5 + 3 = 8 post days
      → pre 0, 2 days, 0 ED; post 2 admissions, 8 days, 0 ED (more use after: negative)
    e3, graduated, enrolled 2026-01-01 (the period's first day): pre [Dec 2, Jan 1)
      stay Dec 10 – Dec 14 2025: 1 admission, 4 days; stay Dec 20 (same day): 1, 1 day
      ED Dec 2 2025 (the pre window's first day): 1
      → pre 2 admissions, 5 days, 1 ED; post nothing
    e4, withdrawn, enrolled 2026-04-01, no hospital use.
    Totals: pre 4 admissions, 10 days, 2 ED; post 3 admissions, 11 days, 1 ED;
    avoided 1 admission, −1 day, 1 ED visit.
    """
    e1 = enroll(org.a1, D(2026, 3, 1))
    stay(e1, D(2026, 2, 28), D(2026, 3, 3))
    stay(e1, D(2026, 3, 1))
    stay(e1, D(2026, 1, 30), D(2026, 2, 1))
    stay(e1, D(2026, 3, 31), D(2026, 4, 2))
    stay(e1, D(2026, 1, 29))
    ed(e1, D(2026, 2, 15))
    ed(e1, D(2026, 3, 10))
    e2 = enroll(org.a2, D(2026, 6, 30))
    stay(e2, D(2026, 5, 25), D(2026, 6, 2))
    stay(e2, D(2026, 7, 5), D(2026, 7, 10))
    stay(e2, D(2026, 7, 12), D(2026, 7, 15))
    e3 = enroll(org.b1, D(2026, 1, 1), Enrollment.Status.GRADUATED)
    stay(e3, D(2025, 12, 10), D(2025, 12, 14))
    stay(e3, D(2025, 12, 20))
    ed(e3, D(2025, 12, 2))
    e4 = enroll(org.b2, D(2026, 4, 1), Enrollment.Status.WITHDRAWN)
    # Not in the cohort, though their patients were in hospital in the same windows:
    # declined and referred (never actually enrolled), begun before the period, and
    # another program's enrollment.
    for status in (Enrollment.Status.DECLINED, Enrollment.Status.REFERRED):
        stay(enroll(org.a1, D(2026, 3, 1), status), D(2026, 2, 20))
    stay(enroll(org.a1, D(2025, 12, 31)), D(2025, 12, 20))
    other = ProgramFactory()
    other_chw = UserFactory(
        role=Role.CHW, program=other, team=TeamFactory(program=other, name="Other")
    )
    stay(enroll(other_chw, D(2026, 3, 1)), D(2026, 2, 20))
    return {"e1": e1, "e2": e2, "e3": e3, "e4": e4}


@pytest.fixture
def costs(org, priced):
    """36,500 for 2026 gives 36,500 × 181 ÷ 365 = 18,100 to Jan 1 – Jun 30 (181 days);
    6,200 for Dec 1 2025 – Jan 31 2026 (62 days) gives 6,200 × 31 ÷ 62 = 3,100 (January);
    July and another program's line give nothing. Program cost: 21,200."""
    CostLineFactory(program=priced, amount=Decimal("36500"))
    CostLineFactory(
        program=priced,
        category="training",
        amount=Decimal("6200"),
        period_start=D(2025, 12, 1),
        period_end=D(2026, 1, 31),
    )
    CostLineFactory(
        program=priced,
        amount=Decimal("1000"),
        period_start=D(2026, 7, 1),
        period_end=D(2026, 7, 31),
    )
    CostLineFactory(program=ProgramFactory(), amount=Decimal("99999"))


@pytest.fixture
def crowd(org, cohort):
    """Seven more enrollments begun in April 2026 with no hospital use: the year 2026's
    cohort reaches 11 (e1 … e4 and these), so its figures are published (DESIGN.md §4:
    a figure about fewer than 11 people reads "fewer than 11"). Its totals stay
    cohort's: pre 4 admissions, 10 days, 2 ED; post 3, 11, 1.

    For the year 2026 as of Nov 18 the program cost is 36,500 × 322 ÷ 365 = 32,200 (the
    current year is priced up to today: Jan 1 – Nov 18 is 322 days) + 3,100 (January of
    the Dec–Jan line) + 1,000 (July's line) = 36,300."""
    for day in range(7):
        enroll(org.b2, D(2026, 4, 10 + day))
    return cohort


YEAR = {"start": "2026-01-01", "end": "2026-12-31"}


# -- the figures -------------------------------------------------------------------------------


def test_the_cohort_frame_counts_each_enrollments_windows(cohort, priced):
    frame = cohort_frame(program=priced, start=START, end=END, as_of=TODAY).set_index(
        "enrollment_id"
    )
    columns = [
        "pre_admissions",
        "post_admissions",
        "pre_inpatient_days",
        "post_inpatient_days",
        "pre_ed_visits",
        "post_ed_visits",
    ]
    # Counted by hand in the cohort fixture's docstring.
    assert frame.loc[cohort["e1"].pk, columns].tolist() == [2, 1, 3, 3, 1, 1]
    assert frame.loc[cohort["e2"].pk, columns].tolist() == [0, 2, 2, 8, 0, 0]
    assert frame.loc[cohort["e3"].pk, columns].tolist() == [2, 0, 5, 0, 1, 0]
    assert frame.loc[cohort["e4"].pk, columns].tolist() == [0, 0, 0, 0, 0, 0]
    assert sorted(frame.index) == sorted(e.pk for e in cohort.values())
    assert frame.loc[cohort["e1"].pk, "patient_id"] == cohort["e1"].patient_id
    assert frame.loc[cohort["e1"].pk, "team_id"] == cohort["e1"].chw.team_id
    assert frame.loc[cohort["e1"].pk, "enrolled_on"] == D(2026, 3, 1)


def test_the_summary_matches_the_cohort_counted_by_hand(cohort, costs, priced):
    summary = roi_summary(program=priced, start=START, end=END)
    assert summary.as_of == TODAY
    assert (summary.cohort, summary.evaluable, summary.window_days) == (4, 4, 30)
    assert summary.pre == Use(admissions=4, inpatient_days=10, ed_visits=2)
    assert summary.post == Use(admissions=3, inpatient_days=11, ed_visits=1)
    assert summary.avoided == Use(admissions=1, inpatient_days=-1, ed_visits=1)
    # 1 admission × 10,000 + 1 ED visit × 500, × attribution 1.
    assert summary.gross_savings == Decimal("10500")
    assert summary.program_cost == Decimal("21200")  # see the costs fixture
    assert summary.gross_roi == Decimal(10500) / Decimal(21200)  # about $0.50 per $1
    assert summary.net_roi == Decimal(10500 - 21200) / Decimal(21200)
    assert (summary.unit_cost, summary.cost_per_ed_visit) == (Decimal(10000), Decimal(500))
    # The trials' 34% fewer inpatient days: 0.34 × 10 pre days × 2,000 = 6,800.
    assert summary.benchmark_savings == Decimal("6800")
    assert summary.benchmark_roi == Decimal(6800) / Decimal(21200)
    assert summary.computable


def test_savings_on_inpatient_days_can_be_negative(cohort, costs, priced):
    priced.savings_basis = "inpatient_days"
    summary = roi_summary(program=priced, start=START, end=END)
    # −1 inpatient day × 2,000 + 1 ED visit × 500 = −1,500.
    assert summary.unit_cost == Decimal(2000)
    assert summary.gross_savings == Decimal("-1500")
    assert summary.gross_roi == Decimal(-1500) / Decimal(21200)
    assert summary.net_roi == Decimal(-1500 - 21200) / Decimal(21200)


def test_attribution_scales_the_savings_and_the_sensitivity_rows_do_not_depend_on_it(
    cohort, costs, priced
):
    priced.attribution = Decimal("0.8")
    summary = roi_summary(program=priced, start=START, end=END)
    assert summary.gross_savings == Decimal("8400")  # 10,500 × 0.8
    rows = {row.attribution: row for row in summary.sensitivity}
    assert list(rows) == [Decimal(n) / 10 for n in range(5, 11)]
    assert rows[Decimal("0.5")].gross_savings == Decimal("5250")  # 10,500 × 0.5
    assert rows[Decimal("0.5")].gross_roi == Decimal(5250) / Decimal(21200)
    assert rows[Decimal("0.5")].net_roi == Decimal(5250 - 21200) / Decimal(21200)
    assert rows[Decimal(1)].gross_savings == Decimal("10500")
    # The benchmark is the trials' causal figure: no attribution applied.
    assert summary.benchmark_savings == Decimal("6800")


def test_enrollments_not_yet_followed_for_the_window_are_in_the_cohort_but_not_evaluated(
    org, priced
):
    # As of Nov 18: Oct 19 + 30 days = Nov 18 (evaluable); Oct 20 + 30 = Nov 19 (not yet).
    ready = enroll(org.a1, D(2026, 10, 19))
    stay(ready, D(2026, 10, 1))
    waiting = enroll(org.a2, D(2026, 10, 20))
    stay(waiting, D(2026, 10, 2))
    summary = roi_summary(program=priced, start=D(2026, 10, 1), end=TODAY)
    assert (summary.cohort, summary.evaluable) == (2, 1)
    assert summary.pre == Use(admissions=1, inpatient_days=1, ed_visits=0)
    frame = cohort_frame(program=priced, start=D(2026, 10, 1), end=TODAY, as_of=TODAY)
    assert frame["enrollment_id"].tolist() == [ready.pk]


def test_a_patient_enrolled_twice_has_each_enrollments_windows_counted(org, priced):
    first = enroll(org.a1, D(2026, 2, 1), Enrollment.Status.GRADUATED)
    again = EnrollmentFactory(
        chw=org.a1, patient=first.patient, referred_on=D(2026, 2, 20), enrolled_on=D(2026, 2, 20)
    )
    # Feb 10 is in the first's post window [Feb 1, Mar 3) and the second's pre [Jan 21, Feb 20).
    stay(first, D(2026, 2, 10))
    summary = roi_summary(program=priced, start=START, end=END)
    assert summary.evaluable == 2
    assert summary.pre.admissions == 1 and summary.post.admissions == 1
    assert again.pk != first.pk


def test_a_program_with_no_cost_is_not_computable(cohort, priced):
    summary = roi_summary(program=priced, start=START, end=END)
    assert summary.program_cost == 0
    assert (summary.gross_roi, summary.net_roi, summary.benchmark_roi) == (None, None, None)
    assert not summary.computable
    assert all(row.gross_roi is None and row.net_roi is None for row in summary.sensitivity)
    assert summary.gross_savings == Decimal("10500")


def test_a_cohort_with_nobody_evaluable_yet_has_no_return_not_a_return_of_zero(
    org, costs, priced, login
):
    # Eleven enrollments begun in October 2026, none followed for 30 days by October 31
    # (the end of the last complete month on Nov 18), against the year's costs: savings
    # $0 over a cost would read "$0.00 returned per $1". Before: it did.
    for day in range(11):
        enroll(org.a1, D(2026, 10, 5 + day))
    summary = roi_summary(
        program=priced, start=D(2026, 10, 1), end=D(2026, 10, 31), as_of=D(2026, 10, 31)
    )
    assert (summary.cohort, summary.evaluable) == (11, 0)
    assert summary.program_cost > 0
    assert (summary.gross_roi, summary.net_roi, summary.benchmark_roi) == (None, None, None)
    assert all(row.gross_roi is None for row in summary.sensitivity)
    html = login(org.leader).get(url(start="2026-10-01", end="2026-10-31")).content.decode()
    assert "Not computable yet" in html
    assert "returned per $1</div>" not in html
    assert "enter the program's costs" not in html


def test_an_empty_program_gives_zeros(priced):
    summary = roi_summary(program=priced, start=START, end=END)
    assert (summary.cohort, summary.evaluable) == (0, 0)
    assert summary.pre == summary.post == summary.avoided == Use()
    assert summary.gross_savings == 0
    assert cohort_frame(program=priced, start=START, end=END, as_of=TODAY).empty


def test_a_period_that_ends_before_it_starts_is_refused(priced):
    with pytest.raises(ValueError):
        roi_summary(program=priced, start=END, end=START)
    with pytest.raises(ValueError):
        cohort_frame(program=priced, start=END, end=START, as_of=TODAY)


def test_one_day_of_a_cost_line_is_prorated(priced):
    # 36,500 over 365 days is 100 a day: the period Jun 30 – Jun 30 gets 100.
    CostLineFactory(program=priced, amount=Decimal("36500"))
    summary = roi_summary(program=priced, start=END, end=END)
    assert summary.program_cost == Decimal("100")


def grow(org, n: int) -> None:
    """n more enrollments in the period, each with a stay before and an ED visit after."""
    for i in range(n):
        e = enroll(org.a1, D(2026, 2, 1) + dt.timedelta(days=i))
        stay(e, D(2026, 1, 20), D(2026, 1, 23))
        ed(e, D(2026, 2, 25))


@pytest.mark.parametrize("extra", [0, 12])
def test_the_summary_runs_three_queries_whatever_the_size(
    org, cohort, costs, priced, extra, django_assert_num_queries
):
    grow(org, extra)
    # The cohort's enrollments, its patients' stays, the cost lines.
    with django_assert_num_queries(3):
        summary = roi_summary(program=priced, start=START, end=END)
    assert summary.cohort == 4 + extra


# -- the page ----------------------------------------------------------------------------------


def url(name="reports:roi", **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse(name) + (f"?{query}" if query else "")


def test_the_leader_sees_the_figures(org, crowd, costs, login):
    page = login(org.leader).get(url(**YEAR))
    assert page.status_code == 200
    summary = page.context["summary"]
    assert isinstance(summary, RoiSummary)
    assert (summary.cohort, summary.gross_savings) == (11, Decimal("10500"))
    html = page.content.decode()
    assert 'id="roi-cohort">11<' in html
    assert 'id="roi-evaluable">11<' in html
    assert "$10,500" in html  # gross savings
    # The prorated cost: the current year is priced up to the end of the last complete
    # month (Oct 31, like its figures): 36,500 × 304 ÷ 365 = 30,400, + 3,100 (January's
    # share of the training line) + 1,000 (July) = 34,500.
    assert "$34,500" in html
    assert "$0.30 returned per $1" in html  # 10,500 ÷ 34,500 = 0.304…
    assert "−$0.70 net per $1" in html  # (10,500 − 34,500) ÷ 34,500 = −0.695…
    assert "(-70%)" in html
    assert "figures up to Oct 31, 2026" in html
    assert "$6,800" in html  # the trial benchmark
    assert "$2.47" in html and "34% fewer inpatient days" in html
    assert "regression to the mean" in html
    assert "not a trial" in html
    assert "$10,000" in html and "per admission" in html and "$500" in html
    assert reverse("reports:roi_chart") in html
    # De-identified: no patient's name or identifier.
    patient = crowd["e1"].patient
    for identifier in (patient.given_name, patient.family_name):
        assert identifier not in html


def test_a_cohort_of_fewer_than_11_reads_fewer_than_11(org, cohort, costs, login):
    # Without the crowd, 2026's cohort is e1 … e4: its hospital use, savings and returns
    # are about 4 people.
    page = login(org.leader).get(url(**YEAR))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="roi-cohort">fewer than 11<' in html
    assert 'id="roi-hidden"' in html
    assert "$10,500" not in html and "returned per $1</div>" not in html
    assert "$34,500" in html  # the cost is not about people


def test_the_page_defaults_to_the_evaluable_year(org, cohort, login):
    page = login(org.leader).get(url())
    assert page.status_code == 200
    summary = page.context["summary"]
    # The latest calendar year whose cohort has had its whole 30-day window by
    # 2026-11-18 (the last such enrollment day is 2026-10-19): 2025.
    assert (summary.start, summary.end) == (D(2025, 1, 1), D(2025, 12, 31))
    # One enrollment (begun 2025-12-31): fewer than 11.
    assert summary.cohort == 1
    assert str(page.context["shown"].cohort) == "fewer than 11"
    assert page.context["form"]["start"].value() == D(2025, 1, 1)


def test_the_page_says_not_computable_without_costs(org, crowd, login):
    page = login(org.leader).get(url(**YEAR))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="roi-not-computable"' in html
    assert "returned per $1</div>" not in html
    assert f'href="{reverse("reports:costs")}"' in html  # the money area's cost lines page


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"start": "2026-06-30", "end": "2026-01-01"}, "end", "must end on or after"),
        ({"start": "2026-01-01", "end": "2026-06-30"}, "end", "whole calendar month"),
        ({"start": "2026-01-02", "end": "2026-01-31"}, "start", "whole calendar month"),
        ({"start": "2026-12-01", "end": "2026-12-31"}, "start", "has not begun"),
        ({"start": "1999-01-01", "end": "1999-12-31"}, "start", "from Jan"),
        ({"start": "2026-02-30", "end": "2026-06-30"}, "start", "valid date"),
        ({"start": "99999-01-01", "end": "x"}, "end", "valid date"),
        ({"start": "", "end": "2026-06-30"}, "start", "required"),
    ],
)
def test_a_bad_period_is_refused_by_its_field(org, login, params, field, message):
    page = login(org.leader).get(url(**params))
    assert page.status_code == 400
    assert message in " ".join(page.context["form"].errors[field])
    assert "summary" not in page.context
    assert message in page.content.decode()


def test_the_chart_is_an_svg(org, crowd, costs, login):
    response = login(org.leader).get(url("reports:roi_chart", **YEAR))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content


def test_the_chart_says_not_computable_without_costs(org, crowd, login):
    response = login(org.leader).get(url("reports:roi_chart", **YEAR))
    assert response.status_code == 200
    assert b"Not computable" in response.content


def test_the_chart_hides_the_returns_of_fewer_than_11(org, cohort, costs, login):
    response = login(org.leader).get(url("reports:roi_chart", **YEAR))
    assert response.status_code == 200
    assert b"Hidden: fewer than 11 people" in response.content


def test_the_chart_refuses_a_bad_period(org, login):
    response = login(org.leader).get(url("reports:roi_chart", start=END, end=START))
    assert response.status_code == 400
    whole_half = login(org.leader).get(url("reports:roi_chart", start=START, end=END))
    assert whole_half.status_code == 400  # a half year is not a leader period


@pytest.mark.parametrize("name", ["reports:roi", "reports:roi_chart", "reports:roi_settings"])
@pytest.mark.parametrize("who", ["a1", "ma"])
def test_chws_and_managers_cannot_open_the_roi_pages(org, login, name, who):
    assert login(getattr(org, who)).get(reverse(name)).status_code == 403


def test_a_leader_sees_only_their_own_program(org, login):
    other = ProgramFactory()
    client = login(org.leader)
    assert client.get(url(program=other.pk)).status_code == 404
    assert client.get(url("reports:roi_settings", program=other.pk)).status_code == 404
    assert client.get(url()).context["program"] == org.program


def test_an_administrator_picks_the_program(org, crowd, costs, login):
    other = ProgramFactory()
    client = login(org.admin)
    page = client.get(url(program=other.pk, **YEAR))
    assert page.status_code == 200
    assert page.context["summary"].program == other
    assert page.context["summary"].cohort == 0
    page = client.get(url(program=org.program.pk, **YEAR))
    assert page.context["summary"].cohort == 11
    assert f'name="program" value="{org.program.pk}"' in page.content.decode()


def test_the_page_refuses_other_methods(org, login):
    assert login(org.leader).post(url()).status_code == 405


# Measured at 11 and 23 enrollments and pinned: session, user, the user's program (for
# the time zone), the page's program, the year's grid (by_month 4, the CHWs, the
# enrollments, graduations, goals, contacts by author, the cohort and its stays) and the
# period's overview (7) and ROI summary (the cohort, its stays, the cost lines): fixed,
# whatever the size.
PAGE_QUERIES = 30


@pytest.mark.parametrize("extra", [0, 12])
def test_the_page_runs_a_fixed_number_of_queries(
    org, crowd, costs, login, extra, django_assert_max_num_queries
):
    grow(org, extra)
    client = login(org.leader)
    with django_assert_max_num_queries(PAGE_QUERIES):
        page = client.get(url(**YEAR))
    assert page.context["summary"].cohort == 11 + extra
    with django_assert_max_num_queries(PAGE_QUERIES):
        client.get(url("reports:roi_chart", **YEAR))


# -- the settings ------------------------------------------------------------------------------


def settings_data(**overrides) -> dict:
    data = {
        "roi_window_days": "90",
        "cost_per_admission": "15000",
        "cost_per_inpatient_day": "2500.50",
        "cost_per_ed_visit": "900",
        "savings_basis": "inpatient_days",
        "attribution": "0.75",
    }
    data.update(overrides)
    return data


def test_the_settings_page_documents_the_default_cost_per_admission(org, login):
    page = login(org.leader).get(reverse("reports:roi_settings"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "$16,478" in html and "IMPaCT" in html
    assert page.context["form"].initial["cost_per_admission"] == Decimal("16478")


def test_the_leader_saves_the_roi_settings(org, login):
    response = login(org.leader).post(reverse("reports:roi_settings"), settings_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:roi")
    program = Program.objects.get(pk=org.program.pk)
    assert program.roi_window_days == 90
    # The change of window is kept with who made it (the summaries before it used 180).
    latest = program.history.latest()
    assert (latest.roi_window_days, latest.history_user) == (90, org.leader)
    assert program.cost_per_admission == Decimal("15000")
    assert program.cost_per_inpatient_day == Decimal("2500.50")
    assert program.cost_per_ed_visit == Decimal("900")
    assert program.savings_basis == "inpatient_days"
    assert program.attribution == Decimal("0.75")


def test_an_administrator_saves_another_programs_settings(org, login):
    other = ProgramFactory()
    response = login(org.admin).post(
        url("reports:roi_settings", program=other.pk), settings_data(roi_window_days="365")
    )
    assert response.status_code == 302
    assert Program.objects.get(pk=other.pk).roi_window_days == 365
    assert Program.objects.get(pk=org.program.pk).roi_window_days == 180


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        # Three windows only: one day shorter would add a day's enrollments to the
        # evaluable cohort, and the difference would be their hospital use.
        ("roi_window_days", "0", "valid choice"),
        ("roi_window_days", "179", "valid choice"),
        ("roi_window_days", "181", "valid choice"),
        ("roi_window_days", "731", "valid choice"),
        ("roi_window_days", "ten", "valid choice"),
        ("cost_per_admission", "-1", "greater than or equal to 0"),
        ("cost_per_admission", "10000000", "below $10,000,000"),
        ("cost_per_inpatient_day", "abc", "Enter a number"),
        ("cost_per_ed_visit", "NaN", "Enter a number"),
        ("cost_per_ed_visit", "12.345", "2 decimal places"),
        ("attribution", "1.5", "less than or equal to 1"),
        ("attribution", "-0.1", "greater than or equal to 0"),
        ("attribution", "", "required"),
        ("savings_basis", "profit", "valid choice"),
    ],
)
def test_bad_settings_are_refused_by_their_field_and_nothing_is_written(
    org, login, field, value, message
):
    before = Program.objects.get(pk=org.program.pk)
    page = login(org.leader).post(reverse("reports:roi_settings"), settings_data(**{field: value}))
    assert page.status_code == 400
    assert message in " ".join(page.context["form"].errors[field])
    assert page.context["form"].data[field] == value  # what was typed is kept
    after = Program.objects.get(pk=org.program.pk)
    assert [getattr(after, f) for f in settings_data()] == [
        getattr(before, f) for f in settings_data()
    ]


def test_the_service_checks_every_value_before_writing(org):
    with pytest.raises(ValidationError) as refused:
        program_roi_settings_update(
            program=org.program,
            by=org.leader,
            roi_window_days=179,
            cost_per_admission=Decimal("-5"),
            attribution="2",
        )
    assert set(refused.value.message_dict) == {
        "roi_window_days",
        "cost_per_admission",
        "attribution",
    }
    assert refused.value.message_dict["roi_window_days"] == [
        "Choose a window of 90, 180 or 365 days."
    ]
    assert Program.objects.get(pk=org.program.pk).roi_window_days == 180


def test_only_the_programs_leader_or_an_administrator_changes_the_settings(org):
    other_leader = UserFactory(role=Role.LEADER, program=ProgramFactory())
    for who in (org.ma, org.a1, other_leader):
        with pytest.raises(Exception, match="Only an administrator"):
            program_roi_settings_update(program=org.program, by=who, roi_window_days=90)
    program_roi_settings_update(program=org.program, by=org.admin, roi_window_days=90)
    program = Program.objects.get(pk=org.program.pk)
    assert program.roi_window_days == 90
    assert program.history.latest().roi_window_days == 90
    with pytest.raises(ValueError):
        program_roi_settings_update(program=org.program, by=org.admin, caseload_cap=5)


# -- the command -------------------------------------------------------------------------------


def test_the_command_writes_the_summary_as_json(crowd, costs, priced, tmp_path):
    path = tmp_path / "roi.json"
    call_command(
        "roi_summary",
        "--program", str(priced.pk), "--from", "2026-01-01", "--to", "2026-12-31",
        "--format", "json", "--output", str(path),
    )  # fmt: skip
    data = json.loads(path.read_text())
    assert (data["cohort"], data["evaluable"], data["window_days"]) == (11, 11, 30)
    assert data["pre"] == {"admissions": 4, "inpatient_days": 10, "ed_visits": 2}
    assert data["avoided"] == {"admissions": 1, "inpatient_days": -1, "ed_visits": 1}
    assert Decimal(data["gross_savings"]) == Decimal("10500")
    assert Decimal(data["program_cost"]) == Decimal("34500")  # priced up to Oct 31
    assert Decimal(data["gross_roi"]) == Decimal(10500) / Decimal(34500)
    assert Decimal(data["benchmark"]["savings"]) == Decimal("6800")
    assert data["benchmark"]["trial_roi"] == "2.47"
    assert [row["attribution"] for row in data["sensitivity"]] == [
        "0.5", "0.6", "0.7", "0.8", "0.9", "1",
    ]  # fmt: skip
    assert data["computable"] is True


def test_the_command_hides_figures_about_fewer_than_11(cohort, costs, priced, capsys):
    call_command(
        "roi_summary", "--program", str(priced.pk), "--from", "2026-01-01", "--to", "2026-12-31"
    )
    data = json.loads(capsys.readouterr().out)
    assert (data["cohort"], data["gross_savings"], data["pre"]["admissions"]) == ("<11",) * 3


def test_the_command_writes_null_when_not_computable(crowd, priced, capsys):
    call_command(
        "roi_summary", "--program", str(priced.pk), "--from", "2026-01-01", "--to", "2026-12-31"
    )
    data = json.loads(capsys.readouterr().out)
    assert (data["gross_roi"], data["net_roi"], data["computable"]) == (None, None, False)
    assert data["benchmark"]["roi"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--program", "999999", "--from", "2026-01-01", "--to", "2026-03-31"], "no program"),
        (["--from", "2026-06-30", "--to", "2026-01-01"], "must end on or after"),
        (["--from", "2026-01-01", "--to", "2026-06-30"], "whole calendar month"),
        (["--from", "2027-01-01", "--to", "2027-12-31"], "not begun"),
        (["--from", "1999-01-01", "--to", "1999-12-31"], "from Jan"),
        (["--from", "2026-13-01", "--to", "2026-06-30"], "not a date"),
        (["--from", "2026-01-01", "--to", "2026-03-31", "--format", "docx"], "invalid choice"),
        (["--from", "2026-01-01", "--to", "2026-03-31", "--format", "xlsx"], "needs --output"),
        (
            ["--from", "2026-01-01", "--to", "2026-03-31", "--output", "/nonexistent/x.json"],
            "no folder",
        ),
    ],
)
def test_the_command_refuses_bad_arguments(priced, args, message):
    if "--program" not in args:
        args = ["--program", str(priced.pk), *args]
    with pytest.raises(CommandError, match=message):
        call_command("roi_summary", *args)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_the_command_writes_the_leader_exports(crowd, costs, priced, tmp_path, fmt):
    path = tmp_path / f"roi.{fmt}"
    call_command(
        "roi_summary",
        "--program", str(priced.pk), "--from", "2026-01-01", "--to", "2026-12-31",
        "--format", fmt, "--output", str(path),
    )  # fmt: skip
    content = path.read_bytes()
    magic = {"csv": b"", "xlsx": b"PK", "pdf": b"%PDF"}[fmt]
    assert content.startswith(magic) and len(content) > 100
    patient = crowd["e1"].patient
    if fmt == "csv":
        assert patient.family_name not in content.decode("utf-8-sig")

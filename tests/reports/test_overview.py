"""The leader overview: each figure on a small made-up program, computed by hand; the
monthly and per-CHW tables; funding warnings; the burnout distribution's small cells; who
may open it; the period form; charts; and a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from types import SimpleNamespace

import pandas as pd
import pytest
from django.urls import reverse
from django.utils import timezone
from matplotlib.axes import Axes
from matplotlib.legend import Legend
from matplotlib.patches import Rectangle

from actionplans.models import ActionStep, Goal
from caseloads.models import Alert, Encounter, Enrollment
from impact.models import Role
from reports import charts, disclosed, figures
from reports.roi import figures as roi
from supervision.models import BurnoutSnapshot
from tests.factories import (
    EncounterFactory,
    EnrollmentFactory,
    FundingSourceFactory,
    GoalFactory,
    PatientFactory,
    ProgramFactory,
    StepFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NY = zoneinfo.ZoneInfo("America/New_York")
OCT_1, OCT_31 = dt.date(2026, 10, 1), dt.date(2026, 10, 31)
TODAY = dt.date(2026, 11, 18)  # the frozen clock's day in the program's time zone


def d(month: int, day: int) -> dt.date:
    return dt.date(2026, month, day)


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A local moment in the program's time zone."""
    return dt.datetime(2026, month, day, hour, minute, tzinfo=NY)


def enrollment(chw, enrolled_on, status="enrolled", closed_on=None, patient=None, **extra):
    fields = {
        "chw": chw,
        "status": status,
        "referred_on": enrolled_on,
        "enrolled_on": enrolled_on,
        "closed_on": closed_on,
        **extra,
    }
    if patient is not None:
        fields["patient"] = patient
    return EnrollmentFactory(**fields)


def goal(enrollment, status, closed_on=None):
    return GoalFactory(enrollment=enrollment, status=status, closed_on=closed_on)


def alert(org, kind, chw, status="open", enrollment=None):
    return Alert.objects.create(
        program=org.program,
        kind=kind,
        chw=chw,
        enrollment=enrollment,
        status=status,
        opened_on=d(11, 10),
        resolved_at=timezone.now() if status == "resolved" else None,
    )


@pytest.fixture
def made_up(org):
    """A small program, October 2026 as the period (see each figure's test for the sums).

    e1 a1 enrolled Sep 1, open              → active Oct 1–31: 31 days
    e2 a1 enrolled Oct 21, open             → Oct 21–31: 11 days
    e3 a2 Jun 1 – graduated Oct 11, handoff accepted → Oct 1–10: 10 days
    e4 b1 May 1 – graduated Oct 31 (last day), handoff refused → Oct 1–30: 30 days
    e5 b1 Apr 1 – graduated Oct 1 (first day), handoff unknown → no day active in October
    e6 b2 Mar 1 – withdrawn Sep 30          → not in October
    e7 b2 enrolled Nov 1, open              → after the period
    e8 b2 referred only                     → never active
    e9 a2 May 10 – graduated Nov 5          → Oct 1–31: 31 days
    e10 a1 enrolled Oct 20, open, e3's patient again → Oct 20–31: 12 days
    """
    org.program.caseload_cap = 2
    org.program.save()
    e = SimpleNamespace()
    e.e1 = enrollment(org.a1, d(9, 1))
    e.e2 = enrollment(org.a1, d(10, 21))
    e.e3 = enrollment(org.a2, d(6, 1), "graduated", d(10, 11), handoff_accepted=True)
    e.e4 = enrollment(org.b1, d(5, 1), "graduated", d(10, 31), handoff_accepted=False)
    e.e5 = enrollment(org.b1, d(4, 1), "graduated", d(10, 1))
    e.e6 = enrollment(org.b2, d(3, 1), "withdrawn", d(9, 30))
    e.e7 = enrollment(org.b2, d(11, 1))
    e.e8 = EnrollmentFactory(chw=org.b2, status="referred", referred_on=d(11, 2), enrolled_on=None)
    e.e9 = enrollment(org.a2, d(5, 10), "graduated", d(11, 5))
    e.e10 = enrollment(org.a1, d(10, 20), patient=e.e3.patient)

    def contact(when, **extra):
        return EncounterFactory(enrollment=e.e1, occurred_at=when, **extra)

    contact(at(9, 30, 23, 59))  # the day before the period: September
    contact(at(10, 1, 0, 0))  # the first minute of the period
    contact(at(10, 15), kind=Encounter.Kind.PHONE, setting="remote")
    contact(at(10, 15), kind=Encounter.Kind.PHONE, setting="remote", reached=False)
    contact(at(10, 16), kind=Encounter.Kind.CHART_REVIEW, setting="clinical", reached=False)
    contact(at(10, 17), kind=Encounter.Kind.OUTREACH_ATTEMPT, setting="remote", reached=False)
    # 23:30 on the last day in New York is 03:30 UTC on November 1: still October here.
    contact(at(10, 31, 23, 30))
    contact(at(11, 1, 0, 0))  # the first minute after the period
    other = ProgramFactory(name="Northside")
    other_chw = UserFactory(role=Role.CHW, program=other, team=TeamFactory(program=other))
    EncounterFactory(enrollment=enrollment(other_chw, d(9, 1)), occurred_at=at(10, 15))

    goal(e.e1, "achieved", d(10, 1))  # closed, achieved
    goal(e.e2, "not_achieved", d(10, 31))  # closed
    goal(e.e1, "achieved", d(9, 30))  # before the period (September's)
    small_win = goal(e.e1, "achieved", d(11, 2))  # after the period: a small win of November
    goal(e.e1, "active")
    goal(e.e3, "dropped", d(10, 10))  # closed
    StepFactory(goal=small_win, status="done", done_on=d(11, 1))
    StepFactory(goal=small_win, status="done", done_on=d(10, 31))
    StepFactory(goal=small_win, status="planned")
    StepFactory(goal=small_win, status="done", done_on=TODAY)

    alert(org, "no_recent_contact", org.a1, enrollment=e.e1)
    alert(org, "no_recent_contact", org.a1, enrollment=e.e2)
    alert(org, "no_recent_contact", org.a1, "acknowledged", enrollment=e.e10)
    alert(org, "goal_missing", org.a1, "resolved", enrollment=e.e2)
    alert(org, "caseload_over_cap", org.a1)
    alert(org, "burnout_risk_high", org.b1)  # managers only
    return e


def test_patients_served_counts_each_patient_active_on_a_day_of_the_period_once(org, made_up):
    # e1, e2, e3 and e10 (one patient), e4, e9: e5 closed on the first day (active on no
    # day of October), e6 closed before it, e7 began after it, e8 never ran.
    figures_ = figures.overview(program=org.program, start=OCT_1, end=OCT_31)
    assert figures_.patients_served == 5


def test_active_now_counts_enrollments_with_status_enrolled(org, made_up):
    # e1, e2, e7, e10: whatever the period.
    assert figures.overview(program=org.program, start=OCT_1, end=OCT_31).active_now == 4


def test_graduations_on_the_edges_of_the_period_count_and_handoffs_are_a_share(org, made_up):
    # e3 (Oct 11, accepted), e4 (Oct 31, refused), e5 (Oct 1, unknown); e9 is in November.
    figures_ = figures.overview(program=org.program, start=OCT_1, end=OCT_31)
    assert (figures_.graduations, figures_.handoffs_accepted) == (3, 1)
    assert figures_.handoff_share == pytest.approx(1 / 3)


def test_goals_achieved_is_a_share_of_the_goals_closed_in_the_period(org, made_up):
    # Closed in October: achieved Oct 1, not achieved Oct 31, dropped Oct 10 → 1 of 3.
    figures_ = figures.overview(program=org.program, start=OCT_1, end=OCT_31)
    assert (figures_.goals_closed, figures_.goals_achieved) == (3, 1)
    assert figures_.goals_achieved_share == pytest.approx(1 / 3)


def test_contacts_count_reached_contacts_by_the_local_day(org, made_up):
    # Oct 1 00:00, the reached phone call of Oct 15, Oct 31 23:30 (03:30 UTC on Nov 1):
    # not the unreached call, the chart review, the failed outreach, Sep 30 23:59, Nov 1
    # 00:00 or the other program's visit.
    assert figures.overview(program=org.program, start=OCT_1, end=OCT_31).contacts == 3


def test_patient_months_sum_the_days_each_enrollment_was_active_in_the_period(org, made_up):
    # 31 (e1) + 11 (e2) + 10 (e3) + 30 (e4) + 31 (e9) + 12 (e10) = 125 days; ÷ 30.4375.
    figures_ = figures.overview(program=org.program, start=OCT_1, end=OCT_31)
    assert figures_.patient_months == pytest.approx(125 / 30.4375)
    # 3 contacts ÷ 4.107 patient-months
    assert figures_.contacts_per_patient_month == pytest.approx(3 * 30.4375 / 125)


def test_caseload_against_the_standard_counts_active_chws(org, made_up):
    # a1 carries e1, e2, e10 (3 > cap 2); a2 and b1 none; b2 e7: (3 + 0 + 0 + 1) ÷ 4 = 1.
    UserFactory(role=Role.CHW, program=org.program, team=org.team_a, is_active=False)
    figures_ = figures.overview(program=org.program, start=OCT_1, end=OCT_31)
    assert (figures_.caseload_cap, figures_.chws, figures_.chws_over_cap) == (2, 4, 1)
    assert figures_.mean_caseload == pytest.approx(1.0)


def test_alerts_are_counted_by_kind_unresolved_only_and_burnout_alerts_left_out(org, made_up):
    counts = figures.overview(program=org.program, start=OCT_1, end=OCT_31).alerts_by_kind
    assert counts["no_recent_contact"] == 3  # two open, one acknowledged
    assert counts["caseload_over_cap"] == 1
    assert counts["goal_missing"] == 0  # resolved
    assert "burnout_risk_high" not in counts
    assert sum(counts.values()) == 4


def test_small_wins_are_this_calendar_months_whatever_the_period(org, made_up):
    # November 1–18: the goal achieved Nov 2; steps done Nov 1 and Nov 18 (not Oct 31).
    figures_ = figures.overview(program=org.program, start=OCT_1, end=OCT_31)
    assert (figures_.small_wins_goals, figures_.small_wins_steps) == (1, 2)


def test_an_empty_period_has_no_data_for_its_shares(org):
    figures_ = figures.overview(program=org.program, start=OCT_1, end=OCT_31)
    assert figures_.patients_served == figures_.contacts == 0
    assert figures_.patient_months == 0
    assert figures_.handoff_share is None
    assert figures_.goals_achieved_share is None
    assert figures_.contacts_per_patient_month is None
    empty = ProgramFactory(name="Empty")
    assert figures.overview(program=empty, start=OCT_1, end=OCT_31).mean_caseload is None


def test_the_page_says_no_data_for_an_empty_period(org, login):
    page = login(org.leader).get(reverse("overview"), {"from": "2026-10-01", "to": "2026-10-31"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Handoff accepted: no data" in html
    assert html.count("no data") >= 4  # handoffs, goals, contacts per patient-month, wellbeing
    assert "0%" not in html


def test_a_period_running_past_today_counts_only_the_days_that_have_happened(org):
    # Enrolled Nov 10, open: active Nov 10–18 = 9 days, not to the end of the year.
    enrollment(org.a1, d(11, 10))
    figures_ = figures.overview(program=org.program, start=d(11, 1), end=d(12, 31))
    assert figures_.patient_months == pytest.approx(9 / 30.4375)


def test_by_month_by_hand(org, made_up):
    months = figures.by_month(program=org.program, start=d(9, 15), end=OCT_31)
    rows = months.set_index("month").to_dict(orient="index")
    assert list(rows) == ["2026-09", "2026-10"]
    # September 15–30: no enrollment began; no graduation (e6 withdrew); the 23:59 contact
    # of Sep 30; the goal achieved Sep 30; no step; active on Sep 30: e1, e3, e4, e5
    # (closes Oct 1), e9 (not e6, closed that day) = 5.
    assert rows["2026-09"] == {
        "enrollments": 0,
        "graduations": 0,
        "contacts": 1,
        "goals_achieved": 1,
        "steps_done": 0,
        "active_at_month_end": 5,
    }
    # October: e2 and e10 began; e3, e4, e5 graduated; 3 contacts; 1 goal; the step of Oct
    # 31; active on Oct 31: e1, e2, e9, e10 (e4 closed that day) = 4.
    assert rows["2026-10"] == {
        "enrollments": 2,
        "graduations": 3,
        "contacts": 3,
        "goals_achieved": 1,
        "steps_done": 1,
        "active_at_month_end": 4,
    }


def test_by_month_cuts_the_period_at_today(org, made_up):
    months = figures.by_month(program=org.program, start=d(11, 1), end=dt.date(2027, 1, 31))
    assert list(months["month"]) == ["2026-11"]
    # Nov 1–18: e7 began; e9 graduated Nov 5; the 00:00 contact of Nov 1; the goal of
    # Nov 2; steps of Nov 1 and 18; active today: e1, e2, e7, e10.
    assert months.iloc[0][1:].tolist() == [1, 1, 1, 1, 2, 4]
    assert figures.by_month(program=org.program, start=d(12, 1), end=d(12, 31)).empty


def test_by_chw_by_hand(org, made_up):
    table = figures.by_chw(program=org.program, start=OCT_1, end=OCT_31)
    assert list(table.columns) == figures.BY_CHW_COLUMNS
    rows = {row.chw_id: row for row in table.itertuples()}
    # team North first (a1, a2), then South (b1, b2)
    assert table["chw_id"].tolist() == [org.a1.pk, org.a2.pk, org.b1.pk, org.b2.pk]
    # a1: e1, e2, e10 enrolled; e2 and e10 began in October; the 3 October contacts.
    assert tuple(rows[org.a1.pk])[2:] == ("North", 3, 2, 0, 3)
    assert tuple(rows[org.a2.pk])[2:] == ("North", 0, 0, 1, 0)  # e3 graduated
    assert tuple(rows[org.b1.pk])[2:] == ("South", 0, 0, 2, 0)  # e4, e5 graduated
    assert tuple(rows[org.b2.pk])[2:] == ("South", 1, 0, 0, 0)  # e7 enrolled


def test_suppress_hides_small_counts_of_people():
    assert [figures.suppress(n) for n in (0, 1, 10, 11)] == [0, "<11", "<11", 11]


# -- the page -----------------------------------------------------------------------------


def test_the_leader_sees_every_figure_for_the_chosen_period(org, login, made_up):
    # October's figures are about 5 patients, 3 graduates: each reads "fewer than 11"
    # (DESIGN.md §4), and so do the shares and sums over them, and the 1 CHW over the cap.
    # Small wins are the last complete month's.
    page = login(org.leader).get(reverse("overview"), {"from": "2026-10-01", "to": "2026-10-31"})
    assert page.status_code == 200
    (section,) = page.context["sections"]
    assert str(section.figures.patients_served) == "fewer than 11"
    html = page.content.decode()
    for text in [
        "Patients served",
        "Handoff accepted: fewer than 11",
        "fewer than 11 of fewer than 11 goals closed in the period",
        # Sums over the patients served, hidden with them (one pattern): said once.
        "Contacts and patient-months: hidden (fewer than 11 people)",
        "CHWs over the cap: fewer than 11",
        "Small wins in October 2026",
        "No recent contact",
        "Oct 1, 2026 – Oct 31, 2026",
    ]:
        assert text in html, text
    assert 'class="img-fluid border rounded chart-monthly"' in html
    assert "alt=" in html.split("chart-monthly")[1].split(">")[0]


def test_the_default_period_is_this_calendar_year(org, login):
    page = login(org.leader).get(reverse("overview"))
    assert (page.context["start"], page.context["end"]) == (d(1, 1), d(12, 31))
    assert page.context["form"]["from"].value() == "2026-01-01"


def test_no_patient_identifier_or_free_text_appears(org, login, made_up):
    patient = PatientFactory(
        program=org.program, given_name="Zephyrine", family_name="Quackenbush", mrn="MRN-777"
    )
    e = enrollment(org.a1, d(10, 2), patient=patient)
    GoalFactory(enrollment=e, statement="Walk to the Xylophone club")
    html = login(org.leader).get(reverse("overview")).content.decode()
    for secret in ["Zephyrine", "Quackenbush", "MRN-777", "Xylophone", "Given", "Family"]:
        assert secret not in html


@pytest.mark.parametrize(
    ("days", "warned"),
    [(0, True), (90, True), (91, False), (-1, False)],
)
def test_a_funding_source_ending_within_90_days_is_a_warning(org, login, days, warned):
    ends = TODAY + dt.timedelta(days=days)
    FundingSourceFactory(program=org.program, name="Harbor Foundation", ends_on=ends)
    html = login(org.leader).get(reverse("overview")).content.decode()
    assert ("Funding from Harbor Foundation ends on" in html) is warned
    if days == 90:
        assert "Funding from Harbor Foundation ends on Feb 16, 2027 (in 90 days)." in html


def test_another_programs_funding_is_not_shown(org, login):
    FundingSourceFactory(program=ProgramFactory(name="Westside"), name="Far away", ends_on=TODAY)
    assert "Far away" not in login(org.leader).get(reverse("overview")).content.decode()


def snapshots(org, **levels):
    """One snapshot per CHW on Nov 16, `levels` = {level: number of CHWs}."""
    for level, n in levels.items():
        for _ in range(n):
            chw = UserFactory(role=Role.CHW, program=org.program, team=org.team_a)
            BurnoutSnapshot.objects.create(chw=chw, as_of=d(11, 16), flag_count=0, level=level)


def test_the_burnout_distribution_hides_cells_under_11(org, login):
    snapshots(org, low=12, elevated=3)
    page = login(org.leader).get(reverse("overview"))
    counts = page.context["sections"][0].burnout.counts
    assert counts == {"low": 12, "elevated": None, "high": None}
    table = page.content.decode().split("burnout-levels")[1].split("</table>")[0]
    assert "<td>12</td>" in table and table.count("fewer than 11") == 2
    assert "3" not in table.split("<tbody>")[1]


def test_a_single_hidden_cell_hides_the_smallest_shown_one_too(org, login):
    # 12 low, 11 elevated, 2 high: hiding only "high" would let 25 − 12 − 11 reveal it.
    snapshots(org, low=12, elevated=11, high=2)
    counts = login(org.leader).get(reverse("overview")).context["sections"][0].burnout.counts
    assert counts == {"low": 12, "elevated": None, "high": None}


def test_the_fidelity_score_is_the_latest_final_reviews(org, login):
    from fidelity.services import review_finalize, review_start

    review = review_start(program=org.program, start=d(7, 1), end=d(9, 30), by=org.ma)
    review.ratings.update(rating="met", reason="", note="")
    review_finalize(review=review, by=org.ma)
    page = login(org.leader).get(reverse("overview"))
    assert page.context["sections"][0].latest_score == 1.0
    assert "Components met at the latest review: <strong>100%</strong>" in page.content.decode()


# -- access and bad input -----------------------------------------------------------------


@pytest.mark.parametrize("who", ["a1", "ma"])
@pytest.mark.parametrize("name", ["overview", "reports:chart_monthly", "reports:chart_fidelity"])
def test_chws_and_managers_may_not_open_it(org, login, who, name):
    assert login(getattr(org, who)).get(reverse(name)).status_code == 403


@pytest.fixture
def westside(org):
    program = ProgramFactory(name="Westside CHW Program")
    team = TeamFactory(program=program, name="West")
    chw = UserFactory(role=Role.CHW, program=program, team=team)
    enrollment(chw, d(10, 5))
    return SimpleNamespace(program=program, leader=UserFactory(role=Role.LEADER, program=program))


def test_a_leader_sees_only_their_own_program(org, login, westside, made_up):
    client = login(westside.leader)
    page = client.get(reverse("overview"))
    assert [s.program for s in page.context["sections"]] == [westside.program]
    assert str(page.context["sections"][0].figures.active_now) == "fewer than 11"
    assert "Eastside" not in page.content.decode()
    assert client.get(reverse("overview"), {"program": org.program.pk}).status_code == 404
    for name in ("reports:chart_monthly", "reports:chart_fidelity"):
        assert client.get(reverse(name), {"program": org.program.pk}).status_code == 404


def test_an_administrator_sees_each_program_or_the_one_chosen(org, login, westside, made_up):
    client = login(org.admin)
    page = client.get(reverse("overview"))
    assert [s.program.name for s in page.context["sections"]] == [
        "Eastside CHW Program",
        "Northside",
        "Westside CHW Program",
    ]
    page = client.get(reverse("overview"), {"program": westside.program.pk})
    assert [s.program for s in page.context["sections"]] == [westside.program]
    assert f'name="program" value="{westside.program.pk}"' in page.content.decode()
    assert client.get(reverse("overview"), {"program": "99999999"}).status_code == 404
    assert client.get(reverse("overview"), {"program": "x"}).status_code == 404


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"from": "2026-10-31", "to": "2026-10-01"}, "to", "must end on or after"),
        ({"from": "yesterday", "to": "2026-10-01"}, "from", "Enter a valid date"),
        ({"from": "2026-10-01", "to": "2026-11-19"}, "to", "whole calendar month"),
        ({"from": "2026-10-02", "to": "2026-10-31"}, "from", "whole calendar month"),
        ({"from": "1999-12-01", "to": "1999-12-31"}, "from", "from Jan"),
        ({"from": "2026-10-01", "to": "9999-12-31"}, "to", "whole calendar month"),
        ({"from": "2026-12-01", "to": "2026-12-31"}, "from", "has not begun"),
        ({"to": "10000-01-01"}, "to", "Enter a valid date"),
    ],
)
def test_a_bad_period_is_refused_next_to_its_field(org, login, query, field, message):
    page = login(org.leader).get(reverse("overview"), query)
    assert page.status_code == 400
    assert message in " ".join(page.context["form"].errors[field])
    html = page.content.decode()
    assert message in html
    assert f'value="{query.get(field)}"' in html or field == "from"  # what was typed stays


def test_a_bad_period_on_a_chart_is_a_400(org, login):
    url = reverse("reports:chart_monthly")
    response = login(org.leader).get(url, {"from": "2026-10-31", "to": "2026-10-01"})
    assert response.status_code == 400


@pytest.mark.parametrize("name", ["overview", "reports:chart_monthly"])
def test_a_period_in_year_1_is_refused_not_a_server_error(org, login, name):
    response = login(org.leader).get(reverse(name), {"from": "0001-01-01", "to": "0001-12-31"})
    assert response.status_code == 400
    if name == "overview":
        assert "from Jan" in " ".join(response.context["form"].errors["from"])


def test_the_default_period_never_starts_before_2000():
    # A year before year 1 does not exist; the 12 months ending in 2000 would start in 1999.
    assert roi.default_period(dt.date(1, 6, 1)) == (roi.EARLIEST, dt.date(1, 6, 1))
    assert roi.default_period(dt.date(2000, 6, 1)) == (dt.date(2000, 1, 1), dt.date(2000, 6, 1))
    assert roi.default_period(dt.date(2001, 6, 1)) == (dt.date(2000, 6, 2), dt.date(2001, 6, 1))


@pytest.mark.parametrize(
    "name",
    ["reports:chart_monthly", "reports:chart_fidelity", "reports:roi", "reports:costs"]
    + ["reports:funding", "reports:exports", "reports:utilization"],
)
@pytest.mark.parametrize("chosen", ["abc", "99999999", "-1"])
def test_a_malformed_or_unknown_program_is_a_404_on_every_leader_page(org, login, name, chosen):
    # As on the overview: an administrator's mistyped ?program= never falls back to the
    # first program.
    client = login(org.admin)
    assert client.get(reverse(name), {"program": chosen}).status_code == 404
    assert client.get(reverse(name), {"program": org.program.pk}).status_code == 200


def test_the_overview_is_read_only(org, login):
    assert login(org.leader).post(reverse("overview")).status_code == 405
    assert login(org.leader).post(reverse("reports:chart_monthly")).status_code == 405


def test_the_charts_are_svg_images_of_the_program(org, login, made_up):
    client = login(org.leader)
    monthly = client.get(
        reverse("reports:chart_monthly"), {"from": "2026-10-01", "to": "2026-10-31"}
    )
    assert monthly.status_code == 200
    assert monthly["Content-Type"] == "image/svg+xml"
    assert monthly.content.startswith(b"<?xml") and b"2026-10" in monthly.content
    fidelity = client.get(reverse("reports:chart_fidelity"))
    assert fidelity.status_code == 200 and fidelity["Content-Type"] == "image/svg+xml"
    empty = client.get(reverse("reports:chart_monthly"), {"from": "2025-01-01", "to": "2025-12-31"})
    assert empty.status_code == 200


def test_the_monthly_chart_plots_no_hidden_count_of_people(org, login, monkeypatch):
    # 12 enrollments in September, 3 in October, all still enrolled: October's 3 is hidden
    # ("fewer than 11"); September's 12 stays (Q3 = 12 and Q4 = 3 hidden: the year, 15, is
    # hidden instead, so Q4 is not 15 − 12). No patients active at month end (issue 17).
    for n in range(12):
        enrollment(org.b1, d(9, 1 + n))
    for n in range(3):
        enrollment(org.a1, d(10, 1 + n))
    EncounterFactory(enrollment=Enrollment.objects.first(), occurred_at=at(10, 20))
    drawn, real = [], charts.monthly_figure

    def spy(months):
        drawn.append(months)
        return real(months)

    monkeypatch.setattr(charts, "monthly_figure", spy)
    client = login(org.leader)
    response = client.get(
        reverse("reports:chart_monthly"), {"from": "2026-10-01", "to": "2026-12-31"}
    )
    assert response.status_code == 200
    (october,) = drawn[0]  # figures stop at the end of October, the last complete month
    assert october["enrollments"] == disclosed.FEWER
    assert "active_at_month_end" not in october
    # October's one contact is a sum over 15 patients served, but its author's own row
    # (1 contact, hidden) would be that total less the other CHWs' zeros: hidden too.
    assert october["contacts"] == disclosed.COMPLEMENT
    assert b"<!-- hidden -->" in response.content  # the legend of the hatched columns
    client.get(reverse("reports:chart_monthly"), {"from": "2026-09-01", "to": "2026-09-30"})
    (september,) = drawn[1]
    assert september["enrollments"] == 12
    page = client.get(reverse("overview"), {"from": "2026-10-01", "to": "2026-10-31"})
    assert "is hatched without its figure" in page.content.decode()
    assert "reads “hidden”" in page.content.decode()  # what the two markers mean


def test_the_monthly_chart_draws_hidden_months_without_their_figure():
    months = figures.deidentify_by_month(
        pd.DataFrame(
            [
                {"month": "2026-08", "enrollments": 12, "active_at_month_end": 30},
                {"month": "2026-09", "enrollments": 13, "active_at_month_end": 40},
                {"month": "2026-10", "enrollments": 4, "active_at_month_end": 41},
            ]
        ).assign(graduations=0, contacts=7, goals_achieved=0, steps_done=0)
    )
    # Enrollments 12, 13, 4: the 4 is hidden and the 12 with it. No line of patients
    # active at month end (leaders do not get that figure).
    fig = charts.monthly_figure(months)
    contacts, people = fig.axes
    assert [bar.get_height() for bar in _bars(contacts)] == [7, 7, 7]
    solid = [bar for bar in _bars(people) if bar.get_fill()]
    heights = [bar.get_height() for bar in solid]
    assert heights[1] == 13 and all(h != h for h in (heights[0], heights[2]))  # NaN: no bar
    assert not people.lines
    hatched = [bar for bar in _bars(people) if not bar.get_fill()]
    assert [bar.get_x() + bar.get_width() / 2 for bar in hatched] == [0, 2]
    # Each a column from the axis to the top of the panel: no height to read as a count.
    assert [(bar.get_y(), bar.get_height()) for bar in hatched] == [(0, 1), (0, 1)]
    assert "hidden" in [t.get_text() for t in _legend(people).get_texts()]


def test_the_monthly_chart_hatches_a_hidden_month_of_contacts_too():
    # September's contacts hidden (to protect another figure), October's 40 shown: the
    # contacts panel hatches September instead of leaving it blank like a real zero.
    months = [
        {"month": "2026-08", "enrollments": 0, "contacts": 0},
        {"month": "2026-09", "enrollments": 12, "contacts": disclosed.COMPLEMENT},
        {"month": "2026-10", "enrollments": 13, "contacts": 40},
    ]
    contacts, _people = charts.monthly_figure(months).axes
    hatched = [bar for bar in _bars(contacts) if not bar.get_fill()]
    assert [bar.get_x() + bar.get_width() / 2 for bar in hatched] == [1]
    assert [t.get_text() for t in _legend(contacts).get_texts()] == ["hidden"]


# -- queries ------------------------------------------------------------------------------

# Measured at 1 and 5 copies of the made-up program's rows (and reviews) and pinned:
# session, user, the user's program (time zone), the programs with their team counts, the
# overview figures (7), the fidelity trend (reviews, their ratings, the components), the
# burnout levels, the funding sources.
OVERVIEW_QUERIES = 34  # and the year's grid and the CHWs' active patients: still fixed
# Session, user, the user's program, the chosen program, by_month (4).
MONTHLY_CHART_QUERIES = 16  # and the year's grid


def grow(org, copies: int) -> None:
    from fidelity.services import review_finalize, review_start

    for n in range(copies):
        end = d(10, 31) - dt.timedelta(days=30 * n)
        review = review_start(
            program=org.program, start=end - dt.timedelta(days=29), end=end, by=org.ma
        )
        review.ratings.update(rating="met", reason="", note="")
        review_finalize(review=review, by=org.ma)
        e = enrollment(org.a1 if n % 2 else org.b1, d(9, 1) + dt.timedelta(days=n))
        EncounterFactory(enrollment=e, occurred_at=at(10, 2))
        EncounterFactory(enrollment=e, occurred_at=at(10, 3), reached=False)
        done = goal(e, "achieved", d(11, 3))
        StepFactory(goal=done, status="done", done_on=d(11, 4))
        alert(org, "goal_missing", e.chw, enrollment=e)
        graduated = enrollment(org.a2, d(5, 1), "graduated", d(10, 9), handoff_accepted=True)
        EncounterFactory(enrollment=graduated, occurred_at=at(10, 4))
        FundingSourceFactory(program=org.program, ends_on=TODAY + dt.timedelta(days=10 + n))


@pytest.mark.parametrize("copies", [1, 5])
def test_the_page_runs_a_fixed_number_of_queries(
    org, login, made_up, django_assert_max_num_queries, copies
):
    grow(org, copies)
    client = login(org.leader)
    with django_assert_max_num_queries(OVERVIEW_QUERIES):
        page = client.get(reverse("overview"))
    assert page.status_code == 200
    assert len(page.context["sections"][0].funding) == copies
    with django_assert_max_num_queries(MONTHLY_CHART_QUERIES):
        assert client.get(reverse("reports:chart_monthly")).status_code == 200


@pytest.mark.parametrize("copies", [1, 5])
def test_the_figures_run_a_fixed_number_of_queries(org, made_up, django_assert_num_queries, copies):
    grow(org, copies)
    with django_assert_num_queries(7):
        figures.overview(program=org.program, start=OCT_1, end=OCT_31)
    with django_assert_num_queries(4):
        figures.by_month(program=org.program, start=d(1, 1), end=TODAY)
    with django_assert_num_queries(3):
        figures.by_chw(program=org.program, start=OCT_1, end=OCT_31)


def test_enrollment_status_names_match_the_figures_assumptions():
    # by_month compares the status column to the stored value of "graduated".
    assert Enrollment.Status.GRADUATED == "graduated"
    assert Goal.Status.ACHIEVED == "achieved" and ActionStep.Status.DONE == "done"


def _bars(ax: Axes) -> list[Rectangle]:
    """The panel's bars (every patch of a bar chart is a Rectangle)."""
    bars = [patch for patch in ax.patches if isinstance(patch, Rectangle)]
    assert len(bars) == len(ax.patches)
    return bars


def _legend(ax: Axes) -> Legend:
    legend = ax.get_legend()
    assert legend is not None
    return legend

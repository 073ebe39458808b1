"""The read-only JSON for BI tools: tokens (made, shown once, stored hashed, revoked), who
may hold them, token-only authentication, the summary's content and its de-identification,
and a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from impact.models import Role
from reports.api.views import token_create
from reports.models import ApiToken
from tests.factories import (
    CostLineFactory,
    EncounterFactory,
    EnrollmentFactory,
    GoalFactory,
    PatientFactory,
    ProgramFactory,
    TeamFactory,
    UserFactory,
    UtilizationFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

URL = "/leaders/api/summary.json"
PERIOD = {"from": "2026-01-01", "to": "2026-12-31"}  # the year 2026, up to today (Nov 18)


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def key(org):
    return token_create(user=org.leader, name="Power BI")[1]


@pytest.fixture
def cohort(org):
    """One patient with distinctive identifiers, enrolled Jan 10 2026 by a1 (evaluable:
    Jan 10 + 180 days = Jul 9 ≤ Nov 18), admitted once before (Dec 1 2025) and never after;
    one 2026 cost line of 36,500; one contact in March."""
    patient = PatientFactory(
        program=org.program,
        given_name="Zephyrine",
        family_name="Quackenbush",
        preferred_name="Zeffy",
        mrn="MRN-TOPSECRET-42",
        phone="+12155559876",
        date_of_birth=dt.date(1961, 7, 4),
        zip_code="19143",
    )
    enrollment = EnrollmentFactory(
        chw=org.a1,
        patient=patient,
        referred_on=dt.date(2026, 1, 10),
        enrolled_on=dt.date(2026, 1, 10),
        close_reason="Moved to Saskatoon",
    )
    EncounterFactory(
        enrollment=enrollment,
        occurred_at=dt.datetime(2026, 3, 3, 15, 0, tzinfo=dt.UTC),
        notes="Talked about the Ferriswheel diner job",
    )
    GoalFactory(enrollment=enrollment, statement="Dance at my granddaughter's Quinceañera")
    UtilizationFactory(patient=patient, admitted_on=dt.date(2025, 12, 1))
    CostLineFactory(program=org.program, amount=Decimal("36500"))
    return enrollment


# -- tokens -------------------------------------------------------------------------------


def test_a_leader_makes_a_token_and_sees_its_key_once(org, login):
    client = login(org.leader)
    page = client.post(reverse("reports:tokens"), {"name": "  Finance dashboard  "})
    assert page.status_code == 200
    key = page.context["key"]
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.revoked_at) == (org.leader, "Finance dashboard", None)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:8] and key.startswith("imp_") and len(key) > 40
    assert key in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")  # never_cache: not kept anywhere
    again = client.get(reverse("reports:tokens")).content.decode()
    assert key not in again and token.prefix in again and "Finance dashboard" in again


def test_a_token_needs_a_name(org, login):
    page = login(org.leader).post(reverse("reports:tokens"), {"name": "   "})
    assert page.status_code == 400
    assert page.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("who", ["a1", "ma"])
def test_chws_and_managers_cannot_make_tokens(org, login, who):
    client = login(getattr(org, who))
    assert client.get(reverse("reports:tokens")).status_code == 403
    assert client.post(reverse("reports:tokens"), {"name": "Mine"}).status_code == 403
    assert not ApiToken.objects.exists()
    with pytest.raises(Exception, match="Only program leaders"):
        token_create(user=getattr(org, who), name="Mine")


def test_revoking_a_token_closes_the_api(org, login, client, key):
    token = ApiToken.objects.get()
    assert client.get(URL, PERIOD, **bearer(key)).status_code == 200
    leader = login(org.leader)
    assert leader.get(reverse("reports:token_revoke", args=[token.pk])).status_code == 405
    response = leader.post(reverse("reports:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    answer = client.get(URL, PERIOD, **bearer(key))
    assert answer.status_code == 401 and "error" in answer.json()


def test_nobody_revokes_another_persons_token(org, login, key):
    token = ApiToken.objects.get()
    other = UserFactory(role=Role.LEADER, program=org.program)
    assert login(other).post(reverse("reports:token_revoke", args=[token.pk])).status_code == 404
    assert (
        login(org.admin).post(reverse("reports:token_revoke", args=[token.pk])).status_code == 404
    )
    token.refresh_from_db()
    assert token.revoked_at is None


# -- authentication -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer ", "Basic abc", "Bearer imp_unknown", "Token {key}", "{key}"],
)
def test_the_api_refuses_anything_but_a_valid_bearer_token(org, client, key, header):
    extra = {} if header is None else {"HTTP_AUTHORIZATION": header.format(key=key)}
    response = client.get(URL, PERIOD, **extra)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert set(response.json()) == {"error"}


def test_a_signed_in_session_does_not_open_the_api(org, login):
    response = login(org.leader).get(URL, PERIOD)
    assert response.status_code == 401


@pytest.mark.parametrize(
    "change", [{"role": Role.MANAGER}, {"role": Role.CHW}, {"is_active": False}]
)
def test_a_token_of_someone_no_longer_a_leader_or_active_is_refused(org, client, key, change):
    for field, value in change.items():
        setattr(org.leader, field, value)
    org.leader.save()
    assert client.get(URL, PERIOD, **bearer(key)).status_code == 401


def test_the_api_is_read_only(org, client, key):
    assert client.post(URL, PERIOD, **bearer(key)).status_code == 405


# -- the summary --------------------------------------------------------------------------


def test_the_api_answers_the_programs_summary(org, client, key, cohort):
    response = client.get(URL, PERIOD, **bearer(key))
    assert response.status_code == 200
    data = response.json()
    assert data["program"] == {"id": org.program.pk, "name": "Eastside CHW Program"}
    assert data["period"] == {"from": "2026-01-01", "to": "2026-12-31"}
    assert data["suppression"] == {
        "threshold": 11,
        "fewer_than_threshold": "<11",
        "hidden_to_protect_another": "suppressed",
    }
    overview = data["overview"]
    # One patient: every figure about them reads "<11" (DESIGN.md §4), the contact and the
    # patient-months too (sums over fewer than 11 people); no graduation or goal closed:
    # those counts are 0 and their shares null ("no data").
    assert (overview["patients_served"], overview["active_now"], overview["contacts"]) == (
        "<11",
        "<11",
        "<11",
    )
    assert overview["patient_months"] == "<11"
    assert overview["graduations"] == 0 and overview["goals_closed"] == 0
    assert overview["handoff_share"] is None and overview["goals_achieved_share"] is None
    # The mean caseload is a mean over the one active patient: hidden with it.
    assert overview["caseload"] == {
        "cap": 30,
        "chws": 4,
        "mean_active": "<11",
        "chws_over_cap": 0,
    }
    # January to October: figures stop at the end of the last complete month (November,
    # today's month, is not counted yet). No patients active at month end (issue 17).
    assert data["as_of"] == "2026-10-31"
    assert [row["month"] for row in data["by_month"]][:2] == ["2026-01", "2026-02"]
    assert len(data["by_month"]) == 10
    assert data["by_month"][0]["enrollments"] == "<11"
    assert not any("active_at_month_end" in row for row in data["by_month"])
    assert data["by_month"][1]["enrollments"] == 0 and data["by_month"][2]["contacts"] == "<11"
    roi = data["roi"]
    # One evaluable enrollment: its hospital use, savings and returns are hidden. The cost
    # is not about people: 36,500 × 304 ÷ 365 = 30,400 (Jan 1 – Oct 31, the end of the last
    # complete month, is 304 days of the 2026 line: the current year is priced up to
    # there, like its figures); Decimals travel as strings.
    assert roi["gross_savings"] == "<11" and roi["gross_roi"] == "<11"
    assert roi["pre"]["admissions"] == "<11" and roi["avoided"]["admissions"] == "<11"
    assert Decimal(roi["program_cost"]) == Decimal("30400")
    assert roi["as_of"] == "2026-10-31"
    assert roi["cohort"] == "<11" and roi["evaluable"] == "<11"
    token = ApiToken.objects.get()
    assert token.last_used_at is not None


def test_a_program_with_no_cost_has_a_null_roi(org, client, key):
    roi = client.get(URL, PERIOD, **bearer(key)).json()["roi"]
    assert roi["gross_roi"] is None and roi["net_roi"] is None and roi["computable"] is False


def test_the_default_period_is_this_calendar_year(org, client, key):
    data = client.get(URL, **bearer(key)).json()
    assert data["period"] == {"from": "2026-01-01", "to": "2026-12-31"}


def test_with_no_dates_the_roi_uses_the_roi_pages_default_period(org, client, key, cohort):
    data = client.get(URL, **bearer(key)).json()
    # The overview: this year. The ROI: the latest calendar year whose cohort has been
    # followed for its whole window by the end of last month (2026-10-31 − 180 days =
    # 2026-05-04: 2025).
    assert data["period"] == {"from": "2026-01-01", "to": "2026-12-31"}
    assert (data["roi"]["start"], data["roi"]["end"]) == ("2025-01-01", "2025-12-31")
    # The January 2026 enrollment is not in that cohort, and the 2026 cost line not in
    # its cost.
    assert data["roi"]["cohort"] == 0
    assert Decimal(data["roi"]["program_cost"]) == Decimal("0")


@pytest.mark.parametrize(
    ("query", "period"),
    [
        (PERIOD, ("2026-01-01", "2026-12-31")),
        ({"from": "2026-04-01", "to": "2026-06-30"}, ("2026-04-01", "2026-06-30")),
        ({"from": "2026-09-01", "to": "2026-09-30"}, ("2026-09-01", "2026-09-30")),
    ],
)
def test_given_dates_set_both_the_overview_and_the_roi_period(org, client, key, query, period):
    data = client.get(URL, query, **bearer(key)).json()
    assert (data["period"]["from"], data["period"]["to"]) == period
    assert (data["roi"]["start"], data["roi"]["end"]) == period


@pytest.mark.parametrize(
    "query",
    [
        {"from": "2026-09-01", "to": "2026-09-29"},  # a month less a day
        {"from": "2026-09-02", "to": "2026-09-30"},
        {"from": "2026-01-01", "to": "2026-10-31"},  # ten months
        {"from": "2026-03-01"},  # only one end
        {"to": "2026-06-30"},
    ],
)
def test_a_period_that_is_not_a_whole_month_quarter_or_year_is_a_400_with_the_reason(
    org, client, key, query
):
    response = client.get(URL, query, **bearer(key))
    assert response.status_code == 400
    error = response.json()["error"]
    assert "The period is not valid" in error
    assert "whole calendar month, quarter or year" in error or "day of the period" in error


def test_monthly_rows_hide_a_second_month_with_small_enrollments(org, client, key):
    # 11, 11 and 2 enrollments begun in February, March and April 2026 (enrolled on the day
    # of referral), all still enrolled.
    for n in range(11):
        EnrollmentFactory(chw=org.b1, referred_on=dt.date(2026, 2, 2 + n))
        EnrollmentFactory(chw=org.b2, referred_on=dt.date(2026, 3, 2 + n))
    for n in range(2):
        EnrollmentFactory(chw=org.a1, referred_on=dt.date(2026, 4, 6 + n))
    rows = client.get(URL, PERIOD, **bearer(key)).json()["by_month"]
    # Enrollments 0, 11, 11, 2, 0: April's 2 is hidden ("<11"), and so is Q2 (2). Then the
    # year (24) less Q1 (22, its months published) would give Q2 away: the year is hidden
    # ("suppressed": hiding Q1 would not do, its months add up to it).
    # Patients active at month end are not published (with the month's enrollments and
    # closures they would give the withdrawals away).
    assert [r["enrollments"] for r in rows[:5]] == [0, 11, 11, "<11", 0]
    assert not any("active_at_month_end" in r for r in rows)
    year = client.get(URL, PERIOD, **bearer(key)).json()["roi"]["cohort"]
    assert year == "suppressed"


def test_a_period_in_year_1_is_a_400_not_a_server_error(org, client, key):
    response = client.get(URL, {"from": "0001-01-01", "to": "0001-12-31"}, **bearer(key))
    assert response.status_code == 400
    assert "from Jan" in response.json()["fields"]["from"][0]


def test_nothing_identifies_a_patient_or_a_chw(org, client, key, cohort):
    text = client.get(URL, PERIOD, **bearer(key)).content.decode()
    data = json.loads(text)
    for secret in [
        "Zephyrine",
        "Quackenbush",
        "Zeffy",
        "MRN-TOPSECRET-42",
        "2155559876",
        "1961-07-04",
        "19143",
        "Saskatoon",
        "Ferriswheel",
        "Quincea",
        org.a1.username,
        org.a1.last_name,
    ]:
        assert secret not in text, secret
    assert "by_chw" not in data and "chw_id" not in text and "patient_id" not in text


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-10-31", "to": "2026-10-01"}, "to"),
        ({"from": "soon", "to": "2026-10-01"}, "from"),
        ({"from": "2026-10-01", "to": "2027-01-01"}, "to"),
        ({"to": "99999-01-01"}, "to"),
        # The last month and quarter of year 9999: refused as not begun, not a crash on
        # the day after them (10000-01-01 cannot be a date).
        ({"from": "9999-12-01", "to": "9999-12-31"}, "from"),
        ({"from": "9999-10-01", "to": "9999-12-31"}, "from"),
    ],
)
def test_a_bad_period_is_a_400_naming_the_field(org, client, key, query, field):
    response = client.get(URL, query, **bearer(key))
    assert response.status_code == 400
    assert response.json()["fields"][field]


@pytest.fixture
def westside(db):
    program = ProgramFactory(name="Westside CHW Program")
    chw = UserFactory(role=Role.CHW, program=program, team=TeamFactory(program=program))
    EnrollmentFactory(chw=chw)
    return program


def test_a_leader_reads_only_their_own_program(org, client, key, westside):
    assert client.get(URL, {"program": westside.pk}, **bearer(key)).status_code == 404
    mine = client.get(URL, {"program": org.program.pk}, **bearer(key))
    assert mine.json()["program"]["id"] == org.program.pk


def test_an_administrator_names_the_program(org, client, westside):
    _token, key = token_create(user=org.admin, name="Warehouse")
    missing = client.get(URL, **bearer(key))
    assert missing.status_code == 400 and "program=ID" in missing.json()["error"]
    chosen = client.get(URL, {"program": westside.pk}, **bearer(key))
    assert chosen.status_code == 200
    assert chosen.json()["program"]["name"] == "Westside CHW Program"
    assert chosen.json()["overview"]["active_now"] == "<11"  # one patient
    assert client.get(URL, {"program": "abc"}, **bearer(key)).status_code == 404


# -- queries ------------------------------------------------------------------------------

# Measured at 1 and 6 enrolled patients with contacts, stays and cost lines, and pinned:
# the token with its user, last_used_at, the program, the year's grid (by_month 4, the
# CHWs, the enrollments, graduations, goals, contacts by author, the cohort and its stays:
# about 12, whatever the size), the period's overview (7) and ROI summary (3), the CHWs'
# active patients (3), and the access-log row that records the export (impact.audit).
API_QUERIES = 29


@pytest.mark.parametrize("patients", [1, 6])
def test_the_api_runs_a_fixed_number_of_queries(
    org, client, key, django_assert_max_num_queries, patients
):
    for n in range(patients):
        enrollment = EnrollmentFactory(chw=org.b1, days_ago=300 - n)
        EncounterFactory(enrollment=enrollment, occurred_at=dt.datetime(2026, 5, 5, tzinfo=dt.UTC))
        UtilizationFactory(patient=enrollment.patient, admitted_on=dt.date(2025, 12, 1 + n))
        CostLineFactory(program=org.program, period_start=dt.date(2026, 1 + n, 1))
    with django_assert_max_num_queries(API_QUERIES):
        response = client.get(URL, PERIOD, **bearer(key))
    assert response.status_code == 200
    assert response.json()["overview"]["active_now"] == "<11"  # 1 or 6 patients

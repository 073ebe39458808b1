"""The leaks of issue 17, items 1 and 2, each as it was found: small counts recovered by
choosing the period, counts of people under 11 published as numbers, the ROI's totals for
two periods a day apart, and one person's hospital use in a one-day cohort export. Each
test failed on the code before disclosure control (DESIGN.md §4)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pypdf
import pytest
import time_machine
from django.urls import reverse

from caseloads.models import Alert
from impact.models import AccessLog
from reports.api.views import token_create
from tests.factories import EnrollmentFactory, UtilizationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

SEPTEMBER = {"from": "2026-09-01", "to": "2026-09-30"}


def graduate(org, n: int, month: int) -> None:
    for day in range(n):
        EnrollmentFactory(
            chw=org.a1,
            referred_on=dt.date(2026, 2, 2),
            status="graduated",
            closed_on=dt.date(2026, month, 1 + day),
            handoff_accepted=True,
        )


def summary_csv(response) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return {figure: value for figure, value in rows[1:]}


def at(year: int, month: int, day: int):
    """The clock at noon of that day in the program's time zone (New York)."""
    return time_machine.travel(dt.datetime(year, month, day, 17, 0, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def api(org, client):
    key = token_create(user=org.leader, name="BI")[1]

    def get(query):
        return client.get(reverse("reports:api_summary"), query, HTTP_AUTHORIZATION=f"Bearer {key}")

    return get


def test_five_graduations_in_september_read_fewer_than_11_everywhere(org, login, api):
    # Before: the API answered overview.graduations 5 for 2026-09-01..2026-09-30.
    graduate(org, 5, 9)
    data = api(SEPTEMBER).json()
    assert data["overview"]["graduations"] == "<11"
    assert data["overview"]["handoffs_accepted"] == "<11"
    assert data["overview"]["handoff_share"] == "<11"
    client = login(org.leader)
    page = client.get(reverse("overview"), SEPTEMBER)
    tile = page.content.decode().split('id="tile-graduations-')[1].split("</div></div></div>")[0]
    assert "fewer than 11" in tile and ">5<" not in tile
    export = client.post(
        reverse("reports:exports"), {"start": "2026-09-01", "end": "2026-09-30", "kind": "csv-sum"}
    )
    assert summary_csv(export)["Graduations"] == "<11"


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2026-09-01", "2026-09-29"),  # the same start, a day shorter: the difference
        ("2026-09-02", "2026-09-30"),  # of the two would be one day's figures
        ("2026-08-15", "2026-09-30"),
        ("2026-09-30", "2026-09-30"),
    ],
)
def test_a_period_that_is_not_a_whole_month_quarter_or_year_is_refused_everywhere(
    org, login, api, start, end
):
    graduate(org, 5, 9)
    response = api({"from": start, "to": end})
    assert response.status_code == 400
    assert "whole calendar month, quarter or year" in response.json()["error"]
    client = login(org.leader)
    page = client.get(reverse("overview"), {"from": start, "to": end})
    assert page.status_code == 400
    assert "whole calendar month, quarter or year" in page.content.decode()
    assert page.context["sections"] == []
    roi = client.get(reverse("reports:roi"), {"start": start, "end": end})
    assert roi.status_code == 400 and "summary" not in roi.context
    chart = client.get(reverse("reports:chart_monthly"), {"from": start, "to": end})
    assert chart.status_code == 400
    logged = AccessLog.objects.filter(kind=AccessLog.Kind.EXPORT).count()
    export = client.post(reverse("reports:exports"), {"start": start, "end": end, "kind": "xlsx"})
    assert export.status_code == 400
    assert "Content-Disposition" not in export
    assert "whole calendar month, quarter or year" in export.content.decode()
    assert AccessLog.objects.filter(kind=AccessLog.Kind.EXPORT).count() == logged


def test_alerts_by_kind_and_chws_over_the_cap_under_11_read_fewer_than_11(org, login, api):
    # Before: "end approaching 10" and "2 CHWs over the cap" as plain numbers.
    org.program.caseload_cap = 1
    org.program.save()
    for chw in (org.a1, org.a2):
        for _n in range(2):
            EnrollmentFactory(chw=chw)
    for n in range(10):
        Alert.objects.create(
            program=org.program,
            kind="end_approaching",
            chw=org.a1,
            enrollment=EnrollmentFactory(chw=org.b1, days_ago=170 - n),
            status="open",
            opened_on=dt.date(2026, 11, 10),
        )
    overview = api(SEPTEMBER).json()["overview"]
    assert overview["alerts_by_kind"]["end_approaching"] == "<11"
    assert overview["caseload"]["chws_over_cap"] == "<11"
    page = login(org.leader).get(reverse("overview"), SEPTEMBER).content.decode()
    assert "CHWs over the cap: fewer than 11" in page
    assert "2 CHWs over the cap" not in page


def test_the_roi_for_two_periods_a_day_apart_cannot_be_asked_for(org, login, api):
    # Before: Jan 1 – Mar 30 against Jan 1 – Mar 31 differed by one patient's hospital use.
    enrollment = EnrollmentFactory(chw=org.a1, referred_on=dt.date(2026, 3, 31))
    UtilizationFactory(patient=enrollment.patient, admitted_on=dt.date(2026, 2, 1))
    client = login(org.leader)
    shorter = client.get(reverse("reports:roi"), {"start": "2026-01-01", "end": "2026-03-30"})
    assert shorter.status_code == 400
    assert "whole calendar month, quarter or year" in shorter.content.decode()
    quarter = client.get(reverse("reports:roi"), {"start": "2026-01-01", "end": "2026-03-31"})
    # The quarter's one evaluable enrollment: its hospital use is about fewer than 11.
    assert quarter.status_code == 200
    # A sum over them: "hidden (fewer than 11 people)", not "fewer than 11" admissions.
    assert str(quarter.context["shown"].use["pre_admissions"]) == "hidden (fewer than 11 people)"
    assert 'id="roi-hidden"' in quarter.content.decode()
    assert api({"from": "2026-01-01", "to": "2026-03-30"}).status_code == 400
    roi = api({"from": "2026-01-01", "to": "2026-03-31"}).json()["roi"]
    assert roi["pre"]["admissions"] == "<11" and roi["gross_savings"] == "<11"


def test_the_pdf_benchmark_is_hidden_with_the_hospital_use_it_is_computed_from(org, login):
    # Before (found by a newcomer check): the PDF's benchmark sentence printed the trial
    # benchmark's savings from the raw figures, 0.34 × the inpatient days × the cost of a
    # day: one patient's 2 days before enrolling, at $3,000 a day, read "$2,040".
    enrollment = EnrollmentFactory(chw=org.a1, referred_on=dt.date(2026, 1, 10))
    UtilizationFactory(
        patient=enrollment.patient,
        admitted_on=dt.date(2025, 12, 1),
        discharged_on=dt.date(2025, 12, 3),
    )
    org.program.cost_per_inpatient_day = 3000
    org.program.savings_basis = "inpatient_days"
    org.program.save()
    response = login(org.leader).post(
        reverse("reports:exports"), {"start": "2026-01-01", "end": "2026-03-31", "kind": "pdf"}
    )
    assert response.status_code == 200
    words = " ".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages
    ).split()
    text = " ".join(words)
    assert "Trial benchmark: hidden for this period" in text
    assert "2,040" not in text and "gross savings would be" not in text
    assert "Gross savings hidden" not in text  # the sentence leaves the savings out


def test_a_one_day_cohort_export_is_refused_and_nothing_is_written(org, login):
    # Before: one row, one patient's admissions, days and ED visits.
    enrollment = EnrollmentFactory(chw=org.a1, referred_on=dt.date(2026, 1, 10))
    UtilizationFactory(patient=enrollment.patient, admitted_on=dt.date(2025, 12, 1))
    client = login(org.leader)
    before = AccessLog.objects.filter(kind=AccessLog.Kind.EXPORT).count()
    for start, end, message in (
        ("2026-01-10", "2026-01-10", "whole calendar month, quarter or year"),
        ("2026-01-01", "2026-01-31", "covers a whole quarter or year"),
        ("2026-01-01", "2026-03-31", "at least 11 enrollments"),
        ("2026-01-01", "2026-03-31", "Choose a longer period, such as the whole year."),
        ("2026-01-01", "2026-12-31", "at least 11 enrollments"),
        # The year: nothing longer to choose, so none is suggested.
        ("2026-01-01", "2026-12-31", "Try again when more enrollments have been followed."),
    ):
        response = client.post(
            reverse("reports:exports"), {"start": start, "end": end, "kind": "csv-coh"}
        )
        assert response.status_code == 400, (start, end)
        assert "Content-Disposition" not in response
        assert message in response.content.decode(), (start, end)
        if end == "2026-12-31":
            assert "Choose a longer period" not in response.content.decode()
    assert AccessLog.objects.filter(kind=AccessLog.Kind.EXPORT).count() == before


def test_a_cohort_of_11_evaluable_enrollments_in_a_quarter_is_exported(org, login):
    for n in range(11):
        EnrollmentFactory(chw=org.a1, referred_on=dt.date(2026, 1, 5 + n))
    response = login(org.leader).post(
        reverse("reports:exports"), {"start": "2026-01-01", "end": "2026-03-31", "kind": "csv-coh"}
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + 11


def test_the_access_log_records_the_period_and_kind_of_every_export(org, login, api):
    client = login(org.leader)
    response = client.post(
        reverse("reports:exports"), {"start": "2026-07-01", "end": "2026-09-30", "kind": "csv-mon"}
    )
    assert response.status_code == 200
    row = AccessLog.objects.filter(kind=AccessLog.Kind.EXPORT).latest("pk")
    assert row.object_ids == {"period": "2026-Q3", "kind": "csv-mon"}
    assert api(SEPTEMBER).status_code == 200
    row = AccessLog.objects.filter(kind=AccessLog.Kind.EXPORT).latest("pk")
    assert row.url_name == "reports:api_summary"
    assert row.object_ids == {"period": "2026-09", "roi_period": "2026-09", "kind": "json"}
    # Without dates the answer covers two periods: this year's overview and the ROI's
    # default (the latest year whose cohort was observed for its whole window by the end
    # of October 2026: 2025, with the default window of 180 days).
    assert api({}).status_code == 200
    row = AccessLog.objects.filter(kind=AccessLog.Kind.EXPORT).latest("pk")
    assert row.object_ids == {"period": "2026", "roi_period": "2025", "kind": "json"}


def test_figures_read_on_two_days_of_one_month_are_the_same(org, login, api):
    # Before: a period containing today counted to today, so the year read on 18 and on 19
    # November differed by the graduations of 18 November, one person's.
    year = {"from": "2026-01-01", "to": "2026-12-31"}
    enrollment = EnrollmentFactory(chw=org.a1, referred_on=dt.date(2026, 5, 4))
    with at(2026, 11, 18):
        before = api(year).json()
        page_before = login(org.leader).get(reverse("overview"), year).context["sections"][0]
    enrollment.status, enrollment.closed_on = "graduated", dt.date(2026, 11, 18)
    enrollment.handoff_accepted = True
    enrollment.save()
    with at(2026, 11, 30):
        after = api(year).json()
        page = login(org.leader).get(reverse("overview"), year)
        # The current month has nothing published yet: refused, with the reason.
        refused = api({"from": "2026-11-01", "to": "2026-11-30"})
    # Every figure of the period; today's snapshots (active patients, rounded, and the
    # caseload computed from them; open alerts) are about today, not the period.
    today = ("active_now", "caseload", "alerts_by_kind", "mean_caseload", "today")

    def period(figures: dict) -> dict:
        return {k: v for k, v in figures.items() if k not in today}

    assert period(after["overview"]) == period(before["overview"])
    assert after["by_month"] == before["by_month"]
    assert after["as_of"] == "2026-10-31"
    assert period(vars(page.context["sections"][0].figures)) == period(vars(page_before.figures))
    assert "figures up to Oct 31, 2026" in page.content.decode()
    assert refused.status_code == 400
    assert "no complete month yet" in refused.json()["error"]
    # On 1 December November is complete, and the graduation counts (fewer than 11).
    with at(2026, 12, 1):
        november = api({"from": "2026-11-01", "to": "2026-11-30"}).json()
    assert november["overview"]["graduations"] == "<11"


def test_active_patients_are_rounded_and_no_table_gives_them_back(org, login, api):
    # Before: active patients were exact, and so was each CHW's count in the by-CHW export
    # and each month's end: with the month's enrollments and graduations, the withdrawals.
    for _n in range(23):
        EnrollmentFactory(chw=org.a1)
    for _n in range(4):
        EnrollmentFactory(chw=org.b1)
    data = api(SEPTEMBER).json()["overview"]
    assert data["active_now"] == 30  # 27, to the nearest 10
    assert data["caseload"]["mean_active"] == 30 / 4  # from the rounded count, 4 CHWs
    client = login(org.leader)
    tile = client.get(reverse("overview"), SEPTEMBER).content.decode()
    assert "enrolled today, to the nearest 10" in tile
    for kind, forbidden in (("csv-chw", "active_now"), ("csv-mon", "active_at_month_end")):
        export = client.post(
            reverse("reports:exports"), {"start": "2026-09-01", "end": "2026-09-30", "kind": kind}
        )
        header = next(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
        assert forbidden not in header, kind
    summary = summary_csv(
        client.post(
            reverse("reports:exports"),
            {"start": "2026-09-01", "end": "2026-09-30", "kind": "csv-sum"},
        )
    )
    assert summary["Active now (to the nearest 10)"] == "30"

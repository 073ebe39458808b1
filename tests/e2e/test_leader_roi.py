"""A program leader imports hospital use from a CSV, reads the ROI summary and downloads
the XLSX and PDF exports, in a real browser.

Twelve patients enrolled on 15 June of the ROI page's default period, the latest
calendar year Y whose 31 December is at least 180 days before today (so every after-window
has passed; a cohort of 11 or more, so nothing is hidden: DESIGN §4), W = 180 days,
E = Y-06-15:
  p1: before, admissions on E − 100 (3 nights) and E − 20 (same day), an ED visit on
      E − 50; after, an admission on E + 30 (2 nights).
  p2: before, an admission on E − 10 (1 night).
  the ten others: no hospital use.
Avoided admissions = (2 − 1) + (1 − 0) = 2; avoided ED visits = 1 − 0 = 1.
Gross savings = 2 × $16,478 + 1 × $1,200 = $34,156 (attribution 1.0).
Cost: one line of $20,000 inside the period. Gross ROI = 34,156 ÷ 20,000 = 1.7078 →
"$1.71 returned per $1"; net ROI = 0.7078 → 71%.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from reports.models import UtilizationRecord
from tests.e2e.conftest import sign_in
from tests.factories import CostLineFactory, EnrollmentFactory, PatientFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _day(d: dt.date, us: bool = False) -> str:
    return f"{d.month:02d}/{d.day:02d}/{d.year}" if us else d.isoformat()


def test_leader_imports_hospital_use_reads_the_roi_and_downloads_the_exports(
    live_server, desktop, org, password, tmp_path
):
    today = org.program.today()
    last_day = today - dt.timedelta(days=180)
    year = last_day.year if (last_day.month, last_day.day) == (12, 31) else last_day.year - 1
    e = dt.date(year, 6, 15)
    for n in range(1, 13):
        patient = PatientFactory(program=org.program, mrn=f"E2E-{n:03d}", given_name="Zyxwvut")
        chw = org.a1 if n % 2 else org.b1
        EnrollmentFactory(chw=chw, patient=patient, referred_on=e, enrolled_on=e)
    CostLineFactory(
        program=org.program,
        amount=Decimal("20000"),
        period_start=dt.date(year, 2, 1),
        period_end=dt.date(year, 11, 30),
    )
    csv = "\n".join(
        [
            "MRN,kind,admitted,discharged",
            f"E2E-001,inpatient,{_day(e - dt.timedelta(days=100))},"
            f"{_day(e - dt.timedelta(days=97))}",
            # US-style dates, as many EHR exports write them.
            f"E2E-001,inpatient,{_day(e - dt.timedelta(days=20), us=True)},"
            f"{_day(e - dt.timedelta(days=20), us=True)}",
            f"E2E-001,ed,{_day(e - dt.timedelta(days=50))},",
            f"E2E-001,inpatient,{_day(e + dt.timedelta(days=30))},"
            f"{_day(e + dt.timedelta(days=32))}",
            f"E2E-002,inpatient,{_day(e - dt.timedelta(days=10))},{_day(e - dt.timedelta(days=9))}",
        ]
    )
    page = desktop
    sign_in(page, live_server, "leader", password)
    nav = page.get_by_role("navigation", name="Main")

    # -- Import: check the file, see the preview, confirm ------------------------------
    nav.get_by_role("button", name="Costs and data").click()
    nav.get_by_role("link", name="Import hospital use").click()
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "admissions.csv", "mimeType": "text/csv", "buffer": csv.encode()}]
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("button", name="Import 5 rows")).to_be_visible()
    assert not UtilizationRecord.objects.exists()  # nothing written before the confirm
    expect(page.get_by_text("E2E-001")).to_have_count(0)  # MRNs masked for leaders
    page.get_by_role("button", name="Import 5 rows").click()
    expect(page.get_by_text("Imported 5 rows")).to_be_visible()
    assert UtilizationRecord.objects.count() == 5

    # -- The ROI summary for the default period ----------------------------------------
    nav.get_by_role("link", name="ROI", exact=True).click()
    expect(page.locator("#roi-savings")).to_have_text("$34,156")
    expect(page.locator("#roi-gross")).to_contain_text("$1.71 returned per $1")
    expect(page.locator("#roi-net")).to_contain_text("(71%)")
    expect(page.get_by_text("regression to the mean")).to_be_visible()
    chart = page.locator("img[src*='/leaders/roi/chart.svg']")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=chart.element_handle()
    )

    # -- Download the XLSX and the PDF -------------------------------------------------
    nav.get_by_role("link", name="Exports").click()
    with page.expect_download() as xlsx_download:
        page.get_by_role("button", name="Spreadsheet (XLSX, all four sheets)").click()
    xlsx = tmp_path / xlsx_download.value.suggested_filename
    xlsx_download.value.save_as(xlsx)
    assert xlsx.suffix == ".xlsx"
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["Summary", "By month", "By CHW", "Utilization cohort"]
    cells = [
        str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
    ]
    assert not any("Zyxwvut" in c or "E2E-00" in c for c in cells)
    cohort = list(book["Utilization cohort"].iter_rows(values_only=True))
    assert len(cohort) == 1 + 12  # the header and the twelve evaluable enrollments

    with page.expect_download() as pdf_download:
        page.get_by_role("button", name="PDF report").click()
    pdf = tmp_path / pdf_download.value.suggested_filename
    pdf_download.value.save_as(pdf)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "1.71" in text and "Zyxwvut" not in text

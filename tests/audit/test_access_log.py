"""The access log: every patient-level page a person requests and every export anyone takes
is recorded (who, their role, what, when; for exports the format and the row count), and
administrators read it in the admin, where nobody can add, change or delete a line."""

from __future__ import annotations

import csv
import datetime as dt
import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from caseloads.alerts import alerts_sweep
from fidelity.models import ImplementationNote
from impact.models import AccessLog, Role
from reports.api.views import token_create
from reports.models import ExportJob
from tests.conftest import NOW
from tests.factories import EnrollmentFactory, GoalFactory, StepFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

PERIOD = {"start": "2026-01-01", "end": "2026-12-31"}  # the year 2026 (a leader period)


def only_line() -> AccessLog:
    [line] = AccessLog.objects.all()
    return line


# -- patient-level pages -----------------------------------------------------------------


def test_a_patient_page_view_is_logged_with_who_what_and_when(org, login):
    enrollment = EnrollmentFactory(chw=org.a1, days_ago=30)
    url = reverse("caseloads:enrollment", args=[enrollment.pk])
    assert login(org.a1).get(url).status_code == 200
    line = only_line()
    assert (line.user, line.username, line.role, line.kind) == (org.a1, "a1", "chw", "view")
    assert (line.url_name, line.object_ids, line.path) == (
        "caseloads:enrollment",
        {"enrollment": enrollment.pk},
        url,
    )
    assert (line.method, line.status_code, line.at) == ("GET", 200, NOW)
    assert line.program == org.program


def test_writes_to_a_patients_record_are_logged_too(org, login):
    enrollment = EnrollmentFactory(chw=org.a1, days_ago=30)
    goal = GoalFactory(enrollment=enrollment)
    step = StepFactory(goal=goal, due_on=dt.date(2026, 11, 20))
    login(org.a1).post(reverse("actionplans:step_done", args=[step.pk]))
    line = only_line()
    assert (line.url_name, line.object_ids, line.method) == (
        "actionplans:step_done",
        {"step": step.pk},
        "POST",
    )


def test_an_attempt_outside_the_users_scope_is_logged_with_its_refusal(org, login):
    enrollment = EnrollmentFactory(chw=org.a1, days_ago=30)
    url = reverse("caseloads:enrollment", args=[enrollment.pk])
    assert login(org.b1).get(url).status_code == 404
    assert login(org.leader).get(url).status_code == 403
    assert list(AccessLog.objects.order_by("pk").values_list("username", "status_code")) == [
        ("b1", 404),
        ("leader", 403),
    ]


def test_printouts_lists_and_the_cases_behind_a_miss_are_patient_level(org, login):
    enrollment = EnrollmentFactory(chw=org.a1, days_ago=30)
    alerts_sweep(program=org.program)
    client = login(org.a1)
    for url in (
        reverse("caseloads:mine"),
        reverse("caseloads:alerts"),
        reverse("actionplans:plan", args=[enrollment.pk]),
        reverse("actionplans:intake", args=[enrollment.pk]),
    ):
        assert client.get(url).status_code == 200, url
    assert list(AccessLog.objects.order_by("pk").values_list("url_name", flat=True)) == [
        "caseloads:mine",
        "caseloads:alerts",
        "actionplans:plan",
        "actionplans:intake",
    ]


def test_pages_without_patients_and_anonymous_requests_are_not_logged(org, login, client):
    enrollment = EnrollmentFactory(chw=org.a1, days_ago=30)
    assert client.get(reverse("caseloads:enrollment", args=[enrollment.pk])).status_code == 302
    assert login(org.leader).get(reverse("overview")).status_code == 200
    assert login(org.a1).get(reverse("actionplans:partners")).status_code == 200
    assert not AccessLog.objects.exists()


def test_an_administrator_reading_a_patient_in_the_admin_is_logged(org, login):
    enrollment = EnrollmentFactory(chw=org.a1, days_ago=30)
    client = login(org.admin)
    client.get(reverse("admin:caseloads_patient_change", args=[enrollment.patient_id]))
    client.get(reverse("admin:impact_program_changelist"))  # not patient-level
    line = only_line()
    assert (line.username, line.role, line.url_name, line.object_ids) == (
        "admin",
        "admin",
        "admin:caseloads_patient_change",
        {"patient": str(enrollment.patient_id)},
    )


# -- exports -----------------------------------------------------------------------------


def cohort(org, n: int) -> None:
    for k in range(n):
        EnrollmentFactory(
            chw=org.a1 if k % 2 else org.b1,
            referred_on=dt.date(2026, 2, 1) + dt.timedelta(days=k),
            enrolled_on=dt.date(2026, 2, 1) + dt.timedelta(days=k),
        )


def test_a_leaders_csv_export_is_logged_with_its_row_count(org, login):
    cohort(org, 11)  # the cohort table needs at least 11 evaluable enrollments
    response = login(org.leader).post(reverse("reports:exports"), PERIOD | {"kind": "csv-coh"})
    assert response.status_code == 200
    records = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    line = only_line()
    assert (line.kind, line.username, line.role, line.url_name) == (
        "export",
        "leader",
        "leader",
        "reports:exports",
    )
    assert (line.format, line.rows, line.size) == ("csv", len(records) - 1, len(response.content))
    assert line.rows == 11
    assert line.object_ids == {"period": "2026", "kind": "csv-coh"}


def test_an_xlsx_export_counts_the_rows_of_every_sheet(org, login):
    cohort(org, 3)
    response = login(org.leader).post(reverse("reports:exports"), PERIOD | {"kind": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    expected = sum(sheet.max_row - 1 for sheet in book.worksheets)
    line = only_line()
    assert (line.format, line.rows) == ("xlsx", expected)
    assert line.rows is not None and line.rows >= 3


def test_a_pdf_export_is_logged_without_rows(org, login):
    response = login(org.leader).post(reverse("reports:exports"), PERIOD | {"kind": "pdf"})
    assert response.status_code == 200
    line = only_line()
    assert (line.format, line.rows, line.size) == ("pdf", None, len(response.content))


def test_a_background_export_is_logged_when_built_and_when_downloaded(org, login, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 0
    cohort(org, 2)
    client = login(org.leader)
    assert client.post(reverse("reports:exports"), PERIOD | {"kind": "xlsx"}).status_code == 302
    job = ExportJob.objects.get()
    built = only_line()
    assert (built.url_name, built.actor, built.username) == (
        "reports:export_run",
        f"task: export job {job.pk}",
        "leader",
    )
    assert (built.format, built.object_ids) == (
        "xlsx",
        {"export_job": job.pk, "period": "2026", "kind": "xlsx"},
    )
    assert built.rows is not None and built.rows >= 2
    client.get(reverse("reports:export_download", args=[job.pk]))
    downloaded = AccessLog.objects.latest("pk")
    assert (downloaded.url_name, downloaded.object_ids, downloaded.rows) == (
        "reports:export_download",
        {"pk": job.pk, "period": "2026", "kind": "xlsx"},
        built.rows,
    )


def test_the_implementation_log_csv_is_logged_with_its_rows(org, login):
    for day in (1, 2, 3):
        ImplementationNote.objects.create(
            program=org.program,
            on=dt.date(2026, 9, day),
            cfir_domain="inner_setting",
            direction="barrier",
            theme="Staffing",
            note="Two vacancies",
            author=org.ma,
        )
    response = login(org.ma).get(reverse("fidelity:log_csv"))
    assert response.status_code == 200
    line = only_line()
    assert (line.url_name, line.username, line.format, line.rows) == (
        "fidelity:log_csv",
        "ma",
        "csv",
        3,
    )


def test_the_roi_summary_command_is_logged_as_a_command(org, tmp_path):
    cohort(org, 2)
    output = tmp_path / "roi.csv"
    call_command(
        "roi_summary",
        "--program",
        str(org.program.pk),
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--format",
        "csv",
        "--output",
        str(output),
        stderr=StringIO(),
    )
    line = only_line()
    assert (line.actor, line.user, line.url_name, line.path) == (
        "command: roi_summary",
        None,
        "command: roi_summary",
        str(output),
    )
    assert (line.format, line.program) == ("csv", org.program)
    assert line.rows == len(output.read_text(encoding="utf-8-sig").splitlines()) - 1


def test_the_api_is_logged_for_the_tokens_user(org, client):
    key = token_create(user=org.leader, name="Power BI")[1]
    response = client.get(
        reverse("reports:api_summary"),
        {"from": "2026-01-01", "to": "2026-12-31"},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 200
    line = only_line()
    assert (line.username, line.url_name, line.format, line.rows) == (
        "leader",
        "reports:api_summary",
        "json",
        len(response.json()["by_month"]),
    )


# -- reading it --------------------------------------------------------------------------


def test_administrators_read_the_log_in_the_admin_and_nobody_changes_it(org, login):
    enrollment = EnrollmentFactory(chw=org.a1, days_ago=30)
    login(org.a1).get(reverse("caseloads:enrollment", args=[enrollment.pk]))
    line = only_line()
    client = login(org.admin)
    listing = client.get(reverse("admin:impact_accesslog_changelist"))
    assert listing.status_code == 200
    assert "caseloads:enrollment" in listing.content.decode()
    page = client.get(reverse("admin:impact_accesslog_change", args=[line.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert (
        client.post(reverse("admin:impact_accesslog_change", args=[line.pk]), {}).status_code == 403
    )
    assert client.get(reverse("admin:impact_accesslog_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:impact_accesslog_delete", args=[line.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert AccessLog.objects.filter(pk=line.pk, username="a1").exists()


def test_staff_who_are_not_administrators_cannot_read_the_log(org, login):
    staff_manager = UserFactory(role=Role.MANAGER, program=org.program, is_staff=True)
    response = login(staff_manager).get(reverse("admin:impact_accesslog_changelist"))
    assert response.status_code == 403

"""Importing hospital admissions and ED visits from a CSV (reports.imports.services):
all or nothing, re-imports that change nothing, the preview → confirm flow and its purge,
the command, who may do it, and the queries it takes. Clock: Wednesday 18 November
2026."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import re

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django_q.models import Schedule

from impact.models import Role
from reports import tasks
from reports.models import UtilizationImport, UtilizationRecord
from tests.factories import PatientFactory, ProgramFactory, UserFactory, UtilizationFactory
from tests.reports.imports.uploads import (
    GOOD,
    HEADER,
    csv_file,
    nothing_written,
    row_errors,
    run,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


# -- the happy path ------------------------------------------------------------------------


def test_a_leader_previews_then_imports_a_file(org, login, patients):
    client = login(org.leader)
    response = upload(client, csv_file(*GOOD))
    staging = UtilizationImport.objects.get()
    assert response.url == reverse("reports:utilization_preview", args=[staging.pk])
    assert (staging.status, staging.imported_by, staging.filename) == (
        "previewed",
        org.leader,
        "stays.csv",
    )
    assert not UtilizationRecord.objects.exists()  # nothing until confirmed

    page = client.get(response.url)
    assert page.status_code == 200
    preview = page.context["preview"]
    assert (preview["rows"], preview["new"], preview["already"]) == (3, 3, 0)
    assert preview["by_kind"] == {"inpatient": 1, "ed": 2}
    # From the first admission (2 March) to the last discharge (1 April).
    assert (preview["first"], preview["last"]) == ("2026-03-02", "2026-04-01")
    assert [row["mrn"] for row in preview["sample"]] == ["•••101", "•••102", "•••101"]
    html = page.content.decode()
    assert "MRN0000101" not in html and "MRN0000102" not in html  # leaders see no MRN
    assert "Import 3 rows" in html

    done = client.post(reverse("reports:utilization_confirm", args=[staging.pk]))
    assert done.url == f"{reverse('reports:utilization')}?program={org.program.pk}"
    records = set(
        UtilizationRecord.objects.values_list(
            "patient__mrn", "kind", "admitted_on", "discharged_on", "source"
        )
    )
    assert records == {
        ("MRN0000101", "inpatient", dt.date(2026, 3, 2), dt.date(2026, 3, 6), staging.pk),
        # An ED visit without a discharge date left the same day.
        (" MRN0000102 ", "ed", dt.date(2026, 3, 20), dt.date(2026, 3, 20), staging.pk),
        ("MRN0000101", "ed", dt.date(2026, 4, 1), dt.date(2026, 4, 1), staging.pk),
    }
    staging.refresh_from_db()
    assert (staging.status, staging.rows, staging.imported_by) == ("imported", 3, org.leader)
    assert staging.imported_at is not None
    assert staging.content is None  # the file's MRNs are not kept once imported
    listing = client.get(done.url)
    assert "Imported 3 rows (0 already imported)." in listing.content.decode()
    assert list(listing.context["imports"]) == [staging]


def test_headers_and_kinds_are_read_loosely_and_other_columns_ignored(org, login, patients):
    content = csv_file(
        "x,MRN0000101,Admission,2026-01-05,2026-01-07",
        "x,MRN0000101,IP,2026-02-05,02/09/2026",
        "x,MRN0000102,ER,2026-03-05,",
        "x,MRN0000103,Emergency ,2026-03-05,2026-03-06",
        header="Notes, mrn ,KIND,Admitted,DISCHARGED ",
    )
    client = login(org.leader)
    upload(client, content)
    staging = UtilizationImport.objects.get()
    assert staging.preview["by_kind"] == {"inpatient": 2, "ed": 2}
    client.post(reverse("reports:utilization_confirm", args=[staging.pk]))
    assert UtilizationRecord.objects.filter(kind="inpatient").count() == 2


def test_utf8_with_a_byte_order_mark_and_windows_line_endings_is_read(org, login, patients):
    content = "\ufeff" + "\r\n".join([HEADER, *GOOD]) + "\r\n"
    upload(login(org.leader), content.encode("utf-8"))
    assert UtilizationImport.objects.get().preview["new"] == 3


def test_dates_in_either_accepted_format_mix_row_by_row(org, login, patients):
    content = csv_file(
        "MRN0000101,inpatient,2026-03-02,03/06/2026",
        "MRN0000101,inpatient,4/1/2026,2026-04-03",
    )
    upload(login(org.leader), content)
    preview = UtilizationImport.objects.get().preview
    assert [(r["admitted"], r["discharged"]) for r in preview["sample"]] == [
        ("2026-03-02", "2026-03-06"),
        ("2026-04-01", "2026-04-03"),
    ]


# -- re-importing --------------------------------------------------------------------------


def test_reimporting_the_same_file_changes_nothing(org, login, patients):
    client = login(org.leader)
    upload(client, csv_file(*GOOD))
    first = UtilizationImport.objects.get()
    client.post(reverse("reports:utilization_confirm", args=[first.pk]))
    assert UtilizationRecord.objects.count() == 3

    response = upload(client, csv_file(*GOOD))
    again = UtilizationImport.objects.latest("pk")
    assert response.url == reverse("reports:utilization_preview", args=[again.pk])
    assert (again.preview["new"], again.preview["already"]) == (0, 3)
    assert again.preview["imported_before"] is not None  # the same bytes were imported
    assert again.content is None  # nothing to import: the file's MRNs are not kept
    page = client.get(response.url).content.decode()
    assert "Nothing new" in page and "Import 0" not in page
    refused = client.post(reverse("reports:utilization_confirm", args=[again.pk]))
    assert refused.context["error"] == (
        "Nothing to import: every row of this file was already imported."
    )
    assert UtilizationRecord.objects.count() == 3


def test_rows_already_recorded_are_skipped_not_refused(org, login, patients):
    UtilizationFactory(
        patient=patients["MRN0000101"],
        kind="inpatient",
        admitted_on=dt.date(2026, 3, 2),
        discharged_on=dt.date(2026, 3, 6),
    )
    client = login(org.leader)
    upload(client, csv_file(*GOOD))
    staging = UtilizationImport.objects.get()
    assert (staging.preview["new"], staging.preview["already"]) == (2, 1)
    # Lines 3 and 4 listed would say that line 2's patient has a stay recorded.
    assert staging.preview["sample"] == []
    client.post(reverse("reports:utilization_confirm", args=[staging.pk]))
    assert UtilizationRecord.objects.count() == 3
    staging.refresh_from_db()
    assert staging.rows == 2


def test_a_corrected_export_is_skipped_rather_than_counted_twice(org, login, patients):
    # First export: a stay of 1-5 January and an ED visit on 10 January.
    client = login(org.leader)
    upload(
        client, csv_file("MRN0000101,inpatient,2026-01-01,2026-01-05", "MRN0000101,ed,2026-01-10,")
    )
    client.post(reverse("reports:utilization_confirm", args=[UtilizationImport.objects.get().pk]))
    assert UtilizationRecord.objects.count() == 2
    # The corrected export moves both discharges by a day: the same stays, not new ones.
    # They are skipped and counted, never listed (which lines, and the dates recorded,
    # would tell the uploader about the patient's stays).
    corrected = csv_file(
        "MRN0000101,inpatient,2026-01-01,2026-01-06",
        "MRN0000101,ed,2026-01-10,2026-01-11",
        "MRN0000103,ed,2026-01-12,",  # a new visit: imported
    )
    response = upload(client, corrected)
    staging = UtilizationImport.objects.latest("pk")
    assert response.url == reverse("reports:utilization_preview", args=[staging.pk])
    assert (staging.preview["new"], staging.preview["already"]) == (1, 2)
    assert staging.preview["sample"] == []
    page = client.get(response.url).content.decode()
    assert "Jan 5, 2026" not in page and "2026-01-05" not in page
    assert "clashes with a recorded stay" in page
    client.post(reverse("reports:utilization_confirm", args=[staging.pk]))
    assert set(UtilizationRecord.objects.values_list("kind", "admitted_on", "discharged_on")) == {
        ("inpatient", dt.date(2026, 1, 1), dt.date(2026, 1, 5)),
        ("ed", dt.date(2026, 1, 10), dt.date(2026, 1, 10)),
        ("ed", dt.date(2026, 1, 12), dt.date(2026, 1, 12)),
    }


def test_the_command_skips_a_corrected_stay_too(org, patients, tmp_path):
    UtilizationFactory(
        patient=patients["MRN0000101"],
        kind="inpatient",
        admitted_on=dt.date(2026, 1, 1),
        discharged_on=dt.date(2026, 1, 5),
    )
    path = tmp_path / "stays.csv"
    path.write_bytes(csv_file("MRN0000101,inpatient,2026-01-01,2026-01-06"))
    out, err = run(str(path), "--program", str(org.program.pk))
    assert out.strip() == "Imported 0 rows (1 already imported)."
    assert err == ""
    assert UtilizationRecord.objects.get().discharged_on == dt.date(2026, 1, 5)


def test_one_admission_twice_in_a_file_with_two_discharges_is_an_error(org, login, patients):
    content = csv_file(
        "MRN0000101,inpatient,2026-03-10,2026-03-10",
        "MRN0000102,ED,2026-03-10,",
        "MRN0000101,inpatient,2026-03-10,2026-03-12",  # 4: line 2 with another discharge
        "MRN0000102,ED,2026-03-10,2026-03-11",  # 5: line 3 with another discharge
    )
    response = upload(login(org.leader), content)
    same = "has the same patient, kind and admission day with another discharge"
    assert row_errors(response) == [
        (4, "discharged", f"Line 2 {same} (Mar 10, 2026): keep the right one of the two lines."),
        (5, "discharged", f"Line 3 {same} (Mar 10, 2026): keep the right one of the two lines."),
    ]
    assert nothing_written()


def test_hospital_stays_whose_nights_overlap_are_refused(org, login, patients):
    UtilizationFactory(
        patient=patients["MRN0000101"],
        kind="inpatient",
        admitted_on=dt.date(2026, 1, 1),
        discharged_on=dt.date(2026, 1, 5),
    )
    content = csv_file(
        "MRN0000101,inpatient,2026-01-05,2026-01-07",  # 2: admitted the day of discharge: fine
        "MRN0000101,inpatient,2026-01-03,2026-01-04",  # 3: inside the recorded one: skipped
        "MRN0000101,inpatient,2026-02-04,2026-02-06",  # 4: nights 4-5 Feb, inside line 5's
        "MRN0000101,inpatient,2026-02-01,2026-02-05",  # 5: nights 1-4 Feb
        "MRN0000101,ED,2026-01-03,",  # 6: an ED visit is no inpatient night: fine
        "MRN0000102,inpatient,2026-01-02,2026-01-04",  # 7: another patient: fine
        "MRN0000101,inpatient,2026-03-10,2026-03-10",  # 8: a same-day stay counts a day
        "MRN0000101,inpatient,2026-03-09,2026-03-11",  # 9: ... which this one covers
    )
    response = upload(login(org.leader), content)
    twice = "its days would count twice"
    # Line 3 is no error: a row is never compared with what is recorded line by line (that
    # would tell who is enrolled and when they were in hospital). It would be skipped.
    assert row_errors(response) == [
        # The later-admitted of two lines is the one reported, naming the other.
        (
            4,
            "row",
            "This hospital stay overlaps the one on line 5 (admitted Feb 1, 2026, discharged "
            f"Feb 5, 2026): {twice}.",
        ),
        (
            8,
            "row",
            "This hospital stay overlaps the one on line 9 (admitted Mar 9, 2026, discharged "
            f"Mar 11, 2026): {twice}.",
        ),
    ]
    assert nothing_written() is False and UtilizationRecord.objects.count() == 1
    assert not UtilizationImport.objects.exists()


def test_a_hospital_admission_is_recorded_once_per_day_but_ed_visits_may_repeat(patients):
    patient = patients["MRN0000101"]
    day = dt.date(2026, 1, 1)
    UtilizationFactory(patient=patient, kind="ed", admitted_on=day, discharged_on=day)
    UtilizationFactory(
        patient=patient, kind="ed", admitted_on=day, discharged_on=dt.date(2026, 1, 2)
    )
    UtilizationFactory(patient=patient, kind="inpatient", admitted_on=day, discharged_on=day)
    with pytest.raises(IntegrityError), transaction.atomic():
        UtilizationFactory(
            patient=patient, kind="inpatient", admitted_on=day, discharged_on=dt.date(2026, 1, 3)
        )
    assert UtilizationRecord.objects.count() == 3


# -- confirming ----------------------------------------------------------------------------


def test_confirming_checks_the_file_again(org, login, patients):
    client = login(org.leader)
    upload(client, csv_file(*GOOD))
    staging = UtilizationImport.objects.get()
    # Between the preview and the confirmation the same ED visit was recorded with
    # another discharge (by another import): it is skipped, counted, never listed.
    UtilizationFactory(
        patient=patients["MRN0000102"],
        kind="ed",
        admitted_on=dt.date(2026, 3, 20),
        discharged_on=dt.date(2026, 3, 21),
    )
    response = client.post(reverse("reports:utilization_confirm", args=[staging.pk]), follow=True)
    page = response.content.decode()
    assert "Imported 2 rows (1 already imported)." in page
    assert "Mar 21, 2026" not in page and "2026-03-21" not in page
    assert UtilizationRecord.objects.count() == 3  # two imported, the one recorded meanwhile
    assert UtilizationRecord.objects.get(patient=patients["MRN0000102"]).discharged_on == (
        dt.date(2026, 3, 21)
    )
    staging.refresh_from_db()
    assert (staging.status, staging.rows, staging.preview["already"]) == ("imported", 2, 1)


def test_a_file_is_confirmed_once(org, login, patients):
    client = login(org.leader)
    upload(client, csv_file(*GOOD))
    staging = UtilizationImport.objects.get()
    client.post(reverse("reports:utilization_confirm", args=[staging.pk]))
    again = client.post(reverse("reports:utilization_confirm", args=[staging.pk]))
    assert again.status_code == 400
    assert again.context["error"] == "This file was already imported."
    assert UtilizationRecord.objects.count() == 3
    staging.refresh_from_db()
    assert staging.rows == 3
    # The preview page of an imported file says so and offers no button.
    page = client.get(reverse("reports:utilization_preview", args=[staging.pk]))
    assert "3 rows were added" in page.content.decode()
    assert "Import 3 rows" not in page.content.decode()


def test_confirming_by_get_is_not_allowed(org, login, patients):
    client = login(org.leader)
    upload(client, csv_file(*GOOD))
    staging = UtilizationImport.objects.get()
    url = reverse("reports:utilization_confirm", args=[staging.pk])
    assert client.get(url).status_code == 405
    assert not UtilizationRecord.objects.exists()


def test_a_preview_can_be_discarded(org, login, patients):
    client = login(org.leader)
    upload(client, csv_file(*GOOD))
    staging = UtilizationImport.objects.get()
    client.post(reverse("reports:utilization_discard", args=[staging.pk]))
    assert nothing_written()


def test_previews_older_than_a_day_are_dropped_by_the_next_upload(org, login, patients):
    client = login(org.leader)
    upload(client, csv_file(*GOOD))
    UtilizationImport.objects.update(imported_at=dt.datetime(2026, 11, 17, 9, tzinfo=dt.UTC))
    upload(client, csv_file(GOOD[0]))
    assert UtilizationImport.objects.get().preview["rows"] == 1


def test_unconfirmed_uploads_older_than_a_day_are_purged_by_the_hourly_task(org, login, patients):
    west = ProgramFactory(name="Westside")
    PatientFactory(program=west, mrn="MRN0000101")
    client = login(org.leader)
    upload(client, csv_file(*GOOD))
    upload(client, csv_file(GOOD[0]))
    imported = UtilizationImport.objects.latest("pk")
    client.post(reverse("reports:utilization_confirm", args=[imported.pk]))
    upload(client, csv_file(GOOD[1]))
    fresh = UtilizationImport.objects.latest("pk")
    upload(login(org.admin), csv_file(GOOD[0]), program=west.pk)
    # Everything but the last Eastside preview was uploaded over a day ago (the clock is
    # 18 Nov 10:00 New York, 15:00 UTC: 17 Nov 14:59 UTC is a day and a minute before).
    UtilizationImport.objects.exclude(pk=fresh.pk).update(
        imported_at=dt.datetime(2026, 11, 17, 14, 59, tzinfo=dt.UTC)
    )
    assert UtilizationImport.objects.filter(status="previewed").count() == 3

    assert tasks.utilization_staging_purge() == "Deleted 2 unconfirmed hospital-use uploads"
    # The imported file stays on record; the preview of the last hour stays to confirm.
    assert set(UtilizationImport.objects.values_list("pk", "status")) == {
        (imported.pk, "imported"),
        (fresh.pk, "previewed"),
    }
    assert tasks.utilization_staging_purge() == "Deleted 0 unconfirmed hospital-use uploads"


def test_the_purge_runs_every_hour_from_a_schedule_created_once():
    migration = importlib.import_module("impact.migrations.0008_utilization_identity_staging_purge")
    schedule = Schedule.objects.get(name=migration.NAME)
    # The task moved with the leaders' layer (reports 0001 points the schedule at it).
    assert (schedule.func, schedule.schedule_type, schedule.repeats) == (
        "reports.tasks.utilization_staging_purge",
        Schedule.HOURLY,
        -1,
    )
    assert tasks.utilization_staging_purge.__module__ + ".utilization_staging_purge" == (
        schedule.func
    )
    migration.create_schedule(django_apps, None)  # migrating again adds no second one
    assert Schedule.objects.filter(name=migration.NAME).count() == 1


def test_the_schedule_follows_the_task_to_the_reports_app_and_back():
    moved = importlib.import_module("reports.migrations.0001_purge_schedule_task")
    Schedule.objects.filter(name=moved.NAME).update(func=moved.OLD)
    moved.forwards(django_apps, None)
    assert Schedule.objects.get(name=moved.NAME).func == moved.NEW
    moved.backwards(django_apps, None)
    assert Schedule.objects.get(name=moved.NAME).func == moved.OLD


# -- access --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["a1", "ma"])
def test_chws_and_managers_may_not_import(org, login, patients, persona):
    client = login(org.leader)
    upload(client, csv_file(*GOOD))
    staging = UtilizationImport.objects.get()
    client = login(getattr(org, persona))
    assert client.get(reverse("reports:utilization")).status_code == 403
    assert upload(client, csv_file(*GOOD)).status_code == 403
    assert client.get(reverse("reports:utilization_preview", args=[staging.pk])).status_code == 403
    confirm = reverse("reports:utilization_confirm", args=[staging.pk])
    assert client.post(confirm).status_code == 403
    assert UtilizationImport.objects.count() == 1 and not UtilizationRecord.objects.exists()


def test_another_users_upload_is_not_found(org, login, patients):
    client = login(org.leader)
    upload(client, csv_file(*GOOD))
    staging = UtilizationImport.objects.get()
    colleague = UserFactory(username="leader2", role=Role.LEADER, program=org.program)
    west = UserFactory(username="west", role=Role.LEADER, program=ProgramFactory(name="Westside"))
    for user in (colleague, west, org.admin):
        client = login(user)
        for name in ("utilization_confirm", "utilization_discard"):
            assert client.post(reverse(f"reports:{name}", args=[staging.pk])).status_code == 404
        url = reverse("reports:utilization_preview", args=[staging.pk])
        assert client.get(url).status_code == 404
    staging.refresh_from_db()
    assert staging.status == "previewed" and not UtilizationRecord.objects.exists()


def test_an_admin_imports_into_the_program_they_choose(org, login, patients):
    west = ProgramFactory(name="Westside")
    PatientFactory(program=west, mrn="MRN0000101")
    client = login(org.admin)
    upload(client, csv_file(GOOD[0]), program=west.pk)
    staging = UtilizationImport.objects.get()
    assert staging.program == west
    client.post(reverse("reports:utilization_confirm", args=[staging.pk]))
    assert UtilizationRecord.objects.get().patient.program == west


# -- the command ---------------------------------------------------------------------------


def test_the_command_imports_a_file(org, patients, tmp_path):
    path = tmp_path / "stays.csv"
    path.write_bytes(csv_file(*GOOD))
    out, _err = run(str(path), "--program", str(org.program.pk))
    assert out.strip() == "Imported 3 rows (0 already imported)."
    source = UtilizationImport.objects.get()
    assert (source.status, source.rows, source.filename, source.imported_by) == (
        "imported",
        3,
        "stays.csv",
        None,
    )
    assert UtilizationRecord.objects.filter(source=source).count() == 3
    out, _err = run(str(path), "--program", str(org.program.pk))
    assert out.strip() == "Imported 0 rows (3 already imported)."
    assert UtilizationRecord.objects.count() == 3
    assert UtilizationImport.objects.count() == 1  # nothing new, nothing recorded


def test_the_command_dry_run_writes_nothing(org, patients, tmp_path):
    path = tmp_path / "stays.csv"
    path.write_bytes(csv_file(*GOOD))
    out, _err = run(str(path), "--program", str(org.program.pk), "--dry-run")
    assert out.startswith("Would import 3 rows (0 already imported).")
    assert nothing_written()


def test_the_command_prints_every_row_problem_and_imports_nothing(org, patients, tmp_path):
    path = tmp_path / "stays.csv"
    path.write_bytes(csv_file(*GOOD, "MRN0000101,clinic,2026-03-02,", "MRN0000101,ED,tomorrow,"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 problems in stays.csv: nothing was imported."):
        call_command("import_utilization", str(path), "--program", str(org.program.pk), stderr=err)
    assert err.getvalue().splitlines() == [
        "line 5, kind: Not a kind: use inpatient (or admission, IP) or ED (or ER, emergency).",
        "line 6, admitted: Not a date: use YYYY-MM-DD (2026-03-02) or MM/DD/YYYY (03/02/2026).",
    ]
    assert nothing_written()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        ("Peña".encode("cp1252"), "Save it as CSV UTF-8"),
        (csv_file("a", header="MRN"), "Missing: kind, admitted, discharged."),
    ],
)
def test_the_command_refuses_a_file_it_cannot_read(org, tmp_path, content, message):
    path = tmp_path / "stays.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(str(path), "--program", str(org.program.pk))
    assert nothing_written()


def test_the_command_refuses_a_file_over_the_limit_without_reading_it(org, tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:  # sparse: nothing is written to disk
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(
        CommandError, match=re.escape("The file is larger than 10.0 MB (it is 50.0 MB).")
    ):
        run(str(path), "--program", str(org.program.pk))


def test_the_command_needs_a_program_and_a_file(org, tmp_path):
    with pytest.raises(CommandError, match="no program with ID 999"):
        run(str(tmp_path / "x.csv"), "--program", "999")
    with pytest.raises(CommandError, match="is not a file"):
        run(str(tmp_path / "missing.csv"), "--program", str(org.program.pk))


# -- queries -------------------------------------------------------------------------------

# Measured at 5 and 150 rows, then pinned (150 stays under one insert batch on SQLite).
# Upload: session, user, the user's program, the page's program, patients by MRN, stays
# already recorded, the same file imported before, stale previews, the staging row.
# (Checked with a 150-row file: the count does not depend on its size.)
UPLOAD_QUERIES = 9
# Preview page: session, user, the user's program, the staging row with its program.
PREVIEW_QUERIES = 4
# Confirm: session, user, the user's program, the staging row, patients, stays already
# recorded, the claim (update) and the insert inside a savepoint (SAVEPOINT, RELEASE); then
# the stays' history (impact.audit): the new rows read back, and their historical rows
# inserted in batches of 90 (twice the columns, under SQLite's 999 parameters): 12 at 5
# rows, 13 at 150.
CONFIRM_QUERIES = 13


@pytest.mark.parametrize("n", [5, 150])
def test_the_import_runs_a_fixed_number_of_queries(org, login, django_assert_max_num_queries, n):
    for i in range(n):
        PatientFactory(program=org.program, mrn=f"P{i:06d}")
    content = csv_file(*[f"P{i:06d},inpatient,2026-03-02,2026-03-05" for i in range(n)])
    client = login(org.leader)
    with django_assert_max_num_queries(UPLOAD_QUERIES):
        response = upload(client, content)
    with django_assert_max_num_queries(PREVIEW_QUERIES):
        client.get(response.url)
    staging = UtilizationImport.objects.get()
    with django_assert_max_num_queries(CONFIRM_QUERIES):
        client.post(reverse("reports:utilization_confirm", args=[staging.pk]))
    assert UtilizationRecord.objects.count() == n

"""Importing hospital admissions and ED visits from a CSV: whole-file problems, per-row
problems with their exact line numbers (the header is line 1), all or nothing, re-imports
that change nothing, the preview → confirm flow, the command, and who may do it.
Clock: Wednesday 18 November 2026."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import re

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django_q.models import Schedule

from impact.models import Role
from reports import tasks
from reports.imports import checks
from reports.models import UtilizationImport, UtilizationRecord
from tests.factories import PatientFactory, ProgramFactory, UserFactory, UtilizationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


HEADER = "MRN,kind,admitted,discharged"
GOOD = [
    "MRN0000101,inpatient,2026-03-02,2026-03-06",
    "MRN0000102,ED,03/20/2026,",
    "MRN0000101,ed,2026-04-01,2026-04-01",
]


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows, ""]).encode()


@pytest.fixture
def patients(org):
    """Three patients of the program, by MRN (one typed with spaces around it)."""
    return {
        "MRN0000101": PatientFactory(program=org.program, mrn="MRN0000101"),
        "MRN0000102": PatientFactory(program=org.program, mrn=" MRN0000102 "),
        "MRN0000103": PatientFactory(program=org.program, mrn="MRN0000103"),
    }


def upload(client, content: bytes, name: str = "stays.csv", **query):
    url = reverse("reports:utilization")
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return client.post(url, {"file": SimpleUploadedFile(name, content, "text/csv")})


def file_error(response) -> str:
    assert response.status_code == 400
    return " ".join(response.context["form"].errors["file"])


def row_errors(response) -> list[tuple[int, str, str]]:
    assert response.status_code == 400
    return [(e.line, e.column, e.message) for e in response.context["row_errors"]]


def nothing_written() -> bool:
    return not UtilizationImport.objects.exists() and not UtilizationRecord.objects.exists()


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


# -- whole-file problems -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"\n\n  \n", "The file is empty."),
        (csv_file(), "The file has a header line but no rows."),
        (csv_file(",,,", "", " , ,,"), "The file has a header line but no rows."),
        (
            csv_file("MRN0000101,inpatient,2026-03-02", header="MRN,kind,admitted"),
            "Missing: discharged.",
        ),
        (
            csv_file("a,b", header="patient,type"),
            "Missing: MRN, kind, admitted, discharged.",
        ),
        (
            csv_file("MRN0000101;ED;2026-03-02;", header="MRN;kind;admitted;discharged"),
            "separated by semicolons or tabs",
        ),
        (csv_file("x,ED,2026-03-02,", header="MRN,kind,admitted,discharged,mrn"), "more than once"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), "This is an Excel workbook"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "This is a PDF"),
        (b"\x00\x01\x02binary", "it is not text"),
        ("MRN,kind,admitted,discharged\n".encode("utf-16"), "UTF-16"),
        (csv_file("MRN0000101,ED,2026-03-02,,extra,more"), "Line 2 has 6 values"),
        (csv_file('MRN0000101,ED,"2026-03-02,'), "could not be read as CSV"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_one_message(
    org, login, patients, content, message
):
    response = upload(login(org.leader), content)
    assert message in file_error(response)
    assert response.context["row_errors"] == []
    assert nothing_written()


def test_text_that_is_not_utf8_says_how_to_save_it(org, login, patients):
    content = "\n".join([HEADER, *GOOD, "MRN0000103,ED,2026-03-02,", "Peña,ED,2026-03-03,"])
    response = upload(login(org.leader), content.encode("cp1252"))
    message = file_error(response)
    assert "not UTF-8" in message
    assert "line 6" in message  # the header, three good rows, one more, then Peña
    assert "Save it as CSV UTF-8" in message
    assert nothing_written()


def test_a_50_mb_file_is_refused_before_it_is_read(org, login, patients):
    row = b"MRN0000101,ED,2026-03-02,\n"
    content = HEADER.encode() + b"\n" + row * (50 * 1024 * 1024 // len(row) + 1)
    assert len(content) > 50 * 1024 * 1024
    response = upload(login(org.leader), content, name="huge.csv")
    message = file_error(response)
    assert "The file is larger than 10.0 MB (it is 50.0 MB)." in message
    # The upload handler stopped keeping the file past 10 MB (nothing spooled to disk).
    assert response.wsgi_request.upload_too_big > checks.MAX_BYTES
    assert nothing_written()


def test_the_upload_checks_the_csrf_token_after_installing_the_size_limit(org, patients):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.leader)
    url = reverse("reports:utilization")
    token = client.get(url).cookies["csrftoken"].value
    refused = client.post(url, {"file": SimpleUploadedFile("s.csv", csv_file(*GOOD))})
    assert refused.status_code == 403
    accepted = client.post(
        url,
        {"file": SimpleUploadedFile("s.csv", csv_file(*GOOD)), "csrfmiddlewaretoken": token},
    )
    assert accepted.status_code == 302
    # The token still counts when it comes after a file that was too big to keep.
    big = HEADER.encode() + b"\n" + b"MRN0000101,ED,2026-03-02,\n" * 500_000
    too_big = client.post(
        url, {"file": SimpleUploadedFile("big.csv", big), "csrfmiddlewaretoken": token}
    )
    assert "larger than 10.0 MB" in file_error(too_big)
    assert UtilizationImport.objects.count() == 1


def test_the_size_is_checked_before_reading(org, patients):
    too_big = b"x" * (checks.MAX_BYTES + 1)
    with pytest.raises(checks.ValidationError) as refused:
        checks.check(program=org.program, content=too_big)
    assert "larger than 10.0 MB" in refused.value.messages[0]


def test_no_file_at_all_is_refused(org, login):
    response = login(org.leader).post(reverse("reports:utilization"), {})
    assert "Choose a CSV file to upload." in file_error(response)
    assert nothing_written()


# -- people outside the program ------------------------------------------------------------


def outsiders(n: int) -> list[str]:
    return [f"PAYER{i:05d},ED,2026-03-{1 + i % 28:02d}," for i in range(n)]


def test_rows_for_people_not_in_the_program_are_skipped_and_counted_not_listed(
    org, login, patients
):
    """A claims export holds everyone the payer covers: the 41 rows about other people
    are neither errors nor shown line by line; only their count is."""
    PatientFactory(program=ProgramFactory(name="Westside"), mrn="WEST0000001")
    content = csv_file(*outsiders(20), *GOOD, *outsiders(40)[20:], "WEST0000001,ED,2026-03-02,")
    client = login(org.leader)
    response = upload(client, content)
    assert response.status_code == 302  # no errors: a preview
    staging = UtilizationImport.objects.get()
    preview = staging.preview
    assert (preview["rows"], preview["new"], preview["already"]) == (44, 3, 0)
    assert preview["not_enrolled"] == 41
    assert preview["sample"] == []  # lines to import would say whose rows they are
    html = client.get(response.url).content.decode()
    assert "41 rows for people not enrolled in this program were skipped." in html
    assert 'id="preview-rows"' not in html
    assert "PAYER" not in html
    assert "Import 3 rows" in html

    done = client.post(reverse("reports:utilization_confirm", args=[staging.pk]))
    assert set(UtilizationRecord.objects.values_list("patient__mrn", flat=True)) == {
        "MRN0000101",
        " MRN0000102 ",
    }
    listing = client.get(done.url).content.decode()
    assert "Imported 3 rows (0 already imported)." in listing
    assert "41 rows for people not enrolled in this program were skipped." in listing


def test_one_skipped_row_is_counted_in_the_singular_and_in_spanish(org, login, patients):
    client = login(org.leader)
    upload(client, csv_file(*GOOD, "MRN7654321,ED,2026-03-02,"))
    staging = UtilizationImport.objects.get()
    page = client.get(reverse("reports:utilization_preview", args=[staging.pk]))
    assert "1 row for a person not enrolled in this program was skipped." in page.content.decode()
    org.leader.preferred_language = "es"
    org.leader.save()
    page = client.get(reverse("reports:utilization_preview", args=[staging.pk]))
    assert "Se omitió 1 fila de una persona que no está inscrita en este programa." in (
        page.content.decode()
    )


def test_a_file_only_about_other_people_imports_nothing_and_says_so(org, login, patients):
    client = login(org.leader)
    upload(client, csv_file(*outsiders(3)))
    staging = UtilizationImport.objects.get()
    assert staging.content is None  # nothing to import: the file's MRNs are not kept
    html = client.get(reverse("reports:utilization_preview", args=[staging.pk])).content.decode()
    assert "3 rows for people not enrolled in this program were skipped." in html
    assert "Nothing to import from this file." in html
    assert "already imported" not in html.split('id="preview-not-enrolled"', 1)[1]


def record_stays(patient) -> list[dt.date]:
    """A hospital stay of 11-19 May 2026 and an ED visit on 1 June 2026 recorded for
    `patient`; their days, none of which the pages show on their own (the upload page's
    example is of March)."""
    UtilizationFactory(
        patient=patient,
        kind="inpatient",
        admitted_on=dt.date(2026, 5, 11),
        discharged_on=dt.date(2026, 5, 19),
    )
    UtilizationFactory(
        patient=patient,
        kind="ed",
        admitted_on=dt.date(2026, 6, 1),
        discharged_on=dt.date(2026, 6, 1),
    )
    return [dt.date(2026, 5, 11), dt.date(2026, 5, 19), dt.date(2026, 6, 1)]


def shows_none_of(days: list[dt.date], text: str) -> bool:
    """No day of `days` in `text`, in any way a page or the command writes a date."""
    return not any(
        form in text
        for day in days
        for form in (
            day.isoformat(),
            f"{day:%m/%d/%Y}",
            f"{day.month}/{day.day}/{day.year}",
            f"{day:%b} {day.day}, {day.year}",
        )
    )


def test_which_lines_are_errors_does_not_depend_on_who_is_enrolled(org, login, patients):
    """The same faulty rows about a patient of the program with stays recorded, about one
    without, and about someone else get the same errors on the same lines: the error list
    tells nothing about who is enrolled or what is recorded for them."""
    record_stays(patients["MRN0000101"])

    def problems(mrn: str) -> list[tuple[int, str, str]]:
        content = csv_file(
            f"{mrn},inpatient,2026-03-02,2026-03-06",  # 2
            f"{mrn},ED,2026-13-02,",  # 3: not a date
            f"{mrn},inpatient,2026-03-02,2026-03-06",  # 4: the same stay as line 2
            f"{mrn},inpatient,2026-03-04,2026-03-08",  # 5: overlaps line 2
            f"{mrn},ED,2026-04-01,2026-04-01",  # 6
            f"{mrn},ED,2026-04-01,2026-04-02",  # 7: line 6 with another discharge
            f"{mrn},inpatient,2026-05-11,2026-05-19",  # 8: a stay recorded for MRN0000101
            f"{mrn},inpatient,2026-05-15,2026-05-17",  # 9: overlaps line 8 (and the record)
            f"{mrn},inpatient,2000-01-02,2026-11-18",  # 10: 26 years long
            f"{mrn},ED,2026-06-01,2026-06-03",  # 11: another discharge than the record's
            f"{mrn},ED,2026-06-10,2026-06-30",  # 12: an ED visit of 20 days
        )
        return row_errors(upload(login(org.leader), content))

    recorded, enrolled, outsider = (
        problems("MRN0000101"),
        problems("MRN0000103"),
        problems("PAYER00001"),
    )
    assert recorded == enrolled == outsider
    assert [line for line, _column, _message in enrolled] == [3, 4, 5, 7, 9, 10, 12]
    # Line 9 names line 8 of the file, never the stay recorded.
    assert enrolled[4] == (
        9,
        "row",
        "This hospital stay overlaps the one on line 8 (admitted May 11, 2026, discharged May "
        "19, 2026): its days would count twice.",
    )
    assert not UtilizationImport.objects.exists()


def test_an_attackers_long_stays_get_the_same_answer_whoever_they_are_about(org, login, patients):
    """The review's attack: a stay from 2000 to today per MRN would have flagged, line by
    line and with the recorded dates, every enrolled patient with a stay recorded. Now it
    is an error on its line for anyone (longer than a hospital stay can be), the answer is
    the same for an enrolled MRN and another, and no recorded date is in it."""
    days = record_stays(patients["MRN0000101"])

    def answer(mrn: str):
        content = csv_file(
            f"{mrn},inpatient,2000-01-02,2026-11-18",
            f"{mrn},ED,2026-06-01,2026-06-08",
        )
        response = upload(login(org.leader), content)
        return row_errors(response), response.content.decode()

    (enrolled, html), (outsider, other_html) = answer("MRN0000101"), answer("PAYER00001")
    # Line 3 is no error for either (a week is not too long for an ED visit), though for
    # MRN0000101 it is the ED visit recorded on 1 June with another discharge.
    assert (
        enrolled
        == outsider
        == [
            (
                2,
                "discharged",
                "This hospital stay lasts 9817 days, more than 365: check the admission and "
                "discharge dates.",
            ),
        ]
    )
    assert "1 problem: nothing was imported" in html and "1 problem: nothing" in other_html
    assert shows_none_of(days, html)
    assert not UtilizationImport.objects.exists()


def test_stays_that_clash_with_recorded_ones_are_skipped_and_only_counted(org, login, patients):
    """Rows about a patient that clash with a stay recorded for them are no error (an error
    on their line would say who is enrolled and, with its dates, when they were in
    hospital): they are skipped and counted with the stays already imported; no page
    lists their lines or shows the recorded dates."""
    days = record_stays(patients["MRN0000101"])
    content = csv_file(
        "MRN0000101,inpatient,2026-05-01,2026-05-12",  # 2: overlaps the recorded stay
        "MRN0000101,ED,2026-06-01,2026-06-02",  # 3: the recorded visit, another discharge
        "MRN0000101,ED,2026-06-05,",  # 4: new
        "MRN0000103,ED,2026-06-03,",  # 5: new
        "PAYER00001,inpatient,2026-05-01,2026-05-12",  # 6: not enrolled
    )
    client = login(org.leader)
    response = upload(client, content)
    staging = UtilizationImport.objects.get()
    assert response.url == reverse("reports:utilization_preview", args=[staging.pk])
    preview = staging.preview
    assert (preview["rows"], preview["new"], preview["already"], preview["not_enrolled"]) == (
        5,
        2,
        2,
        1,
    )
    assert preview["sample"] == []  # which lines are new would say which were skipped
    # The dates are the file's own, whoever its rows are about.
    assert (preview["first"], preview["last"]) == ("2026-05-01", "2026-06-05")
    page = client.get(response.url).content.decode()
    assert shows_none_of(days, page)
    assert 'id="preview-rows"' not in page

    done = client.post(reverse("reports:utilization_confirm", args=[staging.pk]), follow=True)
    assert "Imported 2 rows (2 already imported)." in done.content.decode()
    assert shows_none_of(days, done.content.decode())
    # The recorded stays stand, unchanged; the two new visits are added.
    assert set(
        UtilizationRecord.objects.values_list(
            "patient__mrn", "kind", "admitted_on", "discharged_on"
        )
    ) == {
        ("MRN0000101", "inpatient", dt.date(2026, 5, 11), dt.date(2026, 5, 19)),
        ("MRN0000101", "ed", dt.date(2026, 6, 1), dt.date(2026, 6, 1)),
        ("MRN0000101", "ed", dt.date(2026, 6, 5), dt.date(2026, 6, 5)),
        ("MRN0000103", "ed", dt.date(2026, 6, 3), dt.date(2026, 6, 3)),
    }


def test_a_one_row_file_differs_by_its_counts_alone(org, login, patients):
    """What a one-row file still tells (README, Security): whether its row would be
    imported, skipped as already recorded, or skipped as not enrolled; by the counts,
    never by a line or a date, and the same preview otherwise."""
    days = record_stays(patients["MRN0000101"])
    client = login(org.leader)

    def preview(mrn: str) -> dict:
        response = upload(client, csv_file(f"{mrn},inpatient,2026-05-01,2026-05-12"))
        page = client.get(response.url).content.decode()
        assert shows_none_of(days, page)
        return UtilizationImport.objects.latest("pk").preview

    clashing, outsider = preview("MRN0000101"), preview("PAYER00001")
    assert (clashing["already"], clashing["not_enrolled"]) == (1, 0)
    assert (outsider["already"], outsider["not_enrolled"]) == (0, 1)
    counts = {"already", "not_enrolled"}
    assert {k: v for k, v in clashing.items() if k not in counts} == {
        k: v for k, v in outsider.items() if k not in counts
    }


@pytest.mark.parametrize("mrn", ["MRN0000103", "PAYER00001"])
def test_a_stay_longer_than_a_hospital_stay_or_an_ed_visit_can_be_is_an_error(
    org, login, patients, mrn
):
    content = csv_file(
        f"{mrn},inpatient,2024-01-01,2024-12-31",  # 2: 365 days: the longest there may be
        f"{mrn},inpatient,2025-01-01,2026-01-02",  # 3: 366 days
        f"{mrn},ED,2026-02-01,2026-02-08",  # 4: a week: the longest ED visit
        f"{mrn},ED,2026-03-01,03/09/2026",  # 5: 8 days
    )
    response = upload(login(org.leader), content)
    assert row_errors(response) == [
        (
            3,
            "discharged",
            "This hospital stay lasts 366 days, more than 365: check the admission and "
            "discharge dates.",
        ),
        (
            5,
            "discharged",
            "This ED visit lasts 8 days, more than 7: check the dates (a longer stay is a "
            "hospital admission).",
        ),
    ]
    assert nothing_written()


def test_reimporting_a_corrected_export_imports_nothing_new_and_reveals_nothing(
    org, login, patients, tmp_path
):
    client = login(org.leader)
    upload(
        client,
        csv_file(
            "MRN0000101,inpatient,2026-05-11,2026-05-19",
            "MRN0000102,ED,2026-06-01,",
            "MRN0000103,inpatient,2026-07-01,2026-07-04",
        ),
    )
    client.post(reverse("reports:utilization_confirm", args=[UtilizationImport.objects.get().pk]))
    before = set(
        UtilizationRecord.objects.values_list("patient", "kind", "admitted_on", "discharged_on")
    )
    assert len(before) == 3
    # Next month's export: the same stays, two of them as the payer corrected them, and
    # someone the program does not know.
    content = csv_file(
        "MRN0000101,inpatient,2026-05-11,2026-05-20",  # another discharge
        "MRN0000102,ED,2026-06-01,",  # the same visit
        "MRN0000103,inpatient,2026-06-30,2026-07-02",  # another admission day, overlapping
        "PAYER00001,ED,2026-06-01,",
    )
    only_recorded = [dt.date(2026, 5, 19), dt.date(2026, 7, 1), dt.date(2026, 7, 4)]
    response = upload(client, content)
    again = UtilizationImport.objects.latest("pk")
    assert response.url == reverse("reports:utilization_preview", args=[again.pk])
    preview = again.preview
    assert (preview["new"], preview["already"], preview["not_enrolled"]) == (0, 3, 1)
    assert preview["sample"] == [] and again.content is None
    page = client.get(response.url).content.decode()
    assert shows_none_of(only_recorded, page)
    assert "Nothing to import from this file." in page
    refused = client.post(reverse("reports:utilization_confirm", args=[again.pk]))
    assert shows_none_of(only_recorded, refused.content.decode())
    # The command says the same, in counts.
    path = tmp_path / "claims.csv"
    path.write_bytes(content)
    out, err = run(str(path), "--program", str(org.program.pk))
    assert out.strip() == (
        "Imported 0 rows (3 already imported). "
        "1 row for a person not enrolled in this program was skipped."
    )
    assert err == "" and shows_none_of(only_recorded, out)
    after = set(
        UtilizationRecord.objects.values_list("patient", "kind", "admitted_on", "discharged_on")
    )
    assert after == before


def test_a_recorded_stay_of_a_patient_without_an_mrn_does_not_break_the_check(org, login, patients):
    UtilizationFactory(
        patient=PatientFactory(program=org.program, mrn=""),
        admitted_on=dt.date(2026, 3, 1),
        discharged_on=dt.date(2026, 3, 10),
    )
    response = upload(login(org.leader), csv_file(*GOOD))
    assert response.status_code == 302
    assert UtilizationImport.objects.get().preview["new"] == 3


def test_the_command_counts_the_skipped_rows(org, patients, tmp_path):
    path = tmp_path / "claims.csv"
    path.write_bytes(csv_file(*GOOD, *outsiders(2)))
    out, _err = run(str(path), "--program", str(org.program.pk))
    assert out.strip() == (
        "Imported 3 rows (0 already imported). "
        "2 rows for people not enrolled in this program were skipped."
    )


# -- row problems --------------------------------------------------------------------------


def test_every_row_problem_is_reported_on_its_line(org, login, patients):
    other_program = PatientFactory(program=ProgramFactory(name="Westside"), mrn="WEST0000001")
    assert other_program.mrn == "WEST0000001"
    content = csv_file(
        "MRN0000101,inpatient,2026-03-02,2026-03-06",  # 2: fine
        "MRN9999999,inpatient,2026-03-02,2026-03-06",  # 3: unknown MRN: skipped
        "WEST0000001,ED,2026-03-02,",  # 4: another program's patient: skipped
        ",ED,2026-03-02,",  # 5: no MRN
        "MRN0000101,inpatient,2026-05-10,2026-05-08",  # 6: discharged before admitted
        "MRN0000101,clinic,2026-03-02,2026-03-02",  # 7: unknown kind
        "MRN0000102,,2026-03-02,",  # 8: no kind
        "MRN0000101,ED,02.03.2026,",  # 9: a European date
        "MRN0000101,ED,2026/13/01,",  # 10: neither format
        "MRN0000101,inpatient,2026-02-30,2026-03-01",  # 11: no such day
        "MRN0000101,inpatient,2026-03-02,",  # 12: a stay without its discharge
        "MRN0000101,ED,,",  # 13: no admission date
        "MRN0000103,ED,2026-11-19,",  # 14: tomorrow
        "MRN0000103,inpatient,2026-11-10,2026-11-20",  # 15: discharged in the future
        "",  # 16: a blank line is skipped, and still counted
        "MRN0000101,inpatient,2026-03-02,2026-03-06",  # 17: the same stay as line 2
        "MRN0000103,ED,1999-12-31,",  # 18: before 2000
    )
    response = upload(login(org.leader), content)
    formats = "use YYYY-MM-DD (2026-03-02) or MM/DD/YYYY (03/02/2026)."
    assert row_errors(response) == [
        (5, "MRN", "The MRN is missing."),
        (6, "discharged", "The discharge (May 8, 2026) is before the admission (May 10, 2026)."),
        (
            7,
            "kind",
            "Not a kind: use inpatient (or admission, IP) or ED (or ER, emergency).",
        ),
        (8, "kind", "The kind is missing: inpatient (or admission, IP) or ED (or ER, emergency)."),
        (9, "admitted", f"Not a date: {formats}"),
        (10, "admitted", f"Not a date: {formats}"),
        (11, "admitted", f"Not a date: {formats}"),
        (
            12,
            "discharged",
            "A hospital stay needs its discharge date (only an ED visit may leave it empty).",
        ),
        (13, "admitted", "The admission date is missing."),
        (14, "admitted", "Nov 19, 2026 is in the future."),
        (15, "discharged", "Nov 20, 2026 is in the future."),
        (17, "row", "The same stay as line 2."),
        (18, "admitted", "Dec 31, 1999 is before 2000."),
    ]
    assert "15 problems" not in response.content.decode()
    assert "13 problems: nothing was imported" in response.content.decode()
    assert nothing_written()


def test_no_message_repeats_what_a_cell_holds(org, login, patients):
    # The columns shifted: a name landed in the kind and date columns.
    content = csv_file(
        "MRN0000101,Jane Doe,2026-03-02,",
        "MRN0000101,ED,Jane Doe 1962-04-01,",
        "MRN0000101,inpatient,2026-03-02,Doe Jane",
    )
    response = upload(login(org.leader), content)
    formats = "Not a date: use YYYY-MM-DD (2026-03-02) or MM/DD/YYYY (03/02/2026)."
    assert row_errors(response) == [
        (2, "kind", "Not a kind: use inpatient (or admission, IP) or ED (or ER, emergency)."),
        (3, "admitted", formats),
        (4, "discharged", formats),
    ]
    html = response.content.decode()
    assert "Jane" not in html and "Doe" not in html and "1962" not in html


def test_lines_are_the_files_own_when_a_quoted_value_spans_lines(org, login, patients):
    content = csv_file(
        'MRN0000101,ED,2026-03-02,,"Came in by ambulance,',  # 2-4: one row on three lines
        "seen by the team",
        'discharged home"',
        "MRN9999999,ED,2026-03-03,,",  # 5
        "",  # 6
        'MRN0000102,ED,2026-03-04,,"two\r\nlines"',  # 7-8
        "MRN0000103,ED,tomorrow,,",  # 9
        header=HEADER + ",notes",
    )
    response = upload(login(org.leader), content)
    assert row_errors(response) == [
        (9, "admitted", "Not a date: use YYYY-MM-DD (2026-03-02) or MM/DD/YYYY (03/02/2026)."),
    ]
    # A row with too many values is named by its own line too.
    content = csv_file('MRN0000101,ED,2026-03-02,"a\nb"', "MRN0000101,ED,2026-03-03,,x")
    assert "Line 4 has 5 values" in file_error(upload(login(org.leader), content))
    # And so are the rows of the preview.
    content = csv_file(
        'MRN0000101,ED,2026-03-02,,"a\nb"', "MRN0000102,ED,2026-03-03,,", header=HEADER + ",notes"
    )
    upload(login(org.leader), content)
    assert [r["line"] for r in UtilizationImport.objects.get().preview["sample"]] == [2, 4]


def test_one_bad_row_means_nothing_is_imported(org, login, patients):
    content = csv_file(*GOOD, "MRN0000103,ED,2026-03-02,2026-03-01")
    response = upload(login(org.leader), content)
    assert row_errors(response) == [
        (5, "discharged", "The discharge (Mar 1, 2026) is before the admission (Mar 2, 2026).")
    ]
    assert nothing_written()


def test_an_ed_visit_without_discharge_duplicates_one_with_the_same_day(org, login, patients):
    content = csv_file("MRN0000102,ED,2026-03-20,", "MRN0000102,er,03/20/2026,2026-03-20")
    response = upload(login(org.leader), content)
    assert row_errors(response) == [(3, "row", "The same stay as line 2.")]


def test_errors_past_200_are_counted_not_listed(org, login, patients):
    content = csv_file(*[f"MRN0000101,ED,bad{n}," for n in range(250)])
    response = upload(login(org.leader), content)
    assert len(response.context["row_errors"]) == 200
    assert response.context["error_count"] == 250
    assert response.context["row_errors"][-1].line == 201
    assert "… and 50 more problems." in response.content.decode()


def test_the_error_page_shows_no_mrn(org, login, patients):
    response = upload(login(org.leader), csv_file("MRN0000101,ED,2026-13-02,"))
    assert row_errors(response)
    assert "MRN0000101" not in response.content.decode()
    response = upload(login(org.leader), csv_file("MRN7654321,ED,2026-13-02,"))
    assert row_errors(response)
    assert "MRN7654321" not in response.content.decode()


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


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_utilization", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


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

"""Checking a file of hospital stays (reports.imports.checks), through the leader's
page and the command: whole-file problems, per-row problems with their exact line numbers
(the header is line 1), rows about people outside the program and stays already recorded
skipped and only counted, and what the answers never tell. Clock: Wednesday 18 November
2026."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from reports.imports import checks
from reports.models import UtilizationImport, UtilizationRecord
from tests.factories import PatientFactory, ProgramFactory, UtilizationFactory
from tests.reports.imports.uploads import (
    GOOD,
    HEADER,
    csv_file,
    file_error,
    nothing_written,
    row_errors,
    run,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


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

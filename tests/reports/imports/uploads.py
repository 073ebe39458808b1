"""What the hospital-use import tests share: a CSV file of stays, uploading it on the
leader's page, reading the page's answer, and running the `import_utilization` command."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from reports.models import UtilizationImport, UtilizationRecord

HEADER = "MRN,kind,admitted,discharged"
GOOD = [
    "MRN0000101,inpatient,2026-03-02,2026-03-06",
    "MRN0000102,ED,03/20/2026,",
    "MRN0000101,ed,2026-04-01,2026-04-01",
]


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows, ""]).encode()


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


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_utilization", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()

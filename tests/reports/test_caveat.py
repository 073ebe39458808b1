"""The ROI caveat is written once (`roi.caveat`): the ROI page, the PDF and the CSV carry
the same words, in the leader's language."""

from __future__ import annotations

import csv
import datetime as dt
import io
from html import escape

import pypdf
import pytest
from django.urls import reverse
from django.utils import translation

from reports.exports import files as exports
from reports.roi import figures as roi

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


def test_the_caveat_names_the_window_and_the_three_warnings():
    paragraphs = roi.caveat(180)
    assert len(paragraphs) == 3
    assert "180 days before enrolling with the 180 days after" in paragraphs[0]
    assert "regression to the mean" in paragraphs[0]
    assert "Attribution" in paragraphs[1]
    assert "not a trial" in paragraphs[2] and "upper estimate" in paragraphs[2]


def test_the_page_shows_the_same_caveat(org, login):
    html = login(org.leader).get(reverse("reports:roi")).content.decode()
    for paragraph in roi.caveat(org.program.roi_window_days):
        assert f"<li>{escape(paragraph)}</li>" in html


def test_the_csv_and_the_pdf_carry_the_same_caveat(org):
    words = roi.caveat(org.program.roi_window_days)
    content, _name = exports.build("csv", program=org.program, start=START, end=END)
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    assert dict((row[0], row[1]) for row in rows if len(row) > 1)["Caveat"] == " ".join(words)
    content, _name = exports.build("pdf", program=org.program, start=START, end=END)
    text = " ".join(
        " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages).split()
    )
    assert all(" ".join(paragraph.split()) in text for paragraph in words)


def test_the_caveat_speaks_spanish():
    with translation.override("es"):
        paragraphs = roi.caveat(90)
    assert "regresión a la media" in paragraphs[0] and "90 días" in paragraphs[0]
    assert "no es un ensayo" in paragraphs[2]

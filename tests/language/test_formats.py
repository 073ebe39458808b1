"""Dates, numbers and money follow the active language; exports stay machine-readable."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from impact.lib.formats import long_date, money
from tests.factories import CostLineFactory, EnrollmentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

DAY = dt.date(2026, 11, 23)


def render(text: str, **context) -> str:
    return Template("{% load formatting %}" + text).render(Context(context))


@pytest.mark.parametrize(
    ("language", "date", "written", "number", "amount", "ratio", "loss"),
    [
        ("en", "Nov 23, 2026", "November 23, 2026", "1,234.5", "$1,234.50", "$2.47", "−$0.51"),
        (
            "es",
            "23 de noviembre de 2026",
            "23 de noviembre de 2026",
            "1.234,5",
            "1.234,50\xa0US$",
            "2,47\xa0US$",
            "−0,51\xa0US$",
        ),
    ],
)
def test_a_date_a_number_and_money_in_each_language(
    language, date, written, number, amount, ratio, loss
):
    with translation.override(language):
        assert date_format(DAY, "DATE_FORMAT") == date
        assert render('{{ day|date:"DATE_FORMAT" }}', day=DAY) == date
        assert long_date(DAY) == written
        assert render('{{ n|floatformat:"1g" }}', n=1234.5) == number
        assert money(Decimal("1234.5"), 2) == amount
        assert render("{{ v|money:2 }}", v=Decimal("2.47")) == ratio
        assert money(Decimal("-0.505"), 2) == loss  # half up, a typographic minus


def test_whole_amounts_drop_their_cents_only_when_asked():
    with translation.override("en"):
        assert render('{{ v|money:"-2" }} {{ v|money:2 }}', v=Decimal(16478)) == (
            "$16,478 $16,478.00"
        )
        assert render('{{ v|money:"0g" }}', v=Decimal("34156.4")) == "$34,156"
        assert money(None) == "—"


def test_the_patient_page_shows_dates_in_the_chws_language(org, login):
    enrollment = EnrollmentFactory(chw=org.a1, days_ago=30)  # enrolled Oct 19, 2026
    url = reverse("caseloads:enrollment", args=[enrollment.pk])
    assert "Oct 19, 2026" in login(org.a1).get(url).content.decode()
    org.a1.preferred_language = "es"
    org.a1.save()
    assert "19 de octubre de 2026" in login(org.a1).get(url).content.decode()


def test_the_costs_page_shows_money_in_the_leaders_language(org, login):
    CostLineFactory(program=org.program, amount=Decimal("39900.25"))
    assert "$39,900.25" in login(org.leader).get(reverse("reports:costs")).content.decode()
    org.leader.preferred_language = "es"
    org.leader.save()
    page = login(org.leader).get(reverse("reports:costs")).content.decode()
    assert "39.900,25\xa0US$" in page and "$39,900.25" not in page


def test_exports_keep_machine_readable_numbers_in_any_language(org, login):
    CostLineFactory(program=org.program, amount=Decimal("36500.50"))
    period = {"start": "2026-01-01", "end": "2026-12-31", "kind": "csv-sum"}

    def numbers(language: str) -> list[str]:
        org.leader.preferred_language = language
        org.leader.save()
        response = login(org.leader).post(reverse("reports:exports"), period)
        assert response.status_code == 200
        rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
        return [cell for row in rows for cell in row[1:]]

    english, spanish = numbers("en"), numbers("es")
    machine = [c for c in english if c.replace(".", "", 1).replace("-", "", 1).isdigit()]
    assert machine  # the summary has figures
    assert all(c in spanish for c in machine)
    assert not any("US$" in c or "," in c for c in spanish if c[:1].isdigit())

"""The one money formatter (impact.lib.formats.money), used by the pages' `money` filter
and by the PDF export: each case written out by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from impact.lib.formats import money


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("amount", "places", "written"),
    [
        (Decimal("-1234.5"), 0, "\u2212$1,235"),  # a typographic minus, half up
        (Decimal("-0.4"), 0, "$0"),  # rounded away to zero: no sign
        (Decimal(0), 0, "$0"),
        (0, 2, "$0.00"),
        (Decimal("0.505"), 2, "$0.51"),  # cents, half up
        (Decimal("2.47"), 2, "$2.47"),
        (Decimal("1234567.891"), 2, "$1,234,567.89"),  # thousands grouped
        (1401307.99, 0, "$1,401,308"),
        (None, 0, "—"),  # not computable
    ],
)
def test_money_writes_each_case(amount, places, written):
    assert money(amount, places) == written


def test_trim_drops_the_cents_of_a_whole_amount_only():
    assert money(Decimal(16478), 2, trim=True) == "$16,478"
    assert money(Decimal("16478.5"), 2, trim=True) == "$16,478.50"


def test_a_hidden_figure_reads_as_its_words():
    class Hidden:  # as reports.disclosed.Suppressed
        suppressed = True

        def __str__(self) -> str:
            return "fewer than 11"

    assert money(Hidden()) == "fewer than 11"


def test_the_template_filter_writes_the_same():
    template = Template('{% load formatting %}{{ v|money:2 }} {{ v|money:"-2" }} {{ w|money }}')
    written = template.render(Context({"v": Decimal("-1234.5"), "w": None}))
    assert written == "\u2212$1,234.50 \u2212$1,234.50 —"

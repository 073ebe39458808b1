"""Money and dates for people to read, in the active language (issue 10).

Pages show dates with Django's format names (`|date:"DATE_FORMAT"`, set per language in
impact/formats/) and numbers with `floatformat`, which follow the active language. Money
has one helper, `money`, on CLDR's rules through Babel: "$1,234.50" in English,
"1.234,50 US$" in Spanish; pages (the `money` filter) and the PDF both use it. The cells
of exports (CSV, XLSX) never go through these: they keep machine-readable numbers and ISO
dates.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from babel import Locale
from babel.dates import format_date
from django.utils import translation

# The programs are US programs: costs, savings and the Medicaid figures are dollars.
CURRENCY = "USD"
# A typographic minus, as the ROI page has always shown it ("−$0.50 net per $1").
MINUS = "\u2212"


class Withheld(Protocol):
    """A figure withheld by disclosure control (reports.disclosed.Suppressed): it is
    written as its words."""

    @property
    def suppressed(self) -> bool: ...


def _locale() -> Locale:
    code = translation.get_language() or "en"
    return Locale.parse(translation.to_locale(code))


def money(
    amount: Decimal | float | int | Withheld | None, places: int = 0, *, trim: bool = False
) -> str:
    """An amount in dollars for the active language, rounded to `places` decimals: the one
    way money is written for people, on pages (the `money` filter), in the PDF and in the
    sentences of the exports.

    With `trim`, a whole amount drops its decimals ("$16,478" but "$16,478.50"). None is
    "—" (not computable); a figure hidden by disclosure control reads as its words
    ("fewer than 11")."""
    if amount is None:
        return "—"
    if not isinstance(amount, Decimal | float | int):
        return str(amount)
    value = Decimal(str(amount))
    if trim and value == value.to_integral_value():
        places = 0
    # Half up, as the figures and exports round ("$0.505" is "$0.51").
    value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    locale = _locale()
    pattern = copy.copy(locale.currency_formats["standard"])
    pattern.frac_prec = (places, places)
    text = pattern.apply(value, locale, currency=CURRENCY, currency_digits=False)
    # Babel's sign is a hyphen-minus in these locales; a rounded-away "-0" is just 0.
    if value < 0 and any(c in "123456789" for c in text):
        return text.replace("-", MINUS, 1)
    return text.replace("-", "", 1)


def long_date(day: dt.date) -> str:
    """A date written out for a printout: "November 23, 2026", "23 de noviembre de 2026"."""
    return format_date(day, "long", locale=_locale())


def full_date(day: dt.date) -> str:
    """With the weekday: "Monday, November 23, 2026", "lunes, 23 de noviembre de 2026"."""
    return format_date(day, "full", locale=_locale())

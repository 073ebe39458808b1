"""Template filters for money and written-out dates in the active language
(impact.lib.formats): `{{ amount|money }}`, `{{ ratio|money:2 }}`, `{{ unit|money:"-2" }}`
(decimals only when not whole, like floatformat's negative places), `{{ day|long_date }}`
and `{{ day|full_date }}` for printouts."""

from __future__ import annotations

from django import template

from impact.lib import formats

register = template.Library()


@register.filter
def money(amount, places: int | str = 0) -> str:
    # "2g" as floatformat writes it: money is always grouped.
    places = int(str(places).rstrip("g") or 0)
    return formats.money(amount, abs(places), trim=places < 0)


@register.filter
def long_date(day) -> str:
    return formats.long_date(day) if day else ""


@register.filter
def full_date(day) -> str:
    return formats.full_date(day) if day else ""

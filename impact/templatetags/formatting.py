"""Template filters for money and written-out dates in the active language
(impact.lib.formats): `{{ amount|money }}`, `{{ ratio|money:2 }}`, `{{ unit|money:"-2" }}`
(decimals only when not whole, like floatformat's negative places), `{{ day|long_date }}`
and `{{ day|full_date }}` for printouts."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat

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


@register.filter
def figure(value, places: int | str = 0) -> str:
    """A leader figure: a hidden one (disclosure control) as its words ("fewer than 11"),
    a number through floatformat."""
    if getattr(value, "suppressed", False):
        return str(value)
    if value is None:
        return ""
    return floatformat(value, places)


@register.filter
def percent(value) -> str:
    """A share as a whole percent ("42%"); a hidden one as its words."""
    if getattr(value, "suppressed", False):
        return str(value)
    return f"{round(float(value) * 100)}%"

from __future__ import annotations

import phonenumbers
from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key):
    """`{{ counts|get_item:status }}`: a dictionary value by a variable key."""
    return mapping.get(key) if mapping else None


@register.filter
def phone_display(value: str, region: str = "US") -> str:
    """A staff phone stored as typed (or E.164) shown the way people dial it locally."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(str(value), region)
    except phonenumbers.NumberParseException:
        return value
    if not phonenumbers.is_possible_number(number):
        return value
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if phonenumbers.region_code_for_number(number) == region
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, fmt)


@register.filter
def sentence(alert, today):
    """`{{ alert|sentence:today }}`: the alert's plain sentence as of `today`."""
    return alert.sentence(today)


@register.filter
def is_stale(alert, today) -> bool:
    return alert.is_stale(today)


@register.filter
def split(value: str, separator: str = " ") -> list[str]:
    return value.split(separator)


@register.filter
def days_since(row, today):
    """`{{ cadence_row|days_since:today }}`."""
    return row.days_since(today)


@register.filter
def due_within_week(day, today) -> bool:
    """A date from today to 6 days ahead."""
    return day is not None and 0 <= (day - today).days <= 6


@register.simple_tag(takes_context=True)
def render_panel(context, panel):
    """`{% render_panel panel %}`: a panel another app added (impact.lib.panels), rendered
    with the page's context plus its own."""
    from django.template.backends.django import Template as DjangoTemplate
    from django.template.loader import get_template

    found = get_template(panel.template)
    # Panels are Django templates: the wrapped template renders the page's own Context.
    assert isinstance(found, DjangoTemplate), found
    with context.push(**panel.context):
        return found.template.render(context)


@register.filter
def trend_rating(trend, review) -> dict:
    """`{{ history|trend_rating:review|get_item:component.pk }}`: a review's ratings."""
    return {component: value for (r, component), value in trend.ratings.items() if r == review.pk}


@register.simple_tag(takes_context=True)
def redact_link(context, obj, field: str):
    """A "Redact" link to the redaction page of `obj`'s `field`, coming back to this page
    (nothing when the field is empty or already redacted). The page decides whether to
    offer it (`impact.redaction.may_redact`); the redaction page checks again."""
    from django.urls import reverse
    from django.utils.html import format_html
    from django.utils.http import urlencode
    from django.utils.translation import gettext

    from impact.append_only import REDACTED_PREFIX

    text = getattr(obj, field, "") or ""
    if not text.strip() or text.startswith(REDACTED_PREFIX):
        return ""
    url = reverse("redact", args=[obj._meta.label_lower, obj.pk, field])
    request = context.get("request")
    if request is not None:
        url += "?" + urlencode({"next": request.get_full_path()})
    return format_html(
        '<a class="small link-danger ms-2 redact-link" href="{}">{}</a>', url, gettext("Redact")
    )

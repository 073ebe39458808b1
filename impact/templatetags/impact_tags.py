from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key):
    """`{{ counts|get_item:status }}`: a dictionary value by a variable key."""
    return mapping.get(key) if mapping else None

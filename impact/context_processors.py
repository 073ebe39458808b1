from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from impact.auth.rules import two_factor_pending
from impact.pages import MenuGroup, menu_for


def navigation(request: HttpRequest) -> dict:
    """The menu for the signed-in user's role, from the pages' declarations (impact.pages):
    only what that role may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    if two_factor_pending(request):
        # Every page but two-factor setup sends them back to it: a menu would only mislead.
        return {"nav_items": []}
    current = getattr(request.resolver_match, "view_name", "")

    def item(name: str, label) -> dict:
        return {"name": name, "url": reverse(name), "label": label, "active": name == current}

    items = []
    for slot, entries in menu_for(user.role):
        if isinstance(slot, MenuGroup):
            children = [item(name, entry.label) for name, entry in entries]
            items.append(
                {
                    "label": slot.label,
                    "children": children,
                    "active": any(child["active"] for child in children),
                }
            )
        else:
            ((name, entry),) = entries
            items.append(item(name, entry.label))
    return {"nav_items": items}

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from impact.auth.rules import two_factor_pending
from impact.models import Role

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# A menu entry: one page (its URL name) or a group of pages, and its label.
NavEntry: TypeAlias = "tuple[str | tuple[tuple[str, StrOrPromise], ...], StrOrPromise]"

# A group shows as one menu: what a leader enters to make the ROI summary.
MONEY = (
    ("reports:costs", _("Costs")),
    ("reports:funding", _("Funding sources")),
    ("reports:utilization", _("Import hospital use")),
    ("reports:roi_settings", _("ROI settings")),
    ("reports:tokens", _("API tokens")),
)

NAVIGATION: dict[str, list[NavEntry]] = {
    Role.CHW: [
        ("caseloads:mine", _("My caseload")),
        ("caseloads:alerts", _("Alerts")),
        ("caseloads:enroll", _("Enroll a patient")),
        ("supervision:me", _("My wellbeing")),
        ("actionplans:partners", _("Partners")),
        ("fidelity:reviews", _("Fidelity")),
    ],
    Role.MANAGER: [
        ("caseloads:team", _("Team caseloads")),
        ("caseloads:alerts", _("Alerts")),
        ("supervision:team", _("Supervision")),
        ("fidelity:reviews", _("Fidelity")),
        ("caseloads:enroll", _("Enroll a patient")),
        ("actionplans:partners", _("Partners")),
        ("program_settings_home", _("Program settings")),
    ],
    Role.LEADER: [
        ("overview", _("Program overview")),
        ("reports:roi", _("ROI")),
        (MONEY, _("Costs and data")),
        ("reports:exports", _("Exports")),
        ("supervision:levels", _("CHW wellbeing")),
        ("fidelity:reviews", _("Fidelity")),
        ("actionplans:partners", _("Partners")),
    ],
    Role.ADMIN: [
        ("overview", _("Program overview")),
        ("reports:roi", _("ROI")),
        (MONEY, _("Costs and data")),
        ("reports:exports", _("Exports")),
        ("program_settings_home", _("Program settings")),
        ("fidelity:reviews", _("Fidelity")),
        ("admin:index", _("Administration")),
    ],
}


def navigation(request: HttpRequest) -> dict:
    """The menu for the signed-in user's role: only what that role may open."""
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
    for entry, label in NAVIGATION.get(user.role, []):
        if isinstance(entry, tuple):
            children = [item(name, child) for name, child in entry]
            items.append(
                {
                    "label": label,
                    "children": children,
                    "active": any(child["active"] for child in children),
                }
            )
        else:
            items.append(item(entry, label))
    return {"nav_items": items}

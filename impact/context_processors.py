from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from impact.models import Role

NAVIGATION = {
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
        ("supervision:levels", _("CHW wellbeing")),
        ("fidelity:reviews", _("Fidelity")),
        ("actionplans:partners", _("Partners")),
    ],
    Role.ADMIN: [
        ("overview", _("Program overview")),
        ("program_settings_home", _("Program settings")),
        ("fidelity:reviews", _("Fidelity")),
        ("admin:index", _("Administration")),
    ],
}


def navigation(request) -> dict:
    """The menu for the signed-in user's role: only what that role may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = getattr(request.resolver_match, "view_name", "")
    return {
        "nav_items": [
            {"name": name, "url": reverse(name), "label": label, "active": name == current}
            for name, label in NAVIGATION.get(user.role, [])
        ]
    }

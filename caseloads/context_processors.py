from __future__ import annotations

from django.http import HttpRequest

from caseloads.selectors import open_alert_count
from impact.models import Role


def alerts(request: HttpRequest) -> dict:
    """The number of unacknowledged alerts shown in the navigation (one query a page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.role not in (Role.CHW, Role.MANAGER):
        return {}
    return {"open_alerts": open_alert_count(user)}

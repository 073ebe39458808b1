"""The home page that routes each role to its own page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from impact.models import Role

HOME_BY_ROLE = {
    Role.CHW: "caseloads:mine",
    Role.MANAGER: "caseloads:team",
    Role.LEADER: "overview",
    Role.ADMIN: "overview",
}


@require_GET
@login_required
def home(request):
    """Each role lands on its own page: CHWs their caseload, managers their teams."""
    return redirect(HOME_BY_ROLE.get(request.user.role, "overview"))

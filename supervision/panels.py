"""Supervision's panels on the CHW's and the manager's home pages."""

from __future__ import annotations

from impact.lib.http import AuthenticatedHttpRequest
from impact.lib.panels import Panel, register_panel
from impact.models import Role


@register_panel("chw_home")
def chw_follow_ups(request: AuthenticatedHttpRequest, *, chw) -> Panel | None:
    from supervision import selectors

    if request.user.pk != chw.pk:
        return None
    follow_ups = list(selectors.open_follow_ups(request.user))
    if not follow_ups:
        return None
    return Panel("supervision/_follow_ups.html", {"follow_ups": follow_ups})


@register_panel("manager_home")
def manager_support_requests(request: AuthenticatedHttpRequest) -> Panel | None:
    """First on the manager's home page: the CHWs whose request for support no session has
    answered yet (`support_requested`, DESIGN.md §5.1), each with the way to record the
    conversation. One query; nothing shown when nobody is waiting."""
    from caseloads.models import Alert
    from caseloads.selectors import unresolved_alerts

    if request.user.role != Role.MANAGER:
        return None
    waiting = list(unresolved_alerts(request.user).filter(kind=Alert.Kind.SUPPORT_REQUESTED))
    if not waiting:
        return None
    return Panel(
        "supervision/_support_requests.html",
        {"support_requests": waiting, "today": request.user.own_program.today()},
    )


@register_panel("manager_home")
def manager_supervision(request: AuthenticatedHttpRequest) -> Panel | None:
    from supervision import selectors

    if request.user.role != Role.MANAGER:
        return None
    today = request.user.own_program.today()
    return Panel(
        "supervision/_team_panel.html",
        {
            "cadence": selectors.cadence(request.user, today),
            "follow_ups": list(selectors.open_follow_ups(request.user)),
            "today": today,
        },
    )


@register_panel("time_off")
def covering(request: AuthenticatedHttpRequest, *, chw, enrollment=None) -> Panel | None:
    """On a caseload or patient page: the CHW is off today, and who covers (the
    enrollment's own backup CHW first, else the one named with the time off)."""
    from supervision import selectors

    off = selectors.off_today(chw, enrollment.program.today() if enrollment else None)
    if off is None:
        return None
    backup = (enrollment.backup_chw if enrollment else None) or off.backup
    return Panel("supervision/_off_today.html", {"off": off, "backup": backup})

"""The home page that routes each role to its own page, the program settings, and the
product's own 500 page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from impact import services
from impact.forms import ProgramSettingsForm
from impact.lib.forms import posted
from impact.lib.http import AuthenticatedHttpRequest
from impact.models import Program, Role
from impact.pages import ADMIN, MANAGER, SIGNED_IN, Menu, page

HOME_BY_ROLE: dict[str, str] = {
    Role.CHW: "caseloads:mine",
    Role.MANAGER: "caseloads:team",
    Role.LEADER: "overview",
    Role.ADMIN: "overview",
}


@page(SIGNED_IN, patient_level=False)
@require_GET
def home(request: AuthenticatedHttpRequest):
    """Each role lands on its own page: CHWs their caseload, managers their teams."""
    return redirect(HOME_BY_ROLE.get(request.user.role, "overview"))


def _editable_programs(user):
    """An administrator may change any program's standards, a manager their own."""
    if user.role == Role.ADMIN:
        return Program.objects.order_by("name")
    return Program.objects.filter(pk=user.program_id)


@page({ADMIN, MANAGER}, patient_level=False, menu=Menu(gettext_lazy("Program settings"), 80))
@require_GET
def program_settings_home(request: AuthenticatedHttpRequest):
    programs = list(_editable_programs(request.user))
    if len(programs) == 1:
        return redirect("program_settings", pk=programs[0].pk)
    return render(request, "impact/program_list.html", {"programs": programs})


@page({ADMIN, MANAGER}, patient_level=False)
@require_http_methods(["GET", "POST"])
def program_settings(request: AuthenticatedHttpRequest, pk: int):
    """The program's standards: duration, caseload cap, contact intervals, working hours."""
    program = get_object_or_404(_editable_programs(request.user), pk=pk)
    form = ProgramSettingsForm(posted(request), instance=program)
    if request.method == "POST" and form.is_valid():
        try:
            services.program_update_settings(
                program=Program.objects.get(pk=pk), by=request.user, **form.settings()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Settings saved. Alerts and after-hours flags are being brought up to date."),
            )
            return redirect("program_settings", pk=pk)
    return render(request, "impact/program_settings.html", {"form": form, "program": program})


def server_error(request: HttpRequest):
    """The product's own 500 page (`handler500`), rendered without the request's context:
    the menu, the user and the context processors may be what failed. No traceback and no
    detail of the error reach the page; Django has logged it. If even the template fails,
    a plain sentence is served."""
    try:
        body = loader.get_template("500.html").render()
    except Exception:  # the page of last resort must not fail in turn
        body = _("Something went wrong. The problem has been recorded; try again in a moment.")
        return HttpResponseServerError(body, content_type="text/plain; charset=utf-8")
    return HttpResponseServerError(body)

"""The ROI summary (DESIGN.md §5.4), its chart and its settings: leaders and administrators
only, program-level figures, never patient rows (DESIGN.md §4)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from impact import services
from impact.forms import RoiPeriodForm, RoiSettingsForm
from impact.lib.disclosure import THRESHOLD
from impact.lib.forms import apply_errors, posted
from impact.lib.http import AuthenticatedHttpRequest
from impact.models import Program, Role
from impact.pages import LEADER_LEVEL, Menu, page
from reports import charts, disclosed
from reports.menus import COSTS_AND_DATA
from reports.roi import figures
from reports.selectors import leader_program


def _period_form(request: AuthenticatedHttpRequest, program: Program) -> RoiPeriodForm:
    """Bound when the page was asked for a period; else the latest evaluable year."""
    asked = "start" in request.GET or "end" in request.GET
    return RoiPeriodForm(
        request.GET if asked else None,
        today=program.today(),
        window_days=program.roi_window_days,
    )


def _program_query(request: AuthenticatedHttpRequest, program: Program) -> str:
    """ "?program=ID" for an administrator (who picks the program), "" for a leader."""
    return f"?program={program.pk}" if request.user.role != Role.LEADER else ""


def _costs_url(request: AuthenticatedHttpRequest, program: Program) -> str | None:
    """The cost lines page, where there is one (another area of the leader pages)."""
    try:
        return reverse("reports:costs") + _program_query(request, program)
    except NoReverseMatch:
        return None


@page(LEADER_LEVEL, patient_level=False, menu=Menu(gettext_lazy("ROI"), 20))
@require_GET
def roi(request: AuthenticatedHttpRequest):
    """The ROI-style summary for a period: cohort, hospital use before and after
    enrolling, savings, prorated cost, gross and net ROI, sensitivity and benchmark."""
    program = leader_program(request)
    form = _period_form(request, program)
    context = {
        "program": program,
        "form": form,
        "program_query": _program_query(request, program),
        "admin_choice": request.user.role != Role.LEADER,
        "caveat": figures.caveat(program.roi_window_days),
    }
    if form.is_bound and not form.is_valid():
        return render(request, "reports/roi.html", context, status=400)
    period = form.whole()
    start, end = period.start, period.end
    published = disclosed.roi_summary(disclosed.Grids(program), period)
    context.update(
        summary=published.summary,
        shown=published,
        small_cell=THRESHOLD,
        trial_roi=figures.TRIAL_ROI,
        trial_reduction=figures.TRIAL_INPATIENT_DAY_REDUCTION,
        costs_url=_costs_url(request, program),
        chart_query=f"start={start.isoformat()}&end={end.isoformat()}"
        + (f"&program={program.pk}" if context["admin_choice"] else ""),
    )
    return render(request, "reports/roi.html", context)


@page(LEADER_LEVEL, patient_level=False)
@require_GET
def roi_chart(request: AuthenticatedHttpRequest):
    """Gross ROI across attribution 0.5–1.0 against the trial's $2.47 per $1 (SVG)."""
    program = leader_program(request)
    form = _period_form(request, program)
    if form.is_bound and not form.is_valid():
        text = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
    published = disclosed.roi_summary(disclosed.Grids(program), form.whole())
    chart = charts.roi_sensitivity_svg(published)
    response = HttpResponse(chart, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


@page(
    LEADER_LEVEL,
    patient_level=False,
    menu=Menu(gettext_lazy("ROI settings"), 34, group=COSTS_AND_DATA),
)
@require_http_methods(["GET", "POST"])
def roi_settings(request: AuthenticatedHttpRequest):
    """The unit costs, window, savings basis and attribution the summary uses."""
    program = leader_program(request)
    form = RoiSettingsForm(posted(request), instance=Program.objects.get(pk=program.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.program_roi_settings_update(
                program=program, by=request.user, **form.settings()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("ROI settings saved."))
            return redirect(reverse("reports:roi") + _program_query(request, program))
    return render(
        request,
        "reports/roi_settings.html",
        {
            "program": program,
            "form": form,
            "program_query": _program_query(request, program),
        },
        status=400 if form.errors else 200,
    )

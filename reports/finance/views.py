"""Leader pages for a program's costs and funding sources (program-level money, no patient
data). Leaders see their own program; an administrator picks one with ?program=ID."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from impact.lib.forms import apply_errors, posted, redirect_to_program
from impact.lib.http import AuthenticatedHttpRequest
from impact.models import Program
from impact.pages import LEADER_LEVEL, Menu, page
from reports.finance import services as finance
from reports.finance.forms import CostLineForm, FundingForm
from reports.menus import COSTS_AND_DATA
from reports.selectors import leader_program

# -- costs ---------------------------------------------------------------------------------


def _costs_page(
    request: AuthenticatedHttpRequest, program: Program, form: CostLineForm
) -> HttpResponse:
    lines = finance.cost_lines_for(program)
    return render(
        request,
        "reports/costs.html",
        {
            "program": program,
            "lines": list(lines),
            "totals": finance.cost_totals(lines),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@page(LEADER_LEVEL, patient_level=False, menu=Menu(gettext_lazy("Costs"), 31, group=COSTS_AND_DATA))
@require_http_methods(["GET", "POST"])
def costs(request: AuthenticatedHttpRequest):
    """The program's cost lines with their totals per category, and a form to add one."""
    program = leader_program(request)
    form = CostLineForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            finance.cost_line_create(program=program, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Cost line added."))
            return redirect_to_program("reports:costs", program)
    return _costs_page(request, program, form)


@page(LEADER_LEVEL, patient_level=False)
@require_http_methods(["GET", "POST"])
def cost_edit(request: AuthenticatedHttpRequest, pk: int):
    line = finance.cost_line_for_user(request.user, pk)
    form = CostLineForm(
        posted(request),
        initial={
            "category": line.category,
            "amount": line.amount,
            "period_start": line.period_start,
            "period_end": line.period_end,
            "note": line.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            finance.cost_line_update(line=line, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Cost line saved."))
            return redirect_to_program("reports:costs", line.program)
    return render(
        request,
        "reports/costs_edit.html",
        {"program": line.program, "line": line, "form": form},
        status=400 if form.errors else 200,
    )


@page(LEADER_LEVEL, patient_level=False)
@require_POST
def cost_delete(request: AuthenticatedHttpRequest, pk: int):
    line = finance.cost_line_for_user(request.user, pk)
    finance.cost_line_delete(line=line)
    messages.success(request, _("Cost line deleted."))
    return redirect_to_program("reports:costs", line.program)


# -- funding -------------------------------------------------------------------------------


def _funding_page(
    request: AuthenticatedHttpRequest, program: Program, form: FundingForm
) -> HttpResponse:
    today = program.today()
    sources = list(finance.funding_for(program))
    return render(
        request,
        "reports/funding.html",
        {
            "program": program,
            "rows": [(source, finance.days_left(source, today)) for source in sources],
            "total": sum((source.amount for source in sources), 0),
            "within": finance.ENDING_WITHIN_DAYS,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@page(
    LEADER_LEVEL,
    patient_level=False,
    menu=Menu(gettext_lazy("Funding sources"), 32, group=COSTS_AND_DATA),
)
@require_http_methods(["GET", "POST"])
def funding(request: AuthenticatedHttpRequest):
    """The program's funding sources, those ending within 90 days marked, and a form."""
    program = leader_program(request)
    form = FundingForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            finance.funding_create(program=program, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Funding source added."))
            return redirect_to_program("reports:funding", program)
    return _funding_page(request, program, form)


@page(LEADER_LEVEL, patient_level=False)
@require_http_methods(["GET", "POST"])
def funding_edit(request: AuthenticatedHttpRequest, pk: int):
    source = finance.funding_source_for_user(request.user, pk)
    form = FundingForm(
        posted(request),
        initial={
            "name": source.name,
            "kind": source.kind,
            "amount": source.amount,
            "starts_on": source.starts_on,
            "ends_on": source.ends_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            finance.funding_update(source=source, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Funding source saved."))
            return redirect_to_program("reports:funding", source.program)
    return render(
        request,
        "reports/funding_edit.html",
        {"program": source.program, "source": source, "form": form},
        status=400 if form.errors else 200,
    )


@page(LEADER_LEVEL, patient_level=False)
@require_POST
def funding_delete(request: AuthenticatedHttpRequest, pk: int):
    source = finance.funding_source_for_user(request.user, pk)
    finance.funding_delete(source=source)
    messages.success(request, _("Funding source deleted."))
    return redirect_to_program("reports:funding", source.program)

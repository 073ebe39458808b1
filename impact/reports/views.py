"""Leader pages: program-level figures, never patient rows (DESIGN.md §4)."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from impact.access import leader_level
from impact.reports import selectors


@require_GET
@leader_level
def overview(request):
    """The program overview; later work adds ROI, fidelity and burnout figures here."""
    programs = selectors.programs_for(request.user)
    return render(
        request,
        "impact/overview.html",
        {"summaries": [selectors.program_summary(program) for program in programs]},
    )

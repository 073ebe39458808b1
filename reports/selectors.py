"""Program-level reads: aggregates only, never patient rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from impact.lib.forms import parse_pk
from impact.lib.http import AuthenticatedHttpRequest
from impact.models import Program
from impact.programs import programs_for
from reports.disclosed import Count


def leader_program(request: AuthenticatedHttpRequest) -> Program:
    """The program a leader page is about: a leader's own; an administrator picks one with
    ?program=ID (GET or POST), else the first by name. 404 when there is none to show, and
    when a `program` is given that is malformed ("abc"), unknown or not the user's to see
    (as on the overview: a typo never silently shows another program)."""
    user = request.user
    raw = request.GET.get("program") or request.POST.get("program", "")
    programs = programs_for(user)
    if raw:
        chosen = parse_pk(raw)
        program = programs.filter(pk=chosen).first() if chosen is not None else None
    else:
        program = programs.first()
    if program is None:
        raise Http404
    return program


@dataclass(frozen=True)
class ProgramSummary:
    """A program's heading on the overview, as published (reports.disclosed)."""

    program: Program
    teams: int
    chws: int
    active: Count
    chws_over_cap: Count

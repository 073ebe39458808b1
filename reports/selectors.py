"""Program-level reads: aggregates only, never patient rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import Http404

from caseloads.models import Enrollment
from impact.lib.forms import parse_pk
from impact.models import Program, Role, User
from impact.programs import programs_for


def leader_program(request) -> Program:
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
    program: Program
    teams: int
    chws: int
    active: int
    chws_over_cap: int


def program_summary(program: Program) -> ProgramSummary:
    active = Enrollment.objects.filter(program=program, status=Enrollment.Status.ENROLLED)
    per_chw = (
        active.values("chw").annotate(n=Count("pk")).filter(n__gt=program.caseload_cap).count()
    )
    staff = User.objects.filter(program=program, is_active=True).aggregate(
        chws=Count("pk", filter=Q(role=Role.CHW))
    )
    return ProgramSummary(
        program=program,
        teams=program.teams.count(),
        chws=staff["chws"],
        active=active.count(),
        chws_over_cap=per_chw,
    )

"""Leader pages: program-level figures, never patient rows (DESIGN.md §4)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias, TypedDict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseloads.models import Alert
from fidelity import selectors as fidelity_selectors
from impact.lib.disclosure import THRESHOLD
from impact.lib.forms import apply_errors, parse_pk, posted
from impact.lib.http import AuthenticatedHttpRequest
from impact.lib.periods import Period
from impact.models import Program
from impact.pages import LEADER_LEVEL, Menu, page
from impact.programs import programs_for
from reports import charts, disclosed, selectors
from reports.api import views as api
from reports.finance import services as finance
from reports.menus import COSTS_AND_DATA
from reports.overview.forms import PeriodForm, TokenForm
from supervision import selectors as supervision_selectors

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, WithAnnotations

FUNDING_WARNING_DAYS = 90


class TeamCount(TypedDict):
    team_count: int


# The programs the overview shows, each with its number of teams (`_programs`).
ProgramWithTeams: TypeAlias = "WithAnnotations[Program, TeamCount]"


@dataclass(frozen=True)
class FundingWarning:
    name: str
    ends_on: dt.date
    days: int  # from today to the end date (0: ends today)


@dataclass(frozen=True)
class Section:
    """One program's part of the overview."""

    program: Program
    summary: selectors.ProgramSummary
    figures: disclosed.PublishedOverview
    alerts: list[tuple[StrOrPromise, disclosed.Count]]  # (label, unresolved count)
    scores: list[tuple[dt.date, float]]  # final reviews' fidelity scores, oldest first
    burnout: supervision_selectors.WeekLevels | None  # the latest weekly snapshot
    funding: list[FundingWarning]  # sources ending within 90 days, soonest first

    @property
    def latest_score(self) -> float | None:
        return self.scores[-1][1] if self.scores else None

    @property
    def previous_score(self) -> float | None:
        return self.scores[-2][1] if len(self.scores) > 1 else None


def _funding(program: Program, today: dt.date) -> list[FundingWarning]:
    """Sources ending within 90 days, soonest first ("no money, no mission")."""
    return [
        FundingWarning(name=source.name, ends_on=source.ends_on, days=(source.ends_on - today).days)
        for source in finance.funding_ending(
            program=program, today=today, within_days=FUNDING_WARNING_DAYS
        )
    ]


def _section(program: ProgramWithTeams, period: Period) -> Section:
    overview = disclosed.overview(disclosed.Grids(program), period)
    trend = fidelity_selectors.trend(program)
    weeks = supervision_selectors.level_distribution(program)
    return Section(
        program=program,
        summary=selectors.ProgramSummary(
            program=program,
            teams=program.team_count,
            chws=overview.chws,
            active=overview.active_now,
            chws_over_cap=overview.chws_over_cap,
        ),
        figures=overview,
        alerts=[(Alert.Kind(kind).label, n) for kind, n in overview.alerts_by_kind.items()],
        scores=[
            (review.period_end, score)
            for review in trend.reviews
            if (score := trend.scores.get(review.pk)) is not None
        ],
        burnout=weeks[-1] if weeks else None,
        funding=_funding(program, overview.today),
    )


def _programs(request: AuthenticatedHttpRequest) -> list[ProgramWithTeams]:
    """A leader's own program; an administrator's every program, or one with ?program=ID
    (404 when it is not theirs to see). Each with its number of teams (one query)."""
    programs = programs_for(request.user).annotate(team_count=Count("teams"))
    chosen = request.GET.get("program")
    if chosen:
        pk = parse_pk(chosen)
        programs = programs.filter(pk=pk) if pk is not None else programs.none()
        if not programs:
            raise Http404
    return list(programs)


def _period_form(request: AuthenticatedHttpRequest, program: Program | None) -> PeriodForm:
    """The period: from ?from=&to= when given, else this calendar year (to today)."""
    today = program.today() if program else timezone.localdate()
    if "from" in request.GET or "to" in request.GET:
        return PeriodForm(request.GET, today=today)
    form = PeriodForm(today=today)
    start, end = form.fields["from"].initial, form.fields["to"].initial
    return PeriodForm({"from": start.isoformat(), "to": end.isoformat()}, today=today)


@page(LEADER_LEVEL, patient_level=False, menu=Menu(gettext_lazy("Program overview"), 10))
@require_GET
def overview(request: AuthenticatedHttpRequest):
    """The program overview for a period: who was served, graduations and handoffs, goals,
    contacts, caseloads against the standard, alerts, fidelity, wellbeing, small wins,
    funding about to end, and charts."""
    programs = _programs(request)
    form = _period_form(request, programs[0] if programs else None)
    if not form.is_valid():
        return render(
            request,
            "reports/overview.html",
            {"form": form, "sections": [], "summaries": [], "chosen": request.GET.get("program")},
            status=400,
        )
    start, end = form.period
    sections = [_section(program, form.valid_period) for program in programs]
    return render(
        request,
        "reports/overview.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "sections": sections,
            "summaries": [s.summary for s in sections],
            "chosen": request.GET.get("program"),
            "small_cell": THRESHOLD,
        },
    )


def _chart_program_and_period(
    request: AuthenticatedHttpRequest,
) -> tuple[Program, Period] | HttpResponse:
    program = selectors.leader_program(request)
    form = PeriodForm(request.GET, today=program.today())
    if not form.is_valid():
        return HttpResponse(
            " ".join(str(e) for errors in form.errors.values() for e in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    return program, form.valid_period


def _svg(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


@page(LEADER_LEVEL, patient_level=False)
@require_GET
def chart_monthly(request: AuthenticatedHttpRequest):
    """Contacts, new enrollments and active patients by month, for the program and period
    (?program=ID for administrators; ?from=&to=). Counts of people are de-identified as in
    the exports (`disclosed.by_month_rows`): a hidden month is drawn hatched, without its
    figure."""
    chosen = _chart_program_and_period(request)
    if isinstance(chosen, HttpResponse):
        return chosen
    program, period = chosen
    rows = disclosed.by_month_rows(disclosed.Grids(program), period)
    return _svg(charts.monthly_svg(rows))


@page(LEADER_LEVEL, patient_level=False)
@require_GET
def chart_fidelity(request: AuthenticatedHttpRequest):
    """The fidelity score across the program's final reviews."""
    program = selectors.leader_program(request)
    return _svg(charts.fidelity_svg(fidelity_selectors.trend(program)))


# -- API tokens ---------------------------------------------------------------------------


@page(
    LEADER_LEVEL,
    patient_level=False,
    menu=Menu(gettext_lazy("API tokens"), 35, group=COSTS_AND_DATA),
)
@never_cache
@require_http_methods(["GET", "POST"])
def tokens(request: AuthenticatedHttpRequest):
    """The user's tokens for BI tools: make one (its key is shown once), revoke one."""
    form = TokenForm(posted(request))
    key = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                token, key = api.token_create(user=request.user, name=form.cleaned_data["name"])
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Token “%(name)s” made. Copy its key now: it is not shown again.")
                    % {"name": token.name},
                )
                form = TokenForm()
        if form.errors:
            status = 400
    return render(
        request,
        "reports/tokens.html",
        {"form": form, "key": key, "tokens": api.tokens_for(request.user)},
        status=status,
    )


@page(LEADER_LEVEL, patient_level=False)
@require_POST
def token_revoke(request: AuthenticatedHttpRequest, pk: int):
    token = get_object_or_404(api.tokens_for(request.user), pk=pk)
    token = api.token_revoke(token=token)
    assert token.revoked_at is not None  # just revoked, or revoked before
    messages.success(
        request,
        _("Token “%(name)s” revoked on %(day)s: it no longer opens the API.")
        % {"name": token.name, "day": date_format(token.revoked_at, "DATE_FORMAT")},
    )
    return redirect("reports:tokens")

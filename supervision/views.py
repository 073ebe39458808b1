"""Supervision pages: the manager's team view and CHW pages, the CHW's own wellbeing page,
and the leader's program-level distribution. Thin: selectors read, services write."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseloads.selectors import chws_for, enrollments_for
from impact import redaction
from impact.lib.forms import apply_errors, parse_pk, posted, redirect_back
from impact.lib.http import AuthenticatedHttpRequest
from impact.models import Role
from impact.pages import (
    CHW_AND_MANAGER,
    CHW_ONLY,
    LEADER,
    LEADER_LEVEL,
    MANAGER_ONLY,
    Menu,
    page,
)
from impact.programs import programs_for
from supervision import selectors, services
from supervision.burnout import FACTORS, CfirDomain
from supervision.charts import burnout_trend_svg
from supervision.forms import CheckInForm, SessionForm, TimeOffForm, TrainingForm


def _panel(snapshots) -> dict:
    """The latest snapshot's factors, in the order and words of FACTORS."""
    latest = snapshots[-1] if snapshots else None
    rows = []
    if latest:
        for spec in FACTORS:
            stored = latest.factors.get(spec.code)
            if stored is not None:
                value = stored["value"]
                rows.append(
                    {
                        "spec": spec,
                        "domain": CfirDomain(spec.cfir_domain).label,
                        "flagged": stored["flagged"],
                        "threshold": stored["threshold"],
                        "value": round(value, 2) if isinstance(value, float) else value,
                    }
                )
    return {"latest": latest, "factor_rows": rows}


# -- manager -------------------------------------------------------------------------------


@page(MANAGER_ONLY, patient_level=False, menu=Menu(gettext_lazy("Supervision"), 30))
@require_GET
def team(request: AuthenticatedHttpRequest):
    """Each CHW's supervision rhythm and latest burnout level (by name, never ranked)."""
    user = request.user
    today = user.own_program.today()
    return render(
        request,
        "supervision/team.html",
        {
            "cadence": selectors.cadence(user, today),
            "follow_ups": list(selectors.open_follow_ups(user)),
            "sessions": list(
                selectors.session_list(user).select_related("chw").order_by("-occurred_on")[:20]
            ),
            "today": today,
        },
    )


@page(CHW_AND_MANAGER, patient_level=False)
@require_GET
def chw_page(request: AuthenticatedHttpRequest, pk: int):
    """One CHW: burnout panel and trend, sessions, check-ins, time off, trainings."""
    chw = selectors.chw_for_manager(request.user, pk)
    snapshots = selectors.snapshots_for(request.user, chw)
    return render(
        request,
        "supervision/chw.html",
        {
            "chw": chw,
            "today": chw.own_program.today(),
            "sessions": list(
                selectors.session_list(request.user).filter(chw=chw).select_related("chw")[:20]
            ),
            "check_ins": list(selectors.check_ins_for(request.user, chw)[:12]),
            "time_off": list(chw.time_off.select_related("backup")[:10]),
            "trainings": list(chw.trainings.all()),
            **_panel(snapshots),
        },
    )


@page(CHW_AND_MANAGER, patient_level=False)
@require_GET
def burnout_chart(request: AuthenticatedHttpRequest, pk: int):
    """The 12-week trend as SVG: for the CHW themselves or their manager; 404 otherwise."""
    user = request.user
    if user.role == Role.CHW and user.pk != pk:
        raise Http404
    chw = user if user.role == Role.CHW else selectors.chw_for_manager(user, pk)
    response = HttpResponse(
        burnout_trend_svg(selectors.snapshots_for(user, chw)), content_type="image/svg+xml"
    )
    response["Cache-Control"] = "private, max-age=300"
    return response


@page(MANAGER_ONLY, patient_level=True)
@require_http_methods(["GET", "POST"])
def session_new(request: AuthenticatedHttpRequest):
    """Record a session: choose the CHW first, then the form for that CHW."""
    chw_id = parse_pk(request.GET.get("chw", ""))
    if chw_id is None:
        return render(
            request,
            "supervision/choose_chw.html",
            {"chws": chws_for(request.user).order_by("last_name", "first_name")},
        )
    chw = selectors.chw_for_manager(request.user, chw_id)
    form = SessionForm(
        posted(request),
        manager=request.user,
        chw=chw,
        initial={"occurred_on": chw.own_program.today()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_record(
                manager=request.user,
                chw=chw,
                kind=data["kind"],
                occurred_on=data["occurred_on"],
                duration_minutes=data["duration_minutes"],
                notes=data["notes"],
                private_notes=data["private_notes"],
                wellbeing_discussed=data["wellbeing_discussed"],
                enrollments=data["enrollments_discussed"],
                others=data["others_present"],
                follow_ups=form.follow_ups(),
                submission_key=data["submission_key"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Session recorded."))
            return redirect("supervision:session", pk=session.pk)
    return render(request, "supervision/session_form.html", {"form": form, "chw": chw})


@page(CHW_AND_MANAGER, patient_level=False)
@require_http_methods(["GET", "POST"])
def training_new(request: AuthenticatedHttpRequest, pk: int):
    chw = selectors.chw_for_manager(request.user, pk)
    form = TrainingForm(posted(request), initial={"completed_on": chw.own_program.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.training_record(user=chw, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Training recorded."))
            return redirect("supervision:chw", pk=chw.pk)
    return render(request, "supervision/simple_form.html", _form_page(form, chw, "training"))


# -- both ----------------------------------------------------------------------------------


@page(CHW_AND_MANAGER, patient_level=True, pk="session")
@require_GET
def session_detail(request: AuthenticatedHttpRequest, pk: int):
    """A session: the CHW sees it without the manager's private notes."""
    user = request.user
    session = selectors.session_for_user(user, pk)
    own = user.role == Role.MANAGER or session.chw_id == user.pk
    return render(
        request,
        "supervision/session.html",
        {
            "session": session,
            "show_private": user.role == Role.MANAGER,
            # Text kept by mistake may be redacted by the CHW's manager (impact.redaction).
            "can_redact": redaction.may_redact(user, session),
            # In a huddle, another CHW sees neither the patients of the CHW the session
            # is recorded for nor their follow-ups (DESIGN.md §4).
            "patients": list(
                enrollments_for(user)
                .filter(pk__in=[e.pk for e in session.enrollments_discussed.all()])
                .select_related("patient")
            ),
            "follow_ups": list(session.follow_ups.all()) if own else [],
        },
    )


@page(CHW_AND_MANAGER, patient_level=False)
@require_POST
def follow_up_done(request: AuthenticatedHttpRequest, pk: int):
    follow_up = get_object_or_404(selectors.follow_ups_for(request.user), pk=pk)
    try:
        services.follow_up_done(follow_up=follow_up, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Follow-up done."))
    return redirect_back(request, "home")


@page(CHW_AND_MANAGER, patient_level=False)
@require_http_methods(["GET", "POST"])
def time_off_new(request: AuthenticatedHttpRequest):
    """Time off: a CHW for themselves; a manager for one of their CHWs (?chw=ID)."""
    user = request.user
    if user.role == Role.CHW:
        chw = user
    else:
        chw_id = parse_pk(request.GET.get("chw", ""))
        if chw_id is None:
            raise Http404
        chw = selectors.chw_for_manager(user, chw_id)
    form = TimeOffForm(posted(request), chw=chw)
    if request.method == "POST" and form.is_valid():
        try:
            services.time_off_record(chw=chw, by=user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Time off recorded. Rest well."))
            if user.role == Role.CHW:
                return redirect("supervision:me")
            return redirect("supervision:chw", pk=chw.pk)
    return render(request, "supervision/simple_form.html", _form_page(form, chw, "time_off"))


def _form_page(form, chw, kind: str) -> dict:
    titles = {
        "time_off": _("Time off for %(name)s"),
        "training": _("A training %(name)s completed"),
        "check_in": _("Your monthly check-in"),
    }
    return {"form": form, "chw": chw, "title": titles[kind] % {"name": chw}, "kind": kind}


# -- CHW -----------------------------------------------------------------------------------


@page(CHW_ONLY, patient_level=False, menu=Menu(gettext_lazy("My wellbeing"), 50))
@require_GET
def me(request: AuthenticatedHttpRequest):
    """The CHW's own page: their panel (supportive), follow-ups, sessions, time off."""
    user = request.user
    snapshots = selectors.snapshots_for(user, user)
    return render(
        request,
        "supervision/me.html",
        {
            "chw": user,
            "today": user.own_program.today(),
            "follow_ups": list(selectors.open_follow_ups(user)),
            "sessions": list(selectors.session_list(user).select_related("manager")[:12]),
            "check_ins": list(selectors.check_ins_for(user, user)[:6]),
            "time_off": list(user.time_off.select_related("backup")[:6]),
            **_panel(snapshots),
        },
    )


@page(CHW_ONLY, patient_level=False)
@require_http_methods(["GET", "POST"])
def check_in(request: AuthenticatedHttpRequest):
    user = request.user
    form = CheckInForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "keep_sensitive_text"}
        try:
            check_in = services.check_in_save(chw=user, on=user.own_program.today(), **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Thank you for checking in."))
            if check_in.wants_support:
                messages.info(
                    request,
                    _(
                        "Your manager has been told you would like support and will be in "
                        "touch to talk it through."
                    ),
                )
            return redirect("supervision:me")
    return render(request, "supervision/check_in.html", {"form": form})


# -- leader --------------------------------------------------------------------------------


@page(
    LEADER_LEVEL,
    patient_level=False,
    menu=Menu(gettext_lazy("CHW wellbeing"), 50, roles=frozenset({LEADER})),
)
@require_GET
def levels(request: AuthenticatedHttpRequest):
    """Leaders: the program's CHWs by burnout level per week; no names, small cells hidden."""
    programs = list(programs_for(request.user))
    if not programs:
        raise PermissionDenied
    return render(
        request,
        "supervision/levels.html",
        {
            "programs": [(p, selectors.level_distribution(p)) for p in programs],
            "small_cell": selectors.SMALL_CELL,
        },
    )

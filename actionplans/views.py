"""Intake, goals, action steps, the patient's printed plan, and the partner directory."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actionplans import selectors, services
from actionplans.forms import (
    GoalEditForm,
    GoalForm,
    GraduateForm,
    IntakeForm,
    PartnerForm,
    StepEditForm,
    StepForm,
    WithdrawForm,
)
from actionplans.models import ActionStep, Intake
from caseloads.selectors import enrollment_for_user
from impact.lib.forms import apply_errors, posted
from impact.lib.http import AuthenticatedHttpRequest
from impact.lib.languages import language_name_in, printout_language
from impact.models import Role
from impact.pages import CHW, CHW_AND_MANAGER, LEADER, MANAGER, MANAGER_ONLY, Menu, page


def _patient_page(enrollment, anchor: str = "") -> str:
    url = reverse("caseloads:enrollment", args=[enrollment.pk])
    return f"{url}#{anchor}" if anchor else url


# -- the end of the enrollment -------------------------------------------------------------


def _close_enrollment(
    request: AuthenticatedHttpRequest,
    pk: int,
    *,
    form_class,
    template: str,
    close,
    done: str,
    form_kwargs=None,
):
    """The graduation and withdrawal pages: a form, a service that closes, a message.

    Opening the form of an enrollment that is not running leads back to its page."""
    enrollment = enrollment_for_user(request.user, pk)
    if request.method == "GET" and enrollment.status != enrollment.Status.ENROLLED:
        messages.info(
            request,
            _("This enrollment is %(status)s: there is nothing to close.")
            % {"status": enrollment.get_status_display().lower()},
        )
        return redirect("caseloads:enrollment", pk=enrollment.pk)
    form = form_class(
        posted(request),
        initial={"closed_on": enrollment.program.today()},
        **(form_kwargs(enrollment) if form_kwargs else {}),
    )
    if request.method == "POST" and form.is_valid():
        try:
            close(enrollment=enrollment, by=request.user, form=form)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, done % {"name": enrollment.patient.display_name})
            return redirect("caseloads:enrollment", pk=enrollment.pk)
    return render(
        request, template, {"form": form, "enrollment": enrollment, "patient": enrollment.patient}
    )


@page(CHW_AND_MANAGER, patient_level=True, pk="enrollment")
@require_http_methods(["GET", "POST"])
def graduate(request: AuthenticatedHttpRequest, pk: int):
    """Graduate the patient: how each goal ended, a summary, and who takes over."""

    def close(*, enrollment, by, form):
        data = form.cleaned_data
        services.enrollment_graduate(
            enrollment=enrollment,
            by=by,
            closed_on=data["closed_on"],
            summary=data["summary"],
            handoff_to=data["handoff_to"],
            handoff_accepted=data["handoff_accepted"],
            outcomes=form.outcomes(),
        )

    return _close_enrollment(
        request,
        pk,
        form_class=GraduateForm,
        template="actionplans/graduate_form.html",
        close=close,
        done=_("%(name)s graduated. Thank you for the work together."),
        form_kwargs=lambda enrollment: {"goals": selectors.active_goals_for(enrollment)},
    )


@page(CHW_AND_MANAGER, patient_level=True, pk="enrollment")
@require_http_methods(["GET", "POST"])
def withdraw(request: AuthenticatedHttpRequest, pk: int):
    """Close the enrollment as withdrawn, with a reason."""

    def close(*, enrollment, by, form):
        data = form.cleaned_data
        services.enrollment_withdraw(
            enrollment=enrollment, by=by, closed_on=data["closed_on"], reason=data["close_reason"]
        )

    return _close_enrollment(
        request,
        pk,
        form_class=WithdrawForm,
        template="actionplans/withdraw_form.html",
        close=close,
        done=_("%(name)s's enrollment is closed as withdrawn."),
    )


# -- intake -------------------------------------------------------------------------------


@page(CHW_AND_MANAGER, patient_level=True, pk="enrollment")
@require_http_methods(["GET", "POST"])
def intake(request: AuthenticatedHttpRequest, pk: int):
    """The "get to know you" interview and the needs screen (one per enrollment)."""
    enrollment = enrollment_for_user(request.user, pk)
    existing = selectors.intake_of(enrollment) or Intake(enrollment=enrollment)
    form = IntakeForm(posted(request), instance=existing)
    if request.method == "POST" and form.is_valid():
        try:
            services.intake_save(enrollment=enrollment, by=request.user, **form.intake_fields())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Intake saved."))
            return redirect(_patient_page(enrollment, "intake"))
    return render(
        request,
        "actionplans/intake_form.html",
        {"form": form, "enrollment": enrollment, "patient": enrollment.patient},
    )


# -- goals --------------------------------------------------------------------------------


@page(CHW_AND_MANAGER, patient_level=True, pk="enrollment")
@require_http_methods(["GET", "POST"])
def goal_new(request: AuthenticatedHttpRequest, pk: int):
    enrollment = enrollment_for_user(request.user, pk)
    form = GoalForm(posted(request), initial={"set_on": enrollment.program.today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            goal = services.goal_create(
                enrollment=enrollment,
                by=request.user,
                statement=data["statement"],
                category=data["category"],
                condition=data["condition"],
                set_by=data["set_by"],
                set_on=data["set_on"],
                submission_key=data["submission_key"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Goal saved. Now add the first steps."))
            return redirect("actionplans:step_new", pk=goal.pk)
    return render(
        request,
        "actionplans/goal_form.html",
        {"form": form, "enrollment": enrollment, "patient": enrollment.patient},
    )


@page(CHW_AND_MANAGER, patient_level=True, pk="goal")
@require_http_methods(["GET", "POST"])
def goal_edit(request: AuthenticatedHttpRequest, pk: int):
    goal = selectors.goal_for_user(request.user, pk)
    enrollment = goal.enrollment
    initial = {
        "statement": goal.statement,
        "category": goal.category,
        "condition": goal.condition,
        "set_by": goal.set_by,
        "set_on": goal.set_on,
        "status": goal.status,
        "closed_on": goal.closed_on,
    }
    form = GoalEditForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.goal_update(
                goal=goal,
                by=request.user,
                **{k: data[k] for k in initial},
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Goal updated."))
            return redirect(_patient_page(enrollment, f"goal-{goal.pk}"))
    return render(
        request,
        "actionplans/goal_form.html",
        {"form": form, "goal": goal, "enrollment": enrollment, "patient": enrollment.patient},
    )


# -- steps --------------------------------------------------------------------------------


def _step_args(data: dict) -> dict:
    return {
        k: data[k]
        for k in (
            "description",
            "owner",
            "support_type",
            "due_on",
            "partner",
            "consent_to_share",
            "warm_handoff",
            "accompanied",
            "notes",
        )
    }


@page(CHW_AND_MANAGER, patient_level=True, pk="goal")
@require_http_methods(["GET", "POST"])
def step_new(request: AuthenticatedHttpRequest, pk: int):
    goal = selectors.goal_for_user(request.user, pk)
    enrollment = goal.enrollment
    today = enrollment.program.today()
    form = StepForm(
        posted(request),
        partners=selectors.partners_for(request.user, active_only=True),
        initial={"due_on": today + dt.timedelta(days=7)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.step_create(
                goal=goal,
                by=request.user,
                submission_key=form.cleaned_data["submission_key"],
                **_step_args(form.cleaned_data),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Step added."))
            if "add_another" in request.POST:
                return redirect("actionplans:step_new", pk=goal.pk)
            return redirect(_patient_page(enrollment, f"goal-{goal.pk}"))
    return render(
        request,
        "actionplans/step_form.html",
        {"form": form, "goal": goal, "enrollment": enrollment, "patient": enrollment.patient},
    )


@page(CHW_AND_MANAGER, patient_level=True, pk="step")
@require_http_methods(["GET", "POST"])
def step_edit(request: AuthenticatedHttpRequest, pk: int):
    step = selectors.step_for_user(request.user, pk)
    goal, enrollment = step.goal, step.goal.enrollment
    fields = [
        "description",
        "owner",
        "support_type",
        "due_on",
        "partner",
        "consent_to_share",
        "warm_handoff",
        "accompanied",
        "notes",
        "status",
        "referral_outcome",
    ]
    form = StepEditForm(
        posted(request),
        partners=selectors.partners_for(request.user),
        initial={name: getattr(step, name) for name in fields},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.step_update(
                step=step,
                by=request.user,
                status=data["status"],
                referral_outcome=data["referral_outcome"],
                **_step_args(data),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Step updated."))
            if step.partner_id and not step.consent_to_share and data["consent_to_share"]:
                messages.warning(
                    request, _("The partner changed: ask the patient's consent for this partner.")
                )
            return redirect(_patient_page(enrollment, f"goal-{goal.pk}"))
    return render(
        request,
        "actionplans/step_form.html",
        {
            "form": form,
            "step": step,
            "goal": goal,
            "enrollment": enrollment,
            "patient": enrollment.patient,
        },
    )


def _step_changed(
    request: AuthenticatedHttpRequest, step: ActionStep, error: ValidationError | None = None
):
    """htmx gets the step's row and its goal's progress; without JavaScript, the page."""
    enrollment = step.goal.enrollment
    if request.htmx:
        goal = selectors.set_progress(step.goal)
        return render(
            request,
            "actionplans/_step_changed.html",
            {
                "step": step,
                "goal": goal,
                "today": enrollment.program.today(),
                "error": error.messages[0] if error else "",
            },
        )  # 200 even with an error: htmx 2 does not swap 4xx answers, the row shows it
    if error:
        messages.error(request, error.messages[0])
    return redirect(_patient_page(enrollment, f"step-{step.pk}"))


@page(CHW_AND_MANAGER, patient_level=True, pk="step")
@require_POST
def step_done(request: AuthenticatedHttpRequest, pk: int):
    step = selectors.step_for_user(request.user, pk)
    try:
        services.step_mark_done(step=step, by=request.user)
    except ValidationError as error:
        return _step_changed(request, step, error)
    return _step_changed(request, step)


@page(CHW_AND_MANAGER, patient_level=True, pk="step")
@require_POST
def step_postpone(request: AuthenticatedHttpRequest, pk: int):
    """Move the due date a week past the later of today and the current due date."""
    step = selectors.step_for_user(request.user, pk)
    today = step.goal.enrollment.program.today()
    try:
        services.step_move_due(
            step=step, by=request.user, due_on=max(today, step.due_on) + dt.timedelta(days=7)
        )
    except ValidationError as error:
        return _step_changed(request, step, error)
    return _step_changed(request, step)


# -- printouts ----------------------------------------------------------------------------


def _printout(request: AuthenticatedHttpRequest, template: str, context: dict) -> HttpResponse:
    """A page the patient takes home, in the patient's language when the interface has a
    translation of it, else in English with the need for an interpreter flagged to the
    CHW on screen (issue 10). The bar above the page stays in the CHW's language."""
    patient = context["patient"]
    screen = translation.get_language()
    language = printout_language(patient.preferred_language) or "en"
    context |= {
        "screen_language": screen,
        "print_language": language,
        "untranslated": language != patient.preferred_language,
        "patient_language": language_name_in(patient.preferred_language, screen),
    }
    with translation.override(language):
        response = render(request, template, context)
    response["Content-Language"] = language
    return response


@page(CHW_AND_MANAGER, patient_level=True, pk="enrollment")
@require_GET
def plan_print(request: AuthenticatedHttpRequest, pk: int):
    """The patient's one-page plan: their goals in their words, next steps, contacts."""
    enrollment = enrollment_for_user(request.user, pk)
    today = enrollment.program.today()
    goals = [g for g in selectors.goals_for(enrollment) if g.is_active]
    for goal in goals:
        goal.next_steps = [s for s in goal.steps.all() if s.is_open]
    partners = {s.partner for g in goals for s in g.next_steps if s.partner}
    return _printout(
        request,
        "actionplans/plan_print.html",
        {
            "enrollment": enrollment,
            "patient": enrollment.patient,
            "chw": enrollment.chw,
            "goals": goals,
            "partners": sorted(partners, key=lambda p: p.name),
            "today": today,
        },
    )


@page(CHW_AND_MANAGER, patient_level=True, pk="step")
@require_GET
def referral_slip(request: AuthenticatedHttpRequest, pk: int):
    """What the partner receives. Without the patient's consent it carries no contact
    details: only the patient's first name and what the referral is for."""
    step = selectors.step_for_user(request.user, pk)
    if not step.is_referral:
        return HttpResponse(status=404)
    enrollment = step.goal.enrollment
    return _printout(
        request,
        "actionplans/referral_slip.html",
        {
            "step": step,
            "partner": step.partner,
            "enrollment": enrollment,
            "patient": enrollment.patient,
            "chw": enrollment.chw,
            "today": enrollment.program.today(),
        },
    )


# -- partner directory --------------------------------------------------------------------


@page({CHW, LEADER, MANAGER}, patient_level=False, menu=Menu(gettext_lazy("Partners"), 70))
@require_GET
def partners(request: AuthenticatedHttpRequest):
    """The program's partner directory: every staff member reads it, managers edit it."""
    kind = request.GET.get("kind", "")
    directory = selectors.partners_for(request.user)
    if kind:
        directory = directory.filter(kind=kind)
    return render(
        request,
        "actionplans/partners.html",
        {
            "partners": directory.order_by("-is_active", "name"),
            "kind": kind,
            "kinds": directory.model.Kind.choices,
            "can_edit": request.user.role == Role.MANAGER,
        },
    )


@page(MANAGER_ONLY, patient_level=False)
@require_http_methods(["GET", "POST"])
def partner_edit(request: AuthenticatedHttpRequest, pk: int | None = None):
    partner = selectors.partner_for_manager(request.user, pk) if pk else None
    program = request.user.own_program
    form = PartnerForm(posted(request), instance=partner, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_save(
                program=program, by=request.user, partner=partner, **form.partner_fields()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Partner saved."))
            return redirect("actionplans:partners")
    return render(request, "actionplans/partner_form.html", {"form": form, "partner": partner})

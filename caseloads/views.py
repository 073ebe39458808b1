"""Caseload pages, enrollment and the visit log. Thin: selectors read, services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseloads import extensions, selectors, services
from caseloads.filters import CaseloadFilter
from caseloads.forms import (
    AlertNoteForm,
    EncounterForm,
    EnrollmentForm,
    EnrollSearchForm,
    ExtendForm,
    PatientForm,
    ReassignForm,
)
from caseloads.models import Alert, Enrollment
from impact.lib.dates import shown
from impact.lib.forms import apply_errors, parse_pk, posted, redirect_back
from impact.lib.http import AuthenticatedHttpRequest
from impact.lib.panels import panels_for
from impact.models import Role
from impact.pages import CHW_AND_MANAGER, CHW_ONLY, MANAGER_ONLY, Menu, page

ALERTS_ON_HOME = 5


@page(
    CHW_AND_MANAGER,
    patient_level=True,
    menu=Menu(gettext_lazy("My caseload"), 10, roles=CHW_ONLY),
)
@require_http_methods(["GET", "POST"])
def caseload(request: AuthenticatedHttpRequest):
    """A CHW's active enrollments; a manager may open one of their CHWs' with ?chw=ID.

    The filter form is sent by POST: its search box takes names and MRNs, which must not
    travel in URLs (DESIGN.md §4). A query string's "q" is never read."""
    user = request.user
    if request.method == "GET" and "q" in request.GET:
        # An old bookmark: the same page without the name in its address.
        rest = request.GET.copy()
        del rest["q"]
        return redirect(f"{request.path}?{rest.urlencode()}" if rest else request.path)
    if user.role == Role.CHW:
        chw = user
    else:
        chw_id = parse_pk(request.GET.get("chw") or request.POST.get("chw", ""))
        if chw_id is None:
            return redirect("caseloads:team")
        chw = get_object_or_404(selectors.chws_for(user), pk=chw_id)
    program = user.own_program
    today = program.today()
    enrollments = extensions.annotate_caseload(selectors.caseload_for(user, chw), today)
    filterset = CaseloadFilter(
        request.POST if request.method == "POST" else request.GET,
        queryset=enrollments,
        program=program,
        today=today,
    )
    rows = [selectors.CaseloadRow.build(e, today) for e in filterset.qs]
    # One query: a CHW has a few alerts per patient at most.
    alerts = list(selectors.unresolved_alerts(user, chw))
    return render(
        request,
        "caseloads/caseload.html",
        {
            "chw": chw,
            "program": program,
            "today": today,
            "filter": filterset,
            "rows": rows,
            "active_total": selectors.caseload_for(user, chw).count(),
            "alerts": alerts[:ALERTS_ON_HOME],
            "alerts_total": len(alerts),
            "columns": extensions.caseload_columns(),
            "panels": panels_for("time_off", request, chw=chw)
            + panels_for("chw_home", request, chw=chw),
        },
    )


@page(MANAGER_ONLY, patient_level=True, menu=Menu(gettext_lazy("Team caseloads"), 10))
@require_GET
def team(request: AuthenticatedHttpRequest):
    """Each CHW's active caseload against the cap, days remaining, and stale enrollments."""
    user = request.user
    program = user.own_program
    today = program.today()
    # Each CHW row carries its counts (annotations) and this page's own two figures.
    chws: list[Any] = list(selectors.team_caseloads(user, today))
    for chw in chws:
        chw.over_cap = chw.active > program.caseload_cap
        chw.load_percent = min(100, round(100 * chw.active / program.caseload_cap))
    stale = [
        selectors.CaseloadRow.build(e, today)
        for e in selectors.stale_enrollments(user, program, today)
    ]
    return render(
        request,
        "caseloads/team.html",
        {
            "program": program,
            "today": today,
            "chws": chws,
            "stale": stale,
            "buckets": selectors.REMAINING_BUCKETS,
            "panels": panels_for("manager_home", request),
            "figures": panels_for("team_figures", request, chws=chws),
        },
    )


def _detail_context(
    request: AuthenticatedHttpRequest, enrollment, reassign_form=None, extend_form=None
) -> dict:
    """What the patient page shows: the enrollment, its alerts, what later apps add (the
    plan: caseloads.extensions) and its timeline."""
    today = enrollment.program.today()
    context = {
        "alerts": list(selectors.unresolved_alerts(request.user).filter(enrollment=enrollment)),
        "enrollment": enrollment,
        "patient": enrollment.patient,
        "today": today,
        "days_left": enrollment.days_left(today),
        "sections": panels_for("enrollment_plan", request, enrollment=enrollment),
        # How an open enrollment is closed (graduation, withdrawal) is actionplans' to say.
        "closing": panels_for("enrollment_close", request, enrollment=enrollment),
        "timeline": selectors.timeline_for(enrollment),
        "panels": panels_for("time_off", request, chw=enrollment.chw, enrollment=enrollment),
        # The CHW's manager may redact text kept by mistake (impact.redaction); a manager
        # reaches this page only for the CHWs of the teams they manage.
        "can_redact": request.user.role == Role.MANAGER,
    }
    if request.user.role == Role.MANAGER and enrollment.is_open:
        context["reassign_form"] = reassign_form or ReassignForm(enrollment=enrollment)
    if extend_form is not None:  # a refused extension shows why, next to its fields
        context["extend_form"] = extend_form
    elif (
        request.user.role == Role.MANAGER
        and enrollment.status == Enrollment.Status.ENROLLED
        and not enrollment.was_extended
    ):
        context["extend_form"] = ExtendForm(initial={"planned_end_on": enrollment.planned_end_on})
    return context


@page(CHW_AND_MANAGER, patient_level=True, pk="enrollment")
@require_GET
def enrollment_detail(request: AuthenticatedHttpRequest, pk: int):
    enrollment = selectors.enrollment_for_user(request.user, pk)
    return render(request, "caseloads/enrollment_detail.html", _detail_context(request, enrollment))


@page(CHW_AND_MANAGER, patient_level=True, pk="enrollment")
@require_http_methods(["GET", "POST"])
def encounter_new(request: AuthenticatedHttpRequest, pk: int):
    enrollment = selectors.enrollment_for_user(request.user, pk)
    if enrollment.status in (enrollment.Status.DECLINED, enrollment.Status.INELIGIBLE):
        raise Http404
    form = EncounterForm(posted(request), enrollment=enrollment)
    if request.method == "POST" and form.is_valid():
        try:
            services.encounter_log(
                enrollment=enrollment,
                author=request.user,
                data=form.encounter_input(),
                next_touchpoint_on=form.cleaned_data["next_touchpoint_on"],
                submission_key=form.cleaned_data["submission_key"],
                **form.extension_data(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Visit logged."))
            return redirect("caseloads:enrollment", pk=enrollment.pk)
    return render(
        request,
        "caseloads/encounter_form.html",
        {"form": form, "enrollment": enrollment, "patient": enrollment.patient},
    )


# The patients the user's last search found and may enroll (ids), and its terms for a new
# registration: kept in the session, so neither travels in a URL.
FOUND_KEY = "caseloads.found"
SEARCH_KEY = "caseloads.search"


@page(CHW_AND_MANAGER, patient_level=True, menu=Menu(gettext_lazy("Enroll a patient"), 40))
@require_http_methods(["GET", "POST"])
def enroll(request: AuthenticatedHttpRequest):
    """Find the patient first, so nobody is registered twice (DESIGN.md §4: by POST, with
    the MRN or the family name and date of birth; a query string is never read)."""
    if request.method == "GET" and request.GET:
        # An old bookmark or a hand-typed URL: to the bare page, so the details typed into
        # the address do not stay in it.
        return redirect("caseloads:enroll")
    form = EnrollSearchForm(posted(request))
    lookup = None
    if request.method == "POST" and form.is_valid():
        lookup = selectors.patient_lookup(request.user, **form.cleaned_data)
        request.session[FOUND_KEY] = [patient.pk for patient in lookup.to_enroll]
        request.session[SEARCH_KEY] = form.as_initial()
    return render(request, "caseloads/enroll_search.html", {"form": form, "lookup": lookup})


@page(CHW_AND_MANAGER, patient_level=True)
@require_http_methods(["GET", "POST"])
def patient_new(request: AuthenticatedHttpRequest):
    """Register a new patient and record the referral outcome in one step."""
    user, program = request.user, request.user.own_program
    data = posted(request)
    # The last search's terms start the form (from the session: never from the URL).
    initial = request.session.get(SEARCH_KEY, {}) if data is None else {}
    patient_form = PatientForm(data, program=program, initial=initial, prefix="patient")
    enrollment_form = EnrollmentForm(data, user=user, program=program, prefix="enrollment")
    if request.method == "POST":
        # A second submit of the same page (double tap, retry on a slow network) finds
        # the enrollment the first one created instead of failing on "duplicate MRN".
        done = selectors.enrollment_by_submission_key(
            user, request.POST.get("enrollment-submission_key", "")
        )
        if done is not None:
            return _after_enrollment(request, done)
    if request.method == "POST" and patient_form.is_valid() and enrollment_form.is_valid():
        enrollment = _create_patient_and_enrollment(request, patient_form, enrollment_form)
        if enrollment is not None:
            request.session.pop(SEARCH_KEY, None)
            return _after_enrollment(request, enrollment)
    # Possible duplicates are named only when they are the user's own patients (or their
    # teams'); anyone else's are counted, so a guessed name and birth date reveal nobody.
    duplicates, other_duplicates = selectors.patients_shown_of(
        user, patient_form.possible_duplicates
    )
    return render(
        request,
        "caseloads/patient_form.html",
        {
            "patient_form": patient_form,
            "enrollment_form": enrollment_form,
            "duplicates": duplicates,
            "other_duplicates": other_duplicates,
        },
    )


def _create_patient_and_enrollment(
    request: AuthenticatedHttpRequest, patient_form, enrollment_form
):
    """Both rows or neither: a refused enrollment leaves no orphan patient behind."""
    fields = {k: v for k, v in patient_form.cleaned_data.items() if k != "confirm_new_person"}
    try:
        with transaction.atomic():
            patient = services.patient_create(
                program=request.user.own_program, by=request.user, **fields
            )
            return services.enrollment_create(
                patient=patient, by=request.user, **_enrollment_args(enrollment_form)
            )
    except ValidationError as error:
        if hasattr(error, "error_dict") and set(error.error_dict) & set(patient_form.fields):
            apply_errors(patient_form, error)
        else:
            apply_errors(enrollment_form, error)
        return None


def _enrollment_args(form) -> dict:
    data = form.cleaned_data
    return {
        "chw": data["chw"],
        "status": data["status"],
        "referred_on": data["referred_on"],
        "enrolled_on": data["enrolled_on"] if data["status"] == "enrolled" else None,
        "close_reason": data["close_reason"],
        "submission_key": data["submission_key"],
    }


def _after_enrollment(request: AuthenticatedHttpRequest, enrollment):
    if enrollment.status in enrollment.OPEN_STATUSES:
        messages.success(request, _("%(name)s is on the caseload.") % {"name": enrollment.patient})
        return redirect("caseloads:enrollment", pk=enrollment.pk)
    messages.success(request, _("The referral outcome was recorded."))
    return redirect("caseloads:enroll")


@page(CHW_AND_MANAGER, patient_level=True)
@require_http_methods(["GET", "POST"])
def enrollment_new(request: AuthenticatedHttpRequest, patient_pk: int):
    """Start a new enrollment (or record a referral) for a patient already registered:
    one of the user's own (or their teams') patients, or one their last search found and
    they may enroll; 404 for anyone else (GET and POST alike)."""
    patient = selectors.patient_to_enroll(
        request.user, patient_pk, found=request.session.get(FOUND_KEY, ())
    )
    form = EnrollmentForm(posted(request), user=request.user, program=patient.program)
    if request.method == "POST" and form.is_valid():
        try:
            enrollment = services.enrollment_create(
                patient=patient, by=request.user, **_enrollment_args(form)
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _after_enrollment(request, enrollment)
    return render(request, "caseloads/enrollment_form.html", {"form": form, "patient": patient})


@page(MANAGER_ONLY, patient_level=True, pk="enrollment")
@require_POST
def reassign(request: AuthenticatedHttpRequest, pk: int):
    enrollment = selectors.enrollment_for_user(request.user, pk)
    form = ReassignForm(request.POST, enrollment=enrollment)
    if form.is_valid():
        try:
            services.enrollment_reassign(
                enrollment=enrollment,
                to_chw=form.cleaned_data["to_chw"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Reassigned to %(chw)s.") % {"chw": form.cleaned_data["to_chw"]}
            )
            return redirect("caseloads:enrollment", pk=enrollment.pk)
    return _refused(
        request,
        enrollment,
        _("The patient was not reassigned: see why under “Reassign”."),
        reassign_form=form,
    )


def _refused(request: AuthenticatedHttpRequest, enrollment, message: str, **forms):
    """The patient page again (400), the refusal said at the top and, next to the
    fields of the refused form, why."""
    messages.error(request, message)
    return render(
        request,
        "caseloads/enrollment_detail.html",
        _detail_context(request, enrollment, **forms),
        status=400,
    )


@page(MANAGER_ONLY, patient_level=True, pk="enrollment")
@require_POST
def extend(request: AuthenticatedHttpRequest, pk: int):
    """The manager extends the planned end date once, with a reason."""
    enrollment = selectors.enrollment_for_user(request.user, pk)
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            services.enrollment_extend(
                enrollment=enrollment,
                planned_end_on=form.cleaned_data["planned_end_on"],
                reason=form.cleaned_data["extension_reason"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The planned end is now %(day)s.") % {"day": shown(enrollment.ran_dates()[1])},
            )
            return redirect("caseloads:enrollment", pk=enrollment.pk)
    return _refused(
        request,
        enrollment,
        _("The end date was not extended: see why under “Extend”."),
        extend_form=form,
    )


# -- alerts -------------------------------------------------------------------------------


@page(CHW_AND_MANAGER, patient_level=True, menu=Menu(gettext_lazy("Alerts"), 20))
@require_GET
def alerts(request: AuthenticatedHttpRequest):
    """A CHW's open alerts; for a manager, the team's alerts grouped by CHW and kind."""
    user = request.user
    today = user.own_program.today()
    context: dict[str, Any]
    if user.role == Role.CHW:
        context = {"board": None, "alerts": list(selectors.unresolved_alerts(user)), "today": today}
    else:
        context = {
            "board": selectors.alert_board(user, today),
            "kinds": [
                (kind, label)
                for kind, label in Alert.Kind.choices
                if kind not in (Alert.Kind.CASELOAD_OVER_CAP, Alert.Kind.AFTER_HOURS_WORK)
            ],
            "today": today,
        }
    return render(request, "caseloads/alerts.html", context)


def _alert_action(request: AuthenticatedHttpRequest, pk: int, action):
    alert = selectors.alert_for_user(request.user, pk)
    form = AlertNoteForm(request.POST)
    if form.is_valid():
        try:
            action(alert=alert, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            apply_errors(form, error)
    today = alert.program.today()
    if request.htmx:
        return render(
            request,
            "caseloads/_alert.html",
            {
                "alert": alert,
                "today": today,
                "form": form,
                "next": request.POST.get("next"),
                # The navigation's count, updated out of band in the same response.
                "nav_count": selectors.open_alert_count(request.user),
            },
        )
    if form.errors:
        # The alert again with the note as typed and why it was refused (a warning about
        # the note's wording offers "keep the text as written"): nothing typed is lost.
        return render(
            request,
            "caseloads/alert_note.html",
            {
                "alert": alert,
                "today": today,
                "form": form,
                # Never this POST-only address: back to the page the form was on.
                "next": request.POST.get("next") or reverse("caseloads:alerts"),
            },
            status=400,
        )
    return redirect_back(request, "caseloads:alerts")


@page(CHW_AND_MANAGER, patient_level=True, pk="alert")
@require_POST
def alert_acknowledge(request: AuthenticatedHttpRequest, pk: int):
    return _alert_action(request, pk, services.alert_acknowledge)


@page(CHW_AND_MANAGER, patient_level=True, pk="alert")
@require_POST
def alert_resolve(request: AuthenticatedHttpRequest, pk: int):
    return _alert_action(request, pk, services.alert_resolve)

"""Fidelity reviews, their trend, the implementation (CFIR) log and the program's stage.

Everyone in the program reads them; its managers and leaders write (DESIGN.md §4). The
cases behind a missed component are patient-level: CHWs and managers see their own scope,
leaders never (403)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseloads.selectors import enrollments_for
from fidelity import selectors, services
from fidelity.charts import fidelity_trend_svg
from fidelity.forms import NoteFilter, NoteForm, RatingForm, ReviewForm, StageForm
from impact.lib.forms import apply_errors, parse_pk, posted, redirect_to_program
from impact.lib.http import AuthenticatedHttpRequest
from impact.models import Role
from impact.pages import CHW_AND_MANAGER, PROGRAM_STAFF, Menu, page


def _program(request: AuthenticatedHttpRequest):
    """The program the page is about: the user's own; an administrator picks one."""
    chosen = request.GET.get("program") or request.POST.get("program", "")
    program = selectors.program_for(request.user, parse_pk(chosen))
    if program is None:
        raise Http404
    return program


@page(PROGRAM_STAFF, patient_level=False, menu=Menu(gettext_lazy("Fidelity"), 60))
@require_GET
def reviews(request: AuthenticatedHttpRequest):
    """Reviews of the program, the trend per component, the score, and the stage."""
    program = _program(request)
    history = selectors.trend(program)
    return render(
        request,
        "fidelity/reviews.html",
        {
            "program": program,
            "history": history,
            "can_write": services.can_write(request.user, program),
            "form": ReviewForm(),
            "stage_form": StageForm(initial={"stage": program.stage}),
        },
    )


@page(PROGRAM_STAFF, patient_level=False)
@require_POST
def review_new(request: AuthenticatedHttpRequest):
    program = _program(request)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            review = services.review_start(
                program=program,
                start=form.cleaned_data["period_start"],
                end=form.cleaned_data["period_end"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Review started: the automatic components are computed."))
            return redirect("fidelity:review", pk=review.pk)
    return render(
        request,
        "fidelity/reviews.html",
        {
            "program": program,
            "history": selectors.trend(program),
            "can_write": services.can_write(request.user, program),
            "form": form,
            "stage_form": StageForm(initial={"stage": program.stage}),
        },
        status=400,
    )


@page(PROGRAM_STAFF, patient_level=False)
@require_http_methods(["GET", "POST"])
def review_detail(request: AuthenticatedHttpRequest, pk: int):
    """One review: each component's evidence and rating; writers rate, then finalise."""
    review = selectors.review_for_user(request.user, pk)
    writable = services.can_write(request.user, review.program) and not review.is_final
    forms = []
    for rating in review.ratings.select_related("component"):
        bound = request.method == "POST" and request.POST.get("rating_id") == str(rating.pk)
        form = RatingForm(
            request.POST if bound else None,
            prefix=f"r{rating.pk}",
            initial={"rating": rating.rating, "reason": rating.reason, "note": rating.note},
        )
        if bound and writable and form.is_valid():
            try:
                services.rating_save(
                    rating=rating,
                    by=request.user,
                    value=form.cleaned_data["rating"],
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("%(name)s rated.") % {"name": rating.component})
                return redirect(f"{request.path}#component-{rating.component.code}")
        elif bound and not writable:
            messages.error(
                request,
                _("This review is final: it can no longer change.")
                if review.is_final
                else _("Only this program's managers and leaders rate."),
            )
            return redirect("fidelity:review", pk=review.pk)
        forms.append((rating, form))
    return render(
        request,
        "fidelity/review.html",
        {
            "review": review,
            "rows": forms,
            "writable": writable,
            "patient_level": request.user.role in (Role.CHW, Role.MANAGER),
        },
        status=400 if any(form.errors for _r, form in forms) else 200,
    )


@page(PROGRAM_STAFF, patient_level=False)
@require_POST
def review_finalize(request: AuthenticatedHttpRequest, pk: int):
    review = selectors.review_for_user(request.user, pk)
    try:
        services.review_finalize(review=review, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The review is final."))
    return redirect("fidelity:review", pk=review.pk)


@page(CHW_AND_MANAGER, patient_level=True, pk="review")
@require_GET
def review_cases(request: AuthenticatedHttpRequest, pk: int, code: str):
    """The enrollments behind a missed component, within the user's own scope."""
    review = selectors.review_for_user(request.user, pk)
    rating = get_object_or_404(review.ratings.select_related("component"), component__code=code)
    if rating.evidence.get("miss_kind") != "enrollment":
        raise Http404
    ids = rating.evidence.get("misses", [])
    cases = (
        enrollments_for(request.user)
        .filter(pk__in=ids)
        .select_related("patient", "chw")
        .order_by("patient__family_name")
    )
    return render(
        request,
        "fidelity/cases.html",
        {"review": review, "rating": rating, "cases": cases, "outside": len(ids)},
    )


@page(PROGRAM_STAFF, patient_level=False)
@require_GET
def trend_chart(request: AuthenticatedHttpRequest):
    program = _program(request)
    response = HttpResponse(fidelity_trend_svg(selectors.trend(program)), "image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


@page(PROGRAM_STAFF, patient_level=False)
@require_POST
def stage(request: AuthenticatedHttpRequest):
    program = _program(request)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            services.stage_change(
                program=program, stage=form.cleaned_data["stage"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Implementation stage saved."))
    return redirect_to_program("fidelity:reviews", program)


# -- the implementation log ------------------------------------------------------------------


@page(PROGRAM_STAFF, patient_level=False)
@require_http_methods(["GET", "POST"])
def log(request: AuthenticatedHttpRequest):
    """Barriers and facilitators by CFIR domain: filter, add, export."""
    program = _program(request)
    writable = services.can_write(request.user, program)
    form = NoteForm(posted(request), initial={"on": program.today()})
    if request.method == "POST":
        if not writable:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.note_create(program=program, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Added to the implementation log."))
                return redirect_to_program("fidelity:log", program)
    filterset = NoteFilter(request.GET, queryset=selectors.notes_for(program))
    return render(
        request,
        "fidelity/log.html",
        {"program": program, "filter": filterset, "form": form, "writable": writable},
        status=400 if form.errors else 200,
    )


def _cell(value) -> str:
    """A spreadsheet cell that can never run as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@page(PROGRAM_STAFF, patient_level=False)
@require_GET
def log_csv(request: AuthenticatedHttpRequest):
    program = _program(request)
    filterset = NoteFilter(request.GET, queryset=selectors.notes_for(program))
    if not filterset.is_valid():
        return HttpResponse(
            _("Check the filter: %(errors)s")
            % {"errors": " ".join(str(e) for errors in filterset.errors.values() for e in errors)},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="implementation-log.csv"'
    writer = csv.writer(response)
    writer.writerow(["date", "cfir_domain", "direction", "theme", "note", "author"])
    for note in filterset.qs.select_related("author"):
        writer.writerow(
            [
                note.on.isoformat(),
                note.cfir_domain,
                note.direction,
                _cell(note.theme),
                _cell(note.note),
                _cell(note.author),
            ]
        )
    return response

"""Leader pages for importing hospital admissions and ED visits from a CSV file: upload,
preview (no identifiers: MRNs masked; rows about people outside the program, and stays
already recorded or clashing with one recorded, only counted, never listed nor dated),
confirm. Leaders and administrators only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from impact.lib.forms import apply_errors, posted, redirect_to_program
from impact.lib.http import AuthenticatedHttpRequest
from impact.models import Program
from impact.pages import LEADER_LEVEL, Menu, page
from reports.imports import checks
from reports.imports import services as utilization
from reports.imports.forms import UtilizationUploadForm
from reports.menus import COSTS_AND_DATA
from reports.models import UtilizationImport
from reports.selectors import leader_program


def _upload_page(
    request: AuthenticatedHttpRequest, program: Program, form, row_errors=None
) -> HttpResponse:
    row_errors = row_errors or []
    return render(
        request,
        "reports/utilization.html",
        {
            "program": program,
            "form": form,
            "row_errors": row_errors[: checks.ERRORS_SHOWN],
            "error_count": len(row_errors),
            "more_errors": max(len(row_errors) - checks.ERRORS_SHOWN, 0),
            "imports": utilization.imports_for(program)[:20],
            "limit": checks.MAX_BYTES,
        },
        status=400 if form.errors or row_errors else 200,
    )


# The body is read only after the size limit is in place: CSRF is checked inside, once the
# upload handler is installed (Django's documented way to change handlers per view).
@page(
    LEADER_LEVEL,
    patient_level=False,
    menu=Menu(gettext_lazy("Import hospital use"), 33, group=COSTS_AND_DATA),
)
@csrf_exempt
@require_http_methods(["GET", "POST"])
def upload(request: AuthenticatedHttpRequest):
    """Upload a CSV: every problem listed by line, or a preview to confirm."""
    request.upload_handlers.insert(0, checks.SizeLimitUploadHandler(request))
    return _upload(request)


@csrf_protect
def _upload(request: AuthenticatedHttpRequest):
    program = leader_program(request)
    form = UtilizationUploadForm(posted(request), request.FILES or None)
    if request.method != "POST":
        return _upload_page(request, program, form)
    valid = form.is_valid()
    too_big = getattr(request, "upload_too_big", None)  # set by checks.SizeLimitUploadHandler
    if too_big:
        form.errors.pop("file", None)
        size = int(request.META.get("CONTENT_LENGTH") or too_big)
        form.add_error("file", checks.too_big(size))
        return _upload_page(request, program, form)
    if not valid:
        return _upload_page(request, program, form)
    upload_file = form.cleaned_data["file"]
    # The size first: a file over the limit is never read.
    if upload_file.size > checks.MAX_BYTES:
        form.add_error("file", checks.too_big(upload_file.size))
        return _upload_page(request, program, form)
    try:
        staging = utilization.import_preview(
            program=program,
            by=request.user,
            filename=upload_file.name or "",
            content=upload_file.read(),
        )
    except checks.RowErrors as error:
        apply_errors(form, error)
        return _upload_page(request, program, form, error.rows)
    except ValidationError as error:
        apply_errors(form, error)
        return _upload_page(request, program, form)
    return redirect("reports:utilization_preview", pk=staging.pk)


def _preview_page(
    request: AuthenticatedHttpRequest, staging: UtilizationImport, error: str = ""
) -> HttpResponse:
    return render(
        request,
        "reports/utilization_preview.html",
        {
            "program": staging.program,
            "staging": staging,
            "preview": staging.preview,
            "imported": staging.status == UtilizationImport.Status.IMPORTED,
            "error": error,
        },
        status=400 if error else 200,
    )


@page(LEADER_LEVEL, patient_level=False)
@require_GET
def preview(request: AuthenticatedHttpRequest, pk: int):
    """What a confirmed upload would import: counts, dates, the first rows (MRN masked)."""
    return _preview_page(request, utilization.staging_for_user(request.user, pk))


@page(LEADER_LEVEL, patient_level=False)
@require_POST
def confirm(request: AuthenticatedHttpRequest, pk: int):
    staging = utilization.staging_for_user(request.user, pk)
    try:
        done = utilization.import_confirm(staging=staging, by=request.user)
    except checks.RowErrors as error:
        form = UtilizationUploadForm()
        messages.error(
            request,
            _("The data changed since the preview: nothing was imported.")
            + " "
            + " ".join(error.messages),
        )
        return _upload_page(request, staging.program, form, error.rows)
    except ValidationError as error:
        return _preview_page(request, staging, " ".join(error.messages))
    messages.success(
        request,
        _("Imported %(new)d rows (%(already)d already imported).")
        % {"new": done.rows, "already": done.preview.get("already", 0)},
    )
    if skipped := done.preview.get("not_enrolled", 0):
        messages.info(request, checks.not_enrolled_message(skipped))
    return redirect_to_program("reports:utilization", done.program)


@page(LEADER_LEVEL, patient_level=False)
@require_POST
def discard(request: AuthenticatedHttpRequest, pk: int):
    staging = utilization.staging_for_user(request.user, pk)
    utilization.import_discard(staging=staging)
    messages.info(request, _("The upload was discarded: nothing was imported."))
    return redirect_to_program("reports:utilization", staging.program)

"""The leader exports page: de-identified CSV, XLSX and PDF files of the program's figures
(DESIGN.md §4). Small exports are answered in the request; bigger ones run as a django-q2
task whose progress the page polls (htmx) until its file is ready."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from impact.lib.forms import posted, redirect_to_program
from impact.lib.http import AuthenticatedHttpRequest
from impact.lib.periods import whole
from impact.pages import LEADER_LEVEL, Menu, page
from reports import disclosed
from reports.exports import files as exports
from reports.exports import services as export_jobs
from reports.exports.forms import KIND_LABELS, KINDS, ExportForm
from reports.models import ExportJob
from reports.selectors import leader_program

logger = logging.getLogger(__name__)


class ExportResponse(HttpResponse):
    """A file handed over: `export_details` tells the access log what it holds
    (audit.AccessLogMiddleware)."""

    export_details: dict[str, str]


def _attachment(content: bytes | memoryview, filename: str) -> ExportResponse:
    ext = filename.rsplit(".", 1)[-1]
    response = ExportResponse(bytes(content), content_type=exports.CONTENT_TYPES[ext])
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"  # de-identified, still not for caches
    response["X-Content-Type-Options"] = "nosniff"
    return response


@page(LEADER_LEVEL, patient_level=False, menu=Menu(gettext_lazy("Exports"), 40))
@require_http_methods(["GET", "POST"])
def exports_page(request: AuthenticatedHttpRequest):
    """The period and one button per file. A POST answers with the file, or queues a job
    and comes back to the page, where the job's progress shows."""
    program = leader_program(request)
    form = ExportForm(posted(request), today=program.today(), window_days=program.roi_window_days)
    if request.method == "POST" and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        kind = form.cleaned_data["kind"]
        period = form.valid_period
        grids = disclosed.Grids(program)
        reason = exports.refusal(grids, period, form.sheet, form.fmt)
        if reason:
            form.add_error(None, reason)
        elif export_jobs.runs_in_background(program=program, start=start, end=end):
            export_jobs.job_create(
                program=program, by=request.user, kind=kind, start=start, end=end
            )
            messages.info(
                request,
                _("This export is large: it is being prepared. Its download link appears below."),
            )
            return redirect_to_program("reports:exports", program)
        else:
            content, filename = exports.build(
                form.fmt, program=program, start=start, end=end, sheet=form.sheet, grids=grids
            )
            logger.info(
                "Export by user %s of program %s: %s", request.user.pk, program.pk, filename
            )
            response = _attachment(content, filename)
            # The access log records what the file holds (audit.AccessLogMiddleware).
            response.export_details = {"period": period.label, "kind": kind}
            return response
    return render(
        request,
        "reports/exports.html",
        {
            "program": program,
            "form": form,
            "kinds": list(KIND_LABELS.items()),
            "kind_labels": KIND_LABELS,
            "jobs": export_jobs.jobs_for(request.user, program),
            "sync_max_rows": export_jobs.sync_max_rows(),
        },
        status=400 if form.errors else 200,
    )


@page(LEADER_LEVEL, patient_level=False)
@require_GET
def export_status(request: AuthenticatedHttpRequest, pk: int):
    """One job's row (htmx polls it every 2 seconds while the job runs)."""
    job = export_jobs.job_for_user(request.user, pk)
    return render(request, "reports/_exports_job.html", {"job": job, "kinds": KIND_LABELS})


@page(LEADER_LEVEL, patient_level=False)
@require_GET
def export_download(request: AuthenticatedHttpRequest, pk: int):
    """A ready job's file; 409 while it is being made, 410 once its file was purged."""
    job = export_jobs.job_for_user(request.user, pk, with_content=True)
    if job.status != ExportJob.Status.DONE:
        return HttpResponse(
            _("This export is not ready yet (%(status)s). Try again in a moment.")
            % {"status": job.get_status_display()},
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    if job.content is None:
        return HttpResponse(
            _("This export's file was removed after %(days)d days: export it again.")
            % {"days": export_jobs.KEEP_DAYS},
            status=410,
            content_type="text/plain; charset=utf-8",
        )
    logger.info("Export job %s downloaded by user %s", job.pk, request.user.pk)
    response = _attachment(job.content, job.filename or f"export.{KINDS[job.format][0]}")
    response.export_details = {
        "period": _label(job.period_start, job.period_end),
        "kind": job.format,
    }
    return response


def _label(start, end) -> str:
    period = whole(start, end)
    return period.label if period else f"{start.isoformat()}..{end.isoformat()}"

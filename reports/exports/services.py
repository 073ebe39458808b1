"""Leader exports too big for one request: the job rows, their task's work, and reads.

A job belongs to the leader who asked for it: nobody else sees its progress or its file
(404). Its file is kept for `KEEP_DAYS`; older jobs lose their content when a new job is
made (the rows stay: who exported what, and when)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from caseloads.models import Enrollment
from impact.lib.forms import parse_pk
from impact.lib.periods import published_up_to
from impact.models import Program, User
from impact.programs import programs_for
from reports.exports import files as exports
from reports.exports.forms import KINDS
from reports.models import ExportJob

logger = logging.getLogger(__name__)

KEEP_DAYS = 7
ACTIVE = (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)


def sync_max_rows() -> int:
    """Exports whose utilization cohort has at most this many rows are answered in the
    request; bigger ones run as a task."""
    return getattr(settings, "EXPORT_SYNC_MAX_ROWS", 5000)


def cohort_rows(*, program: Program, start: dt.date, end: dt.date) -> int:
    """How many rows the cohort sheet will have (evaluable enrollments, DESIGN.md §5.4),
    counted in the database: one query, whatever the size."""
    last_evaluable = published_up_to(program.today()) - dt.timedelta(days=program.roi_window_days)
    return Enrollment.objects.filter(
        program=program,
        status__in=Enrollment.RAN_STATUSES,
        enrolled_on__gte=start,
        enrolled_on__lte=min(end, last_evaluable),
    ).count()


def runs_in_background(*, program: Program, start: dt.date, end: dt.date) -> bool:
    return cohort_rows(program=program, start=start, end=end) > sync_max_rows()


# -- reads -------------------------------------------------------------------------------


def jobs_for(user: User, program: Program, limit: int = 10) -> QuerySet[ExportJob]:
    """The user's own recent jobs for the program, without their files."""
    return _listed(ExportJob.objects.filter(requested_by=user, program=program)).order_by(
        "-created_at", "-pk"
    )[:limit]


def _listed(jobs: QuerySet[ExportJob]) -> QuerySet[ExportJob]:
    """Jobs without their files, each knowing whether it still has one."""
    return jobs.defer("content").annotate(
        has_file=ExpressionWrapper(Q(content__isnull=False), output_field=BooleanField())
    )


def job_for_user(user: User, pk: int, *, with_content: bool = False) -> ExportJob:
    """One of the user's own jobs, in a program they may still read; 404 otherwise."""
    if parse_pk(pk) is None:  # a number too big for the database is not found either
        raise Http404
    jobs = ExportJob.objects.filter(requested_by=user, program__in=programs_for(user))
    return get_object_or_404(jobs if with_content else _listed(jobs), pk=pk)


# -- writes ------------------------------------------------------------------------------


def jobs_purge(*, now: dt.datetime | None = None) -> int:
    """Drop the files of jobs older than KEEP_DAYS (any requester): exports are not kept
    around longer than they are needed. Returns how many files were dropped."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=KEEP_DAYS)
    return ExportJob.objects.filter(created_at__lt=cutoff, content__isnull=False).update(
        content=None
    )


def job_create(*, program: Program, by: User, kind: str, start: dt.date, end: dt.date) -> ExportJob:
    """Queue an export: the row, then the task (synchronous in tests). Old files are
    purged first."""
    from django_q.tasks import async_task

    if kind not in KINDS:
        raise ValueError(f"Unknown export kind: {kind!r}")
    jobs_purge()
    job = ExportJob.objects.create(
        program=program, requested_by=by, format=kind, period_start=start, period_end=end
    )
    async_task("reports.tasks.export_run", job.pk, task_name=f"Export {job.pk}")
    return job


def job_run(*, job: ExportJob) -> ExportJob:
    """Build the job's file, storing progress as it goes. Idempotent: a job already done is
    not rebuilt. On failure the job is marked failed with a short error (the traceback goes
    to the log): not raised again, since django-q2 in sync mode would raise it into the
    request that queued the job."""
    if job.status == ExportJob.Status.DONE:
        return job
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, progress=0)
    seen = {"progress": 0}

    def progress(value: int) -> None:
        value = max(0, min(100, int(value)))
        if value != seen["progress"]:
            seen["progress"] = value
            ExportJob.objects.filter(pk=job.pk).update(progress=value)

    fmt, sheet = KINDS.get(job.format, (job.format, "summary"))
    try:
        content, filename = exports.build(
            fmt,
            program=job.program,
            start=job.period_start,
            end=job.period_end,
            sheet=sheet,
            progress=progress,
        )
    except Exception as error:
        logger.exception("Export job %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:200],
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
        return job
    job.status = ExportJob.Status.DONE
    job.progress = 100
    job.content = content
    job.filename = filename
    job.error = ""
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "progress", "content", "filename", "error", "finished_at"])
    logger.info(
        "Export job %s built for user %s: %s (%d bytes)",
        job.pk,
        job.requested_by_id,
        filename,
        len(content),
    )
    return job

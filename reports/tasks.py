"""django-q2 entry points of the leader reports. Each takes primary keys, calls a service,
and is idempotent."""

from __future__ import annotations

from impact import audit
from impact.lib.periods import whole
from reports.exports.services import job_run
from reports.imports.services import purge_staging
from reports.models import ExportJob


def export_run(job_id: int) -> str:
    """Build an export job's file (a job already done is left as it is)."""
    job = ExportJob.objects.select_related("program", "requested_by").filter(pk=job_id).first()
    if job is None:
        return f"Export job {job_id} no longer exists"
    with audit.acting_as(job.requested_by, f"task: export job {job.pk}"):
        done = job.status == ExportJob.Status.DONE
        job = job_run(job=job)
        if job.status == ExportJob.Status.DONE and not done:  # a retry logs nothing twice
            assert job.content is not None  # a finished job keeps its file
            audit.log_export(
                what="reports:export_run",
                fmt=job.filename.rsplit(".", 1)[-1],
                content=bytes(job.content),
                program=job.program,
                object_ids={
                    "export_job": job.pk,
                    "period": _label(job),
                    "kind": job.format,
                },
            )
    return f"Export job {job.pk}: {job.status}"


def utilization_staging_purge() -> str:
    """Delete the hospital-use uploads previewed but not confirmed within a day (they hold
    the file's MRNs). Scheduled hourly (impact/migrations/0008_*)."""
    return f"Deleted {purge_staging()} unconfirmed hospital-use uploads"


def _label(job: ExportJob) -> str:
    period = whole(job.period_start, job.period_end)
    return period.label if period else f"{job.period_start}..{job.period_end}"

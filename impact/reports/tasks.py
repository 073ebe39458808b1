"""django-q2 entry points of the leader reports. Each takes primary keys, calls a service,
and is idempotent."""

from __future__ import annotations

from impact.models import ExportJob
from impact.reports.export_jobs import job_run
from impact.reports.utilization import purge_staging


def export_run(job_id: int) -> str:
    """Build an export job's file (a job already done is left as it is)."""
    job = ExportJob.objects.select_related("program").filter(pk=job_id).first()
    if job is None:
        return f"Export job {job_id} no longer exists"
    job = job_run(job=job)
    return f"Export job {job.pk}: {job.status}"


def utilization_staging_purge() -> str:
    """Delete the hospital-use uploads previewed but not confirmed within a day (they hold
    the file's MRNs). Scheduled hourly (impact/migrations/0008_*)."""
    return f"Deleted {purge_staging()} unconfirmed hospital-use uploads"

"""Hospital use: a hospital admission is its patient and admission day (a second
discharge for it is a correction, refused by the import; this constraint is the last
guard), and the hourly django-q2 schedule that deletes uploads previewed but never
confirmed within a day (impact.reports.tasks.utilization_staging_purge). The schedule is
idempotent: keyed by name."""

from django.db import migrations, models
from django.db.models import Count
from django.utils import timezone

NAME = "Hourly purge of unconfirmed hospital-use uploads"


def refuse_duplicate_admissions(apps, schema_editor):
    """Say what to correct rather than fail on the constraint with a database error."""
    duplicates = (
        apps.get_model("impact", "UtilizationRecord")
        .objects.filter(kind="inpatient")
        .values("patient_id", "admitted_on")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by("patient_id", "admitted_on")
    )
    found = [f"patient {d['patient_id']} on {d['admitted_on']}" for d in duplicates[:20]]
    if found:
        raise RuntimeError(
            "Hospital admissions recorded twice with different discharges (keep one of each "
            "in the admin, then migrate again): " + "; ".join(found)
        )


def create_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.update_or_create(
        name=NAME,
        defaults={
            "func": "impact.reports.tasks.utilization_staging_purge",
            "schedule_type": "H",
            "repeats": -1,
            "next_run": timezone.now().replace(minute=0, second=0, microsecond=0),
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("caseloads", "0005_alert_sweep_schedule"),
        ("impact", "0007_utilization_staging"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [
        migrations.RunPython(refuse_duplicate_admissions, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="utilizationrecord",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "inpatient")),
                fields=("patient", "admitted_on"),
                name="utilization_admission_once",
            ),
        ),
        migrations.RunPython(create_schedule, remove_schedule),
    ]

"""The hourly purge of unconfirmed hospital-use uploads (impact 0008) names its task by
its dotted path; the task moved with the leaders' layer from `impact.reports` to the
`reports` app (issue 18), so the schedule row follows it."""

from django.db import migrations

NAME = "Hourly purge of unconfirmed hospital-use uploads"
OLD = "impact.reports.tasks.utilization_staging_purge"
NEW = "reports.tasks.utilization_staging_purge"


def point(apps, old: str, new: str) -> None:
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME, func=old).update(func=new)


def forwards(apps, schema_editor):
    point(apps, OLD, NEW)


def backwards(apps, schema_editor):
    point(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("impact", "0014_roi_window_choices"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

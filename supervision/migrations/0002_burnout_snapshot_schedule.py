"""The hourly django-q2 schedule that stores each program's weekly burnout snapshots at
06:00 local time (see supervision.tasks.snapshot_due_programs). Idempotent: keyed by name."""

from django.db import migrations
from django.utils import timezone

NAME = "Weekly burnout snapshot (06:00 program time)"


def create_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.update_or_create(
        name=NAME,
        defaults={
            "func": "supervision.tasks.snapshot_due_programs",
            "schedule_type": "H",
            "repeats": -1,
            "next_run": timezone.now().replace(minute=0, second=0, microsecond=0),
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]

"""The hourly django-q2 schedule that runs each program's daily alert sweep at 06:00
local time (see caseloads.tasks.sweep_due_programs). Idempotent: keyed by name."""

from django.db import migrations
from django.utils import timezone

NAME = "Daily alert sweep (06:00 program time)"


def create_schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=NAME,
        defaults={
            "func": "caseloads.tasks.sweep_due_programs",
            "schedule_type": "H",
            "repeats": -1,
            # On the hour, so each program's sweep starts at 06:00 there, not 06:mm.
            "next_run": timezone.now().replace(minute=0, second=0, microsecond=0),
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("caseloads", "0004_alerts_and_lifecycle"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]

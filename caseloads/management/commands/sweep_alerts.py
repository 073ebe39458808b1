"""Run the boundary-alert sweep now: `python manage.py sweep_alerts [--as-of DATE]`."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max

from caseloads.alerts import alerts_sweep
from caseloads.models import Alert, SweepRun
from impact import audit
from impact.models import Program


@audit.audited_command
class Command(BaseCommand):
    help = "Open and resolve boundary alerts for every program (or one), as of a day."

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of",
            type=dt.date.fromisoformat,
            help="The day to sweep for, YYYY-MM-DD (default: today in each program's zone); "
            "to catch up on a missed day, never before the latest sweep.",
        )
        parser.add_argument("--program", type=int, help="Only this program (its ID).")

    def handle(self, *args, as_of=None, program=None, **options):
        programs = Program.objects.all()
        if program is not None:
            programs = programs.filter(pk=program)
            if not programs.exists():
                raise CommandError(f"There is no program with ID {program}.")
        for each in programs:
            if as_of and as_of > each.today():
                raise CommandError(f"{as_of} is in the future for {each.name}.")
            latest = _latest_day(each)
            if as_of and latest and as_of < latest:
                # Alerts are the state as of the latest sweep or refresh; an earlier day
                # would resolve today's alerts and reopen old ones.
                raise CommandError(
                    f"{each.name} was already swept for {latest}; --as-of can only catch "
                    "up on a missed day, not go back before the latest sweep."
                )
            self.stdout.write(alerts_sweep(program=each, day=as_of).describe())


def _latest_day(program) -> dt.date | None:
    """The latest day the program's alerts were brought up to: by a sweep, or by the
    refresh after a write (which opens or clears alerts as of that day)."""
    days = [
        SweepRun.objects.filter(program=program).aggregate(day=Max("day"))["day"],
        *Alert.objects.filter(program=program)
        .aggregate(opened=Max("opened_on"), cleared=Max("cleared_on"))
        .values(),
    ]
    return max((day for day in days if day), default=None)

"""Run the boundary-alert sweep now: `python manage.py sweep_alerts [--as-of DATE]`."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from caseloads.alerts import alerts_sweep
from caseloads.models import SweepRun
from impact.models import Program


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
            last = SweepRun.objects.filter(program=each).order_by("-day").first()
            if as_of and last and as_of < last.day:
                # Alerts are the state as of the latest sweep; an earlier day would resolve
                # today's alerts and reopen old ones.
                raise CommandError(
                    f"{each.name} was already swept for {last.day}; --as-of can only catch "
                    "up on a missed day, not go back before the latest sweep."
                )
            self.stdout.write(alerts_sweep(program=each, day=as_of).describe())

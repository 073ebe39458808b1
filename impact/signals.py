"""Signals the program-level app sends; later apps connect to them in `ready()`."""

from django.dispatch import Signal

# Sent after a program's standards were saved, with `program` and `hours_changed` (working
# hours, workdays or time zone changed: stored after-hours flags need recomputing).
program_settings_changed = Signal()

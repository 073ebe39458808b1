"""Dates every part of the product agrees on."""

from __future__ import annotations

import argparse
import datetime as dt

from django.utils.formats import date_format

# Nothing a program records is older than this: an earlier date is a typing slip (and date
# arithmetic near year 1 would overflow). Reviews, the CFIR log, costs, funding, the
# hospital-use import and every leader period refuse it.
EARLIEST = dt.date(2000, 1, 1)


def iso_date_argument(value: str) -> dt.date:
    """A command-line date (argparse `type=`): YYYY-MM-DD, else a clear usage error."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD).") from None


def shown(day: dt.date) -> str:
    """A date in messages as the pages show it ("Nov 8, 2026")."""
    return date_format(day, "DATE_FORMAT")

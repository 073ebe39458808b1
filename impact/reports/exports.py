"""De-identified leader exports (DESIGN.md §4): CSV, XLSX and PDF.

INTERFACE (fixed; the implementation is being written): the exports page, the export
task and the `roi_summary` command call `build()`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from impact.models import Program

FORMATS = ("csv", "xlsx", "pdf")


def build(
    fmt: str,
    *,
    program: Program,
    start: dt.date,
    end: dt.date,
    sheet: str = "summary",
    progress: Callable[[int], None] | None = None,
) -> tuple[bytes, str]:
    """The export's bytes and its file name. `fmt` is one of FORMATS; `sheet` chooses the
    table a CSV holds (summary, by_month, by_chw, cohort); `progress` is called with 0–100
    as the work advances (the export task stores it for the progress bar)."""
    raise NotImplementedError

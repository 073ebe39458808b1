"""De-identified leader exports (DESIGN.md §4): CSV, XLSX and PDF.

INTERFACE (fixed): the exports page, the export task and the `roi_summary` command call
`build()`.

What an export holds, and what it never holds:
- four tables: the summary (figure, value: the program, the period, the overview and the
  whole ROI summary with its sensitivity range, benchmark and caveat), by month, by CHW,
  and the utilization cohort (one row per evaluable enrollment);
- no names, MRN, phone, birth date, street address or free text. CHWs appear as "CHW 01",
  "CHW 02"… numbered in a fresh random order for each export; patients as a random key
  (8 hex digits) drawn for each export, the same for one patient within it; the cohort
  keeps the enrollment year only, never a date;
- disclosure control (`reports.disclosed`, README "Disclosure control"): every
  figure about 1 to 10 people — counts, and sums over them such as hospital use — reads
  "<11" in CSV and XLSX and "fewer than 11" in the PDF, and a cell hidden only so that
  another cannot be worked out reads "suppressed" ("hidden" in the PDF), the same cells
  as on the overview, the ROI page and the JSON API. The utilization cohort covers a
  whole quarter or year whose evaluable enrollments are published and number at least
  11 (`refusal()`); in an XLSX for any other period its sheet holds a note instead;
- spreadsheet safety: a text cell starting with = + - @ (or a tab or carriage return) is
  prefixed with ' so Excel and LibreOffice never run it as a formula; numbers stay numbers
  (a negative net ROI is a number, not text).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import matplotlib
import pandas as pd
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from impact.lib import disclosure
from impact.lib.charts import png
from impact.lib.formats import money
from impact.lib.periods import MONTH, YEAR, Period, whole
from impact.models import Program, SavingsBasis
from reports import charts, disclosed, figures
from reports.disclosed import Grids, PublishedOverview, PublishedRoi, Suppressed, hidden
from reports.roi import figures as roi

# fpdf2 subsets the embedded font through fontTools, which logs every table at INFO.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FORMATS = ("csv", "xlsx", "pdf")
SHEETS = ("summary", "by_month", "by_chw", "cohort")
SHEET_TITLES = {
    "summary": gettext_lazy("Summary"),
    "by_month": gettext_lazy("By month"),
    "by_chw": gettext_lazy("By CHW"),
    "cohort": gettext_lazy("Utilization cohort"),
}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}

# The export's tables keep the figures' own columns; by CHW, the pseudonym replaces the id,
# and the cohort's random key and year replace the identifiers. Not exported: patients
# active at each month's end (with the month's flows it gives the withdrawals away, see
# `disclosed`), each CHW's active patients (their sum is the count the overview rounds)
# and the cohort's team (a team with one or two enrollments in the period
# would make its rows attributable).
BY_MONTH_COLUMNS = tuple(c for c in figures.BY_MONTH_COLUMNS if c != "active_at_month_end")
BY_CHW_COLUMNS = ("chw", *(c for c in figures.BY_CHW_COLUMNS[1:] if c != "active_now"))
COHORT_COLUMNS = ("patient_key", "enrolled_year", *roi.USE_COLUMNS)

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters a spreadsheet cell cannot hold (openpyxl refuses them): control characters.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f]")

Cell = str | int | float | Decimal | Suppressed | None


class ExportRefused(ValueError):
    """The file may not be made for this period; the message says why, for the leader."""


@dataclass
class Table:
    key: str
    columns: tuple[str, ...]
    rows: list[list[Cell]]


# -- cells -------------------------------------------------------------------------------


def safe_text(value: str) -> str:
    """A text cell that can never run as a spreadsheet formula (OWASP CSV injection)."""
    value = _ILLEGAL.sub("", value)
    return "'" + value if value.startswith(FORMULA_START) else value


def cell(value) -> Cell:
    """A value as a spreadsheet cell: numbers as numbers, everything else as safe text."""
    if value is None or isinstance(value, Suppressed):
        return value
    if isinstance(value, bool):
        return safe_text(str(value))
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return value  # CSV writes it as is ("16478.00"); XLSX as a number
    if isinstance(value, float):
        return None if value != value else value  # NaN: an empty cell
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return cell(value.item())
    if isinstance(value, dt.date):
        return value.isoformat()
    return safe_text(str(value))


def _round(value: Decimal | float | None, places: int = 2) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def gross_words(value: Decimal | Suppressed | None) -> str:
    # A ratio in words in a fixed form: the CSV and XLSX carry it next to the number, and a
    # cell starting with a digit must read as plain figures in every language.
    if isinstance(value, Suppressed):
        return str(value)
    if value is None:
        return not_computable()
    return _("$%(roi)s returned per $1") % {"roi": f"{_round(value):.2f}"}


def net_words(value: Decimal | Suppressed | None) -> str:
    if isinstance(value, Suppressed):
        return str(value)
    if value is None:
        return not_computable()
    return _("%(pct)s%% net return on each $1") % {"pct": f"{_round(value * 100, 0):.0f}"}


def not_computable() -> str:
    return _("not computable")


def caveat(summary: roi.RoiSummary) -> str:
    """The ROI caveat (`roi.caveat`, the page's words) as one text."""
    return " ".join(roi.caveat(summary.window_days))


def benchmark(published: PublishedRoi) -> str:
    """The trial benchmark sentence, from the published figures (hidden with the hospital
    use it is computed from)."""
    trial = _("IMPaCT's trial returned $2.47 per $1 within one year for a Medicaid payer.")
    if hidden(published.benchmark_savings):
        hidden_text = _(
            "Trial benchmark: hidden for this period, as the hospital use it is computed from is."
        )
        return f"{hidden_text} {trial}"
    text = _(
        "Trial benchmark: had the program matched the trials (34%% fewer inpatient days), "
        "gross savings would be %(savings)s (%(roi)s)."
    )
    values = {
        "savings": money(published.benchmark_savings),
        "roi": gross_words(published.benchmark_roi),
    }
    return f"{text % values} {trial}"


def not_computable_note(summary) -> str:
    """Why the return is not computable: nobody followed for the whole window yet, or
    no program cost in the period."""
    if summary.evaluable == 0:
        return _(
            "Not computable yet: no enrollment of this cohort has been followed for %(n)d days."
        ) % {"n": summary.window_days}
    return no_cost_note()


def no_cost_note() -> str:
    return _("Not computable: no program cost is entered for this period.")


def hidden_note() -> str:
    return _(
        "Hospital use, savings and returns are hidden for this period: they are about fewer "
        "than %(n)d people, or would let another period's figures about fewer than %(n)d "
        "people be worked out."
    ) % {"n": disclosure.THRESHOLD}


# -- tables ------------------------------------------------------------------------------


def _share(value: float | Suppressed | None) -> Cell:
    if isinstance(value, Suppressed):
        return value
    return round(value, 3) if value is not None else _("no data")


def _ratio(value: Decimal | Suppressed | None) -> object:
    if isinstance(value, Suppressed):
        return value
    return _round(value) if value is not None else not_computable()


def _number(value, places: int = 1) -> Cell:
    if value is None or isinstance(value, Suppressed):
        return value
    return round(value, places)


def _money_cell(value, places: int = 2) -> Cell:
    return value if isinstance(value, Suppressed) else _round(value, places)


def overview_rows(overview: PublishedOverview) -> list[list[Cell]]:
    """The program overview as (figure, value) rows, as published (disclosure control)."""
    rows: list[tuple[str, object]] = [
        (_("Patients served"), overview.patients_served),
        (_("Active now (to the nearest 10)"), overview.active_now),
        (_("Graduations"), overview.graduations),
        (_("Handoffs accepted"), overview.handoffs_accepted),
        (_("Handoff acceptance (share)"), _share(overview.handoff_share)),
        (_("Goals closed"), overview.goals_closed),
        (_("Goals achieved"), overview.goals_achieved),
        (_("Goals achieved (share)"), _share(overview.goals_achieved_share)),
        (_("Contacts"), overview.contacts),
        (_("Patient-months"), _number(overview.patient_months)),
        (_("Contacts per patient-month"), _share(overview.contacts_per_patient_month)),
        (_("Caseload standard"), overview.caseload_cap),
        (_("CHWs"), overview.chws),
        (_("Mean caseload"), _number(overview.mean_caseload)),
        (_("CHWs over the caseload standard"), overview.chws_over_cap),
    ]
    for kind, count in sorted(overview.alerts_by_kind.items()):
        label = disclosed.alert_label(kind)
        rows.append((_("Unresolved alerts: %(kind)s") % {"kind": label}, count))
    rows += [
        (_("Small wins last month: goals achieved"), overview.small_wins_goals),
        (_("Small wins last month: steps done"), overview.small_wins_steps),
    ]
    return [[cell(k), cell(v)] for k, v in rows]


def roi_rows(published: PublishedRoi) -> list[list[Cell]]:
    """The ROI summary of DESIGN.md §5.4 as (figure, value) rows, caveat included, as
    published (every figure about the cohort through disclosure control)."""
    summary = published.summary
    use = published.use
    basis = SavingsBasis(summary.savings_basis).label if summary.savings_basis else ""
    rows: list[tuple[str, object]] = [
        (_("ROI window (days before and after enrolling)"), summary.window_days),
        (_("Cohort (enrollments begun in the period)"), published.cohort),
        (_("Evaluable enrollments (whole window observed)"), published.evaluable),
        (_("Admissions before"), use["pre_admissions"]),
        (_("Admissions after"), use["post_admissions"]),
        (_("Admissions avoided"), use["avoided_admissions"]),
        (_("Inpatient days before"), use["pre_inpatient_days"]),
        (_("Inpatient days after"), use["post_inpatient_days"]),
        (_("Inpatient days avoided"), use["avoided_inpatient_days"]),
        (_("ED visits before"), use["pre_ed_visits"]),
        (_("ED visits after"), use["post_ed_visits"]),
        (_("ED visits avoided"), use["avoided_ed_visits"]),
        (_("Savings basis"), basis),
        (_("Unit cost (USD)"), _round(summary.unit_cost)),
        (_("Cost per ED visit (USD)"), _round(summary.cost_per_ed_visit)),
        (_("Attribution"), _round(summary.attribution, 3)),
        (_("Gross savings (USD)"), _money_cell(published.gross_savings)),
        (_("Program cost, prorated to the period (USD)"), _round(summary.program_cost)),
        (_("Gross ROI (savings ÷ cost)"), _ratio(published.gross_roi)),
        (_("Gross ROI, in words"), gross_words(published.gross_roi)),
        (_("Net ROI ((savings − cost) ÷ cost)"), _ratio(published.net_roi)),
        (_("Net ROI, in words"), net_words(published.net_roi)),
    ]
    for s in published.sensitivity:
        level = {"a": f"{_round(s['attribution'], 1)}"}
        rows += [
            (
                _("Sensitivity, attribution %(a)s: gross savings (USD)") % level,
                _money_cell(s["gross_savings"]),
            ),
            (_("Sensitivity, attribution %(a)s: gross ROI") % level, _ratio(s["gross_roi"])),
            (_("Sensitivity, attribution %(a)s: net ROI") % level, _ratio(s["net_roi"])),
        ]
    rows += [
        (
            _("Benchmark savings if the program matched the trials (USD)"),
            _money_cell(published.benchmark_savings),
        ),
        (_("Benchmark gross ROI"), _ratio(published.benchmark_roi)),
        (_("Trial ROI (IMPaCT, Medicaid payer, one year)"), _round(roi.TRIAL_ROI)),
        (_("Benchmark"), benchmark(published)),
        (_("Caveat"), caveat(summary)),
    ]
    if not summary.computable:
        rows.append((_("Note"), not_computable_note(summary)))
    return [[cell(k), cell(v)] for k, v in rows]


def summary_table(
    program: Program,
    start: dt.date,
    end: dt.date,
    overview: PublishedOverview,
    published: PublishedRoi,
) -> Table:
    """Figure and value: the program, the period, the overview and the ROI summary."""
    head = [
        (_("Program"), program.name),
        (_("Period from"), start),
        (_("Period to"), end),
        (_("Figures up to"), published.summary.as_of),
    ]
    rows = [[cell(k), cell(v)] for k, v in head]
    return Table(
        "summary", ("figure", "value"), rows + overview_rows(overview) + roi_rows(published)
    )


def by_month_table(rows: list[dict]) -> Table:
    """`disclosed.by_month_rows()`: the same cells hidden as everywhere else."""
    return Table(
        "by_month", BY_MONTH_COLUMNS, [[cell(r.get(c)) for c in BY_MONTH_COLUMNS] for r in rows]
    )


def pseudonyms(ids: Sequence[int]) -> dict[int, str]:
    """ "CHW 01", "CHW 02"… in a fresh random order: the numbers say nothing about who."""
    order = list(dict.fromkeys(ids))
    secrets.SystemRandom().shuffle(order)
    width = max(2, len(str(len(order))))
    return {chw_id: f"CHW {n:0{width}d}" for n, chw_id in enumerate(order, start=1)}


def by_chw_table(records: list[dict]) -> Table:
    """`disclosed.by_chw_rows()`, CHWs as pseudonyms."""
    names = pseudonyms([r["chw_id"] for r in records])
    rows = []
    for record in records:
        row: list[Cell] = [names[record["chw_id"]], cell(record.get("team") or "")]
        row += [cell(record.get(c)) for c in BY_CHW_COLUMNS[2:]]
        rows.append(row)
    rows.sort(key=lambda r: str(r[0]))  # in pseudonym order, so the row order is random too
    return Table("by_chw", BY_CHW_COLUMNS, rows)


def patient_keys(ids: Sequence[int]) -> dict[int, str]:
    """A random key per patient for this export only: the same patient gets the same key
    in every row of one export, and a new key in the next export."""
    keys: dict[int, str] = {}
    used: set[str] = set()
    for patient_id in dict.fromkeys(ids):
        key = secrets.token_hex(4)
        while key in used:
            key = secrets.token_hex(4)
        used.add(key)
        keys[patient_id] = key
    return keys


def cohort_table(frame) -> Table:
    records = frame.to_dict("records")
    keys = patient_keys([r["patient_id"] for r in records])
    rows = []
    for record in records:
        enrolled = record["enrolled_on"]
        rows.append(
            [
                keys[record["patient_id"]],
                int(enrolled.year) if enrolled is not None and enrolled == enrolled else None,
                *(cell(record.get(c)) for c in COHORT_COLUMNS[2:]),
            ]
        )
    rows.sort(key=lambda r: (r[0], r[1] or 0))  # random keys: a random order
    return Table("cohort", COHORT_COLUMNS, rows)


# -- writers -----------------------------------------------------------------------------


def _marker(value: Cell):
    """A CSV or XLSX cell: a hidden figure as its marker ("<11", "suppressed")."""
    if value is None:
        return ""
    return value.marker if isinstance(value, Suppressed) else value


def write_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark, so Excel reads accents right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.columns)
    writer.writerows([_marker(v) for v in row] for row in table.rows)
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(tables: Sequence[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    if book.active is not None:  # a new workbook's empty sheet
        book.remove(book.active)
    bold = Font(bold=True)
    for table in tables:
        sheet = book.create_sheet(str(SHEET_TITLES[table.key]))
        sheet.append(list(table.columns))
        for header in sheet[1]:
            header.font = bold
        for row in table.rows:
            sheet.append(
                [
                    float(v) if isinstance(v, Decimal) else None if v is None else _marker(v)
                    for v in row
                ]
            )
        for row in sheet.iter_rows(min_row=2):
            for each in row:
                # openpyxl reads any string starting with "=" as a formula: make it text.
                if isinstance(each.value, str):
                    each.data_type = "s"
        sheet.freeze_panes = "A2"
        for index, name in enumerate(table.columns, start=1):
            longest = max(
                [len(str(name))] + [len(str(r[index - 1])) for r in table.rows[:500] if r]
            )
            sheet.column_dimensions[get_column_letter(index)].width = min(max(10, longest + 2), 60)
        if table.key == "summary":
            for (value,) in sheet.iter_rows(min_row=2, min_col=2, max_col=2):
                value.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"


class _PdfReport:
    """The PDF being written, with the three kinds of block the report is made of."""

    def __init__(self, title: str) -> None:
        from fpdf import FPDF

        self.pdf = pdf = FPDF(format="Letter")
        # DejaVu (shipped with matplotlib) covers accents and scripts the core fonts do not.
        pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        pdf.set_title(title)
        pdf.set_creator("IMPaCT ops")
        pdf.set_auto_page_break(auto=True, margin=15)
        pdf.add_page()
        self.width = pdf.epw

    def heading(self, text: str, size: int = 12) -> None:
        """A section's heading, leaving the body font set."""
        pdf = self.pdf
        pdf.ln(2)
        pdf.set_font("DejaVu", "B", size)
        pdf.multi_cell(self.width, 7, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 9)

    def para(self, text: str, size: int = 9) -> None:
        """A paragraph across the page."""
        self.pdf.set_font("DejaVu", "", size)
        self.pdf.multi_cell(self.width, 5, text, new_x="LMARGIN", new_y="NEXT")

    def table(self, columns: Sequence[str], rows: Sequence[Sequence[Cell]], widths=None) -> None:
        """A table with a shaded heading row; hidden figures as their words."""
        from fpdf.fonts import FontFace

        pdf = self.pdf
        pdf.set_font("DejaVu", "", 8)
        with pdf.table(
            col_widths=widths,
            headings_style=FontFace(emphasis="BOLD", fill_color=(230, 236, 245)),
            line_height=5,
            text_align="LEFT",
            first_row_as_headings=True,
        ) as grid:
            grid.row([str(c) for c in columns])
            for row in rows:
                grid.row(["" if v is None else _pdf_text(v) for v in row])
        pdf.ln(2)

    def image(self, content: bytes) -> None:
        """A chart across the page."""
        self.pdf.image(io.BytesIO(content), w=self.width)


def write_pdf(
    program: Program,
    start: dt.date,
    end: dt.date,
    published: PublishedRoi,
    overview: PublishedOverview,
    by_month: Table,
) -> bytes:
    """A report a leader can hand to a CFO: the ROI first, in plain words, then the rest."""
    title = _("Program impact and return on investment")
    report = _PdfReport(title)
    pdf = report.pdf
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(report.width, 9, title, new_x="LMARGIN", new_y="NEXT")
    report.para(
        _("%(program)s · %(start)s to %(end)s · figures up to %(as_of)s")
        % {
            "program": program.name,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "as_of": published.summary.as_of.isoformat(),
        },
        10,
    )
    _pdf_roi(report, published)
    _pdf_hospital_use(report, published)
    _pdf_sensitivity(report, published)
    pdf.add_page()
    report.heading(_("Program overview"))
    report.table([_("Figure"), _("Value")], overview_rows(overview), (70, 30))
    _pdf_by_month(report, by_month)
    return bytes(pdf.output())


def _pdf_roi(report: _PdfReport, published: PublishedRoi) -> None:
    """The ROI section: the gross and net ROI in two boxes, what they rest on, the caveat
    and the benchmark."""
    summary = published.summary
    pdf = report.pdf
    report.heading(_("Return on investment"))
    pdf.set_font("DejaVu", "B", 13)
    y = pdf.get_y()
    half = (report.width - 4) / 2
    boxes = [
        (_("Gross ROI (IMPaCT style: savings ÷ cost)"), gross_words(published.gross_roi)),
        (_("Net ROI (CDC style: (savings − cost) ÷ cost)"), net_words(published.net_roi)),
    ]
    for n, (label, value) in enumerate(boxes):
        x = pdf.l_margin + n * (half + 4)
        pdf.set_xy(x, y)
        pdf.set_fill_color(240, 244, 250)
        pdf.rect(x, y, half, 20, style="F")
        pdf.set_xy(x + 2, y + 2)
        pdf.set_font("DejaVu", "", 8)
        pdf.cell(half - 4, 5, label)
        pdf.set_xy(x + 2, y + 8)
        pdf.set_font("DejaVu", "B", 13)
        pdf.cell(half - 4, 9, value)
    pdf.set_xy(pdf.l_margin, y + 23)
    if published.use_hidden:
        report.para(hidden_note())
    elif not summary.computable:
        report.para(not_computable_note(summary))
    if hidden(published.gross_savings):
        sentence = _(
            "Program cost of %(cost)s for the period (%(evaluable)s evaluable enrollments "
            "of %(cohort)s begun in the period; savings basis: %(basis)s; attribution "
            "%(attribution)s)."
        )
    else:
        sentence = _(
            "Gross savings %(savings)s against a program cost of %(cost)s for the period "
            "(%(evaluable)s evaluable enrollments of %(cohort)s begun in the period; savings "
            "basis: %(basis)s; attribution %(attribution)s)."
        )
    report.para(
        sentence
        % {
            "savings": money(published.gross_savings),
            "cost": money(summary.program_cost),
            "evaluable": published.evaluable,
            "cohort": published.cohort,
            "basis": SavingsBasis(summary.savings_basis).label,
            "attribution": f"{_round(summary.attribution, 2)}",
        }
    )
    pdf.ln(1)
    pdf.set_font("DejaVu", "B", 9)
    pdf.multi_cell(report.width, 5, _("Read with care"), new_x="LMARGIN", new_y="NEXT")
    for paragraph in roi.caveat(summary.window_days):
        report.para(paragraph)
    pdf.ln(1)
    report.para(benchmark(published))


def _pdf_hospital_use(report: _PdfReport, published: PublishedRoi) -> None:
    """Admissions, inpatient days and ED visits before and after enrolling, and avoided."""
    use = published.use
    report.heading(_("Hospital use before and after enrolling"), 11)
    rows = [
        (_(label), *(use[f"{side}_{what}"] for side in ("pre", "post", "avoided")))
        for label, what in (
            ("Admissions", "admissions"),
            ("Inpatient days", "inpatient_days"),
            ("ED visits", "ed_visits"),
        )
    ]
    report.table([_("Hospital use"), _("Before"), _("After"), _("Avoided")], rows, (40, 20, 20, 20))


def _pdf_sensitivity(report: _PdfReport, published: PublishedRoi) -> None:
    """The savings and ROI at each attribution, as a table and a chart."""
    report.heading(_("Sensitivity over attribution"), 11)
    sensitivity = [
        (
            f"{_round(s['attribution'], 1)}",
            money(s["gross_savings"]),
            gross_words(s["gross_roi"]),
            net_words(s["net_roi"]),
        )
        for s in published.sensitivity
    ]
    report.table(
        [_("Attribution"), _("Gross savings"), _("Gross ROI"), _("Net ROI")],
        sensitivity,
        (20, 25, 30, 30),
    )
    report.image(png(charts.roi_sensitivity_figure(published)))


def _pdf_by_month(report: _PdfReport, by_month: Table) -> None:
    """The month-by-month table, what its hidden figures mean, and its chart."""
    report.heading(_("By month"))
    report.para(
        _(
            "A figure about 1 to 10 people reads “fewer than 11”; one hidden so that such a "
            "figure cannot be worked out from the others reads “hidden”."
        ),
        8,
    )
    labels = {
        "month": _("Month"),
        "enrollments": _("Enrollments"),
        "graduations": _("Graduations"),
        "contacts": _("Contacts"),
        "goals_achieved": _("Goals achieved"),
        "steps_done": _("Steps done"),
    }
    report.table([labels.get(c, c) for c in by_month.columns], by_month.rows)
    if by_month.rows:
        months = pd.DataFrame(by_month.rows, columns=list(by_month.columns))
        report.image(png(charts.monthly_figure(months)))


def _pdf_text(value: Cell) -> str:
    # A PDF is not a spreadsheet: show the text as typed, without the formula guard.
    text = str(value)
    if isinstance(value, Suppressed):
        return text
    if isinstance(value, float | Decimal):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return text[1:] if text.startswith("'") and text[1:2] in FORMULA_START else text


# -- build -------------------------------------------------------------------------------


def filename(fmt: str, *, program: Program, start: dt.date, end: dt.date, sheet: str) -> str:
    slug = slugify(program.name) or f"program-{program.pk}"
    suffix = f"-{sheet.replace('_', '-')}" if fmt == "csv" else ""
    return f"impact-roi-{slug}-{start.isoformat()}-{end.isoformat()}{suffix}.{fmt}"


def refusal(grids: Grids, period: Period, sheet: str, fmt: str) -> str | None:
    """Why this file may not be made for `period`, or None. Only the utilization cohort
    (one row per evaluable enrollment, as a CSV) has a rule of its own: a whole quarter or
    year whose evaluable enrollments are published and number at least 11 (DESIGN.md §4).
    A hidden count would be given away by the rows' number, and the rows' totals would
    give a hidden period's hospital use away."""
    if not (fmt == "csv" and sheet == "cohort"):
        return None
    return cohort_refusal(grids, period)


def cohort_refusal(grids: Grids, period: Period) -> str | None:
    if period.kind == MONTH:
        return _("The utilization cohort covers a whole quarter or year: choose one.")
    evaluable = grids.year(period.start.year).shown("evaluable", period)
    if hidden(evaluable) or evaluable < disclosure.THRESHOLD:
        reason = _(
            "The utilization cohort needs at least %(n)d enrollments followed for their whole "
            "window, and its totals must not reveal another period's hidden figures: this "
            "period's cannot be exported."
        ) % {"n": disclosure.THRESHOLD}
        if period.kind == YEAR:  # nothing longer to offer
            then = _("Try again when more enrollments have been followed.")
        else:
            then = _("Choose a longer period, such as the whole year.")
        return f"{reason} {then}"
    return None


def build(
    fmt: str,
    *,
    program: Program,
    start: dt.date,
    end: dt.date,
    sheet: str = "summary",
    progress: Callable[[int], None] | None = None,
    grids: Grids | None = None,
) -> tuple[bytes, str]:
    """The export's bytes and its file name. `fmt` is one of FORMATS; `sheet` chooses the
    table a CSV holds (summary, by_month, by_chw, cohort); `progress` is called with 0–100
    as the work advances (the export task stores it for the progress bar).

    Raises ValueError for an unknown format or sheet and for a period that is not a whole
    calendar month, quarter or year; `ExportRefused` (a ValueError) when the file may not
    be made for the period (`refusal()`). A program with no cost gives "not computable"
    for its ROI, never an error."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format: {fmt!r}")
    if sheet not in SHEETS:
        raise ValueError(f"Unknown export table: {sheet!r}")
    if end < start:
        raise ValueError("The period ends before it starts.")
    period = whole(start, end)
    if period is None:
        raise ValueError("Leader exports cover a whole calendar month, quarter or year.")
    grids = grids or Grids(program)
    reason = refusal(grids, period, sheet, fmt)
    if reason:
        raise ExportRefused(reason)
    report = progress or (lambda _n: None)
    report(0)
    needs = set(SHEETS) if fmt == "xlsx" else {sheet} if fmt == "csv" else {"summary", "by_month"}
    tables: dict[str, Table] = {}
    overview: PublishedOverview | None = None
    published: PublishedRoi | None = None
    if "summary" in needs:
        overview = disclosed.overview(grids, period)
        report(15)
        published = disclosed.roi_summary(grids, period)
        report(35)
        tables["summary"] = summary_table(program, start, end, overview, published)
    if "by_month" in needs:
        tables["by_month"] = by_month_table(disclosed.by_month_rows(grids, period))
        report(50)
    if "by_chw" in needs:
        tables["by_chw"] = by_chw_table(disclosed.by_chw_rows(grids, period))
        report(60)
    if "cohort" in needs:
        note = cohort_refusal(grids, period)
        if note:
            tables["cohort"] = Table("cohort", ("note",), [[cell(note)]])
        else:
            frame = roi.cohort_frame(
                program=program, start=start, end=min(end, grids.as_of), as_of=grids.as_of
            )
            report(75)
            tables["cohort"] = cohort_table(frame)
        report(85)
    if fmt == "csv":
        content = write_csv(tables[sheet])
    elif fmt == "xlsx":
        content = write_xlsx([tables[key] for key in SHEETS])
    else:
        assert published is not None and overview is not None  # a PDF needs the summary
        content = write_pdf(program, start, end, published, overview, tables["by_month"])
    report(100)
    return content, filename(fmt, program=program, start=start, end=end, sheet=sheet)

"""Reading and checking a CSV file of hospital admissions and ED visits (DESIGN.md §5.4).

The file comes from an EHR or claims export: columns MRN, kind, admitted, discharged
(other columns are ignored). It is read with pandas, every row is checked, and either
every row is imported or none is:

- a whole-file problem (not a CSV, not UTF-8, too big, empty, missing columns) is a
  ValidationError on "file" with one message;
- a row's errors come from the file alone, never from what is recorded, and are the same
  whoever the row is about: dates not understood, before 2000 or in the future, a kind
  not known, a discharge before the admission, a stay longer than a hospital stay (365
  days) or an ED visit (7 days) can be, the same stay twice in the file (a stay is its
  MRN, kind and admission day) and hospital stays of one MRN whose nights overlap. So
  which lines are errors says nothing about who is enrolled or what is recorded;
- row problems are `RowErrors`, each with the line of the file it is on (the header is
  line 1), the column and a message;
- a file without errors is then compared with the program (issue 17): a row whose MRN is
  no patient of the program is skipped and counted ("not enrolled"), never an error (a
  claims export holds everyone the payer covers); a patient's row whose stay is already
  recorded, or clashes with one recorded (another discharge for the same admission, or
  hospital nights overlapping a recorded stay's), is skipped and counted as "already
  imported", so importing the same file twice changes nothing and a stay is never
  counted twice (the recorded stay stands; an administrator corrects it in the admin).
  Counts only: no line, no recorded date is ever shown, and the preview lists its first
  rows only when every row is new (which the counts then say). What a one-row file
  still tells by its counts is in the README (Security);
- no message repeats a cell's text (shifted columns could put a name in it): the line,
  the column and what is wrong. Lines are the file's own, a quoted value spanning lines
  included.

`check` reads nothing but the file, the program's patients and its recorded stays, and
writes nothing: importing what it found is `reports.imports.services`'s.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from caseloads.models import Patient
from impact.lib.dates import EARLIEST, shown
from impact.models import Program
from reports.models import UtilizationRecord

MAX_BYTES = 10 * 1024 * 1024
# What the page lists of the errors (the rest are counted) and of the rows to import.
ERRORS_SHOWN = 200
PREVIEW_ROWS = 20

COLUMNS = ("mrn", "kind", "admitted", "discharged")
COLUMN_NAMES = {"mrn": "MRN", "kind": "kind", "admitted": "admitted", "discharged": "discharged"}
ROW = "row"  # the column of an error about the whole row (a duplicate line)

INPATIENT = UtilizationRecord.Kind.INPATIENT.value
ED = UtilizationRecord.Kind.ED.value
KINDS = {
    "inpatient": INPATIENT,
    "admission": INPATIENT,
    "ip": INPATIENT,
    "ed": ED,
    "er": ED,
    "emergency": ED,
}

# The longest a stay may last, in days from admission to discharge; a longer one is an error
# on its line, whoever it is about. A hospital stay of more than a year is long-term care,
# not the acute hospital use the ROI counts, or a slip in a year (2015 for 2025 adds 3,650
# inpatient days to the program's figures); an ED visit is hours, a few days when a patient
# boards waiting for a bed, so a week or more is a slip or an admission. The cap also keeps
# one row from standing for years of a patient's nights: a row about a program patient that
# overlaps a recorded stay is skipped and only counted, but a stay of twenty years would
# make that count say whether the patient has any recorded stay at all.
LONGEST = {INPATIENT: 365, ED: 7}

ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")

SAVE_AS_CSV = gettext_lazy(
    "Save it as CSV UTF-8 (in Excel: File › Save As › “CSV UTF-8 (Comma delimited)”) and "
    "upload that file."
)


@dataclass(frozen=True)
class RowError:
    line: int
    column: str  # one of COLUMN_NAMES' values, or ROW
    message: str


class RowErrors(ValidationError):
    """Some rows cannot be imported: nothing is. `rows` holds every problem, by line."""

    def __init__(self, rows: list[RowError]):
        self.rows = rows
        super().__init__(
            {
                "file": _(
                    "%(count)d problems in the file: nothing was imported. Correct the rows "
                    "listed and upload the file again."
                )
                % {"count": len(rows)}
            }
        )


class Stay(NamedTuple):
    line: int
    mrn: str
    patient_id: int
    kind: str
    admitted_on: dt.date
    discharged_on: dt.date

    @property
    def identity(self) -> tuple[str, str, dt.date]:
        """What makes a stay the same stay in the file: two lines of it with two discharges
        are an error. By MRN, so that rows about people outside the program (patient 0)
        are checked like the others."""
        return (self.mrn, self.kind, self.admitted_on)


@dataclass(frozen=True)
class Checked:
    """A file that was read: its rows' problems, the stays it would add and how many of its
    rows are skipped (already recorded, or about people outside the program)."""

    rows: int
    errors: list[RowError] = field(default_factory=list)
    new: list[Stay] = field(default_factory=list)
    # The program's patients' rows whose stay is recorded already, or clashes with one
    # recorded: skipped, only counted.
    already: int = 0
    # Rows about people who are not patients of the program: skipped, only counted.
    not_enrolled: int = 0
    # The first admission and last discharge of the file's stays, whoever they are about.
    span: tuple[dt.date, dt.date] | None = None

    def preview(self) -> dict:
        """What the preview page shows (JSON for the staging row; MRNs masked). Counts,
        and what the file itself says; nothing that picks out which rows are skipped."""
        by_kind = {INPATIENT: 0, ED: 0}
        for stay in self.new:
            by_kind[stay.kind] += 1
        return {
            "rows": self.rows,
            "new": len(self.new),
            "already": self.already,
            "not_enrolled": self.not_enrolled,
            "by_kind": by_kind,
            # The file's dates, not the new stays': the first and last of those would
            # tell whether the rows holding the file's extremes were skipped.
            "first": self.span[0].isoformat() if self.span else None,
            "last": self.span[1].isoformat() if self.span else None,
            "sample": [
                {
                    "line": s.line,
                    "mrn": mask(s.mrn),
                    "kind": s.kind,
                    "admitted": s.admitted_on.isoformat(),
                    "discharged": s.discharged_on.isoformat(),
                }
                # Listed only when every row of the file is new: when any was skipped, the
                # lines listed would tell which rows are about people outside the program,
                # or about a patient with a stay already recorded.
                for s in (self.new[:PREVIEW_ROWS] if len(self.new) == self.rows else [])
            ],
        }


def mask(mrn: str) -> str:
    """An MRN as a leader may see it: its last three characters at most, never all of it
    (leaders see no identifiers, DESIGN.md §4)."""
    keep = min(3, max(len(mrn) - 3, 0))
    return "•••" + (mrn[-keep:] if keep else "")


# -- reading the file ------------------------------------------------------------------------


def _file_error(message) -> ValidationError:
    return ValidationError({"file": message})


def _decode(content: bytes) -> str:
    head = content[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _file_error(
            _("The file is saved as UTF-16 (“Unicode text”), not UTF-8. %(how)s")
            % {"how": SAVE_AS_CSV}
        )
    if head.startswith(b"PK\x03\x04"):
        raise _file_error(
            _("This is an Excel workbook (or another zip file), not a CSV file. %(how)s")
            % {"how": SAVE_AS_CSV}
        )
    if head.startswith(b"%PDF"):
        raise _file_error(_("This is a PDF, not a CSV file. %(how)s") % {"how": SAVE_AS_CSV})
    if b"\x00" in head:
        raise _file_error(
            _("This is not a CSV file: it is not text. %(how)s") % {"how": SAVE_AS_CSV}
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise _file_error(
            _(
                "The file is not UTF-8 text (the first character that is not is on line "
                "%(line)d). %(how)s"
            )
            % {"line": line, "how": SAVE_AS_CSV}
        ) from None


def _records(text: str):
    """The file's records with the physical line each starts on (a quoted value may span
    lines; the header is line 1; a blank line is an empty record)."""
    reader = csv.reader(io.StringIO(text, newline=None), strict=True)
    end = 0  # the last line of the previous record
    try:
        for record in reader:
            yield end + 1, record
            end = reader.line_num
    except csv.Error:
        raise _file_error(
            _("The file could not be read as CSV (near line %(line)d). %(how)s")
            % {"line": reader.line_num or 1, "how": SAVE_AS_CSV}
        ) from None


def _frame(text: str) -> pd.DataFrame:
    """The file's four columns as trimmed strings, indexed by the physical line each row
    starts on (the header is line 1; blank lines count as lines of the file but are
    dropped)."""
    if not text.strip():
        raise _file_error(_("The file is empty."))
    records = _records(text)
    _line, header = next(records)
    names = [name.strip().lower() for name in header]
    for name in COLUMNS:
        if names.count(name) > 1:
            raise _file_error(
                _("The column %(name)s appears more than once.") % {"name": COLUMN_NAMES[name]}
            )
    missing = [COLUMN_NAMES[name] for name in COLUMNS if name not in names]
    if missing:
        first = text.split("\n", 1)[0]
        hint = ""
        if ";" in first or "\t" in first:
            hint = " " + _(
                "The columns seem separated by semicolons or tabs: save the file as CSV "
                "(comma delimited)."
            )
        raise _file_error(
            _(
                "The file needs the columns MRN, kind, admitted and discharged in its first "
                "line. Missing: %(missing)s."
            )
            % {"missing": ", ".join(missing)}
            + hint
        )
    width = len(header)
    at = [names.index(name) for name in COLUMNS]
    lines: list[int] = []
    values: list[list[str]] = []
    for line, record in records:
        if len(record) > width:
            # Extra values: the columns would be read shifted.
            raise _file_error(
                _(
                    "Line %(line)d has %(saw)d values but the header has %(expected)d "
                    "columns. Check that the file is comma separated and that values with "
                    "commas are in quotes."
                )
                % {"line": line, "saw": len(record), "expected": width}
            )
        row = [record[i].strip() if i < len(record) else "" for i in at]
        if any(row):
            lines.append(line)
            values.append(row)
    if not values:
        raise _file_error(_("The file has a header line but no rows."))
    return pd.DataFrame(values, index=lines, columns=list(COLUMNS), dtype=str)


def _parse_date(text: str) -> dt.date | None:
    """YYYY-MM-DD, or MM/DD/YYYY as US EHR exports write it; anything else is None."""
    match = ISO_DATE.fullmatch(text)
    if match:
        year, month, day = (int(n) for n in match.groups())
    else:
        match = US_DATE.fullmatch(text)
        if not match:
            return None
        month, day, year = (int(n) for n in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _dates(column: pd.Series) -> pd.Series:
    """Each cell's date (None when empty or not understood): parsed once per distinct text,
    each row on its own format."""
    parsed = {text: _parse_date(text) for text in column.unique() if text}
    return column.map(lambda text: parsed.get(text))


class _Report:
    """The row errors of one file, in the order they are found, with dates written as the
    pages show them."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.errors: list[RowError] = []
        self._shown_days: dict[dt.date, str] = {}

    def display(self, value):
        """A date as the pages show it (each formatted once: formatting is slow); any
        other value as it is."""
        if isinstance(value, dt.date):
            if value not in self._shown_days:
                self._shown_days[value] = shown(value)
            return self._shown_days[value]
        return value

    def __call__(
        self, where: pd.Series, column: str, message: str, **params: pd.Series | str
    ) -> None:
        """An error on each line where `where` holds; `params` fill the message's
        placeholders: the same text on every line, or a Series of per-line values (only
        the lines in error are looked at)."""
        mask = where.to_numpy(dtype=bool)
        lines = self.frame.index[mask].tolist()
        if not lines:
            return
        per_line = {
            name: value[mask].tolist() if isinstance(value, pd.Series) else [value] * len(lines)
            for name, value in params.items()
        }
        name = COLUMN_NAMES[column]
        for i, line in enumerate(lines):
            values = {key: self.display(column_[i]) for key, column_ in per_line.items()}
            self.errors.append(RowError(line, name, message % values if values else message))


def check(*, program: Program, content: bytes) -> Checked:
    """Read a CSV file of stays, check every row, then (when no row has a problem) count
    its rows against `program`'s patients and the stays already recorded. Raises
    ValidationError (on "file") when the file as a whole cannot be read; row problems are
    in the result's `errors`. Two queries at most."""
    if len(content) > MAX_BYTES:
        raise _file_error(too_big(len(content)))
    frame = _frame(_decode(content))
    report = _Report(frame)
    patient = _program_patients(program, frame)
    report(frame["mrn"] == "", "mrn", _("The MRN is missing."))
    kind = _checked_kinds(frame, report)
    admitted, discharged, backwards = _checked_dates(frame, kind, program.today(), report)
    _check_lengths(kind, admitted, discharged, report)
    stays = _stays_in_file(frame, patient, kind, admitted, discharged, backwards, report)
    errors = report.errors
    if errors:
        errors.sort(key=lambda e: (e.line, _column_order(e.column)))
        return Checked(rows=len(frame), errors=errors)
    outsider = (frame["mrn"] != "") & patient.isna()
    return _counted(program, frame, stays, not_enrolled=int(outsider.sum()))


def _program_patients(program: Program, frame: pd.DataFrame) -> pd.Series:
    """Each row's patient of `program` by MRN (trimmed on both sides), NaN for someone
    else (skipped) or an empty MRN. One query."""
    patients = {
        mrn.strip(): pk
        for mrn, pk in Patient.objects.filter(program=program)
        .exclude(mrn="")
        .values_list("mrn", "pk")
    }
    return frame["mrn"].map(patients)


def _checked_kinds(frame: pd.DataFrame, report: _Report) -> pd.Series:
    """Each row's kind of stay (NaN when missing or not understood), reporting the rows
    whose kind is missing or not understood."""
    kind = frame["kind"].str.lower().map(KINDS)
    kinds = _("inpatient (or admission, IP) or ED (or ER, emergency)")
    report(frame["kind"] == "", "kind", _("The kind is missing: %(kinds)s."), kinds=kinds)
    # Never the cell's text: with shifted columns it could be a patient's name.
    report(
        (frame["kind"] != "") & kind.isna(), "kind", _("Not a kind: use %(kinds)s."), kinds=kinds
    )
    return kind


def _checked_dates(
    frame: pd.DataFrame, kind: pd.Series, today: dt.date, report: _Report
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Each row's admission and discharge days (an ED visit without a discharge left the
    same day) and whether the discharge is before the admission, reporting the dates
    missing, not understood, out of range or backwards. Each row in either accepted
    format, on its own."""
    formats = _("use YYYY-MM-DD (2026-03-02) or MM/DD/YYYY (03/02/2026)")
    admitted = _dates(frame["admitted"])
    discharged = _dates(frame["discharged"])
    for column, parsed in (("admitted", admitted), ("discharged", discharged)):
        text = frame[column]
        report(
            (text != "") & parsed.isna(),
            column,
            _("Not a date: %(formats)s."),
            formats=formats,
        )
        report(
            parsed.map(lambda d: d is not None and d < EARLIEST),
            column,
            _("%(day)s is before %(year)s."),
            day=parsed,
            year=str(EARLIEST.year),
        )
        report(
            parsed.map(lambda d: d is not None and d > today),
            column,
            _("%(day)s is in the future."),
            day=parsed,
        )
    report(frame["admitted"] == "", "admitted", _("The admission date is missing."))
    report(
        (frame["discharged"] == "") & (kind == INPATIENT),
        "discharged",
        _("A hospital stay needs its discharge date (only an ED visit may leave it empty)."),
    )
    # An ED visit without a discharge date left the same day.
    discharged = discharged.where(~((frame["discharged"] == "") & (kind == ED)), admitted)
    backwards = pd.Series(
        [
            a is not None and d is not None and d < a
            for a, d in zip(admitted, discharged, strict=True)
        ],
        index=frame.index,
    )
    report(
        backwards,
        "discharged",
        _("The discharge (%(discharged)s) is before the admission (%(admitted)s)."),
        discharged=discharged,
        admitted=admitted,
    )
    return admitted, discharged, backwards


def _check_lengths(
    kind: pd.Series, admitted: pd.Series, discharged: pd.Series, report: _Report
) -> None:
    """Report the hospital stays and ED visits longer than their kind's limit."""
    length = pd.Series(
        [
            (d - a).days if a is not None and d is not None else 0
            for a, d in zip(admitted, discharged, strict=True)
        ],
        index=kind.index,
    )
    for kind_, message in (
        (
            INPATIENT,
            _(
                "This hospital stay lasts %(days)s days, more than %(limit)s: check the "
                "admission and discharge dates."
            ),
        ),
        (
            ED,
            _(
                "This ED visit lasts %(days)s days, more than %(limit)s: check the dates "
                "(a longer stay is a hospital admission)."
            ),
        ),
    ):
        report(
            (kind == kind_) & (length > LONGEST[kind_]),
            "discharged",
            message,
            days=length.astype(str),
            limit=str(LONGEST[kind_]),
        )


def _stays_in_file(
    frame: pd.DataFrame,
    patient: pd.Series,
    kind: pd.Series,
    admitted: pd.Series,
    discharged: pd.Series,
    backwards: pd.Series,
    report: _Report,
) -> list[Stay]:
    """The file's stays (each once) from the rows with every value understood, whoever
    they are about, reporting the same stay twice in the file, the same admission with
    two discharges, and hospital stays of one MRN whose nights overlap."""
    # Keyed by the MRN as written (patient 0 for someone outside the program), never by
    # what is recorded: a row's errors come from the file alone, so they are the same
    # whoever it is about.
    rows = pd.DataFrame(
        {"mrn": frame["mrn"], "kind": kind, "admitted": admitted, "discharged": discharged}
    )
    errors = report.errors
    bad = {error.line for error in errors}
    good = rows[
        rows.notna().all(axis=1) & (frame["mrn"] != "") & ~backwards & ~rows.index.isin(bad)
    ]
    first: dict[tuple, Stay] = {}
    stays: list[Stay] = []
    for line, mrn, patient_id, kind_, admitted_on, discharged_on in zip(
        good.index,
        good["mrn"],
        patient[good.index].fillna(0).astype(int),
        good["kind"],
        good["admitted"],
        good["discharged"],
        strict=True,
    ):
        stay = Stay(int(line), mrn, int(patient_id), kind_, admitted_on, discharged_on)
        earlier = first.get(stay.identity)
        if earlier is None:
            first[stay.identity] = stay
            stays.append(stay)
        elif earlier.discharged_on == stay.discharged_on:
            message = _("The same stay as line %(line)d.") % {"line": earlier.line}
            errors.append(RowError(stay.line, ROW, message))
        else:
            message = _(
                "Line %(line)d has the same patient, kind and admission day with another "
                "discharge (%(other)s): keep the right one of the two lines."
            ) % {"line": earlier.line, "other": report.display(earlier.discharged_on)}
            errors.append(RowError(stay.line, COLUMN_NAMES["discharged"], message))
    errors.extend(_overlaps(stays, report.display))
    return stays


def _counted(
    program: Program, frame: pd.DataFrame, stays: list[Stay], *, not_enrolled: int
) -> Checked:
    """The file's count against what is recorded: a program patient's stay that is
    already recorded, or that clashes with one recorded (another discharge for the same
    admission, hospital nights that overlap), is skipped and counted with the stays
    already imported. One query."""
    # Never by line, never with the recorded dates: the file's uploader may not see a
    # patient's stays (DESIGN.md §4), and a line-by-line answer would tell them who in the
    # file is enrolled and when they were in hospital (issue 17). The recorded stay
    # stands; an administrator corrects it in the admin.
    members = [stay for stay in stays if stay.patient_id]
    clashing = _clashes(members, _recorded(program, members))
    new = [stay for stay in members if stay.line not in clashing]
    return Checked(
        rows=len(frame),
        new=new,
        already=len(members) - len(new),
        not_enrolled=not_enrolled,
        span=(
            min(stay.admitted_on for stay in stays),
            max(stay.discharged_on for stay in stays),
        ),
    )


def _nights_end(admitted_on: dt.date, discharged_on: dt.date) -> dt.date:
    # The nights [admitted, discharged); a same-day stay counts one day (as the ROI does).
    return max(discharged_on, admitted_on + dt.timedelta(days=1))


def _overlaps(stays: list[Stay], display) -> list[RowError]:
    """Errors on the file's hospital stays whose nights overlap another of the file's
    stays with the same MRN: the inpatient days would count twice. A sweep by admission
    day per MRN: the row blamed is the later-admitted one, naming the other's line."""
    spans = sorted(
        (s.mrn, s.admitted_on, s.line, _nights_end(s.admitted_on, s.discharged_on), s)
        for s in stays
        if s.kind == INPATIENT
    )
    errors: list[RowError] = []
    holder = None  # the stay of the MRN so far whose nights end last
    for span in spans:
        if holder is None or holder[0] != span[0]:
            holder = span
            continue
        if span[1] < holder[3]:
            other = holder[4]
            message = _(
                "This hospital stay overlaps the one on line %(line)d (admitted "
                "%(admitted)s, discharged %(discharged)s): its days would count twice."
            ) % {
                "line": other.line,
                "admitted": display(other.admitted_on),
                "discharged": display(other.discharged_on),
            }
            errors.append(RowError(span[2], ROW, message))
        if span[3] > holder[3]:
            holder = span
    return errors


def _clashes(members: list[Stay], recorded: list[tuple]) -> set[int]:
    """The lines of the program's patients' stays that are recorded already or clash with
    a recorded stay: the same patient, kind and admission day (whatever the discharge), or
    hospital nights overlapping a recorded hospital stay's."""
    identities = {(p, k, a) for p, k, a, _d in recorded}
    nights: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for p, k, a, d in recorded:
        if k == INPATIENT:
            nights.setdefault(p, []).append((a, _nights_end(a, d)))
    lines: set[int] = set()
    for stay in members:
        if (stay.patient_id, stay.kind, stay.admitted_on) in identities:
            lines.add(stay.line)
        elif stay.kind == INPATIENT:
            end = _nights_end(stay.admitted_on, stay.discharged_on)
            if any(a < end and stay.admitted_on < e for a, e in nights.get(stay.patient_id, ())):
                lines.add(stay.line)
    return lines


def _column_order(column: str) -> int:
    order = [*COLUMN_NAMES.values(), ROW]
    return order.index(column) if column in order else len(order)


def _recorded(program: Program, stays: list[Stay]) -> list[tuple]:
    """The stays of the program's patients already recorded that could be the file's stays
    or overlap them: (patient_id, kind, admitted_on, discharged_on). One query."""
    if not stays:
        return []
    return list(
        UtilizationRecord.objects.filter(
            patient__program=program,
            admitted_on__lte=max(stay.discharged_on for stay in stays),
            discharged_on__gte=min(stay.admitted_on for stay in stays),
        ).values_list("patient_id", "kind", "admitted_on", "discharged_on")
    )


def not_enrolled_message(count: int) -> str:
    return ngettext(
        "%(count)d row for a person not enrolled in this program was skipped.",
        "%(count)d rows for people not enrolled in this program were skipped.",
        count,
    ) % {"count": count}


def too_big(size: int) -> str:
    # Plain spaces: the message is also printed by the command.
    return _(
        "The file is larger than %(limit)s (it is %(size)s). Split it into smaller files (a "
        "year at a time, for instance) and import each."
    ) % {
        "size": filesizeformat(size).replace("\xa0", " "),
        "limit": filesizeformat(MAX_BYTES).replace("\xa0", " "),
    }


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops keeping an upload once it passes MAX_BYTES: the page then says the file is too
    big (`request.upload_too_big`) instead of spooling 50 MB to disk. Install it before
    the request body is read (the view is csrf_exempt, then csrf_protect inside)."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > MAX_BYTES:
            if self.request is not None:  # an attribute of our own, read by the view
                self.request.upload_too_big = start + len(raw_data)  # type: ignore[attr-defined]
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int):
        return None

"""The exports page's form: the period (as the ROI summary's) and which file to make."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from caseloads.forms import DateInput
from impact.reports import roi

# What the page offers: a code (stored as ExportJob.format, at most 8 characters), the
# format `exports.build()` writes and, for a CSV, the table it holds.
KINDS: dict[str, tuple[str, str]] = {
    "xlsx": ("xlsx", "summary"),
    "pdf": ("pdf", "summary"),
    "csv-sum": ("csv", "summary"),
    "csv-mon": ("csv", "by_month"),
    "csv-chw": ("csv", "by_chw"),
    "csv-coh": ("csv", "cohort"),
}
KIND_LABELS = {
    "xlsx": _("Spreadsheet (XLSX, all four sheets)"),
    "pdf": _("PDF report"),
    "csv-sum": _("CSV: summary"),
    "csv-mon": _("CSV: by month"),
    "csv-chw": _("CSV: by CHW"),
    "csv-coh": _("CSV: utilization cohort"),
}


class ExportForm(forms.Form):
    """[start, end] as the ROI summary reads it (refused when it ends before it starts, ends
    in the future or starts before 2000), and the file asked for (the button pressed)."""

    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())
    kind = forms.ChoiceField(
        label=_("File"),
        choices=list(KIND_LABELS.items()),
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose a file to download.")},
    )

    def __init__(self, *args, today: dt.date, window_days: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        if not self.is_bound:
            # As on the ROI page: the year whose cohort is evaluable.
            self.initial["start"], self.initial["end"] = roi.evaluable_period(today, window_days)

    def clean(self):
        data = super().clean()
        errors = roi.period_errors(start=data.get("start"), end=data.get("end"), today=self.today)
        for name, message in errors.items():
            self.add_error(name, message)
        return data

    @property
    def fmt(self) -> str:
        return KINDS[self.cleaned_data["kind"]][0]

    @property
    def sheet(self) -> str:
        return KINDS[self.cleaned_data["kind"]][1]

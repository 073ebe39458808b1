"""The exports page's form: the period (as the ROI summary's) and which file to make."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from impact.lib.forms import DateInput
from impact.lib.periods import Period, clean_period, latest_evaluable

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
    """A leader period (a whole calendar month, quarter or year, as on the ROI page) and
    the file asked for (the button pressed). Whether the file may be made for that period
    (the cohort table's rule) is `exports.refusal()`'s to say: it needs the figures."""

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
        self.leader_period: Period | None = None
        if not self.is_bound:
            # As on the ROI page: the latest year whose cohort is evaluable.
            default = latest_evaluable(today, window_days)
            self.initial["start"], self.initial["end"] = default.start, default.end

    def clean(self):
        super().clean()
        data = self.cleaned_data
        self.leader_period = clean_period(self, "start", "end", today=self.today)
        return data

    @property
    def valid_period(self) -> Period:
        """The leader period of a valid form (after `is_valid()`)."""
        if self.leader_period is None:
            raise ValueError("The form is not valid: it has no period.")
        return self.leader_period

    @property
    def fmt(self) -> str:
        return KINDS[self.cleaned_data["kind"]][0]

    @property
    def sheet(self) -> str:
        return KINDS[self.cleaned_data["kind"]][1]

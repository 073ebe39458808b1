"""Forms of the leader overview: the period it covers, and a BI token's name."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from caseloads.forms import DateInput
from impact.reports.roi import EARLIEST, default_period

# Dates before EARLIEST (2000-01-01, as on the ROI page) are typing slips: the program's
# records start long after it.


class PeriodForm(forms.Form):
    """?from=YYYY-MM-DD&to=YYYY-MM-DD (both optional: the 12 months ending today).

    A period ends on or before the program's today: the figures count what has happened.
    The fields are named `from` and `to` (the same names as the JSON API's parameters), so
    they are added in `__init__` (`from` is a Python keyword).
    """

    def __init__(self, data=None, *, today: dt.date, **kwargs):
        super().__init__(data, **kwargs)
        self.today = today
        start, end = default_period(today)
        self.fields["from"] = forms.DateField(
            label=_("From"), required=False, widget=DateInput(), initial=start
        )
        self.fields["to"] = forms.DateField(
            label=_("To"), required=False, widget=DateInput(), initial=end
        )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        start, end = data.get("from"), data.get("to")
        if end is not None and end < EARLIEST:
            # Checked first: the default start (a year before the end) needs a sane end.
            self.add_error(
                "to",
                _("Choose a date from %(day)s on.") % {"day": date_format(EARLIEST, "DATE_FORMAT")},
            )
            return data
        if start is None and end is None:
            start, end = default_period(self.today)
        elif end is None:
            end = self.today
        elif start is None:
            start = default_period(end)[0]
        if start < EARLIEST:
            self.add_error(
                "from",
                _("Choose a date from %(day)s on.") % {"day": date_format(EARLIEST, "DATE_FORMAT")},
            )
        if end > self.today:
            self.add_error(
                "to",
                _("The period cannot end after today (%(day)s): figures count what has happened.")
                % {"day": date_format(self.today, "DATE_FORMAT")},
            )
        if start > end and "to" not in self.errors:
            self.add_error("to", _("The period must end on or after the day it starts."))
        data["from"], data["to"] = start, end
        return data

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        return self.cleaned_data["from"], self.cleaned_data["to"]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Finance dashboard (Power BI)”."),
    )

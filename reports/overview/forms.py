"""Forms of the leader overview: the period it covers, and a BI token's name."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from impact.lib.forms import DateInput
from impact.lib.periods import Period, clean_period, current_year


class PeriodForm(forms.Form):
    """?from=YYYY-MM-DD&to=YYYY-MM-DD: a whole calendar month, quarter or year
    (`impact.lib.periods.leader_period`); with neither, this calendar year up to today.

    The fields are named `from` and `to` (the same names as the JSON API's parameters), so
    they are added in `__init__` (`from` is a Python keyword).
    """

    def __init__(self, data=None, *, today: dt.date, **kwargs):
        super().__init__(data, **kwargs)
        self.today = today
        default = current_year(today)
        self.fields["from"] = forms.DateField(
            label=_("From"), required=False, widget=DateInput(), initial=default.start
        )
        self.fields["to"] = forms.DateField(
            label=_("To"), required=False, widget=DateInput(), initial=default.end
        )
        self.leader_period: Period | None = None

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        if data.get("from") is None and data.get("to") is None:
            default = current_year(self.today)
            data["from"], data["to"] = default.start, default.end
        self.leader_period = clean_period(self, "from", "to", today=self.today)
        return data

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        return self.cleaned_data["from"], self.cleaned_data["to"]

    @property
    def valid_period(self) -> Period:
        """The leader period of a valid form (after `is_valid()`)."""
        if self.leader_period is None:
            raise ValueError("The form is not valid: it has no period.")
        return self.leader_period


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Finance dashboard (Power BI)”."),
    )

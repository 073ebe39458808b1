"""Program settings, the ROI period and the ROI settings forms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from impact.lib.forms import DateInput
from impact.lib.periods import Period, clean_period, latest_evaluable
from impact.models import TIME_ZONE_CHOICES, Program
from impact.services import (
    ROI_COST_FIELDS,
    ROI_COST_LIMIT,
    ROI_SETTINGS_FIELDS,
    SETTINGS_FIELDS,
)

WEEKDAYS = [
    ("1", _("Monday")),
    ("2", _("Tuesday")),
    ("3", _("Wednesday")),
    ("4", _("Thursday")),
    ("5", _("Friday")),
    ("6", _("Saturday")),
    ("7", _("Sunday")),
]


class ProgramSettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES)
    workdays = forms.MultipleChoiceField(
        label=_("Workdays"),
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one workday.")},
    )

    class Meta:
        model = Program
        fields = list(SETTINGS_FIELDS)
        widgets = {
            "workday_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "workday_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["workdays"] = list(self.instance.workdays)
        for name in (
            "intervention_days",
            "caseload_cap",
            "outreach_interval_days",
            "contact_interval_days",
            "end_warning_days",
            "supervision_interval_days",
        ):
            self.fields[name].widget.attrs.update({"min": 1, "inputmode": "numeric"})

    def clean_workdays(self) -> str:
        return "".join(sorted(self.cleaned_data["workdays"]))

    def clean(self) -> dict[str, Any]:
        super().clean()  # the model checks that the workday ends after it starts
        data = self.cleaned_data
        days, warning = data.get("intervention_days"), data.get("end_warning_days")
        if days and warning and warning >= days:
            self.add_error(
                "end_warning_days", _("The end warning must be shorter than the intervention.")
            )
        return data

    def settings(self) -> dict:
        return {name: self.cleaned_data[name] for name in SETTINGS_FIELDS}


class RoiPeriodForm(forms.Form):
    """The ROI summary's period (GET): a whole calendar month, quarter or year
    (`impact.lib.periods.leader_period`); unbound, the latest calendar year whose cohort
    has been followed for its whole window."""

    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())

    def __init__(self, *args, today: dt.date, window_days: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.default = latest_evaluable(today, window_days)
        self.leader_period: Period | None = None
        if not self.is_bound:
            self.initial["start"], self.initial["end"] = self.default.start, self.default.end

    def clean(self):
        super().clean()
        data = self.cleaned_data
        self.leader_period = clean_period(self, "start", "end", today=self.today)
        return data

    def period(self) -> tuple[dt.date, dt.date]:
        """The period asked for (valid bound form), else the default."""
        if self.is_bound:
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return self.default.start, self.default.end

    def whole(self) -> Period:
        return self.leader_period if self.is_bound and self.leader_period else self.default


class RoiSettingsForm(forms.ModelForm):
    """The unit costs, window, savings basis and attribution of the ROI summary."""

    class Meta:
        model = Program
        fields = list(ROI_SETTINGS_FIELDS)
        widgets = {"savings_basis": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ROI_COST_FIELDS:
            field = self.fields[name]
            field.validators.append(
                MaxValueValidator(
                    ROI_COST_LIMIT - Decimal("0.01"), _("Enter an amount below $10,000,000.")
                )
            )
            field.widget.attrs.update({"min": 0, "step": "0.01", "inputmode": "decimal"})
        self.fields["attribution"].widget.attrs.update({"min": 0, "max": 1, "step": "0.05"})

    def settings(self) -> dict:
        return {name: self.cleaned_data[name] for name in ROI_SETTINGS_FIELDS}

"""Program settings form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from impact.models import TIME_ZONE_CHOICES, Program
from impact.services import SETTINGS_FIELDS

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

    def clean(self):
        data = super().clean()  # the model checks that the workday ends after it starts
        days, warning = data.get("intervention_days"), data.get("end_warning_days")
        if days and warning and warning >= days:
            self.add_error(
                "end_warning_days", _("The end warning must be shorter than the intervention.")
            )
        return data

    def settings(self) -> dict:
        return {name: self.cleaned_data[name] for name in SETTINGS_FIELDS}

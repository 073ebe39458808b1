"""Forms of the leader's money pages: cost lines and funding sources. They only parse what
was typed; the rules live in `reports.finance.services`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from impact.lib.forms import DateInput
from reports.models import CostLine, FundingSource


class MoneyField(forms.DecimalField):
    """Dollars as people type them: "$36,500.00" is 36500.00 (a text box: a number input
    would refuse the comma in the browser)."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault(
            "error_messages",
            {"invalid": _("Enter the amount as a number of dollars, like 36500.")},
        )
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", "").replace("$", "").replace(" ", "")
        return super().to_python(value)


class CostLineForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=CostLine.Category.choices)
    amount = MoneyField(label=_("Amount (USD)"))
    period_start = forms.DateField(label=_("From"), widget=DateInput())
    period_end = forms.DateField(label=_("To"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class FundingForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=FundingSource.Kind.choices)
    amount = MoneyField(label=_("Amount (USD)"))
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())

"""Forms for reviews, ratings, the implementation log and its filter."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from fidelity.models import CfirDomain, ComponentRating, ImplementationNote, Rating
from impact.lib.forms import DateInput, SensitiveTextMixin
from impact.lib.text import NOTES_MAX_LENGTH
from impact.models import Program


class ReviewForm(forms.Form):
    period_start = forms.DateField(label=_("Period from"), widget=DateInput())
    period_end = forms.DateField(label=_("Period to"), widget=DateInput())


class RatingForm(SensitiveTextMixin, forms.Form):
    rating = forms.ChoiceField(
        label=_("Rating"), choices=[("", _("Not rated")), *Rating.choices], required=False
    )
    reason = forms.ChoiceField(
        label=_("Main reason (below met)"),
        choices=[("", "—"), *ComponentRating.Reason.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=NOTES_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Implementation stage"), choices=Program.Stage.choices)


class NoteForm(SensitiveTextMixin, forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput())
    cfir_domain = forms.ChoiceField(label=_("CFIR domain"), choices=CfirDomain.choices)
    direction = forms.ChoiceField(
        label=_("Barrier or facilitator"), choices=ImplementationNote.Direction.choices
    )
    theme = forms.CharField(label=_("Theme"), max_length=120)
    note = forms.CharField(
        label=_("Note"), max_length=NOTES_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class NoteFilter(django_filters.FilterSet):
    cfir_domain = django_filters.ChoiceFilter(
        label=_("CFIR domain"), choices=CfirDomain.choices, empty_label=_("All domains")
    )
    direction = django_filters.ChoiceFilter(
        label=_("Barrier or facilitator"),
        choices=ImplementationNote.Direction.choices,
        empty_label=_("Both kinds"),
    )
    since = django_filters.DateFilter(
        field_name="on", lookup_expr="gte", label=_("From"), widget=DateInput()
    )
    until = django_filters.DateFilter(
        field_name="on", lookup_expr="lte", label=_("To"), widget=DateInput()
    )

    class Meta:
        model = ImplementationNote
        fields = ["cfir_domain", "direction", "since", "until"]

"""Supervision forms; the CHW's check-in and time off are sized for a phone."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from caseloads.models import Enrollment
from caseloads.selectors import chws_for
from impact.lib.forms import (
    DateInput,
    PkChoiceField,
    PkMultipleChoiceField,
    SensitiveTextMixin,
    SubmissionKeyMixin,
    model_choice_field,
)
from impact.lib.text import NOTES_MAX_LENGTH
from impact.models import TrainingRecord, User
from supervision.models import SupervisionSession, WellbeingCheckIn

FOLLOW_UP_ROWS = 3


class EnrollmentsField(PkMultipleChoiceField):
    """Enrollments listed by their patient's name."""

    def label_from_instance(self, obj: Enrollment) -> str:
        return str(obj.patient.display_name)


class SessionForm(SubmissionKeyMixin, SensitiveTextMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=SupervisionSession.Kind.choices,
        initial=SupervisionSession.Kind.ONE_ON_ONE,
        widget=forms.RadioSelect(attrs={"class": "kind-choices"}),
    )
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput())
    duration_minutes = forms.IntegerField(
        label=_("Minutes"), min_value=1, max_value=480, initial=30
    )
    others_present = PkMultipleChoiceField(
        label=_("Also present (huddle)"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    enrollments_discussed = EnrollmentsField(
        label=_("Patients discussed"),
        queryset=Enrollment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    wellbeing_discussed = forms.BooleanField(label=_("We talked about wellbeing"), required=False)
    notes = forms.CharField(
        label=_("Notes (the CHW sees these)"),
        max_length=NOTES_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    private_notes = forms.CharField(
        label=_("Private notes (never shown to the CHW)"),
        max_length=NOTES_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, manager: User, chw: User, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "others_present").queryset = chws_for(manager).exclude(pk=chw.pk)
        model_choice_field(self, "enrollments_discussed").queryset = (
            Enrollment.objects.filter(chw=chw, status=Enrollment.Status.ENROLLED)
            .select_related("patient")
            .order_by("patient__family_name", "patient__given_name")
        )
        for n in range(FOLLOW_UP_ROWS):
            self.fields[f"follow_up_{n}"] = forms.CharField(
                label=_("Follow-up"), max_length=300, required=False
            )
            self.fields[f"follow_up_{n}_due"] = forms.DateField(
                label=_("Due"), required=False, widget=DateInput()
            )

    def follow_up_rows(self):
        return [(self[f"follow_up_{n}"], self[f"follow_up_{n}_due"]) for n in range(FOLLOW_UP_ROWS)]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        for n in range(FOLLOW_UP_ROWS):
            text, due = data.get(f"follow_up_{n}"), data.get(f"follow_up_{n}_due")
            if text and not due:
                self.add_error(f"follow_up_{n}_due", _("When is it due?"))
            elif due and not text:
                self.add_error(f"follow_up_{n}", _("Describe the follow-up."))
        return data

    def follow_ups(self) -> list:
        data = self.cleaned_data
        return [
            (data[f"follow_up_{n}"], data[f"follow_up_{n}_due"])
            for n in range(FOLLOW_UP_ROWS)
            if data.get(f"follow_up_{n}")
        ]


class CheckInForm(SensitiveTextMixin, forms.Form):
    burnout_score = forms.TypedChoiceField(
        label=_("How do you feel about work lately?"),
        choices=[
            (n, format_lazy("{}. {}", n, words))
            for n, words in WellbeingCheckIn.SCORE_WORDS.items()
        ],
        coerce=int,
        widget=forms.RadioSelect,
    )
    stressors = forms.MultipleChoiceField(
        label=_("What weighs on you? (any)"),
        choices=WellbeingCheckIn.Stressor.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    integration_friction = forms.IntegerField(
        label=_(
            "Since your last check-in, how many times did clinical colleagues dismiss your role?"
        ),
        min_value=0,
        max_value=100,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    wants_support = forms.TypedChoiceField(
        label=_("Would you like support from your manager?"),
        choices=[("no", _("Not now")), ("yes", _("Yes, please"))],
        coerce=lambda value: value == "yes",
        initial="no",
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=_("Anything else you want your manager to know (optional)"),
        max_length=NOTES_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TimeOffForm(forms.Form):
    starts_on = forms.DateField(label=_("First day off"), widget=DateInput())
    ends_on = forms.DateField(label=_("Last day off"), widget=DateInput())
    backup = PkChoiceField(
        label=_("Backup CHW (optional)"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, chw: User, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "backup").queryset = (
            User.objects.filter(role="chw", team=chw.team_id, is_active=True)
            .exclude(pk=chw.pk)
            .order_by("last_name")
        )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The last day off cannot be before the first."))
        return data


class TrainingForm(SensitiveTextMixin, forms.Form):
    topic = forms.ChoiceField(label=_("Training"), choices=TrainingRecord.Topic.choices)
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput())
    note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)

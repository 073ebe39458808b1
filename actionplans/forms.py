"""Forms for the intake, goals, steps and the partner directory, sized for a phone."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from actionplans.models import STATEMENT_MAX_LENGTH, ActionStep, Goal, Intake, Partner
from impact.lib.forms import (
    DateInput,
    LanguageField,
    PkChoiceField,
    SensitiveTextMixin,
    SubmissionKeyMixin,
    model_choice_field,
)
from impact.lib.text import NOTES_MAX_LENGTH
from impact.models import Program


def yes_no_field(label, unknown_label, **kwargs) -> forms.TypedChoiceField:
    """Yes / No / unknown radio buttons for a nullable BooleanField (None when unknown)."""
    return forms.TypedChoiceField(
        label=label,
        choices=[("", unknown_label), ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        **kwargs,
    )


def yes_no_initial(value: bool | None) -> str:
    """The radio value that shows a stored nullable boolean."""
    return "" if value is None else ("yes" if value else "no")


class IntakeForm(SensitiveTextMixin, forms.ModelForm):
    class Meta:
        model = Intake
        fields = ["life_story", "priorities", "what_will_help", "strengths"] + [
            name for name, _label in Intake.NEEDS
        ]
        widgets = {
            "life_story": forms.Textarea(attrs={"rows": 4}),
            "priorities": forms.Textarea(attrs={"rows": 3}),
            "what_will_help": forms.Textarea(attrs={"rows": 3}),
            "strengths": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in Intake.NEEDS:
            self.fields[name] = yes_no_field(label, _("Not answered"))
            value = getattr(self.instance, name)
            if not self.is_bound and value is not None:
                self.initial[name] = yes_no_initial(value)

    def intake_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class GoalForm(SubmissionKeyMixin, SensitiveTextMixin, forms.Form):
    statement = forms.CharField(
        label=_("The goal, in the patient's own words"),
        max_length=STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Write what the patient said, as they said it."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Goal.Category.choices)
    condition = forms.CharField(
        label=_("Health condition (optional)"),
        max_length=200,
        required=False,
        help_text=_("No diagnosis is needed: goals can be about anything that matters."),
    )
    set_by = forms.ChoiceField(
        label=_("Who set it"),
        choices=Goal.SetBy.choices,
        initial=Goal.SetBy.PATIENT,
        widget=forms.RadioSelect,
    )
    set_on = forms.DateField(label=_("Set on"), widget=DateInput)


class GoalEditForm(GoalForm):
    status = forms.ChoiceField(label=_("Status"), choices=Goal.Status.choices)
    closed_on = forms.DateField(
        label=_("Closed on"),
        required=False,
        widget=DateInput,
        help_text=_("Needed when the goal is achieved, partly achieved, not achieved or dropped."),
    )


class StepForm(SubmissionKeyMixin, SensitiveTextMixin, forms.Form):
    description = forms.CharField(label=_("Step"), max_length=500)
    owner = forms.ChoiceField(
        label=_("Who does it"),
        choices=ActionStep.Owner.choices,
        widget=forms.RadioSelect,
        initial=ActionStep.Owner.PATIENT,
    )
    support_type = forms.ChoiceField(
        label=_("Support"),
        choices=ActionStep.SupportType.choices,
        initial=ActionStep.SupportType.COACHING,
    )
    due_on = forms.DateField(label=_("Due"), widget=DateInput)
    partner = PkChoiceField(
        label=_("Partner (for a referral)"), queryset=Partner.objects.none(), required=False
    )
    consent_to_share = forms.BooleanField(
        label=_("The patient agreed to share their information with this partner"),
        required=False,
        help_text=_("Without consent, the referral slip leaves out the patient's contact details."),
    )
    warm_handoff = forms.BooleanField(
        label=_("Warm handoff (introduced in person or by phone)"), required=False
    )
    accompanied = forms.BooleanField(label=_("I went with the patient"), required=False)
    notes = forms.CharField(
        label=_("Notes"),
        max_length=NOTES_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        # Every partner of any program is accepted here so that the service answers a
        # partner of another program with a clear message (a stale or tampered page).
        model_choice_field(self, "partner").queryset = Partner.objects.all()
        self.fields["partner"].widget.choices = [("", "---------")] + [
            (p.pk, f"{p.name} · {p.get_kind_display()}") for p in partners
        ]


class StepEditForm(StepForm):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStep.Status.choices)
    referral_outcome = forms.ChoiceField(
        label=_("Referral outcome"),
        choices=[("", "---------"), *ActionStep.Outcome.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["submission_key"]


class PartnerForm(SensitiveTextMixin, forms.ModelForm):
    sensitive_exempt = {
        "name": "the organisation's name",
        "address": "the organisation's street address",
        "languages_text": "language names, each resolved to a code",
    }

    languages_text = forms.CharField(
        label=_("Languages staff speak"),
        required=False,
        max_length=300,
        help_text=_("Separate with commas, e.g. Spanish, Haitian Creole, Mam."),
    )
    serves_regardless_of_status = yes_no_field(
        _("Serves everyone regardless of immigration status"),
        _("Not known"),
        help_text=_("A fact about the organisation: never ask the patient about their status."),
    )

    class Meta:
        model = Partner
        fields = [
            "name",
            "kind",
            "phone",
            "address",
            "relationship",
            "serves_regardless_of_status",
            "notes",
            "is_active",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"] = PhoneNumberField(
            label=_("Phone"),
            region=program.phone_region,
            required=False,
            widget=forms.TextInput(attrs={"type": "tel"}),
        )
        if not self.is_bound and self.instance.pk:
            self.initial["languages_text"] = ", ".join(self.instance.language_names)
            self.initial["serves_regardless_of_status"] = yes_no_initial(
                self.instance.serves_regardless_of_status
            )

    def clean_languages_text(self) -> list[str]:
        codes, unknown = [], []
        for name in (self.cleaned_data["languages_text"] or "").split(","):
            if not name.strip():
                continue
            try:
                code = LanguageField().clean(name)
            except forms.ValidationError:
                unknown.append(name.strip())
            else:
                if code not in codes:
                    codes.append(code)
        if unknown:
            raise forms.ValidationError(
                _("We do not know these languages: %(names)s."),
                params={"names": ", ".join(unknown)},
            )
        return codes

    def partner_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["languages"] = self.cleaned_data["languages_text"]
        return data


class _ClosingForm(SensitiveTextMixin, forms.Form):
    closed_on = forms.DateField(label=_("Closing date"), widget=DateInput())


class GraduateForm(_ClosingForm):
    """Graduation: how each active goal ended, a short summary and the handoff."""

    summary = forms.CharField(
        label=_("Summary"),
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the patient worked on and what changed, in a few lines."),
    )
    handoff_to = forms.CharField(
        label=_("Who takes over"),
        max_length=200,
        help_text=_("The named person or service: a clinic nurse, a partner, a support group."),
    )
    handoff_accepted = forms.TypedChoiceField(
        label=_("Did the patient accept the handoff?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        outcomes = [(s, label) for s, label in Goal.Status.choices if s in Goal.CLOSED_STATUSES]
        for goal in self.goals:
            self.fields[f"goal_{goal.pk}"] = forms.ChoiceField(
                label=goal.statement,
                choices=[("", _("Choose…")), *outcomes],
            )

    def goal_fields(self):
        return [self[f"goal_{goal.pk}"] for goal in self.goals]

    def outcomes(self) -> dict[int, str]:
        return {goal.pk: self.cleaned_data[f"goal_{goal.pk}"] for goal in self.goals}


class WithdrawForm(_ClosingForm):
    close_reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: moved away, chose to stop, could not be reached for weeks."),
    )

"""Forms for enrolling patients and logging encounters, sized for a phone in the field."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from caseloads.extensions import encounter_fields
from caseloads.models import Encounter, Enrollment, Patient, RaceEthnicity
from caseloads.selectors import chws_for
from caseloads.services import EncounterInput, patient_possible_duplicates
from impact.lib.forms import (
    DateInput,
    DateTimeInput,
    LanguageField,
    PkChoiceField,
    SensitiveTextMixin,
    SubmissionKeyMixin,
    model_choice_field,
)
from impact.lib.text import NOTES_MAX_LENGTH
from impact.models import Program, User

EARLIEST_BIRTH = dt.date(1900, 1, 1)


class EnrollSearchForm(forms.Form):
    """Find a registered patient with what the CHW has in hand: the MRN, or the family
    name with the date of birth. Sent by POST, so the details stay out of URLs, server
    logs and the browser history of a shared phone (DESIGN.md §4)."""

    mrn = forms.CharField(label=_("MRN"), max_length=40, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=DateInput,
        error_messages={"invalid": _("Enter the date of birth as a date, like 1968-04-02.")},
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if self.errors or data.get("mrn"):
            return data
        family_name, born = data.get("family_name"), data.get("date_of_birth")
        if family_name and not born:
            self.add_error(
                "date_of_birth",
                _("Enter the date of birth too: a family name alone is not enough."),
            )
        elif born and not family_name:
            self.add_error(
                "family_name", _("Enter the family name too: a date of birth alone is not enough.")
            )
        elif not family_name:
            raise forms.ValidationError(
                _("Search by MRN, or by family name together with date of birth.")
            )
        return data

    def as_initial(self) -> dict[str, str]:
        """The search terms, to start a new patient's registration with."""
        data = self.cleaned_data
        born = data.get("date_of_birth")
        return {
            "mrn": data.get("mrn", ""),
            "family_name": data.get("family_name", ""),
            "date_of_birth": born.isoformat() if born else "",
        }


class PatientForm(forms.ModelForm):
    preferred_language = LanguageField(
        label=_("Preferred language"),
        max_length=100,
        initial="en",
        help_text=_("Start typing: any language can be chosen."),
    )
    race_ethnicity = forms.MultipleChoiceField(
        label=_("Race and ethnicity (optional, as the patient describes themselves)"),
        choices=RaceEthnicity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Asked only so the program can check it serves everyone fairly. "
            "The patient may choose several answers or decline."
        ),
    )
    confirm_new_person = forms.BooleanField(
        label=_("I checked: this is a different person from the possible matches above"),
        required=False,
    )

    class Meta:
        model = Patient
        fields = [
            "given_name",
            "family_name",
            "preferred_name",
            "date_of_birth",
            "mrn",
            "phone",
            "preferred_language",
            "interpreter_needed",
            "zip_code",
            "race_ethnicity",
        ]
        widgets = {"date_of_birth": DateInput}

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["phone"] = PhoneNumberField(
            label=_("Phone"),
            region=program.phone_region,
            required=False,
            help_text=_("Numbers without a country code are read as %(region)s numbers.")
            % {"region": program.phone_region},
            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        )
        self.possible_duplicates: list[Patient] = []

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born > self.program.today():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        if born < EARLIEST_BIRTH:
            raise forms.ValidationError(_("Check the year of birth."))
        return born

    def clean_mrn(self):
        mrn = self.cleaned_data["mrn"].strip()
        if mrn and Patient.objects.filter(program=self.program, mrn__iexact=mrn).exists():
            raise forms.ValidationError(_("Another patient in this program has this MRN."))
        return mrn

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if all(data.get(f) for f in ("given_name", "family_name", "date_of_birth")):
            self.possible_duplicates = patient_possible_duplicates(
                program=self.program,
                given_name=data["given_name"],
                family_name=data["family_name"],
                date_of_birth=data["date_of_birth"],
            )
            if self.possible_duplicates and not data.get("confirm_new_person"):
                self.add_error(
                    "confirm_new_person",
                    _(
                        "A patient with a similar name and the same date of birth exists. "
                        "Enroll that patient instead, or confirm this is a different person."
                    ),
                )
        return data


class EnrollmentForm(SubmissionKeyMixin, SensitiveTextMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome of the referral"),
        choices=[
            (Enrollment.Status.ENROLLED, _("Enrolled: start support now")),
            (Enrollment.Status.REFERRED, _("Referred: not reached yet")),
            (Enrollment.Status.DECLINED, _("Declined")),
            (Enrollment.Status.INELIGIBLE, _("Ineligible")),
        ],
        initial=Enrollment.Status.ENROLLED,
        widget=forms.RadioSelect,
    )
    referred_on = forms.DateField(label=_("Referred on"), widget=DateInput)
    enrolled_on = forms.DateField(
        label=_("Enrolled on"),
        required=False,
        widget=DateInput,
        help_text=_("The planned end date is computed from the program's standard length."),
    )
    chw = PkChoiceField(label=_("CHW"), queryset=User.objects.none())
    close_reason = forms.CharField(
        label=_("Reason (declined or ineligible)"), max_length=500, required=False
    )

    def __init__(self, *args, user: User, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        today = program.today()
        self.user = user
        self.initial.setdefault("referred_on", today)
        self.initial.setdefault("enrolled_on", today)
        if user.is_chw:
            # A CHW enrolls onto their own caseload; a posted CHW value is never read.
            del self.fields["chw"]
        else:
            model_choice_field(self, "chw").queryset = chws_for(user).order_by(
                "first_name", "last_name"
            )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if self.user.is_chw:
            data["chw"] = self.user
        return data


class EncounterForm(SubmissionKeyMixin, SensitiveTextMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("What happened"), choices=Encounter.Kind.choices, widget=forms.RadioSelect
    )
    reached = forms.TypedChoiceField(
        label=_("Did you reach the patient?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        initial="yes",
        widget=forms.RadioSelect,
        help_text=_("Chart reviews and safety notes never count as a contact."),
    )
    occurred_at = forms.DateTimeField(label=_("When"), widget=DateTimeInput)
    initiated_by = forms.ChoiceField(
        label=_("Who started it"),
        choices=Encounter.InitiatedBy.choices,
        initial=Encounter.InitiatedBy.CHW,
        widget=forms.RadioSelect,
    )
    setting = forms.ChoiceField(
        label=_("Setting"),
        choices=[("", _("From the kind of contact"))] + Encounter.Setting.choices,
        required=False,
    )
    duration_minutes = forms.IntegerField(
        label=_("Minutes"),
        required=False,
        min_value=1,
        max_value=24 * 60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    mental_health_crisis = forms.BooleanField(label=_("Mental-health crisis"), required=False)
    safety_concern = forms.BooleanField(label=_("Safety concern"), required=False)
    next_touchpoint_on = forms.DateField(
        label=_("Next planned contact (optional)"), required=False, widget=DateInput
    )

    def __init__(self, *args, enrollment: Enrollment, **kwargs):
        super().__init__(*args, **kwargs)
        # Fields later apps add (caseloads.extensions), built for this enrollment: the
        # action plan's goals worked on.
        self.extensions = encounter_fields()
        for extension in self.extensions:
            self.fields[extension.name] = extension.field(enrollment)
        if not self.is_bound:
            self.initial.setdefault("occurred_at", timezone.localtime().replace(second=0))
            self.initial.setdefault("kind", Encounter.Kind.HOME_VISIT)

    @property
    def extension_templates(self) -> list[str]:
        return [extension.template for extension in self.extensions]

    def extension_data(self) -> dict:
        """The added fields' values, as keyword arguments of `encounter_log`."""
        return {extension.name: self.cleaned_data[extension.name] for extension in self.extensions}

    def encounter_input(self) -> EncounterInput:
        data = self.cleaned_data
        return EncounterInput(
            occurred_at=data["occurred_at"],
            kind=data["kind"],
            reached=data["reached"],
            initiated_by=data["initiated_by"],
            setting=data["setting"],
            duration_minutes=data["duration_minutes"],
            notes=data["notes"],
            mental_health_crisis=data["mental_health_crisis"],
            safety_concern=data["safety_concern"],
        )


class ReassignForm(SensitiveTextMixin, forms.Form):
    to_chw = PkChoiceField(label=_("New CHW"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args, enrollment: Enrollment, **kwargs):
        super().__init__(*args, **kwargs)
        # Every active CHW is accepted here; the service refuses another team with a
        # message, so a stale page cannot move a patient across teams.
        candidates = User.objects.filter(
            role="chw", is_active=True, program_id=enrollment.program_id
        ).exclude(pk=enrollment.chw_id)
        model_choice_field(self, "to_chw").queryset = candidates
        team = [chw for chw in candidates if chw.team_id == enrollment.chw.team_id]
        self.fields["to_chw"].widget.choices = [("", "---------")] + [(c.pk, str(c)) for c in team]


class ExtendForm(SensitiveTextMixin, forms.Form):
    """A manager moves the planned end date later, once."""

    planned_end_on = forms.DateField(label=_("New planned end"), widget=DateInput())
    extension_reason = forms.CharField(
        label=_("Why the patient needs more time"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AlertNoteForm(SensitiveTextMixin, forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=NOTES_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("What you are doing about it")}),
    )

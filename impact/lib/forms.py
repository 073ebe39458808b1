"""Form helpers shared by the apps."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from impact.lib.languages import language_name, resolve_language, suggested_languages
from impact.lib.sensitive import mentions_immigration_status

# Text fields that are not free text: an address, a link, an identifier, a phone number.
NOT_FREE_TEXT: tuple[type[forms.Field], ...] = (
    forms.EmailField,
    forms.URLField,
    forms.SlugField,
    forms.UUIDField,
    forms.GenericIPAddressField,
    forms.RegexField,
    PhoneNumberField,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class LanguageInput(forms.TextInput):
    """A text box with the common languages as suggestions; any language may be typed."""

    template_name = "widgets/language_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs']['id']}-options"
        context["suggestions"] = [name for _code, name in suggested_languages()]
        return context

    def format_value(self, value):
        return language_name(value) if value else value


class LanguageField(forms.CharField):
    widget = LanguageInput
    free_text = False  # a language, resolved to its code: never free text

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        code = resolve_language(value)
        if code is None:
            raise forms.ValidationError(
                _(
                    "We do not know the language “%(value)s”. "
                    "Type its name in English or its ISO code."
                ),
                params={"value": value},
            )
        return code


class SubmissionKeyMixin(forms.Form):
    """A key generated when the form is shown: submitting the page twice creates one row."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())


def is_free_text(field: forms.Field) -> bool:
    """Whether a person types their own words into `field`: a CharField that is not an
    email, link, code or phone number, not hidden or a password, and not marked
    `free_text = False` by its class (a language picker)."""
    return (
        isinstance(field, forms.CharField)
        and not isinstance(field, NOT_FREE_TEXT)
        and not isinstance(field.widget, forms.HiddenInput | forms.PasswordInput)
        and getattr(field, "free_text", True)
    )


class SensitiveTextMixin(forms.Form):
    """Warn before saving free text that seems to record immigration status.

    Every free-text field of the form (`is_free_text`, including fields added in
    `__init__`) is checked, unless `sensitive_exempt` names it with the reason it is not
    text about a person (an organisation's name). The form is refused once with a message
    next to each such field; the person edits the text, or ticks "keep the text as
    written" and saves again. Nothing typed is lost: the page comes back with everything
    as it was typed. `cleaned_data` never carries the tick itself.
    """

    # Field name → why it is not free text about a person (shown to reviewers, not users).
    sensitive_exempt: dict[str, str] = {}

    keep_sensitive_text = forms.BooleanField(
        label=_("Keep the text as written"),
        required=False,
        help_text=_("Only if the patient's care truly needs it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sensitive_warning = False
        # The tick shows only once a warning was given (or it was ticked): a form drawn
        # whole ({{ form|crispy }}) draws it as a hidden input until then, last.
        keep = self.fields.pop("keep_sensitive_text")
        keep.widget = forms.HiddenInput()
        self.fields["keep_sensitive_text"] = keep

    def _show_keep(self) -> None:
        self.fields["keep_sensitive_text"].widget = forms.CheckboxInput()

    def sensitive_field_names(self) -> list[str]:
        """The fields this form checks."""
        return [
            name
            for name, field in self.fields.items()
            if is_free_text(field) and name not in self.sensitive_exempt
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.pop("keep_sensitive_text", False):
            self._show_keep()
            return data
        for name in self.sensitive_field_names():
            value = data.get(name)
            if isinstance(value, str) and mentions_immigration_status(value):
                self.sensitive_warning = True
                self._show_keep()
                self.add_error(
                    name,
                    _(
                        "This seems to mention immigration status. The program never "
                        "records it: it is not needed for care and could put the patient "
                        "at risk. Edit the text, or tick “Keep the text as written”."
                    ),
                )
        return data


def posted(request: HttpRequest):
    """The submitted data on a POST, else None (an empty POST still binds the form:
    a form whose every field is optional must save when nothing is filled in)."""
    return request.POST if request.method == "POST" else None


def redirect_back(request: HttpRequest, default: str, **kwargs):
    """Back to the page the form was on (its `next` field, same site only), else
    `default` (a URL name, with `kwargs`)."""
    from django.shortcuts import redirect
    from django.utils.http import url_has_allowed_host_and_scheme

    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect(default, **kwargs)


def redirect_to_program(name: str, program):
    """Redirect to a program-wide page (URL name) of the same program: an administrator,
    who belongs to no program, chose it with ?program=ID."""
    from django.shortcuts import redirect
    from django.urls import reverse

    return redirect(f"{reverse(name)}?program={program.pk}")


# Primary keys are 64-bit: a longer number typed into a URL or a form would overflow the
# database driver (a 500) instead of being "not found".
MAX_PK = 2**63 - 1


def parse_pk(value) -> int | None:
    """A primary key from user input (ASCII digits within range), else None."""
    text = str(value)
    if text.isascii() and text.isdigit() and int(text) <= MAX_PK:
        return int(text)
    return None


class PkChoiceField(forms.ModelChoiceField):
    """A model choice that answers "Select a valid choice" to any malformed key."""

    def to_python(self, value):
        if value not in self.empty_values and parse_pk(value) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class PkMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for each in value:
            if parse_pk(each) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": each},
                )
        return super()._check_values(value)  # type: ignore[misc]  # private, not in the stubs


def apply_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names (the rest above the
    form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """The form's field `name`, a choice of rows, whose queryset a form narrows per user."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField), field
    return field

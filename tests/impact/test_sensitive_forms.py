"""Every free-text field a person types into goes through the sensitive-text check
(DESIGN.md §4): this walks every form class of the project's apps, found by
introspection, so a new form or field is covered the day it is written."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
from pathlib import Path
from typing import Any

import django_filters
import pytest
from django import forms
from django.apps import apps
from django.conf import settings

from impact.lib.forms import SensitiveTextMixin, is_free_text

# Text fields that are not free text about a person, or that store nothing: (form class
# path, field name) → why. Written here independently of the forms' own
# `sensitive_exempt`, so an exemption needs two people to agree; keep it short.
EXEMPT: dict[tuple[str, str], str] = {
    # Identifiers and names: checked against the program's records, not written notes.
    ("caseloads.forms.PatientForm", "given_name"): "a person's name",
    ("caseloads.forms.PatientForm", "family_name"): "a person's name",
    ("caseloads.forms.PatientForm", "preferred_name"): "a person's name",
    ("caseloads.forms.PatientForm", "mrn"): "a record number",
    ("caseloads.forms.PatientForm", "zip_code"): "a postal code",
    # Search boxes: what is typed finds a patient and is never stored.
    ("caseloads.forms.EnrollSearchForm", "mrn"): "search box",
    ("caseloads.forms.EnrollSearchForm", "family_name"): "search box",
    ("caseloads.filters.CaseloadFilter", "q"): "search box",
    # The six-digit code of the sign-in's second factor.
    ("impact.auth.forms.CodeForm", "code"): "a one-time code",
    # A partner organisation's identity, not text about a patient.
    ("actionplans.forms.PartnerForm", "name"): "an organisation's name",
    ("actionplans.forms.PartnerForm", "address"): "an organisation's address",
    ("actionplans.forms.PartnerForm", "languages_text"): "language names, resolved to codes",
    # The leaders' money and API pages: labels of budget lines, funders and API tokens.
    ("reports.finance.forms.CostLineForm", "note"): "a budget line's label",
    ("reports.finance.forms.FundingForm", "name"): "a funder's name",
    ("reports.overview.forms.TokenForm", "name"): "an API token's label",
}


def project_forms() -> list[Any]:  # form and filter set classes
    """Every Form, ModelForm and FilterSet (whose form is built from its filters) class
    defined in a module of the project's own apps."""
    root = Path(settings.BASE_DIR).resolve()
    # The virtual environment may sit inside the project folder (.venv): its packages
    # are not the project's apps.
    environment = Path(sys.prefix).resolve()
    found: dict[str, type] = {}
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if not path.is_relative_to(root) or path.is_relative_to(environment):
            continue
        modules = [config.name] + [
            info.name
            for info in pkgutil.walk_packages([config.path], config.name + ".")
            if not {"migrations", "management", "tests"} & set(info.name.split("."))
        ]
        for name in modules:
            module = importlib.import_module(name)
            for obj in vars(module).values():
                if (
                    inspect.isclass(obj)
                    and (
                        (issubclass(obj, forms.BaseForm) and hasattr(obj, "base_fields"))
                        or issubclass(obj, django_filters.FilterSet)
                    )
                    and obj.__module__ == module.__name__
                ):
                    found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return list(found.values())


def fields_of(form: Any) -> dict[str, forms.Field]:
    if issubclass(form, django_filters.FilterSet):
        return {name: f.field for name, f in form.base_filters.items()}
    return dict(form.base_fields)


def unchecked_free_text() -> dict[tuple[str, str], type]:
    unchecked = {}
    for form in project_forms():
        checked = issubclass(form, SensitiveTextMixin)
        exempt = getattr(form, "sensitive_exempt", {})
        for name, field in fields_of(form).items():
            if is_free_text(field) and (not checked or name in exempt):
                unchecked[(f"{form.__module__}.{form.__qualname__}", name)] = form
    return unchecked


def test_the_walk_finds_the_forms_people_type_notes_into():
    names = {f"{f.__module__}.{f.__qualname__}" for f in project_forms()}
    assert {
        "caseloads.forms.EncounterForm",
        "caseloads.forms.AlertNoteForm",
        "supervision.forms.SessionForm",
        "fidelity.forms.NoteForm",
        "actionplans.forms.PartnerForm",
        "caseloads.filters.CaseloadFilter",
    } <= names
    assert len(names) > 30


def test_every_free_text_field_of_every_form_is_checked_or_exempt_with_a_reason():
    unchecked = set(unchecked_free_text())
    missing = sorted(unchecked - set(EXEMPT))
    stale = sorted(set(EXEMPT) - unchecked)
    assert not missing, f"free-text fields without the sensitive-text check: {missing}"
    assert not stale, f"exemptions for fields that are checked or gone: {stale}"


def test_every_exemption_in_a_form_gives_its_reason():
    for form in project_forms():
        for name, reason in getattr(form, "sensitive_exempt", {}).items():
            assert name in form.base_fields and reason.strip(), (form, name)


@pytest.mark.parametrize(
    "field, free",
    [
        (forms.CharField(widget=forms.Textarea), True),
        (forms.CharField(max_length=200), True),
        (forms.EmailField(), False),
        (forms.URLField(assume_scheme="https"), False),
        (forms.CharField(widget=forms.HiddenInput), False),
        (forms.CharField(widget=forms.PasswordInput), False),
        (forms.ChoiceField(choices=[("a", "A")]), False),
        (forms.DateField(), False),
    ],
)
def test_free_text_is_a_typed_character_field(field, free):
    assert is_free_text(field) is free


def test_a_field_added_when_the_form_is_built_is_checked_too():
    class Form(SensitiveTextMixin, forms.Form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["follow_up_0"] = forms.CharField(required=False)

    form = Form({"follow_up_0": "Ask about her  immigration status"})
    assert not form.is_valid()
    assert "immigration status" in form.errors["follow_up_0"][0]
    kept = Form({"follow_up_0": "Ask about her  immigration status", "keep_sensitive_text": "on"})
    assert kept.is_valid()
    assert kept.cleaned_data == {"follow_up_0": "Ask about her  immigration status"}

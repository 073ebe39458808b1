"""fidelity 0004: the clinical_integration component's description says it is measured
by minutes (DESIGN.md §5.3), on databases seeded with the old wording; a description an
administrator rewrote, and a program's own component, are left as they are."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from fidelity.models import ModelComponent
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("fidelity.migrations.0004_clinical_integration_by_minutes")


def model_component() -> ModelComponent:
    return ModelComponent.objects.get(code="clinical_integration", program=None)


def test_a_database_migrated_from_the_start_reads_minutes():
    assert model_component().description == MIGRATION.BY_MINUTES
    assert "time CHWs spend with patients in person" in MIGRATION.BY_MINUTES


def test_the_old_wording_is_replaced_and_restored_backwards():
    ModelComponent.objects.filter(pk=model_component().pk).update(description=MIGRATION.BY_CONTACTS)
    MIGRATION.by_minutes(apps, None)
    assert model_component().description == MIGRATION.BY_MINUTES
    MIGRATION.by_contacts(apps, None)
    assert model_component().description == MIGRATION.BY_CONTACTS


def test_a_rewritten_description_and_a_programs_own_component_are_kept():
    mine = "Our CHWs split time between the ED and home visits."
    ModelComponent.objects.filter(pk=model_component().pk).update(description=mine)
    own = ModelComponent.objects.create(
        code="clinical_integration",
        name="Local balance",
        description=MIGRATION.BY_CONTACTS,
        measure="auto",
        cfir_domain="inner_setting",
        program=ProgramFactory(),
    )
    MIGRATION.by_minutes(apps, None)
    assert model_component().description == mine
    own.refresh_from_db()
    assert own.description == MIGRATION.BY_CONTACTS

"""What later apps add to caseloads (caseloads.extensions): registered once, checked and
saved with the visit, and a name nobody registered refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from caseloads import extensions, services
from caseloads.forms import EncounterForm
from caseloads.models import Encounter
from impact.lib.forms import model_choice_field
from tests.factories import EnrollmentFactory, GoalFactory

pytestmark = pytest.mark.django_db


def test_the_action_plan_registers_its_columns_and_visit_field_once():
    [columns] = extensions.caseload_columns()
    assert columns.head == "actionplans/_caseload_head.html"
    [field] = extensions.encounter_fields()
    assert field.name == "goals"
    extensions.register_encounter_field(field)
    extensions.register_caseload_columns(columns)
    assert extensions.caseload_columns() == [columns]
    assert extensions.encounter_fields() == [field]


def test_the_visit_form_offers_the_enrollments_active_goals(org):
    enrollment = EnrollmentFactory(chw=org.a1)
    active = GoalFactory(enrollment=enrollment)
    GoalFactory(enrollment=enrollment, status="achieved", closed_on=enrollment.enrolled_on)
    GoalFactory(enrollment=EnrollmentFactory(chw=org.a1))
    form = EncounterForm(enrollment=enrollment)
    goals = model_choice_field(form, "goals").queryset
    assert goals is not None and list(goals) == [active]
    assert form.extension_templates == ["actionplans/_encounter_goals.html"]


def test_a_visit_saves_the_goals_worked_on_with_it(org):
    enrollment = EnrollmentFactory(chw=org.a1)
    goals = GoalFactory.create_batch(2, enrollment=enrollment)
    encounter = services.encounter_log(
        enrollment=enrollment,
        author=org.a1,
        data=services.EncounterInput(occurred_at=timezone.now(), kind="phone", reached=True),
        goals=goals,
    )
    assert set(encounter.goals.all()) == set(goals)
    assert list(goals[0].encounters.all()) == [encounter]


def test_another_enrollments_goal_is_refused_next_to_the_field(org):
    enrollment = EnrollmentFactory(chw=org.a1)
    stranger = GoalFactory(enrollment=EnrollmentFactory(chw=org.a1))
    with pytest.raises(ValidationError) as excinfo:
        services.encounter_log(
            enrollment=enrollment,
            author=org.a1,
            data=services.EncounterInput(occurred_at=timezone.now(), kind="phone", reached=True),
            goals=[stranger],
        )
    assert excinfo.value.message_dict == {"goals": ["Choose goals of this patient's enrollment."]}
    assert not Encounter.objects.exists()


def test_a_value_no_app_registered_is_a_programming_error(org):
    enrollment = EnrollmentFactory(chw=org.a1)
    with pytest.raises(TypeError, match="minutes"):
        services.encounter_log(
            enrollment=enrollment,
            author=org.a1,
            data=services.EncounterInput(occurred_at=timezone.now(), kind="phone", reached=True),
            minutes=20,
        )
    assert not Encounter.objects.exists()

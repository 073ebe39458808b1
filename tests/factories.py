"""factory-boy factories for the domain rows; tests pass what they assert on explicitly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

import factory
import factory.django
from django.utils import timezone

from actionplans.models import ActionStep, Goal, Intake, Partner
from caseloads.models import Encounter, Enrollment, Patient
from impact.models import Program, Role, Team, User
from reports.models import CostLine, FundingSource, UtilizationRecord

PASSWORD = "a-long-test-password-2026"

_M = TypeVar("_M")

if TYPE_CHECKING:

    class ModelFactory(factory.django.DjangoModelFactory[_M]):
        # factory-boy's metaclass makes `SomeFactory(...)` return the created row; its
        # annotations cannot say so, so the checker is told here.
        def __new__(cls, *args: Any, **kwargs: Any) -> _M: ...  # type: ignore[misc]

else:
    ModelFactory = factory.django.DjangoModelFactory


class ProgramFactory(ModelFactory[Program]):
    class Meta:
        model = Program

    name = factory.Sequence(lambda n: f"Program {n}")
    time_zone = "America/New_York"


class TeamFactory(ModelFactory[Team]):
    class Meta:
        model = Team

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(ModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = factory.Sequence(lambda n: f"Last{n}")
    role = Role.CHW
    password = factory.django.Password(PASSWORD)


class PatientFactory(ModelFactory[Patient]):
    class Meta:
        model = Patient

    program = factory.SubFactory(ProgramFactory)
    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    date_of_birth = dt.date(1970, 5, 17)
    preferred_language = "es"


class EnrollmentFactory(ModelFactory[Enrollment]):
    """An active enrollment that started `days_ago` days before the program's today."""

    class Meta:
        model = Enrollment

    class Params:
        days_ago = 30

    patient = factory.LazyAttribute(lambda o: PatientFactory(program=o.chw.program))
    program = factory.LazyAttribute(lambda o: o.chw.program)
    status = Enrollment.Status.ENROLLED
    referred_on = factory.LazyAttribute(
        lambda o: o.chw.program.today() - dt.timedelta(days=o.days_ago)
    )
    enrolled_on = factory.LazyAttribute(lambda o: o.referred_on)
    planned_end_on = factory.LazyAttribute(
        lambda o: (
            o.enrolled_on + dt.timedelta(days=o.program.intervention_days)
            if o.enrolled_on
            else None
        )
    )


class EncounterFactory(ModelFactory[Encounter]):
    """A reached home visit, now by default: the pinned clock's now when the test pins it.

    `after_hours` follows from the hour, so a test whose result depends on it pins the
    clock (the `frozen` fixture: a Wednesday at 10:00 program time) or passes
    `occurred_at`; `make test-night` runs every test at 03:00 on a Saturday.
    """

    class Meta:
        model = Encounter

    enrollment = factory.SubFactory(EnrollmentFactory)
    author = factory.LazyAttribute(lambda o: o.enrollment.chw)
    occurred_at = factory.LazyFunction(timezone.now)
    kind = Encounter.Kind.HOME_VISIT
    setting = Encounter.Setting.COMMUNITY
    reached = True


class PartnerFactory(ModelFactory[Partner]):
    class Meta:
        model = Partner

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Partner {n}")
    kind = Partner.Kind.FOOD
    phone = "+12155550123"
    languages = factory.LazyFunction(lambda: ["en", "es"])


class IntakeFactory(ModelFactory[Intake]):
    class Meta:
        model = Intake

    enrollment = factory.SubFactory(EnrollmentFactory)
    priorities = "Keeping my apartment"
    need_housing = True
    recorded_on = factory.LazyAttribute(lambda o: o.enrollment.enrolled_on)
    recorded_by = factory.LazyAttribute(lambda o: o.enrollment.chw)


class GoalFactory(ModelFactory[Goal]):
    class Meta:
        model = Goal

    enrollment = factory.SubFactory(EnrollmentFactory)
    statement = factory.Sequence(lambda n: f"I want to walk to church again ({n})")
    category = Goal.Category.CHRONIC_DISEASE
    set_on = factory.LazyAttribute(lambda o: o.enrollment.enrolled_on)
    created_by = factory.LazyAttribute(lambda o: o.enrollment.chw)


class StepFactory(ModelFactory[ActionStep]):
    class Meta:
        model = ActionStep

    goal = factory.SubFactory(GoalFactory)
    description = factory.Sequence(lambda n: f"Step {n}")
    owner = ActionStep.Owner.PATIENT
    support_type = ActionStep.SupportType.COACHING
    due_on = factory.LazyAttribute(lambda o: o.goal.set_on + dt.timedelta(days=7))
    created_by = factory.LazyAttribute(lambda o: o.goal.created_by)


class CostLineFactory(ModelFactory[CostLine]):
    class Meta:
        model = CostLine

    program = factory.SubFactory(ProgramFactory)
    category = CostLine.Category.CHW_SALARY
    amount = Decimal("36500")
    period_start = dt.date(2026, 1, 1)
    period_end = dt.date(2026, 12, 31)


class FundingSourceFactory(ModelFactory[FundingSource]):
    class Meta:
        model = FundingSource

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Grant {n}")
    kind = FundingSource.Kind.GRANT
    amount = Decimal("250000")
    starts_on = dt.date(2026, 1, 1)
    ends_on = dt.date(2027, 12, 31)


class UtilizationFactory(ModelFactory[UtilizationRecord]):
    """A hospital admission (pass kind="ed" for an ED visit); discharged the same day
    unless told."""

    class Meta:
        model = UtilizationRecord

    kind = UtilizationRecord.Kind.INPATIENT
    admitted_on = dt.date(2026, 3, 2)
    discharged_on = factory.LazyAttribute(lambda o: o.admitted_on)

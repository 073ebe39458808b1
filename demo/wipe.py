"""Delete everything `seed_demo --force` replaces: the rows of every app, children first."""

from __future__ import annotations

from collections import defaultdict

from django.core.management.base import CommandError
from django.db.models import Model, ProtectedError, RestrictedError

from actionplans.models import ActionStep, Goal, Intake, Partner
from caseloads.models import Alert, Encounter, Enrollment, EnrollmentReassignment, Patient, SweepRun
from fidelity.models import ComponentRating, FidelityReview, ImplementationNote
from impact import audit
from impact.models import Program, Team, TrainingRecord, User
from reports.models import (
    ApiToken,
    CostLine,
    ExportJob,
    FundingSource,
    UtilizationImport,
    UtilizationRecord,
)
from supervision.models import (
    BurnoutSnapshot,
    FollowUp,
    SupervisionSession,
    TimeOff,
    WellbeingCheckIn,
)


def wipe() -> None:
    """Delete the demo's rows, children first (foreign keys here are PROTECT).

    The deletions keep their history: every audited row is copied to its historical
    table as deleted first, in one query per table, then the rows are deleted without
    simple-history's row-by-row signal (the same history, a hundred times faster)."""
    for model in audit.history_models():
        audit.copy_to_history(model._base_manager.all(), history_type="-")
    with audit.signal_history_off():
        _delete_all()


def _delete_all() -> None:
    for model in (
        ExportJob,
        ApiToken,
        UtilizationRecord,
        UtilizationImport,
        CostLine,
        FundingSource,
        ComponentRating,
        FidelityReview,
        ImplementationNote,
        Alert,
        SweepRun,
        BurnoutSnapshot,
        FollowUp,
        SupervisionSession.enrollments_discussed.through,
        SupervisionSession.others_present.through,
        SupervisionSession,
        WellbeingCheckIn,
        TimeOff,
        TrainingRecord,
        ActionStep,  # PROTECTs its goal and its partner
        Encounter.goals.through,
        Goal,
        Intake,
        Encounter,
        EnrollmentReassignment,
        Enrollment,
        Patient,
        User,  # a team's manager and a member's team are SET_NULL
        Team,
        Partner,
        Program,
    ):
        _purge(model._base_manager.all())


def _purge(queryset, depth: int = 0) -> None:
    """Delete `queryset`, first deleting rows (of any app) whose PROTECT keys block it."""
    for _attempt in range(20):
        try:
            queryset.delete()
            return
        except (ProtectedError, RestrictedError) as error:
            if depth >= 8:
                raise CommandError(f"Could not delete the existing data: {error}") from error
            blockers = (
                error.protected_objects
                if isinstance(error, ProtectedError)
                else error.restricted_objects
            )
            by_model: dict[type[Model], set] = defaultdict(set)
            for row in blockers:
                by_model[type(row)].add(row.pk)
            for model, pks in by_model.items():
                _purge(model._base_manager.filter(pk__in=pks), depth + 1)
    raise CommandError("Could not delete the existing data: too many dependent rows.")

"""Moving the goals-worked-on many-to-many from Encounter to Goal (issue 18, item 1:
caseloads 0009, actionplans 0006) keeps its table and rows: on a seeded database,
migrating back to before the move and forward again leaves every row of
caseloads_encounter_goals as it was, readable from both sides. Runs on SQLite here; on
PostgreSQL too when the suite runs there (DATABASE_URL)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from actionplans.models import Goal
from caseloads.models import Encounter
from tests.factories import EncounterFactory, EnrollmentFactory, GoalFactory

# Migrating the schema cannot run inside the test's transaction on SQLite.
pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("caseloads", "0008_enrollment_date_index"), ("actionplans", "0005_goal_closed_index")]
TABLE = "caseloads_encounter_goals"


def seed(chw) -> dict[int, set[int]]:
    """Two enrollments, their goals and visits; each visit worked on some goals."""
    worked = {}
    for n_goals in (2, 3):
        enrollment = EnrollmentFactory(chw=chw)
        goals = GoalFactory.create_batch(n_goals, enrollment=enrollment)
        for upto in range(1, n_goals + 1):
            encounter = EncounterFactory(enrollment=enrollment)
            encounter.goals.set(goals[:upto])
            worked[encounter.pk] = {goal.pk for goal in goals[:upto]}
    EncounterFactory(enrollment=enrollment)  # a visit that worked on no goal
    return worked


def rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, encounter_id, goal_id FROM {TABLE} ORDER BY id")
        return cursor.fetchall()


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)  # a fresh loader: what is applied now


def test_migrating_back_and_forth_keeps_every_link_readable_from_both_sides(org):
    worked = seed(org.a1)
    before_rows = rows()
    assert len(before_rows) == 1 + 2 + 1 + 2 + 3

    try:
        before = migrate(BEFORE)
        # Before the move: the same table and rows, declared on Encounter.
        old = before.loader.project_state(BEFORE).apps
        OldEncounter = old.get_model("caseloads", "Encounter")
        assert OldEncounter._meta.get_field("goals").remote_field.through._meta.db_table == TABLE
        assert rows() == before_rows
        assert {
            e.pk: {g.pk for g in e.goals.all()}
            for e in OldEncounter.objects.prefetch_related("goals")
            if e.pk in worked
        } == worked
    finally:
        after = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert not after.migration_plan(after.loader.graph.leaf_nodes())
    assert rows() == before_rows
    assert {
        e.pk: {g.pk for g in e.goals.all()}
        for e in Encounter.objects.filter(pk__in=worked).prefetch_related("goals")
    } == worked
    by_goal: dict[int, set[int]] = {}
    for encounter, goals in worked.items():
        for goal in goals:
            by_goal.setdefault(goal, set()).add(encounter)
    assert {
        g.pk: {e.pk for e in g.encounters.all()}
        for g in Goal.objects.prefetch_related("encounters")
    } == by_goal

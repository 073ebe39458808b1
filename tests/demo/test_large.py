"""The large demo program (`seed_demo --scale large`), built here at a small size: the same
code writes 2,000,000 encounters in the benchmark. Its rows must be what the product
itself would write: every encounter in its enrollment's program and days, every row with
its history, and the pages and jobs working on it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import F, Max, Min

from actionplans.models import ActionStep, Goal, Intake
from caseloads.models import Encounter, Enrollment, Patient
from demo.large import PROGRAM_NAME, Size, seed_large
from impact import audit
from impact.lib.bulk import insert_rows
from impact.models import Program, User
from tests.factories import EncounterFactory, EnrollmentFactory

SMALL = Size(teams=2, chws_per_team=3, active=30, closed=45, encounters=1_500)

# The demo is built relative to now and checked against today: hold the clock still so a
# test cannot straddle midnight (at whatever hour the suite runs: README, "Tests at any
# hour").
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("still")]


@pytest.fixture
def seeded() -> dict:
    return seed_large(size=SMALL)


def test_it_writes_the_sizes_it_is_given(seeded):
    program = Program.objects.get(name=PROGRAM_NAME)
    enrollments = Enrollment.objects.filter(program=program)
    assert User.objects.filter(program=program, role="chw").count() == 6
    assert User.objects.filter(program=program, role="manager").count() == 2
    assert User.objects.filter(program=program, role="leader").count() == 1
    assert enrollments.filter(status="enrolled").count() == 30
    assert enrollments.exclude(status="enrolled").count() == 45
    assert Patient.objects.filter(program=program).count() == 75
    assert Encounter.objects.filter(program=program).count() == 1_500 == seeded["encounters"]
    assert Intake.objects.filter(enrollment__program=program).count() == 75
    goals = Goal.objects.filter(enrollment__program=program).count()
    assert 75 <= goals <= 150  # one or two each
    assert ActionStep.objects.filter(goal__enrollment__program=program).count() == 2 * goals


def test_every_encounter_is_in_its_enrollments_program_and_days(seeded):
    program = Program.objects.get(name=PROGRAM_NAME)
    encounters = Encounter.objects.filter(enrollment__program=program)
    assert not encounters.exclude(program=F("enrollment__program")).exists()
    assert not encounters.exclude(author=F("enrollment__chw")).exists()
    today = program.today()
    for enrollment in Enrollment.objects.filter(program=program).annotate(
        first=Min("encounters__occurred_at"), last=Max("encounters__occurred_at")
    ):
        if enrollment.first is None:
            continue
        assert program.local_date(enrollment.first) >= enrollment.ran_dates()[0]
        assert program.local_date(enrollment.last) <= (enrollment.closed_on or today)
    # Chart reviews are never contacts (the database refuses them anyway).
    assert not encounters.filter(kind="chart_review", reached=True).exists()


def test_every_row_has_its_history(seeded):
    for model in audit.history_models():
        rows = model._base_manager.count()
        created = audit.history_of(model).filter(history_type="+").values("id").distinct().count()
        assert created >= rows, model.__name__


def test_the_real_sweep_snapshot_and_review_ran(seeded):
    program = Program.objects.get(name=PROGRAM_NAME)
    assert seeded["snapshots"] == 6  # one per CHW
    assert program.reviews.count() == 1
    past_end = Enrollment.objects.filter(
        program=program, status="enrolled", planned_end_on__lt=program.today()
    ).count()
    assert program.alerts.filter(kind="end_overdue").count() == past_end


def test_a_chw_signs_in_and_opens_a_caseload_of_the_large_program(seeded, client):
    chw = User.objects.get(username="metro-chw001")
    assert client.login(username="metro-chw001", password="demo-pass-2026")
    response = client.get("/caseload/")
    assert response.status_code == 200
    active = Enrollment.objects.filter(chw=chw, status="enrolled").count()
    assert active == 5  # 30 active enrollments over 6 CHWs, in turn
    assert response.content.count(b'href="/enrollments/') >= active


def test_insert_rows_fills_the_other_fields_with_their_defaults(org):
    enrollment = EnrollmentFactory(chw=org.a1)
    written = insert_rows(
        Encounter,
        ["enrollment_id", "program_id", "author_id", "occurred_at", "kind", "setting"],
        [(enrollment.pk, enrollment.program_id, org.a1.pk, "2026-11-10 15:00:00", "phone",
          "remote")],
    )  # fmt: skip
    assert written == 1
    encounter = Encounter.objects.get(enrollment=enrollment)
    assert encounter.reached is True  # the field's default
    assert encounter.initiated_by == "chw"
    assert encounter.notes == ""
    assert encounter.occurred_at == dt.datetime(2026, 11, 10, 15, tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="no field nonsense"):
        insert_rows(Encounter, ["nonsense"], [])


def test_an_encounter_takes_its_enrollments_program_however_it_is_written(org):
    enrollment = EnrollmentFactory(chw=org.a1)
    saved = EncounterFactory(enrollment=enrollment)
    [bulk] = Encounter.objects.bulk_create(
        [Encounter(enrollment=enrollment, author=org.a1, occurred_at=saved.occurred_at,
                   kind="phone", setting="remote")]
    )  # fmt: skip
    assert saved.program_id == bulk.program_id == enrollment.program_id
    assert Encounter.objects.filter(program=org.program).count() == 2

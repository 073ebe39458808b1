"""Demo money and hospital use for `seed_demo`: monthly costs since the program began, two
funding sources (one ending within 90 days), and admissions and ED visits for the cohort.

The cohort is a high-utilizer population (IMPaCT enrolled patients with recent
hospitalizations): about 1.15 admissions in the six months before enrolling and 0.6 in the
six months after, so the demo's gross ROI lands between about $0.9 and $1.4 per $1 (the
default period holds few enrollments, so the day of seeding moves it), below the trial's
$2.47 and not copied from it.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from caseloads.models import Enrollment
from impact import audit
from impact.models import Program
from reports.models import CostLine, FundingSource, UtilizationRecord

# Yearly amounts: 8 CHWs at $48,000, 2 managers at $72,000, fringe at 28% of salaries.
YEARLY_COSTS = {
    CostLine.Category.CHW_SALARY: Decimal("384000"),
    CostLine.Category.MANAGER_SALARY: Decimal("144000"),
    CostLine.Category.FRINGE: Decimal("147840"),
    CostLine.Category.TRAINING: Decimal("12000"),
    CostLine.Category.CERTIFICATION: Decimal("3200"),
    CostLine.Category.SOFTWARE: Decimal("9600"),
    CostLine.Category.OVERHEAD: Decimal("40000"),
}
# How many stays a patient has in a six-month window: (count, weight).
PRE_ADMISSIONS = [(0, 20), (1, 50), (2, 25), (3, 5)]  # mean 1.15
POST_ADMISSIONS = [(0, 50), (1, 40), (2, 10)]  # mean 0.60
PRE_ED = [(0, 20), (1, 35), (2, 30), (3, 15)]  # mean 1.40
POST_ED = [(0, 35), (1, 40), (2, 20), (3, 5)]  # mean 0.95


def seed_money(program: Program, rng: random.Random) -> dict:
    today = program.today()
    # Monthly lines from the month the program began (its first enrollment) to this one.
    first = (
        Enrollment.objects.filter(program=program, enrolled_on__isnull=False)
        .order_by("enrolled_on")
        .values_list("enrolled_on", flat=True)
        .first()
        or today
    )
    lines = []
    month = first.replace(day=1)
    while month <= today:
        following = (month + dt.timedelta(days=32)).replace(day=1)
        for category, yearly in YEARLY_COSTS.items():
            lines.append(
                CostLine(
                    program=program,
                    category=category,
                    amount=(yearly / 12).quantize(Decimal("1")),
                    period_start=month,
                    period_end=following - dt.timedelta(days=1),
                    note="Demo budget line",
                )
            )
        month = following
    audit.bulk_create(CostLine, lines)
    audit.bulk_create(
        FundingSource,
        [
            FundingSource(
                program=program,
                name="City health equity grant",
                kind=FundingSource.Kind.GRANT,
                amount=Decimal("350000"),
                starts_on=today - dt.timedelta(days=320),
                ends_on=today + dt.timedelta(days=45),
            ),
            FundingSource(
                program=program,
                name="Health system operating budget",
                kind=FundingSource.Kind.OPERATING,
                amount=Decimal("420000"),
                starts_on=dt.date(today.year, 1, 1),
                ends_on=dt.date(today.year + 1, 12, 31),
            ),
        ],
    )
    records = _utilization(program, rng, today)
    audit.bulk_create(UtilizationRecord, records)
    return {"cost_lines": len(lines), "funding_sources": 2, "utilization": len(records)}


def _utilization(program: Program, rng: random.Random, today: dt.date) -> list:
    window = program.roi_window_days
    seen: set[tuple] = set()
    records = []
    enrollments = Enrollment.objects.filter(
        program=program, status__in=Enrollment.RAN_STATUSES
    ).values_list("patient_id", "enrolled_on")
    for patient_id, enrolled_on in enrollments:
        assert enrolled_on is not None  # an enrollment that ran has its date
        windows = [
            (enrolled_on - dt.timedelta(days=window), enrolled_on, PRE_ADMISSIONS, PRE_ED),
            (enrolled_on, enrolled_on + dt.timedelta(days=window), POST_ADMISSIONS, POST_ED),
        ]
        for first, last, admissions, ed_visits in windows:
            for kind, weights, longest in (
                (UtilizationRecord.Kind.INPATIENT, admissions, 7),
                (UtilizationRecord.Kind.ED, ed_visits, 0),
            ):
                count = rng.choices([n for n, _ in weights], [w for _, w in weights])[0]
                for _ in range(count):
                    admitted = first + dt.timedelta(days=rng.randrange((last - first).days))
                    discharged = admitted + dt.timedelta(days=rng.randint(0, longest))
                    # An admission is its patient and day (utilization_admission_once).
                    key = (patient_id, kind, admitted) + (
                        () if kind == UtilizationRecord.Kind.INPATIENT else (discharged,)
                    )
                    # Only what has happened by yesterday is in an EHR export.
                    if discharged >= today or key in seen:
                        continue
                    seen.add(key)
                    records.append(
                        UtilizationRecord(
                            patient_id=patient_id,
                            kind=kind,
                            admitted_on=admitted,
                            discharged_on=discharged,
                        )
                    )
    return records

"""The demo's caseloads (`seed_demo`): about two hundred patients speaking a dozen
languages, nine months of enrollments and encounters. Two CHWs are over the caseload cap,
some enrollments have run past their planned end, some have had no contact lately, and
patients keep calling after hours and after their enrollment ended, so every screen and
figure has something to show. The derived encounter flags are computed with
``caseloads.services.encounter_flags``, as every other write does."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.management.base import CommandError
from django.utils import timezone

from caseloads.models import Alert, Encounter, Enrollment, Patient, RaceEthnicity
from caseloads.services import encounter_flags
from demo.caseloads_text import (
    AFTER_END_NOTES,
    CRISIS_NOTE,
    DECLINE_REASONS,
    ENROLLMENT_NOTE,
    HANDOFFS,
    INELIGIBLE_REASONS,
    NAMES,
    NICKNAMES,
    NOTES,
    RACE_BY_LANGUAGE,
    WITHDRAW_REASONS,
    ZIP_CODES,
)
from demo.core import HISTORY_DAYS, Seeding
from impact import audit
from impact.models import Role, User

Kind = Encounter.Kind
Status = Enrollment.Status
InitiatedBy = Encounter.InitiatedBy

# Active (enrolled) caseload per CHW: chw1 and chw5 are over the cap of 30.
ACTIVE_CASELOAD = {
    "chw1": 33,
    "chw2": 18,
    "chw3": 20,
    "chw4": 15,
    "chw5": 35,
    "chw6": 22,
    "chw7": 16,
    "chw8": 19,
}
# Patients whose one enrollment ended or never started, besides the active ones.
OTHER_OUTCOMES = {
    Status.GRADUATED: 16,
    Status.WITHDRAWN: 7,
    Status.REFERRED: 6,
    Status.DECLINED: 3,
    Status.INELIGIBLE: 2,
}
ACTIVE_PAST_END = 12  # active enrollments enrolled more than intervention_days ago
# The CHWs whose patients run past their end date and keep calling after it this month:
# the boundary strain behind their burnout-risk stories (demo/supervision.py).
BOUNDARY_CHWS = ("chw1", "chw5", "chw6")
ACTIVE_LAPSED_SHARE = 0.1  # active enrollments with no reached contact lately
PRIOR_DECLINED = 6  # active patients who had declined an earlier referral

# Preferred language (ISO 639-1, or 639-3 where there is no 639-1 code) and its weight.
LANGUAGE_WEIGHTS = {
    "en": 40,
    "es": 25,
    "ht": 6,
    "zh": 5,
    "vi": 5,
    "ar": 4,
    "so": 3,
    "ne": 3,
    "pt": 3,
    "fr": 2,
    "ru": 2,
    "mam": 2,
    "quc": 1,
}

# Contact kinds and how often each comes up during an enrollment.
KIND_WEIGHTS = {
    Kind.PHONE: 30,
    Kind.TEXT: 14,
    Kind.HOME_VISIT: 12,
    Kind.COMMUNITY_VISIT: 8,
    Kind.CLINIC_VISIT: 7,
    Kind.ACCOMPANIMENT: 5,
    Kind.HOSPITAL_VISIT: 2,
    Kind.VIDEO: 3,
    Kind.CHART_REVIEW: 8,
    Kind.OUTREACH_ATTEMPT: 4,
    Kind.SAFETY_NOTE: 1,
}
REACHED_CHANCE: dict[str, float] = {
    Kind.PHONE: 0.75,
    Kind.TEXT: 0.85,
    Kind.VIDEO: 0.9,
    Kind.HOME_VISIT: 0.92,
    Kind.COMMUNITY_VISIT: 0.9,
    Kind.CLINIC_VISIT: 0.95,
    Kind.ACCOMPANIMENT: 0.97,
    Kind.HOSPITAL_VISIT: 0.95,
    Kind.OUTREACH_ATTEMPT: 0.2,
}
PATIENT_INITIATED_CHANCE: dict[str, float] = {Kind.PHONE: 0.3, Kind.TEXT: 0.35, Kind.VIDEO: 0.1}
DURATION_MINUTES: dict[str, tuple[int, int]] = {
    Kind.PHONE: (5, 30),
    Kind.TEXT: (1, 5),
    Kind.VIDEO: (15, 45),
    Kind.HOME_VISIT: (45, 120),
    Kind.COMMUNITY_VISIT: (30, 90),
    Kind.CLINIC_VISIT: (30, 90),
    Kind.ACCOMPANIMENT: (90, 240),
    Kind.HOSPITAL_VISIT: (30, 60),
    Kind.OUTREACH_ATTEMPT: (2, 10),
    Kind.CHART_REVIEW: (10, 30),
    Kind.SAFETY_NOTE: (10, 20),
}


@dataclass
class Plan:
    """What one patient's enrollments will look like, decided before any row is written."""

    language: str
    chw: str
    status: str
    past_end: bool = False
    lapsed: bool = False
    prior_declined: bool = False
    patient: Patient | None = None
    enrollments: list[Enrollment] = field(default_factory=list)


def draw_plans(seeding: Seeding) -> list[Plan]:
    """Decide every patient's language, CHW and outcome before writing anything."""
    rng = seeding.rng
    plans = []
    for username, count in ACTIVE_CASELOAD.items():
        plans += [Plan(language="", chw=username, status=Status.ENROLLED) for _ in range(count)]
    chws = list(ACTIVE_CASELOAD)
    for status, count in OTHER_OUTCOMES.items():
        plans += [Plan(language="", chw=rng.choice(chws), status=status) for _ in range(count)]
    rng.shuffle(plans)
    languages, weights = zip(*LANGUAGE_WEIGHTS.items(), strict=True)
    # Every language appears at least once; the rest follow the weights.
    for plan, language in zip(plans, languages, strict=False):
        plan.language = language
    for plan in plans[len(languages) :]:
        plan.language = rng.choices(languages, weights)[0]
    active = [plan for plan in plans if plan.status == Status.ENROLLED]
    boundary = [plan for plan in active if plan.chw in BOUNDARY_CHWS]
    for plan in rng.sample(boundary, ACTIVE_PAST_END):
        plan.past_end = True
    others = [plan for plan in active if not plan.past_end]
    for plan in rng.sample(others, PRIOR_DECLINED):
        plan.prior_declined = True
    for plan in active:
        plan.lapsed = rng.random() < ACTIVE_LAPSED_SHARE
    return plans


def seed_patients(seeding: Seeding, plans: list[Plan], users: dict[str, User]) -> None:
    rng = seeding.rng
    mrns = rng.sample(range(1_000_000, 10_000_000), len(plans))
    born_from = dt.date(1940, 1, 1)
    born_span = (dt.date(2005, 12, 31) - born_from).days
    rows = []
    for plan, mrn in zip(plans, mrns, strict=True):
        given_names, family_names = NAMES[plan.language]
        given = rng.choice(given_names)
        roll = rng.random()
        if roll < 0.1:
            race = [RaceEthnicity.DECLINED.value]
        elif roll < 0.2:
            race = []
        else:
            race = list(rng.choice(RACE_BY_LANGUAGE[plan.language]))
        rows.append(
            Patient(
                program=seeding.program,
                given_name=given,
                family_name=rng.choice(family_names),
                preferred_name=NICKNAMES.get(given, "") if rng.random() < 0.5 else "",
                date_of_birth=born_from + dt.timedelta(days=rng.randint(0, born_span)),
                mrn=f"MRN{mrn}",
                phone=seeding.phones.pop() if rng.random() < 0.95 else "",
                preferred_language=plan.language,
                interpreter_needed=plan.language != "en" and rng.random() < 0.85,
                zip_code=rng.choice(ZIP_CODES),
                race_ethnicity=race,
                created_by=users[plan.chw],
            )
        )
    for plan, patient in zip(plans, audit.bulk_create(Patient, rows), strict=True):
        plan.patient = patient


def seed_enrollments(
    seeding: Seeding, plans: list[Plan], users: dict[str, User]
) -> list[Enrollment]:
    rng = seeding.rng
    today = seeding.today
    days = seeding.program.intervention_days
    rows = []
    for plan in plans:
        chw = users[plan.chw]
        teammates = [
            user
            for user in users.values()
            if user.role == Role.CHW and user.team_id == chw.team_id and user != chw
        ]
        enrollment = Enrollment(
            patient=plan.patient,
            program=seeding.program,
            chw=chw,
            status=plan.status,
            created_by=chw,
        )
        if plan.status == Status.ENROLLED:
            ago = rng.randint(days + 1, HISTORY_DAYS - 5) if plan.past_end else None
            if ago is None:
                ago = rng.randint(1, days - 1)
                if plan.prior_declined:
                    ago = rng.randint(1, 150)
            _start(seeding, enrollment, today - dt.timedelta(days=ago))
            if rng.random() < 0.3:
                enrollment.backup_chw = rng.choice(teammates)
            enrollment.next_touchpoint_on = today + dt.timedelta(days=rng.randint(-10, 14))
        elif plan.status == Status.GRADUATED:
            started = _start(
                seeding, enrollment, today - dt.timedelta(days=rng.randint(days + 5, HISTORY_DAYS))
            )
            enrollment.closed_on = started + dt.timedelta(days=rng.randint(days - 15, days + 2))
            handoff = rng.choice(HANDOFFS)
            enrollment.handoff_to = handoff
            enrollment.handoff_accepted = rng.random() < 0.8
            enrollment.summary = (
                "Worked on the goals the patient set; the last visits reviewed what "
                f"changed and planned the handoff to {handoff}."
            )
        elif plan.status == Status.WITHDRAWN:
            ago = rng.randint(40, 250)
            started = _start(seeding, enrollment, today - dt.timedelta(days=ago))
            enrollment.closed_on = started + dt.timedelta(days=rng.randint(14, min(150, ago - 1)))
            enrollment.close_reason = rng.choice(WITHDRAW_REASONS)
        elif plan.status == Status.REFERRED:
            enrollment.referred_on = today - dt.timedelta(days=rng.randint(0, 18))
        else:
            enrollment.referred_on = today - dt.timedelta(days=rng.randint(5, HISTORY_DAYS))
            enrollment.closed_on = enrollment.referred_on
            reasons = DECLINE_REASONS if plan.status == Status.DECLINED else INELIGIBLE_REASONS
            enrollment.close_reason = rng.choice(reasons)
        plan.enrollments.append(enrollment)
        if plan.prior_declined:
            earlier = enrollment.referred_on - dt.timedelta(days=rng.randint(30, 90))
            plan.enrollments.insert(
                0,
                Enrollment(
                    patient=plan.patient,
                    program=seeding.program,
                    chw=chw,
                    status=Status.DECLINED,
                    referred_on=earlier,
                    closed_on=earlier,
                    close_reason="Not ready at first contact; the clinic referred again later.",
                    created_by=chw,
                ),
            )
        rows += plan.enrollments
    created = audit.bulk_create(Enrollment, rows)
    if any(row.pk is None for row in created):  # pragma: no cover - old databases
        raise CommandError("This database does not return ids from bulk inserts.")
    return created


def _start(seeding: Seeding, enrollment: Enrollment, enrolled_on: dt.date) -> dt.date:
    enrollment.enrolled_on = enrolled_on
    enrollment.referred_on = enrolled_on - dt.timedelta(days=seeding.rng.randint(0, 12))
    enrollment.planned_end_on = enrolled_on + dt.timedelta(days=seeding.program.intervention_days)
    return enrolled_on


def seed_encounters(seeding: Seeding, plans: list[Plan]) -> list[Encounter]:
    rows: list[Encounter] = []
    for plan in plans:
        for enrollment in plan.enrollments:
            rows += _for_enrollment(seeding, enrollment, plan)
    return audit.bulk_create(Encounter, rows)


def _for_enrollment(seeding: Seeding, enrollment: Enrollment, plan: Plan) -> list[Encounter]:
    rng = seeding.rng
    today = seeding.today
    out: list[Encounter] = []
    if enrollment.status in (Status.DECLINED, Status.INELIGIBLE):
        return out  # nothing can be logged on a referral closed without enrolling

    if enrollment.status == Status.REFERRED:
        span = (today - enrollment.referred_on).days
        for offset in sorted(rng.sample(range(span + 1), min(span + 1, rng.randint(1, 4)))):
            kind = rng.choices([Kind.OUTREACH_ATTEMPT, Kind.TEXT, Kind.PHONE], [6, 2, 2])[0]
            reached = rng.random() < 0.25
            when = enrollment.referred_on + dt.timedelta(days=offset)
            _add(seeding, out, enrollment, when, kind, reached=reached, stop=today)
        return out

    start, _planned_end_on = enrollment.ran_dates()
    stop = enrollment.closed_on or today
    contact_stop = stop
    if plan.lapsed and (today - start).days > 30:
        contact_stop = today - dt.timedelta(days=rng.randint(16, 45))
    # The first visit, on the day the patient enrolled.
    _add(
        seeding,
        out,
        enrollment,
        start,
        rng.choice([Kind.HOME_VISIT, Kind.COMMUNITY_VISIT]),
        reached=True,
        stop=stop,
        note=ENROLLMENT_NOTE,
        weekend_ok=True,
    )
    day = start + dt.timedelta(days=rng.randint(2, 6))
    while day <= contact_stop:
        kind = rng.choices(list(KIND_WEIGHTS), list(KIND_WEIGHTS.values()))[0]
        _add(seeding, out, enrollment, day, kind, stop=contact_stop)
        day += dt.timedelta(days=rng.randint(3, 9))
    if contact_stop < stop:
        # Lapsed: only unanswered tries since the last real contact.
        for _ in range(rng.randint(0, 3)):
            when = contact_stop + dt.timedelta(days=rng.randint(1, (stop - contact_stop).days))
            kind = rng.choice([Kind.PHONE, Kind.OUTREACH_ATTEMPT, Kind.TEXT])
            _add(seeding, out, enrollment, when, kind, reached=False, stop=stop)

    closed_on = enrollment.closed_on
    if enrollment.status == Status.GRADUATED:
        assert closed_on is not None  # set with the status above
        note = f"Graduation visit. Reviewed goals; handoff to {enrollment.handoff_to}."
        _add(
            seeding,
            out,
            enrollment,
            closed_on,
            Kind.HOME_VISIT,
            reached=True,
            stop=closed_on,
            weekend_ok=True,
            note=note,
        )
    elif enrollment.status == Status.WITHDRAWN:
        assert closed_on is not None  # set with the status above
        unreachable = "reached" in enrollment.close_reason
        _add(
            seeding,
            out,
            enrollment,
            closed_on,
            Kind.OUTREACH_ATTEMPT if unreachable else Kind.PHONE,
            reached=not unreachable,
            stop=closed_on,
            weekend_ok=True,
            note=f"Enrollment closed. {enrollment.close_reason}",
        )

    # Patients keep calling after their enrollment ended (in the last four weeks only
    # for the CHWs whose story is boundary strain).
    recent = 0 if enrollment.chw.username in BOUNDARY_CHWS else 29
    latest = (today - closed_on).days - recent if closed_on else 0
    if closed_on is not None and latest >= 1:
        chance = 0.6 if enrollment.status == Status.GRADUATED else 0.3
        if rng.random() < chance:
            for _ in range(rng.randint(1, 3)):
                gap = rng.randint(1, min(90, latest))
                when = closed_on + dt.timedelta(days=gap)
                kind = rng.choice([Kind.PHONE, Kind.PHONE, Kind.TEXT])
                note = rng.choice(AFTER_END_NOTES)
                _add(
                    seeding,
                    out,
                    enrollment,
                    when,
                    kind,
                    reached=True,
                    stop=today,
                    initiated_by=InitiatedBy.PATIENT,
                    note=note,
                )
    return out


def _add(
    seeding: Seeding,
    out: list[Encounter],
    enrollment: Enrollment,
    day: dt.date,
    kind: str,
    *,
    stop: dt.date,
    reached: bool | None = None,
    initiated_by: str | None = None,
    note: str | None = None,
    weekend_ok: bool = False,
) -> None:
    """Draw one encounter on (or just after) `day`; drop it if it would fall after
    `stop` or in the future. Every random draw happens before the checks, so the
    clock's time of day never changes what the rest of the data looks like."""
    rng = seeding.rng
    non_contact = kind in Encounter.NON_CONTACT_KINDS
    if reached is None:
        reached = rng.random() < REACHED_CHANCE.get(kind, 0.0)
    reached = reached and not non_contact
    if initiated_by is None:
        patient_chance = PATIENT_INITIATED_CHANCE.get(kind, 0.0)
        initiated_by = InitiatedBy.PATIENT if rng.random() < patient_chance else InitiatedBy.CHW
    patient_initiated = initiated_by == InitiatedBy.PATIENT
    # The boundary-strain CHWs answer more calls in the evening.
    strained = enrollment.chw.username in BOUNDARY_CHWS
    after_hours = rng.random() < (
        (0.35 if patient_initiated else 0.07) if strained else (0.25 if patient_initiated else 0.05)
    )
    weekend = day.isoweekday() > 5
    if after_hours and not weekend:
        # An evening call or text, or an early start before the day's first visit.
        minute = rng.choice([rng.randint(18 * 60, 21 * 60 + 30), rng.randint(7 * 60, 7 * 60 + 50)])
    elif after_hours or (weekend and weekend_ok):
        minute = rng.randint(9 * 60, 19 * 60)
    else:
        minute = rng.randint(8 * 60 + 30, 17 * 60 + 30)
        if weekend:
            day += dt.timedelta(days=8 - day.isoweekday())  # to Monday
    low, high = DURATION_MINUTES[kind]
    duration: int | None = rng.randint(low, high) if reached or non_contact else rng.randint(1, 5)
    if kind == Kind.TEXT and rng.random() < 0.4:
        duration = None
    crisis = reached and kind in (Kind.PHONE, Kind.HOME_VISIT) and rng.random() < 0.01
    if note is None:
        note = rng.choice(NOTES[(kind, reached)])
    if crisis:
        note = CRISIS_NOTE
    occurred_at = dt.datetime.combine(
        day, dt.time(minute // 60, minute % 60), tzinfo=seeding.program.tz
    )
    if day > stop or day < enrollment.started_on or occurred_at > seeding.now:
        return
    after_hours_flag, after_end_flag = encounter_flags(
        enrollment=enrollment, occurred_at=occurred_at
    )
    out.append(
        Encounter(
            enrollment=enrollment,
            author=enrollment.chw,
            occurred_at=occurred_at,
            kind=kind,
            setting=Encounter.DEFAULT_SETTING[kind],
            reached=reached,
            initiated_by=initiated_by,
            duration_minutes=duration,
            notes=note,
            mental_health_crisis=crisis,
            safety_concern=kind == Kind.SAFETY_NOTE and "conflict" in note,
            after_hours=after_hours_flag,
            after_end=after_end_flag,
        )
    )


def acknowledge_some(seeding: Seeding) -> None:
    """CHWs have acknowledged most older alerts with a note; some they have not."""
    notes = [
        "Left a voicemail; trying again Thursday.",
        "Handoff visit booked with the clinic nurse.",
        "Talked it over in supervision.",
        "Texted in Spanish; waiting for a reply.",
    ]
    older = Alert.objects.filter(
        status=Alert.Status.OPEN, opened_on__lt=seeding.today - dt.timedelta(days=7)
    ).order_by("pk")
    chosen = [alert for alert in older if seeding.rng.random() < 0.6]
    for alert in chosen:
        alert.status = Alert.Status.ACKNOWLEDGED
        alert.acknowledged_by_id = alert.chw_id
        alert.acknowledged_at = timezone.now()
        alert.note = seeding.rng.choice(notes)
    audit.bulk_update(
        Alert, chosen, ["status", "acknowledged_by", "acknowledged_at", "note"], batch_size=500
    )

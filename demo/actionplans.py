"""The demo's action plans (`seed_demo`): a partner directory of about ten local
organisations (one no longer accepting referrals), an intake for most enrollments that
ran, one to three goals in the patient's own words with their action steps (about one
goal in four with a referral to a partner; some steps overdue), goals closed with mixed
outcomes when the enrollment closed and a few already this quarter, and the visits and
calls that worked on each goal."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from actionplans.models import ActionStep, Goal, Intake, Partner
from actionplans.selectors import quarter_start
from caseloads.models import Encounter, Enrollment, Patient
from demo.actionplans_text import (
    GOALS,
    LIFE_STORIES,
    PARTNERS,
    PRIORITIES,
    REFERRAL_NOTES,
    REFERRALS,
    STEP_NOTES,
    STEPS,
    STRENGTHS,
    WHAT_WILL_HELP,
)
from demo.caseloads import Plan, Status
from demo.core import Seeding
from impact import audit

Category = Goal.Category
GoalStatus = Goal.Status
StepStatus = ActionStep.Status
Owner = ActionStep.Owner
Support = ActionStep.SupportType
Outcome = ActionStep.Outcome

INTAKE_SHARE = 0.85  # enrollments that ran with an intake on file
NO_GOAL_SHARE = 0.06  # enrollments that ran where no goal was ever written down
# Day after enrolling on which the first goal is set (0..20): most within two weeks.
FIRST_GOAL_DAY_WEIGHTS = [8] + [6] * 7 + [4] * 7 + [2.5] * 6
GOAL_COUNT_WEIGHTS = {1: 45, 2: 38, 3: 17}
CATEGORY_WEIGHTS = {
    Category.CHRONIC_DISEASE: 30,
    Category.MENTAL_HEALTH: 10,
    Category.HOUSING: 12,
    Category.FOOD: 10,
    Category.INCOME: 9,
    Category.LEGAL: 5,
    Category.TRANSPORTATION: 6,
    Category.SOCIAL_SUPPORT: 7,
    Category.NAVIGATION: 8,
    Category.OTHER: 3,
}
ACTIVE_GOAL_CLOSED_SHARE = 0.15  # goals of active enrollments already closed
# Outcomes of the goals of an enrollment that closed, and how often each comes up.
CLOSING_OUTCOMES: dict[str, dict[str, int]] = {
    Status.GRADUATED: {
        GoalStatus.ACHIEVED: 50,
        GoalStatus.PARTLY_ACHIEVED: 25,
        GoalStatus.NOT_ACHIEVED: 12,
        GoalStatus.DROPPED: 13,
    },
    Status.WITHDRAWN: {
        GoalStatus.ACHIEVED: 8,
        GoalStatus.PARTLY_ACHIEVED: 15,
        GoalStatus.NOT_ACHIEVED: 27,
        GoalStatus.DROPPED: 50,
    },
}
REFERRAL_SHARE = 0.27  # goals with a referral step
LINK_SHARE = 0.55  # reached contacts that worked on a goal

# The needs screen question that goes with each goal category.
NEED_FOR_CATEGORY: dict[str, str] = {
    Category.HOUSING: "need_housing",
    Category.FOOD: "need_food",
    Category.INCOME: "need_income",
    Category.LEGAL: "need_legal",
    Category.TRANSPORTATION: "need_transportation",
    Category.MENTAL_HEALTH: "need_behavioral_health",
    Category.SOCIAL_SUPPORT: "need_social_support",
    Category.NAVIGATION: "need_navigation",
}


def seed_action_plans(seeding: Seeding, plans: list[Plan], encounters: list[Encounter]) -> dict:
    """Partners, intakes, goals, steps and the encounters that worked on each goal.

    Drawn after the encounters, so adding this layer left the rest of the data as it
    was; the links to encounters come last because today's encounters depend on the
    time of day (see ``demo.caseloads._add``)."""
    rng = seeding.rng
    partners = _partners(seeding)
    accepting: dict[str, list[Partner]] = defaultdict(list)
    for partner in partners:
        if partner.is_active:
            accepting[partner.kind].append(partner)

    intakes: list[Intake] = []
    goals: list[Goal] = []
    for plan in plans:
        for enrollment in plan.enrollments:
            if enrollment.status not in Enrollment.RAN_STATUSES:
                continue
            count = rng.choices(list(GOAL_COUNT_WEIGHTS), list(GOAL_COUNT_WEIGHTS.values()))[0]
            categories = _categories(seeding, count)
            if rng.random() < INTAKE_SHARE:
                intakes.append(_intake(seeding, enrollment, plan, categories))
            goals += _goals(seeding, enrollment, plan, categories)
    audit.bulk_create(Intake, intakes)
    audit.bulk_create(Goal, goals)

    lapsed = {e.pk for plan in plans if plan.lapsed for e in plan.enrollments}
    steps: list[ActionStep] = []
    for goal in goals:
        steps += _steps(seeding, goal, goal.enrollment.pk in lapsed, accepting)
    audit.bulk_create(ActionStep, steps)

    links = _goal_links(seeding, goals, encounters)
    return {
        "partners": partners,
        "intakes": intakes,
        "goals": goals,
        "steps": steps,
        "links": links,
    }


def _partners(seeding: Seeding) -> list[Partner]:
    rows = [
        Partner(
            program=seeding.program,
            name=name,
            kind=kind,
            relationship=relationship,
            serves_regardless_of_status=regardless,
            languages=languages,
            address=address,
            notes=notes,
            is_active=active,
            phone=seeding.phones.pop(),
        )
        for name, kind, relationship, regardless, languages, address, notes, active in PARTNERS
    ]
    return audit.bulk_create(Partner, rows)


def _categories(seeding: Seeding, count: int) -> list[str]:
    """`count` different goal categories, the common ones more often."""
    categories, weights = zip(*CATEGORY_WEIGHTS.items(), strict=True)
    chosen: list[str] = []
    while len(chosen) < count:
        category = seeding.rng.choices(categories, weights)[0]
        if category not in chosen:
            chosen.append(category)
    return chosen


def _age(seeding: Seeding, patient: Patient) -> int:
    born = patient.date_of_birth
    return (
        seeding.today.year
        - born.year
        - ((seeding.today.month, seeding.today.day) < (born.month, born.day))
    )


def _intake(seeding: Seeding, enrollment: Enrollment, plan: Plan, categories: list[str]) -> Intake:
    rng = seeding.rng
    assert plan.patient is not None  # seed_patients wrote every plan's patient
    age = _age(seeding, plan.patient)
    stories = [text for text, low, high in LIFE_STORIES if low <= age <= high]
    enrolled_on, _planned_end_on = enrollment.ran_dates()
    recorded_on = min(seeding.today, enrolled_on + dt.timedelta(days=rng.randint(0, 7)))
    intake = Intake(
        enrollment=enrollment,
        life_story=rng.choice(stories) if rng.random() < 0.85 else "",
        priorities=rng.choice(PRIORITIES) if rng.random() < 0.95 else "",
        what_will_help=rng.choice(WHAT_WILL_HELP) if rng.random() < 0.9 else "",
        strengths=rng.choice(STRENGTHS) if rng.random() < 0.9 else "",
        recorded_on=recorded_on,
        recorded_by=enrollment.chw,
    )
    skipped_screen = rng.random() < 0.08  # the patient chose not to do the needs screen
    wanted = {NEED_FOR_CATEGORY.get(category) for category in categories}
    if Category.CHRONIC_DISEASE in categories and rng.random() < 0.4:
        wanted.add("need_navigation")
    for name, _label in Intake.NEEDS:
        if name in wanted:
            answer = rng.choices([True, None], [9, 1])[0]
        else:
            answer = rng.choices([False, None, True], [60, 25, 15])[0]
        setattr(intake, name, None if skipped_screen else answer)
    return intake


def _goals(
    seeding: Seeding, enrollment: Enrollment, plan: Plan, categories: list[str]
) -> list[Goal]:
    rng = seeding.rng
    today = seeding.today
    if rng.random() < NO_GOAL_SHARE:
        return []
    assert plan.patient is not None  # seed_patients wrote every plan's patient
    age = _age(seeding, plan.patient)
    english = plan.language == "en"
    last_day = min(today, enrollment.closed_on or today)
    first = rng.choices(range(len(FIRST_GOAL_DAY_WEIGHTS)), FIRST_GOAL_DAY_WEIGHTS)[0]
    out = []
    for index, category in enumerate(categories):
        offset = first if index == 0 else rng.randint(first, len(FIRST_GOAL_DAY_WEIGHTS) - 1)
        texts = [
            text
            for text in GOALS[category]
            if text.min_age <= age <= text.max_age and not (english and text.non_english_only)
        ]
        text = rng.choice(texts)
        medical = category in (Category.CHRONIC_DISEASE, Category.MENTAL_HEALTH)
        with_clinician = rng.random() < (0.35 if medical else 0.05)
        set_on = enrollment.ran_dates()[0] + dt.timedelta(days=offset)
        if set_on > last_day:
            continue  # not set yet (a recent enrollment), or the enrollment closed first
        status, closed_on = _goal_outcome(seeding, enrollment, set_on)
        out.append(
            Goal(
                enrollment=enrollment,
                statement=text.statement,
                category=category,
                condition=text.condition,
                set_by=Goal.SetBy.PATIENT_WITH_CLINICIAN if with_clinician else Goal.SetBy.PATIENT,
                set_on=set_on,
                status=status,
                closed_on=closed_on,
                created_by=enrollment.chw,
            )
        )
    return out


def _goal_outcome(
    seeding: Seeding, enrollment: Enrollment, set_on: dt.date
) -> tuple[str, dt.date | None]:
    """A goal's status and closing day: goals close when the enrollment does, and a few
    of an active enrollment's goals have closed already, most of them this quarter."""
    rng = seeding.rng
    today = seeding.today
    if enrollment.status == Status.ENROLLED:
        if rng.random() >= ACTIVE_GOAL_CLOSED_SHARE:
            return GoalStatus.ACTIVE, None
        status: str = rng.choices(
            [GoalStatus.ACHIEVED, GoalStatus.PARTLY_ACHIEVED, GoalStatus.DROPPED], [6, 2, 2]
        )[0]
        low = max(set_on, quarter_start(today)) if rng.random() < 0.75 else set_on
        return status, low + dt.timedelta(days=rng.randint(0, (today - low).days))
    outcomes = CLOSING_OUTCOMES[enrollment.status]
    status = rng.choices(list(outcomes), list(outcomes.values()))[0]
    end = enrollment.closed_on
    assert end is not None  # this enrollment closed (graduated or withdrawn)
    if rng.random() < 0.6:
        return status, end  # reviewed at the closing visit
    return status, set_on + dt.timedelta(days=rng.randint(0, (end - set_on).days))


def _steps(
    seeding: Seeding, goal: Goal, lapsed: bool, accepting: dict[str, list[Partner]]
) -> list[ActionStep]:
    rng = seeding.rng
    today = seeding.today
    templates = list(STEPS[goal.category])
    chosen = rng.sample(templates, min(rng.randint(2, 5), len(templates)))
    referrals = [(kind, text) for kind, text in REFERRALS[goal.category] if accepting[kind]]
    referral_at = None
    referral_partner: Partner | None = None
    if referrals and rng.random() < REFERRAL_SHARE:
        referral_at = rng.randrange(len(chosen))
        kind, text = rng.choice(referrals)
        referral_partner = rng.choice(accepting[kind])
        referral_owner = rng.choices([Owner.PARTNER, Owner.CHW, Owner.PATIENT], [6, 3, 1])[0]
        chosen[referral_at] = (text, referral_owner, Support.REFERRAL)
    # Steps fall between the day the goal was set and the day it closed; an open goal's
    # plan reaches a few weeks past today.
    if goal.closed_on:
        end = goal.closed_on
    else:
        end = max(
            today + dt.timedelta(days=rng.randint(7, 35)), goal.set_on + dt.timedelta(days=14)
        )
    span = (end - goal.set_on).days
    dues = sorted(goal.set_on + dt.timedelta(days=rng.randint(min(1, span), span)) for _ in chosen)
    out = []
    for index, (template, due_on) in enumerate(zip(chosen, dues, strict=True)):
        description, owner, support = template
        partner = referral_partner if index == referral_at else None
        status = _step_status(seeding, goal, due_on, lapsed)
        done_on = None
        if status == StepStatus.DONE:
            latest = min(today, goal.closed_on or today)
            done_on = due_on + dt.timedelta(days=rng.randint(-10, 4))
            done_on = max(goal.set_on, min(done_on, latest))
        step = ActionStep(
            goal=goal,
            description=description,
            owner=owner,
            support_type=support,
            partner=partner,
            due_on=due_on,
            status=status,
            done_on=done_on,
            created_by=goal.created_by,
        )
        if partner is not None:
            step.consent_to_share = rng.random() < 0.88
            step.warm_handoff = rng.random() < 0.4
            step.accompanied = rng.random() < 0.25
            step.referral_outcome = _referral_outcome(seeding, step)
            step.notes = rng.choice(REFERRAL_NOTES) if rng.random() < 0.5 else ""
        elif rng.random() < 0.2:
            step.notes = rng.choice(STEP_NOTES)
        out.append(step)
    return out


def _step_status(seeding: Seeding, goal: Goal, due_on: dt.date, lapsed: bool) -> str:
    statuses = [StepStatus.DONE, StepStatus.SKIPPED, StepStatus.IN_PROGRESS, StepStatus.PLANNED]
    if goal.status == GoalStatus.ACTIVE:
        late = (seeding.today - due_on).days
        if late > 45:  # long past: done or given up on, unless contact lapsed
            weights = [55, 15, 10, 20] if lapsed else [82, 14, 1, 3]
        elif late > 0:  # open ones are overdue
            weights = [40, 5, 20, 35] if lapsed else [70, 6, 10, 14]
        else:
            weights = [10, 0, 25, 65]
    else:  # a closed goal leaves no open steps
        done_share: dict[str, int] = {
            GoalStatus.ACHIEVED: 85,
            GoalStatus.PARTLY_ACHIEVED: 55,
            GoalStatus.NOT_ACHIEVED: 30,
            GoalStatus.DROPPED: 20,
        }
        done = done_share[goal.status]
        weights = [done, 100 - done, 0, 0]
    return seeding.rng.choices(statuses, weights)[0]


def _referral_outcome(seeding: Seeding, step: ActionStep) -> str:
    rng = seeding.rng
    if step.is_open and step.due_on >= seeding.today - dt.timedelta(days=10):
        return Outcome.PENDING
    if step.status == StepStatus.SKIPPED:
        return rng.choices(
            [Outcome.DECLINED, Outcome.NOT_CONNECTED, Outcome.NOT_ELIGIBLE], [4, 3, 3]
        )[0]
    return rng.choices(
        [
            Outcome.CONNECTED,
            Outcome.NOT_CONNECTED,
            Outcome.DECLINED,
            Outcome.NOT_ELIGIBLE,
            Outcome.PENDING,
        ],
        [60, 12, 8, 8, 12],
    )[0]


def _goal_links(seeding: Seeding, goals: list[Goal], encounters: list[Encounter]) -> list:
    """Tick the goals a reached contact worked on: goals of the same enrollment that
    were set, and not yet closed, on the day of the contact."""
    rng = seeding.rng
    Link = Encounter.goals.through
    by_enrollment: dict[int, list[Goal]] = defaultdict(list)
    for goal in goals:
        by_enrollment[goal.enrollment_id].append(goal)
    links = []
    for encounter in encounters:
        if not encounter.reached or encounter.enrollment_id not in by_enrollment:
            continue
        day = seeding.program.local_date(encounter.occurred_at)
        live = [
            goal
            for goal in by_enrollment[encounter.enrollment_id]
            if goal.set_on <= day and (goal.closed_on is None or day <= goal.closed_on)
        ]
        if not live or rng.random() >= LINK_SHARE:
            continue
        count = 2 if len(live) > 1 and rng.random() < 0.3 else 1
        for goal in rng.sample(live, count):
            links.append(Link(encounter_id=encounter.pk, goal_id=goal.pk))
    return Link.objects.bulk_create(links, batch_size=1000)

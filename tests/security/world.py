"""Two programs with one object of every kind a URL can name, in every scope.

Program P is `org` (tests/conftest.py): team A (manager ma; CHWs a1, a2), team B (mb; b1,
b2), leader, admin (no program). Program Q ("Westside") has team C (mc; c1) and its own
leader lq. Every CHW has one enrollment (enrolled 200 days ago and never contacted, so it
is stale and a fidelity "contact cadence" miss), an intake, a goal, a referral step, an
alert they see and an alert only their manager sees, and a supervision session with a
follow-up. Each program has partners, a fidelity review, a cost line and a funding
source; each leader and the admin have an API token, an export job and an upload.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from types import SimpleNamespace

import pytest
from django.db.models import Model

from caseloads.models import Alert, Enrollment
from fidelity.services import review_start
from impact.models import Redaction, Role
from reports.models import ApiToken, ExportJob, UtilizationImport
from supervision.models import FollowUp, SupervisionSession
from tests.conftest import HIRED_ON
from tests.factories import (
    CostLineFactory,
    EnrollmentFactory,
    FundingSourceFactory,
    GoalFactory,
    IntakeFactory,
    PartnerFactory,
    ProgramFactory,
    StepFactory,
    TeamFactory,
    UserFactory,
)

TODAY = dt.date(2026, 11, 18)  # the `frozen` clock's day


@pytest.fixture
def world(org, frozen):
    q = ProgramFactory(name="Westside")
    mc = UserFactory(username="mc", role=Role.MANAGER, program=q)
    team_c = TeamFactory(program=q, name="West", manager=mc)
    mc.team = team_c
    mc.save()
    c1 = UserFactory(username="c1", role=Role.CHW, program=q, team=team_c, hired_on=HIRED_ON)
    lq = UserFactory(username="lq", role=Role.LEADER, program=q)

    chws = [org.a1, org.a2, org.b1, org.b2, c1]
    managers = [org.ma, org.mb, mc]
    leaders = [org.leader, lq]
    programs = [org.program, q]

    partners = {
        org.program.pk: [
            PartnerFactory(program=org.program, name="Food bank"),
            PartnerFactory(program=org.program, name="Closed clinic", is_active=False),
        ],
        q.pk: [PartnerFactory(program=q, name="Westside pantry")],
    }
    enrollment, intake, goal, step, alert, hidden_alert, session, follow_up = ({} for _ in range(8))
    for chw in chws:
        e = EnrollmentFactory(chw=chw, days_ago=200)
        enrollment[chw.pk] = e
        intake[chw.pk] = IntakeFactory(enrollment=e)
        goal[chw.pk] = GoalFactory(enrollment=e)
        step[chw.pk] = StepFactory(
            goal=goal[chw.pk],
            owner="chw",
            support_type="referral",
            partner=partners[chw.program_id][0],
        )
        alert[chw.pk] = Alert.objects.create(
            program=chw.program,
            kind=Alert.Kind.GOAL_MISSING,
            enrollment=e,
            chw=chw,
            opened_on=TODAY,
        )
        hidden_alert[chw.pk] = Alert.objects.create(
            program=chw.program, kind=Alert.Kind.BURNOUT_RISK_HIGH, chw=chw, opened_on=TODAY
        )
        session[chw.pk] = SupervisionSession.objects.create(
            manager=chw.team.manager,
            chw=chw,
            occurred_on=TODAY,
            kind=SupervisionSession.Kind.ONE_ON_ONE,
            duration_minutes=30,
            notes="Went through the caseload.",
            private_notes="Private to the manager.",
        )
        follow_up[chw.pk] = FollowUp.objects.create(
            session=session[chw.pk], description="Book a Friday off", due_on=TODAY
        )

    # Closed and resolved rows that no list may show.
    closed = EnrollmentFactory(chw=org.a1, days_ago=300)
    Enrollment.objects.filter(pk=closed.pk).update(
        status=Enrollment.Status.WITHDRAWN, closed_on=TODAY - dt.timedelta(days=10)
    )
    # Former patients (their only enrollment closed long before the review period): the
    # CHW's and their manager's to re-enroll by id, 404 to everyone else (issue 17).
    former = {org.a1.pk: closed.patient}
    for chw, status in ((org.b1, Enrollment.Status.GRADUATED), (c1, Enrollment.Status.DECLINED)):
        ended = EnrollmentFactory(chw=chw, days_ago=400)
        ran = status == Enrollment.Status.GRADUATED  # a declined referral never started
        Enrollment.objects.filter(pk=ended.pk).update(
            status=status,
            closed_on=TODAY - dt.timedelta(days=300),
            **({} if ran else {"enrolled_on": None, "planned_end_on": None}),
        )
        former[chw.pk] = ended.patient
    resolved = Alert.objects.create(
        program=org.program,
        kind=Alert.Kind.GOAL_MISSING,
        enrollment=enrollment[org.a1.pk],
        chw=org.a1,
        opened_on=TODAY - dt.timedelta(days=20),
        status=Alert.Status.RESOLVED,
        resolved_at=frozen,
        cleared_on=TODAY,
    )

    # A redaction's log line (the admin's read-only page of it needs one).
    Redaction.objects.create(
        user=org.ma,
        username=org.ma.username,
        model="actionplans.partner",
        object_pk=str(partners[org.program.pk][0].pk),
        field="notes",
        on=TODAY,
    )

    period = (dt.date(2026, 8, 1), dt.date(2026, 10, 31))
    start, end = period
    review = {
        org.program.pk: review_start(program=org.program, start=start, end=end, by=org.ma),
        q.pk: review_start(program=q, start=start, end=end, by=mc),
    }
    cost = {p.pk: CostLineFactory(program=p) for p in programs}
    funding = {p.pk: FundingSourceFactory(program=p) for p in programs}

    holders = [org.leader, lq, org.admin]
    token, job, staging = {}, {}, {}
    for user in holders:
        program = user.program or org.program
        token[user.pk] = ApiToken.objects.create(
            user=user,
            name=f"BI of {user.username}",
            prefix="imp_test",
            key_hash=hashlib.sha256(user.username.encode()).hexdigest(),
        )
        job[user.pk] = ExportJob.objects.create(
            program=program,
            requested_by=user,
            format="csv-sum",
            period_start=period[0],
            period_end=period[1],
            status=ExportJob.Status.DONE,
            content=b"figure,value\r\nenrolled,5\r\n",
            filename="summary.csv",
        )
        staging[user.pk] = UtilizationImport.objects.create(
            program=program,
            filename="admissions.csv",
            sha256="0" * 64,
            imported_by=user,
            status=UtilizationImport.Status.PREVIEWED,
            content=b"mrn,kind,admitted_on,discharged_on\r\n",
            preview={"rows": 0, "new": 0, "already": 0, "by_kind": {}, "sample": []},
        )

    return SimpleNamespace(
        org=org,
        p=org.program,
        q=q,
        mc=mc,
        c1=c1,
        lq=lq,
        chws=chws,
        managers=managers,
        leaders=leaders,
        programs=programs,
        partners=partners,
        enrollment=enrollment,
        intake=intake,
        goal=goal,
        step=step,
        alert=alert,
        hidden_alert=hidden_alert,
        session=session,
        follow_up=follow_up,
        closed=closed,
        former=former,
        resolved=resolved,
        review=review,
        cost=cost,
        funding=funding,
        token=token,
        job=job,
        staging=staging,
    )


def personas(world) -> dict:
    """Everyone who signs in, by username (the admin is "admin")."""
    org = world.org
    users = [*world.chws, *world.managers, *world.leaders, org.admin]
    return {user.username: user for user in users}


# -- which object each primary key in a path names ------------------------------------------

# URL name -> the kind of object its `pk` (or `patient_pk`) names. test_policy.py fails
# when a URL with a primary key is missing here, so test_scope.py covers every one.
PK_KIND: dict[str, str] = {
    "program_settings": "program",
    "reports:token_revoke": "token",
    "reports:cost_edit": "cost",
    "reports:cost_delete": "cost",
    "reports:funding_edit": "funding",
    "reports:funding_delete": "funding",
    "reports:utilization_preview": "staging",
    "reports:utilization_confirm": "staging",
    "reports:utilization_discard": "staging",
    "reports:export_status": "job",
    "reports:export_download": "job",
    "caseloads:enrollment_new": "patient",
    "caseloads:enrollment": "enrollment",
    "caseloads:encounter_new": "enrollment",
    "caseloads:reassign": "enrollment",
    "caseloads:extend": "enrollment",
    "caseloads:alert_acknowledge": "alert",
    "caseloads:alert_resolve": "alert",
    "actionplans:intake": "enrollment",
    "actionplans:goal_new": "enrollment",
    "actionplans:plan": "enrollment",
    "actionplans:graduate": "enrollment",
    "actionplans:withdraw": "enrollment",
    "actionplans:goal_edit": "goal",
    "actionplans:step_new": "goal",
    "actionplans:step_edit": "step",
    "actionplans:step_done": "step",
    "actionplans:step_postpone": "step",
    "actionplans:referral_slip": "step",
    "actionplans:partner_edit": "partner",
    "supervision:chw": "chw",
    "supervision:burnout_chart": "chw",
    "supervision:training_new": "chw",
    "supervision:session": "session",
    "supervision:follow_up_done": "follow_up",
    "fidelity:review": "review",
    "fidelity:finalize": "review",
    "fidelity:cases": "review",
    "redact": "partner",  # with the partner's notes (REDACT_ARGS)
}
# The other path parameters of the redaction page: a partner's notes, program text that
# any manager of the program (and an administrator) may redact.
REDACT_ARGS = {"label": "actionplans.partner", "field": "notes"}

# Kinds keyed by the CHW whose work they are; the others by program or by holder.
BY_CHW = ("enrollment", "patient", "goal", "step", "alert", "session", "follow_up")
BY_PROGRAM = ("review", "cost", "funding", "partner", "program")
BY_HOLDER = ("token", "job", "staging")


def objects(world, kind: str) -> list[tuple[Model, int]]:
    """Every object of `kind` in the world, each with its owner's key: the CHW's pk (BY_CHW
    and "chw"), the program's pk (BY_PROGRAM) or the holder's pk (BY_HOLDER)."""
    if kind in BY_CHW:
        rows = getattr(world, "enrollment" if kind == "patient" else kind)
        if kind == "patient":
            former = [(patient, chw) for chw, patient in world.former.items()]
            return [(e.patient, chw) for chw, e in rows.items()] + former
        return [(row, chw) for chw, row in rows.items()]
    if kind == "chw":
        return [(chw, chw.pk) for chw in world.chws]
    if kind == "partner":
        return [(p, program) for program, rows in world.partners.items() for p in rows]
    if kind == "program":
        return [(p, p.pk) for p in world.programs]
    if kind in BY_PROGRAM:
        return [(row, program) for program, row in getattr(world, kind).items()]
    return [(row, holder) for holder, row in getattr(world, kind).items()]


def in_scope(world, user, kind: str, owner: int) -> bool:
    """Whether `user` may open the object owned by `owner` (DESIGN.md §4), when their role
    may open that kind of page at all."""
    if kind in BY_CHW or kind == "chw":
        chw = next(c for c in world.chws if c.pk == owner)
        # A patient is their current (open, else latest) enrollment's CHW's: only that
        # CHW and their manager open them by id, former patients included (anyone else
        # finds them by MRN or name and birth date: tests/security/test_patient_lookup.py).
        return chw.pk == user.pk or chw.team.manager_id == user.pk
    if kind in BY_PROGRAM:
        if user.role == Role.ADMIN:
            return True
        return owner == user.program_id
    return owner == user.pk

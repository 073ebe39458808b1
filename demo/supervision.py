"""Demo supervision history for `seed_demo`: weekly one on ones, check-ins, time off and
trainings, shaped with the caseload data (BOUNDARY_CHWS in demo/caseloads.py) so the burnout
indicators tell a readable story: chw1 at high risk (over the cap, patients past their
end and calling after it, no rest since spring, supervision lapsing, says she is burning
out, role dismissed by clinicians), chw5 and chw6 elevated (boundary strain), the rest low."""

from __future__ import annotations

import datetime as dt
import random

from impact import audit
from impact.models import Program, TrainingRecord, User
from supervision.models import FollowUp, SupervisionSession, TimeOff, WellbeingCheckIn
from supervision.services import burnout_snapshot

# username: (days since the last one on one, days since time off ended, latest check-in
# score, dismissed by clinical colleagues this month, mental-health training)
STORIES = {
    # Over the cap, no time off since spring, supervision lapsing, says she is burning out.
    "chw1": (19, 140, 4, 3, False),
    # Over the cap, patients past their end date; supervised, rested, trained.
    "chw5": (4, 60, 2, 0, True),
}
DEFAULT_STORY = (3, 30, 2, 0, True)
WEEKS = 12
HISTORY_WEEKS = 40


def _every(username: str, weeks_ago: int) -> int:
    """Weeks between one on ones: weekly nine months ago; in the last six months the
    boundary-strained CHWs drop to every other week, and in the last three months most
    CHWs do (chw1 to every third week) while a manager covers two teams. The supervision
    component of the fidelity reviews slips from met to partly met to not met."""
    if weeks_ago < 13:
        return 3 if username == "chw1" else 1 if username == "chw2" else 2
    if weeks_ago < 26:
        return 2 if username in ("chw1", "chw5", "chw6") else 1
    return 1


NOTES = [
    "Went through the caseload; two patients near their end date: planned the handoffs.",
    "Talked about a patient who keeps calling after graduation; agreed a warm handoff.",
    "Reviewed a home visit that felt unsafe; went over the safety protocol.",
    "Celebrated a housing win; planned the next steps for the referral backlog.",
]
FOLLOW_UPS = [
    "Book the handoff visit with the clinic nurse",
    "Ask the medical-legal partnership about an appointment",
    "Take the Friday afternoon off that was postponed",
    "Bring two cases to the next case review",
]


def seed_supervision(program: Program, managers: dict[int, User], rng: random.Random) -> dict:
    """Write the history and the last 12 weekly snapshots; return what was written."""
    today = program.today()
    chws = list(User.objects.filter(role="chw", team__program=program).order_by("username"))
    sessions, follow_ups, check_ins, time_off, trainings = [], [], [], [], []
    for chw in chws:
        last, rested, score, friction, trained = STORIES.get(chw.username, DEFAULT_STORY)
        assert chw.team_id is not None  # the demo CHWs are all on a team
        manager = managers[chw.team_id]
        # One on ones back from the last one, for about nine months: weekly at first,
        # then slipping (see _every).
        for week in range(HISTORY_WEEKS):
            day = today - dt.timedelta(days=last + 7 * week)
            if week % _every(chw.username, week):
                continue
            sessions.append(
                SupervisionSession(
                    manager=manager,
                    chw=chw,
                    kind=SupervisionSession.Kind.ONE_ON_ONE,
                    occurred_on=day,
                    duration_minutes=rng.choice([30, 45, 60]),
                    notes=rng.choice(NOTES),
                    wellbeing_discussed=rng.random() < 0.5,
                )
            )
        ends = today - dt.timedelta(days=rested)
        time_off.append(
            TimeOff(
                chw=chw,
                starts_on=ends - dt.timedelta(days=rng.randint(2, 6)),
                ends_on=ends,
                recorded_by=chw,
            )
        )
        for month in range(3):
            check_ins.append(
                WellbeingCheckIn(
                    chw=chw,
                    on=today - dt.timedelta(days=2 + 30 * month),
                    burnout_score=score if month == 0 else max(1, score - 1),
                    integration_friction=friction if month == 0 else 0,
                    wants_support=score >= 3 and month == 0,
                    stressors=["caseload", "hours"] if score >= 3 else [],
                )
            )
        trainings.append(
            TrainingRecord(
                user=chw,
                topic=TrainingRecord.Topic.CORE_IMPACT,
                completed_on=chw.hired_on or today - dt.timedelta(days=365),
            )
        )
        if trained:
            trainings.append(
                TrainingRecord(
                    user=chw,
                    topic=TrainingRecord.Topic.MENTAL_HEALTH,
                    completed_on=today - dt.timedelta(days=rng.randint(60, 300)),
                )
            )
    sessions = audit.bulk_create(SupervisionSession, sessions)
    # The latest session of each CHW leaves a follow-up, done for half of them.
    latest: dict[int, SupervisionSession] = {}
    for session in sessions:
        if session.chw_id not in latest or session.occurred_on > latest[session.chw_id].occurred_on:
            latest[session.chw_id] = session
    for n, session in enumerate(latest.values()):
        follow_ups.append(
            FollowUp(
                session=session,
                description=FOLLOW_UPS[n % len(FOLLOW_UPS)],
                due_on=session.occurred_on + dt.timedelta(days=7),
                done_on=session.occurred_on + dt.timedelta(days=3) if n % 2 else None,
            )
        )
    audit.bulk_create(FollowUp, follow_ups)
    audit.bulk_create(WellbeingCheckIn, check_ins)
    audit.bulk_create(TimeOff, time_off)
    audit.bulk_create(TrainingRecord, trainings)
    levels = {}
    for week in reversed(range(WEEKS)):
        rows = burnout_snapshot(program=program, day=today - dt.timedelta(weeks=week), sweep=False)
    by_id = {chw.pk: chw.username for chw in chws}
    levels = {by_id[row.chw_id]: (row.level, row.flag_count) for row in rows}
    return {
        "sessions": len(sessions),
        "follow_ups": len(follow_ups),
        "check_ins": len(check_ins),
        "time_off": len(time_off),
        "trainings": len(trainings),
        "levels": levels,
    }

"""Demo fidelity history for `seed_demo`: three quarterly reviews (automatic components
rated as the data proposes, manual ones by the reviewer's judgement), and a dozen
implementation-log entries across the CFIR domains."""

from __future__ import annotations

import datetime as dt

from fidelity.models import ComponentRating, ImplementationNote
from fidelity.services import review_finalize, review_start
from impact import audit
from impact.models import Program, User

# Manual ratings per quarter (oldest first): the reviewer's judgement, with reasons.
MANUAL = {
    "community_hiring": ["met", "met", "met"],
    "training": ["partly_met", "met", "met"],
    "safety": ["met", "met", "met"],
    "performance_assessment": ["partly_met", "partly_met", "met"],
}
REASONS = {
    "training": ("training_gap", "Two new CHWs still waiting for mental-health first aid."),
    "performance_assessment": (
        "staffing",
        "Quarterly case reviews skipped while a manager was on leave.",
    ),
    "supervision": ("hr_rules", "Manager covering two teams; one-on-ones squeezed out."),
    "action_plans": (
        "documentation_software",
        "The EHR had no field for steps until IT added one.",
    ),
}
LOG = [
    (
        "inner_setting",
        "barrier",
        "Manager covering two teams",
        "A vacancy left one manager with nine CHWs.",
    ),
    (
        "inner_setting",
        "facilitator",
        "Dedicated CHW desk space",
        "CHWs now have a room near the clinic for calls.",
    ),
    (
        "outer_setting",
        "facilitator",
        "Medicaid CHW billing",
        "The state approved CHW services for billing.",
    ),
    (
        "outer_setting",
        "barrier",
        "Grant renewal uncertain",
        "The foundation grant ends next summer.",
    ),
    (
        "innovation",
        "facilitator",
        "Goal form in the patient's words",
        "Patients recognise their own goals on the printout.",
    ),
    ("innovation", "barrier", "Fixed 6-month end", "Patients with housing cases need more time."),
    (
        "individuals",
        "facilitator",
        "Bilingual hires",
        "Two Spanish-speaking CHWs hired from the neighbourhood.",
    ),
    (
        "individuals",
        "barrier",
        "Burnout after crises",
        "Two CHWs handled suicide-risk calls without training.",
    ),
    (
        "implementation_process",
        "facilitator",
        "Weekly huddles restarted",
        "Huddles back on Monday mornings.",
    ),
    (
        "implementation_process",
        "barrier",
        "Documentation double entry",
        "Steps typed in two systems.",
    ),
    (
        "inner_setting",
        "both",
        "Clinic nurses' view of CHWs",
        "Some nurses refer eagerly; others dismiss the role.",
    ),
    (
        "outer_setting",
        "barrier",
        "Immigration fears",
        "Patients skip visits after enforcement news; legal partner helps.",
    ),
]


def seed_fidelity(program: Program, reviewer: User) -> dict:
    today = program.today()
    quarters = []
    end = today - dt.timedelta(days=1)
    for _ in range(3):
        start = end - dt.timedelta(days=90)
        quarters.append((start, end))
        end = start - dt.timedelta(days=1)
    quarters.reverse()
    for n, (start, end) in enumerate(quarters):
        review = review_start(program=program, start=start, end=end, by=reviewer)
        ratings = list(review.ratings.select_related("component"))
        for rating in ratings:
            code = rating.component.code
            # Manual components: the reviewer's judgement; automatic ones: the proposal the
            # data gives (never overridden, so ratings and evidence agree).
            value = MANUAL[code][n] if code in MANUAL else rating.proposed or "partly_met"
            reason, note = REASONS.get(code, ("other", "Measured in the data; see the cases."))
            below = value != "met"
            rating.rating = value
            rating.reason, rating.note = (reason, note) if below else ("", "")
        audit.bulk_update(ComponentRating, ratings, ["rating", "reason", "note"])
        if n < 2:  # the latest review stays a draft for the demo manager to finish
            review_finalize(review=review, by=reviewer)
    audit.bulk_create(
        ImplementationNote,
        (
            ImplementationNote(
                program=program,
                on=today - dt.timedelta(days=10 + 21 * n),
                cfir_domain=domain,
                direction=direction,
                theme=theme,
                note=note,
                author=reviewer,
            )
            for n, (domain, direction, theme, note) in enumerate(LOG)
        ),
    )
    return {"reviews": len(quarters), "log": len(LOG)}

"""What `seed_demo` prints: the counts of what it wrote, and the demo logins."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from actionplans.models import ActionStep, Goal
from actionplans.selectors import GOAL_WINDOW_DAYS
from demo.core import DEMO_PASSWORD


def report_lines(summary: dict, seed: int) -> Iterator[str]:
    """What `seed_demo` prints after seeding the demo program: its counts and the logins."""
    program = summary["program"]
    statuses = summary["statuses"]
    yield f'Seeded "{program.name}" (seed {seed}, program today {summary["today"]}).'
    yield f"  Teams: {summary['teams']}"
    yield (
        f"  Users: {summary['users']} "
        f"({', '.join(f'{n} {role}' for role, n in summary['roles'].items())})"
    )
    yield f"  Patients: {summary['patients']} ({summary['languages']} languages)"
    yield (
        f"  Enrollments: {summary['enrollments']} "
        f"({', '.join(f'{n} {status}' for status, n in statuses.items())})"
    )
    yield (
        f"    active past planned end: {summary['past_end']}; "
        f"active with no reached contact in {program.contact_interval_days} days: "
        f"{summary['stale']}"
    )
    yield (
        f"  Encounters: {summary['encounters']} "
        f"(after hours {summary['after_hours']}, after end {summary['after_end']})"
    )
    yield f"  Partners: {summary['partners']} ({summary['partners_active']} accepting referrals)"
    yield f"  Intakes: {summary['intakes']}"
    early, begun = summary["goals_early"]
    share = f"{early / begun:.0%}" if begun else "no data"
    yield (
        f"  Goals: {summary['goals']} ({_counts(summary['goal_statuses'], Goal.Status)}); "
        f"closed this quarter: {summary['goals_closed_this_quarter']}"
    )
    yield (
        f"    enrollments with a goal within {GOAL_WINDOW_DAYS} days of enrolling: "
        f"{early} of {begun} ({share})"
    )
    yield (
        f"  Action steps: {summary['steps']} "
        f"({_counts(summary['step_statuses'], ActionStep.Status)}); "
        f"overdue on active enrollments: {summary['overdue_steps']}"
    )
    yield (
        f"  Referrals: {summary['referrals']} "
        f"({_counts(summary['referral_outcomes'], ActionStep.Outcome)})"
    )
    yield f"  Encounter-goal links: {summary['goal_links']}"
    sup = summary["supervision"]
    yield (
        f"  Supervision: {sup['sessions']} sessions, {sup['follow_ups']} follow-ups, "
        f"{sup['check_ins']} check-ins, {sup['time_off']} time off, "
        f"{sup['trainings']} trainings"
    )
    yield (
        "    burnout risk today: "
        + ", ".join(f"{name} {level} ({n})" for name, (level, n) in sup["levels"].items())
    )
    yield (
        f"  Fidelity: {summary['fidelity']['reviews']} quarterly reviews (the latest a "
        f"draft), {summary['fidelity']['log']} implementation-log entries"
    )
    money = summary["money"]
    yield (
        f"  Money: {money['cost_lines']} cost lines, {money['funding_sources']} funding "
        f"sources (one ending within 90 days), {money['utilization']} admissions and ED "
        "visits for the cohort"
    )
    alerts = summary["alerts"]
    yield (
        f"  Open alerts after the last two weeks' sweeps: {sum(alerts.values())} "
        f"({', '.join(f'{n} {kind}' for kind, n in sorted(alerts.items()))})"
    )
    yield f"  Active caseloads (cap {program.caseload_cap}):"
    for username, count in summary["caseloads"].items():
        over = "  over cap" if count > program.caseload_cap else ""
        yield f"    {username:<10}{count:>4}{over}"
    yield ""
    yield "Demo logins:"
    rows = [("username", "role", "team", "password")] + [
        (user.username, user.role, user.team.name if user.team else "-", DEMO_PASSWORD)
        for user in summary["logins"]
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        yield (
            "  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        )


def _counts(counter: Counter, choices) -> str:
    """ "12 active, 3 achieved": a Counter in the order of the model's choices."""
    return ", ".join(f"{counter[value]} {value}" for value in choices.values if counter[value])


def large_line(large: dict, seconds: float) -> str:
    """What `seed_demo --scale large` prints after the large program."""
    return (
        f'Seeded "{large["program"].name}" in {seconds:.0f} s: '
        f"{large['teams']} teams, {large['chws']} CHWs, {large['active']:,} active and "
        f"{large['closed']:,} closed enrollments, {large['encounters']:,} encounters, "
        f"{large['goals']:,} goals, {large['steps']:,} steps, {large['alerts']:,} alerts "
        f"opened, {large['snapshots']} burnout snapshots. Sign in as metro-chw001 … "
        "metro-chw400, metro-manager01 … metro-manager40 or metro-leader (password "
        f"{DEMO_PASSWORD})."
    )

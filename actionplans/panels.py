"""The action plan on caseloads' pages and visit log (caseloads.extensions): the intake,
goals and the graduate and withdraw buttons on the patient page, the plan figures on the
team page, the active goals and overdue steps of the caseload, and the goals a visit
worked on. Registered in `ActionplansConfig.ready()`."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actionplans import selectors
from actionplans.models import Goal
from caseloads.extensions import (
    CaseloadColumns,
    EncounterField,
    register_caseload_columns,
    register_encounter_field,
)
from impact.lib.forms import PkMultipleChoiceField
from impact.lib.http import AuthenticatedHttpRequest
from impact.lib.panels import Panel, register_panel


@register_panel("enrollment_plan")
def enrollment_plan(request: AuthenticatedHttpRequest, *, enrollment) -> Panel:
    return Panel(
        "actionplans/_enrollment_plan.html",
        {"intake": selectors.intake_of(enrollment), "goals": selectors.goals_for(enrollment)},
    )


@register_panel("enrollment_close")
def close_buttons(request: AuthenticatedHttpRequest, *, enrollment) -> Panel:
    """Graduate with a handoff, or close as withdrawn: the patient page's buttons."""
    return Panel("actionplans/_close_buttons.html")


@register_panel("team_figures")
def team_figures(request: AuthenticatedHttpRequest, *, chws) -> Panel:
    today = request.user.own_program.today()
    goal_start, goal_end = selectors.goal_window(today)
    return Panel(
        "actionplans/_team_figures.html",
        {
            "plans": selectors.team_plan_figures(request.user, today, chws),
            "goal_start": goal_start,
            "goal_end": goal_end,
            "quarter_start": selectors.quarter_start(today),
            "goal_outcomes": [
                (status, label)
                for status, label in Goal.Status.choices
                if status in Goal.CLOSED_STATUSES
            ],
        },
    )


def _goals_field(enrollment) -> forms.Field:
    """The enrollment's active goals; a goal of another enrollment is "not a valid choice"."""
    return PkMultipleChoiceField(
        label=gettext_lazy("Goals worked on"),
        queryset=selectors.active_goals_for(enrollment),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def _clean_goals(enrollment, goals) -> list:
    """Goals of the visit's own enrollment only (any caller: a view, a command, a task)."""
    goals = list(goals)
    if any(goal.enrollment_id != enrollment.pk for goal in goals):
        raise ValidationError(_("Choose goals of this patient's enrollment."))
    return goals


def _save_goals(encounter, goals: list) -> None:
    if goals:
        encounter.goals.set(goals)


register_caseload_columns(
    CaseloadColumns(
        annotate=selectors.with_plan_figures,
        head="actionplans/_caseload_head.html",
        cells="actionplans/_caseload_cells.html",
        note="actionplans/_caseload_note.html",
    )
)
register_encounter_field(
    EncounterField(
        name="goals",
        field=_goals_field,
        template="actionplans/_encounter_goals.html",
        clean=_clean_goals,
        save=_save_goals,
    )
)

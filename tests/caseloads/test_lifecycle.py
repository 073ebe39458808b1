"""Graduation, withdrawal and the one extension a manager may grant (issue 4)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
from django.urls import reverse

from actionplans import services as plan_services
from actionplans.models import ActionStep, Goal
from caseloads import services
from caseloads.alerts import alerts_sweep
from caseloads.models import Alert, Enrollment
from caseloads.services import EncounterInput
from tests.factories import EncounterFactory, EnrollmentFactory, GoalFactory, StepFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NY = zoneinfo.ZoneInfo("America/New_York")
TODAY = dt.date(2026, 11, 18)


@pytest.fixture
def ending(org):
    """a1's patient enrolled 170 days ago (ends in 10 days) with two active goals, an
    open step and a done one, and the end_approaching alert the sweep opened."""
    enrollment: Any = EnrollmentFactory(chw=org.a1, days_ago=170)  # carries goals_ too
    walking = GoalFactory(enrollment=enrollment, statement="Walk to church again")
    housing = GoalFactory(enrollment=enrollment, statement="Keep my apartment", category="housing")
    StepFactory(goal=walking, status=ActionStep.Status.PLANNED, due_on=TODAY + dt.timedelta(3))
    StepFactory(goal=housing, status=ActionStep.Status.DONE, done_on=TODAY)
    EncounterFactory(enrollment=enrollment, occurred_at=dt.datetime(2026, 11, 17, 10, tzinfo=NY))
    alerts_sweep(program=org.program)
    assert enrollment.alerts.get().kind == Alert.Kind.END_APPROACHING
    enrollment.goals_ = (walking, housing)
    return enrollment


def graduation(enrollment, **overrides) -> dict:
    walking, housing = enrollment.goals_
    data = {
        f"goal_{walking.pk}": "achieved",
        f"goal_{housing.pk}": "partly_achieved",
        "summary": "Walks twice a week; housing hearing won, repairs pending.",
        "handoff_to": "Nurse Alvarez, Eastside clinic",
        "handoff_accepted": "yes",
        "closed_on": "2026-11-18",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_chw_graduates_a_patient_with_goal_outcomes_and_a_handoff(org, login, ending):
    client = login(org.a1)
    page = client.get(reverse("actionplans:graduate", args=[ending.pk]))
    assert "Walk to church again" in page.content.decode()
    response = client.post(reverse("actionplans:graduate", args=[ending.pk]), graduation(ending))
    assert response.status_code == 302
    ending.refresh_from_db()
    assert ending.status == Enrollment.Status.GRADUATED
    assert (ending.closed_on, ending.closed_by) == (TODAY, org.a1)
    assert ending.handoff_to == "Nurse Alvarez, Eastside clinic" and ending.handoff_accepted
    assert ending.summary.startswith("Walks twice a week")
    walking, housing = (Goal.objects.get(pk=g.pk) for g in ending.goals_)
    assert (walking.status, walking.closed_on) == ("achieved", TODAY)
    assert housing.status == "partly_achieved"
    # The open step is skipped; the done one stays done.
    assert sorted(ActionStep.objects.values_list("status", flat=True)) == ["done", "skipped"]
    # The end-date alert resolved by itself.
    alert = ending.alerts.get()
    assert alert.status == Alert.Status.RESOLVED and alert.resolved_by_system
    page = client.get(reverse("caseloads:enrollment", args=[ending.pk])).content.decode()
    assert "Graduated on Nov 18, 2026" in page and "Nurse Alvarez" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"handoff_to": ""}, "handoff_to", "This field is required."),
        ({"handoff_accepted": None}, "handoff_accepted", "This field is required."),
        ({"summary": "  "}, "summary", "This field is required."),
        ({"closed_on": "2026-11-19"}, "closed_on", "The closing date cannot be in the future."),
        ({"closed_on": "2026-05-01"}, "closed_on", "cannot be before the enrollment started"),
        ({"closed_on": "18/11/2026"}, "closed_on", "Enter a valid date."),
    ],
)
def test_graduation_refuses_bad_input_and_writes_nothing(
    org, login, ending, overrides, field, message
):
    response = login(org.a1).post(
        reverse("actionplans:graduate", args=[ending.pk]), graduation(ending, **overrides)
    )
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    ending.refresh_from_db()
    assert ending.status == Enrollment.Status.ENROLLED and ending.closed_on is None
    assert set(Goal.objects.values_list("status", flat=True)) == {"active"}
    # What was typed comes back.
    if field != "summary":
        assert "Walks twice a week" in response.content.decode()


def test_every_active_goal_needs_its_outcome(org, login, ending):
    walking, _housing = ending.goals_
    response = login(org.a1).post(
        reverse("actionplans:graduate", args=[ending.pk]),
        graduation(ending, **{f"goal_{walking.pk}": ""}),
    )
    assert response.context["form"].errors[f"goal_{walking.pk}"] == ["This field is required."]
    assert Enrollment.objects.get(pk=ending.pk).status == "enrolled"


def test_graduating_an_enrollment_that_is_not_enrolled_is_refused(org, login, ending):
    client = login(org.a1)
    client.post(reverse("actionplans:graduate", args=[ending.pk]), graduation(ending))
    again = client.post(
        reverse("actionplans:graduate", args=[ending.pk]),
        graduation(ending, handoff_to="Somebody else"),
    )
    assert (
        "Only an enrolled patient can graduate or withdraw; this enrollment is graduated."
        in (again.context["form"].errors["closed_on"])
    )
    assert Enrollment.objects.get(pk=ending.pk).handoff_to == "Nurse Alvarez, Eastside clinic"
    # Opening the form again leads back to the patient page with a message.
    page = client.get(reverse("actionplans:graduate", args=[ending.pk]), follow=True)
    assert "there is nothing to close" in page.content.decode()


def test_a_referral_cannot_graduate(org):
    referral = EnrollmentFactory(
        chw=org.a1, status="referred", enrolled_on=None, planned_end_on=None
    )
    with pytest.raises(Exception, match="this enrollment is referred"):
        plan_services.enrollment_graduate(
            enrollment=referral,
            by=org.a1,
            closed_on=TODAY,
            summary="x",
            handoff_to="y",
            handoff_accepted=True,
            outcomes={},
        )


def test_after_graduation_steps_are_refused_and_contacts_are_marked_after_end(org, ending):
    walking, _ = ending.goals_
    plan_services.enrollment_graduate(
        enrollment=ending,
        by=org.a1,
        closed_on=TODAY - dt.timedelta(days=1),
        summary="Done",
        handoff_to="Clinic",
        handoff_accepted=True,
        outcomes={g.pk: "achieved" for g in ending.goals_},
    )
    walking.refresh_from_db()
    with pytest.raises(Exception, match="reopen it before adding steps"):
        plan_services.step_create(
            goal=walking,
            by=org.a1,
            description="x",
            owner="chw",
            support_type="coaching",
            due_on=TODAY,
        )
    with pytest.raises(Exception, match="only be added while the patient is enrolled"):
        plan_services.goal_create(
            enrollment=ending, by=org.a1, statement="New", category="other", set_on=TODAY
        )
    call = services.encounter_log(
        enrollment=ending,
        author=org.a1,
        data=EncounterInput(
            occurred_at=dt.datetime(2026, 11, 18, 9, tzinfo=NY),
            kind="phone",
            reached=True,
            initiated_by="patient",
        ),
    )
    assert call.after_end
    assert ending.alerts.filter(kind=Alert.Kind.CONTACT_AFTER_END, status="open").exists()


def test_graduating_on_an_earlier_day_flags_the_later_contacts_after_end(org, ending):
    """The contact of 17 November, logged while enrolled, is after a 16 November closing."""
    plan_services.enrollment_graduate(
        enrollment=ending,
        by=org.a1,
        closed_on=dt.date(2026, 11, 16),
        summary="Done",
        handoff_to="Clinic",
        handoff_accepted=False,
        outcomes={g.pk: "not_achieved" for g in ending.goals_},
    )
    assert ending.encounters.get().after_end


def test_withdrawal_needs_a_reason_and_drops_active_goals(org, login, ending):
    client = login(org.a1)
    url = reverse("actionplans:withdraw", args=[ending.pk])
    refused = client.post(url, {"closed_on": "2026-11-18", "close_reason": ""})
    assert refused.context["form"].errors["close_reason"] == ["This field is required."]
    assert Enrollment.objects.get(pk=ending.pk).status == "enrolled"
    client.post(url, {"closed_on": "2026-11-18", "close_reason": "Moved to Ohio"})
    ending.refresh_from_db()
    assert (ending.status, ending.close_reason) == ("withdrawn", "Moved to Ohio")
    assert set(Goal.objects.values_list("status", flat=True)) == {"dropped"}


def test_a_closing_note_that_mentions_immigration_status_is_warned_about(org, login, ending):
    url = reverse("actionplans:withdraw", args=[ending.pk])
    data = {"closed_on": "2026-11-18", "close_reason": "Undocumented, afraid of ICE"}
    warned = login(org.a1).post(url, data)
    assert "seems to mention immigration status" in warned.content.decode()
    assert Enrollment.objects.get(pk=ending.pk).status == "enrolled"


# -- extension ---------------------------------------------------------------------------------


def test_the_manager_extends_once_with_a_reason(org, login, ending):
    EncounterFactory(
        enrollment=ending, occurred_at=dt.datetime(2026, 11, 18, 9, tzinfo=NY), after_end=True
    )
    client = login(org.ma)
    url = reverse("caseloads:extend", args=[ending.pk])
    response = client.post(
        url, {"planned_end_on": "2027-01-15", "extension_reason": "Waiting for surgery date"}
    )
    assert response.status_code == 302
    ending.refresh_from_db()
    assert ending.planned_end_on == dt.date(2027, 1, 15)
    assert ending.extended_from == dt.date(2026, 11, 28)
    assert (ending.extension_reason, ending.extended_by) == ("Waiting for surgery date", org.ma)
    # The encounter wrongly flagged after end is re-flagged; the end alert resolved.
    assert not ending.encounters.filter(after_end=True).exists()
    assert not ending.alerts.filter(status__in=Alert.UNRESOLVED).exists()
    again = client.post(url, {"planned_end_on": "2027-02-01", "extension_reason": "More"})
    assert again.status_code == 400
    assert "already extended once (from Nov 28, 2026)" in again.content.decode()
    ending.refresh_from_db()
    assert ending.planned_end_on == dt.date(2027, 1, 15)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"planned_end_on": "2026-11-20"}, "planned_end_on", "must be after the current one"),
        ({"planned_end_on": "2027-06-01"}, "planned_end_on", "by at most one standard period"),
        ({"planned_end_on": ""}, "planned_end_on", "This field is required."),
        ({"extension_reason": ""}, "extension_reason", "This field is required."),
    ],
)
def test_an_extension_with_bad_input_is_refused(org, login, ending, data, field, message):
    post = {"planned_end_on": "2027-01-15", "extension_reason": "Surgery"} | data
    response = login(org.ma).post(reverse("caseloads:extend", args=[ending.pk]), post)
    assert response.status_code == 400
    errors = response.context["extend_form"].errors[field]
    assert any(message in error for error in errors)
    ending.refresh_from_db()
    assert ending.planned_end_on == dt.date(2026, 11, 28) and ending.extended_from is None


def test_only_the_patients_manager_may_extend(org, login, ending):
    post = {"planned_end_on": "2027-01-15", "extension_reason": "Surgery"}
    url = reverse("caseloads:extend", args=[ending.pk])
    assert login(org.a1).post(url, post).status_code == 403
    assert login(org.mb).post(url, post).status_code == 404
    assert login(org.leader).post(url, post).status_code == 403
    assert Enrollment.objects.get(pk=ending.pk).extended_from is None


def test_the_closing_pages_are_scoped_to_the_patients_chw_and_manager(org, login, ending):
    for name in ("actionplans:graduate", "actionplans:withdraw"):
        url = reverse(name, args=[ending.pk])
        assert login(org.a1).get(url).status_code == 200
        assert login(org.ma).get(url).status_code == 200
        assert login(org.a2).get(url).status_code == 404
        assert login(org.b1).get(url).status_code == 404
        assert login(org.mb).get(url).status_code == 404
        assert login(org.leader).get(url).status_code == 403
        assert login(org.b1).post(url, graduation(ending)).status_code == 404
    assert Enrollment.objects.get(pk=ending.pk).status == "enrolled"


def test_a_closing_date_before_a_goal_was_set_is_refused(org, login, ending):
    walking, _ = ending.goals_
    Goal.objects.filter(pk=walking.pk).update(set_on=dt.date(2026, 11, 10))
    response = login(org.a1).post(
        reverse("actionplans:graduate", args=[ending.pk]),
        graduation(ending, closed_on="2026-11-05"),
    )
    assert response.context["form"].errors["closed_on"] == [
        "A goal was set on Nov 10, 2026, after this closing date."
    ]
    assert Enrollment.objects.get(pk=ending.pk).status == "enrolled"


def test_an_overdue_patient_cannot_be_extended_to_a_day_already_past(org, login):
    """Ended 10 days ago (8 November): 15 November is later, but still in the past."""
    overdue = EnrollmentFactory(chw=org.a1, days_ago=190)
    response = login(org.ma).post(
        reverse("caseloads:extend", args=[overdue.pk]),
        {"planned_end_on": "2026-11-15", "extension_reason": "Surgery"},
    )
    assert response.context["extend_form"].errors["planned_end_on"] == [
        "The new end date must be after today: an extension gives the patient more time."
    ]
    assert "The end date was not extended" in response.content.decode()
    overdue.refresh_from_db()
    assert overdue.planned_end_on == dt.date(2026, 11, 8) and not overdue.was_extended


@pytest.mark.parametrize(
    ("closed_on", "message"),
    [
        ("2026-11-19", "The closing date cannot be in the future."),
        # The enrollment began on 1 June 2026, 170 days before 18 November.
        ("2026-05-31", "cannot be before the enrollment started (Jun 1, 2026)"),
    ],
)
def test_withdrawal_dates_outside_the_enrollment_are_refused(
    org, login, ending, closed_on, message
):
    response = login(org.a1).post(
        reverse("actionplans:withdraw", args=[ending.pk]),
        {"closed_on": closed_on, "close_reason": "Moved"},
    )
    assert any(message in e for e in response.context["form"].errors["closed_on"])
    assert Enrollment.objects.get(pk=ending.pk).status == "enrolled"


def test_a_long_overdue_patient_in_a_short_program_can_still_be_extended(org, login):
    """Hospital version, 14 days: ended 26 days ago (23 October). The limit counts from
    today: 18 November + 14 = 2 December."""
    org.program.intervention_days = 14
    org.program.end_warning_days = 3
    org.program.save()
    overdue = EnrollmentFactory(chw=org.a1, days_ago=40)
    client = login(org.ma)
    url = reverse("caseloads:extend", args=[overdue.pk])
    refused = client.post(url, {"planned_end_on": "2026-12-03", "extension_reason": "Rehab"})
    assert "to Dec 2, 2026 at the latest" in refused.content.decode()
    client.post(url, {"planned_end_on": "2026-12-02", "extension_reason": "Rehab"})
    overdue.refresh_from_db()
    assert overdue.planned_end_on == dt.date(2026, 12, 2)


def test_extending_a_referral_is_refused_not_an_error(org, login):
    """A referral has no planned end yet: the manager is told only an enrolled patient can
    be extended (the service compared the missing end date first and failed with a 500)."""
    referral = EnrollmentFactory(chw=org.a1, status="referred", enrolled_on=None)
    response = login(org.ma).post(
        reverse("caseloads:extend", args=[referral.pk]),
        {"planned_end_on": "2027-01-10", "extension_reason": "Waiting for surgery date"},
    )
    assert response.status_code == 400
    assert response.context["extend_form"].errors["planned_end_on"] == [
        "Only an enrolled patient's end date can be extended."
    ]
    referral.refresh_from_db()
    assert referral.planned_end_on is None and referral.extended_from is None

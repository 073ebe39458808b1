"""Caseload, team, patient page, visit log and reassignment as each persona meets them."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from caseloads.models import Encounter, Enrollment, EnrollmentReassignment
from tests.conftest import NOW
from tests.factories import EncounterFactory, EnrollmentFactory, PatientFactory

TODAY = NOW.date()
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def names_in(response) -> set[str]:
    return {row.enrollment.patient.family_name for row in response.context["rows"]}


def enroll(chw, family_name, **kwargs):
    return EnrollmentFactory(
        chw=chw, patient=PatientFactory(program=chw.program, family_name=family_name), **kwargs
    )


class TestMyCaseload:
    def test_chw_sees_exactly_their_active_patients(self, org, login):
        enroll(org.a1, "Mine", days_ago=10)
        enroll(org.a1, "MineToo", days_ago=100)
        enroll(org.a2, "Colleague")
        enroll(org.b1, "OtherTeam")
        enroll(org.a1, "Waiting", status="referred", enrolled_on=None, planned_end_on=None)
        response = login(org.a1).get(reverse("caseloads:mine"))
        assert response.status_code == 200
        assert names_in(response) == {"Mine", "MineToo"}
        body = response.content.decode()
        assert "Colleague" not in body and "OtherTeam" not in body

    def test_days_left_and_since_contact_are_shown(self, org, login):
        enrollment = enroll(org.a1, "Ruiz", days_ago=170)  # 10 days left
        EncounterFactory(enrollment=enrollment, occurred_at=NOW - dt.timedelta(days=15))
        response = login(org.a1).get(reverse("caseloads:mine"))
        [row] = response.context["rows"]
        assert (row.days_left, row.days_since_contact, row.contact_overdue) == (10, 15, True)

    def test_filters_and_sorting(self, org, login):
        enroll(org.a1, "Alvarez", days_ago=190)  # past the end
        enroll(org.a1, "Baptiste", days_ago=170)  # ending in 10 days
        enroll(org.a1, "Chen", days_ago=5)
        client = login(org.a1)
        url = reverse("caseloads:mine")
        assert names_in(client.get(url, {"attention": "past_end"})) == {"Alvarez"}
        assert names_in(client.get(url, {"attention": "ending"})) == {"Baptiste"}
        # Enrolled 5 days ago: not yet overdue; the other two were never reached.
        assert names_in(client.get(url, {"attention": "no_contact"})) == {"Alvarez", "Baptiste"}
        assert names_in(client.post(url, {"q": "chen"})) == {"Chen"}
        assert names_in(client.post(url, {"q": "chen", "attention": "no_contact"})) == set()
        rows = client.get(url, {"sort": "-name"}).context["rows"]
        assert [r.enrollment.patient.family_name for r in rows] == ["Chen", "Baptiste", "Alvarez"]
        # Default: soonest end first.
        rows = client.get(url).context["rows"]
        assert [r.enrollment.patient.family_name for r in rows] == ["Alvarez", "Baptiste", "Chen"]

    def test_the_name_search_is_posted_never_read_from_the_url(self, org, login):
        enroll(org.a1, "Chen")
        enroll(org.a1, "Alvarez")
        client = login(org.a1)
        url = reverse("caseloads:mine")
        page = client.get(url)
        assert '<form method="post" class="row g-2 align-items-end mb-3" role="search">' in (
            page.content.decode()
        )
        # An old bookmark with a name in it: the same page, the name gone from the address.
        response = client.get(url, {"q": "chen", "attention": "ending"})
        assert (response.status_code, response.url) == (302, f"{url}?attention=ending")
        assert client.get(url + "?q=chen").url == url

    def test_a_manager_searches_a_chws_caseload_by_post(self, org, login):
        enroll(org.a2, "Chen")
        enroll(org.a2, "Alvarez")
        url = reverse("caseloads:mine") + f"?chw={org.a2.pk}"
        response = login(org.ma).post(url, {"q": "alv"})
        assert names_in(response) == {"Alvarez"}
        other_team = reverse("caseloads:mine") + f"?chw={org.b1.pk}"
        assert login(org.ma).post(other_team, {"q": "a"}).status_code == 404

    def test_a_bad_filter_value_is_ignored_with_a_message_not_an_error(self, org, login):
        enroll(org.a1, "Ruiz")
        response = login(org.a1).get(reverse("caseloads:mine"), {"attention": "bogus"})
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()

    def test_manager_opens_their_chws_caseload_only(self, org, login):
        enroll(org.a2, "Colleague")
        enroll(org.b1, "OtherTeam")
        client = login(org.ma)
        response = client.get(reverse("caseloads:mine"), {"chw": org.a2.pk})
        assert names_in(response) == {"Colleague"}
        assert client.get(reverse("caseloads:mine"), {"chw": org.b1.pk}).status_code == 404
        assert client.get(reverse("caseloads:mine")).status_code == 302  # to the team page

    def test_a_chw_cannot_open_a_colleagues_caseload(self, org, login):
        enroll(org.a2, "Colleague")
        response = login(org.a1).get(reverse("caseloads:mine"), {"chw": org.a2.pk})
        assert names_in(response) == set()  # ?chw is ignored for CHWs: always their own


class TestTeamPage:
    def test_counts_against_the_cap_and_stale_patients(self, org, login):
        org.program.caseload_cap = 2
        org.program.save()
        for n in range(3):
            enroll(org.a1, f"A1-{n}", days_ago=5)
        contacted = enroll(org.a2, "Reached", days_ago=60)
        EncounterFactory(enrollment=contacted, occurred_at=NOW - dt.timedelta(days=2))
        enroll(org.a2, "Forgotten", days_ago=60)
        enroll(org.b1, "OtherTeam", days_ago=60)
        response = login(org.ma).get(reverse("caseloads:team"))
        chws = {c.username: c for c in response.context["chws"]}
        assert set(chws) == {"a1", "a2"}
        assert (chws["a1"].active, chws["a1"].over_cap) == (3, True)
        assert (chws["a2"].active, chws["a2"].over_cap) == (2, False)
        assert [r.enrollment.patient.family_name for r in response.context["stale"]] == [
            "Forgotten"
        ]
        body = response.content.decode()
        assert "over cap" in body
        assert "OtherTeam" not in body

    def test_other_manager_sees_only_their_team(self, org, login):
        enroll(org.a1, "North")
        response = login(org.mb).get(reverse("caseloads:team"))
        assert {c.username for c in response.context["chws"]} == {"b1", "b2"}
        assert "North" not in response.content.decode()


class TestPatientPage:
    @pytest.mark.parametrize(
        ("who", "status"),
        [("a1", 200), ("ma", 200), ("a2", 404), ("b1", 404), ("mb", 404), ("leader", 403)],
    )
    def test_scope(self, org, login, who, status):
        enrollment = enroll(org.a1, "Ruiz")
        url = reverse("caseloads:enrollment", args=[enrollment.pk])
        assert login(getattr(org, who)).get(url).status_code == status

    def test_timeline_newest_first_with_flags(self, org, login):
        enrollment = enroll(org.a1, "Ruiz", days_ago=200)
        EncounterFactory(
            enrollment=enrollment, occurred_at=NOW - dt.timedelta(days=100), notes="first visit"
        )
        EncounterFactory(
            enrollment=enrollment,
            occurred_at=NOW - dt.timedelta(days=1),
            kind="phone",
            after_end=True,
            after_hours=True,
            notes="called late",
        )
        response = login(org.a1).get(reverse("caseloads:enrollment", args=[enrollment.pk]))
        body = response.content.decode()
        assert body.index("called late") < body.index("first visit")
        assert "after the end date" in body and "after hours" in body

    def test_missing_enrollment_is_404(self, org, login):
        assert login(org.a1).get(reverse("caseloads:enrollment", args=[999999])).status_code == 404


def visit_data(**overrides) -> dict:
    data = {
        "kind": "home_visit",
        "reached": "yes",
        "occurred_at": "2026-11-18T09:30",
        "initiated_by": "chw",
        "setting": "",
        "duration_minutes": "45",
        "notes": "Talked about the food pantry.",
        "next_touchpoint_on": "",
        "submission_key": str(uuid.uuid4()),
    }
    return data | overrides


class TestLogVisit:
    @pytest.fixture
    def enrollment(self, org):
        return enroll(org.a1, "Ruiz", days_ago=30)

    def url(self, enrollment):
        return reverse("caseloads:encounter_new", args=[enrollment.pk])

    def test_form_defaults_to_now_in_program_time(self, org, login, enrollment):
        response = login(org.a1).get(self.url(enrollment))
        assert 'value="2026-11-18T10:00"' in response.content.decode()

    def test_logs_and_lands_on_the_timeline(self, org, login, enrollment):
        client = login(org.a1)
        response = client.post(self.url(enrollment), visit_data(next_touchpoint_on="2026-11-25"))
        assert response.status_code == 302
        encounter = Encounter.objects.get()
        assert encounter.occurred_at == dt.datetime(2026, 11, 18, 14, 30, tzinfo=dt.UTC)
        assert (encounter.author, encounter.kind, encounter.setting) == (
            org.a1,
            "home_visit",
            "community",
        )
        assert (encounter.reached, encounter.duration_minutes) == (True, 45)
        assert (encounter.after_hours, encounter.after_end) == (False, False)
        enrollment.refresh_from_db()
        assert enrollment.next_touchpoint_on == dt.date(2026, 11, 25)
        page = client.get(response.url)
        assert "Talked about the food pantry." in page.content.decode()

    def test_evening_call_from_the_patient_is_after_hours(self, org, login, enrollment):
        login(org.a1).post(
            self.url(enrollment),
            visit_data(kind="phone", occurred_at="2026-11-17T19:15", initiated_by="patient"),
        )
        encounter = Encounter.objects.get()
        assert (encounter.after_hours, encounter.setting, encounter.initiated_by) == (
            True,
            "remote",
            "patient",
        )

    def test_manager_may_log_for_their_team(self, org, login, enrollment):
        assert login(org.ma).post(self.url(enrollment), visit_data()).status_code == 302
        assert Encounter.objects.get().author == org.ma

    @pytest.mark.parametrize("who", ["a2", "b1", "mb"])
    def test_outside_scope_is_404_and_writes_nothing(self, org, login, enrollment, who):
        response = login(getattr(org, who)).post(self.url(enrollment), visit_data())
        assert response.status_code == 404
        assert Encounter.objects.count() == 0

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"occurred_at": "2026-11-19T09:00"}, "occurred_at", "cannot be in the future"),
            ({"occurred_at": "2026-10-01T09:00"}, "occurred_at", "before the enrollment started"),
            ({"occurred_at": "yesterday"}, "occurred_at", "Enter a valid date/time"),
            ({"occurred_at": ""}, "occurred_at", "This field is required"),
            ({"notes": "x" * 4001}, "notes", "at most 4000 characters"),
            ({"kind": "teleport"}, "kind", "Select a valid choice"),
            ({"duration_minutes": "0"}, "duration_minutes", "greater than or equal to 1"),
            ({"duration_minutes": "2000"}, "duration_minutes", "less than or equal to 1440"),
            ({"next_touchpoint_on": "2026-11-01"}, "next_touchpoint_on", "today or later"),
        ],
    )
    def test_bad_input_is_shown_next_to_the_field(
        self, org, login, enrollment, overrides, field, message
    ):
        data = visit_data(**overrides)
        response = login(org.a1).post(self.url(enrollment), data)
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert message in " ".join(errors[field])
        assert Encounter.objects.count() == 0
        # What the CHW typed is still there.
        assert "Talked about the food pantry." in response.content.decode() or field == "notes"

    def test_double_submit_logs_once(self, org, login, enrollment):
        client = login(org.a1)
        data = visit_data()
        first = client.post(self.url(enrollment), data)
        second = client.post(self.url(enrollment), data)
        assert first.status_code == second.status_code == 302
        assert Encounter.objects.count() == 1

    def test_wrong_method(self, org, login, enrollment):
        assert login(org.a1).put(self.url(enrollment)).status_code == 405

    def test_declined_referral_has_no_visit_log(self, org, login):
        declined = enroll(
            org.a1,
            "Ruiz",
            status="declined",
            enrolled_on=None,
            planned_end_on=None,
            closed_on=TODAY,
        )
        assert login(org.a1).get(self.url(declined)).status_code == 404


class TestReassign:
    @pytest.fixture
    def enrollment(self, org):
        return enroll(org.a1, "Ruiz")

    def url(self, enrollment):
        return reverse("caseloads:reassign", args=[enrollment.pk])

    def test_manager_moves_a_patient_within_the_team(self, org, login, enrollment):
        client = login(org.ma)
        page = client.get(reverse("caseloads:enrollment", args=[enrollment.pk]))
        form_html = page.content.decode().split('name="to_chw"')[1].split("</select>")[0]
        assert str(org.a2) in form_html and str(org.b1) not in form_html
        response = client.post(self.url(enrollment), {"to_chw": org.a2.pk, "reason": "Leave"})
        assert response.status_code == 302
        enrollment.refresh_from_db()
        assert enrollment.chw == org.a2
        move = EnrollmentReassignment.objects.get()
        assert (move.from_chw, move.to_chw, move.by, move.reason) == (
            org.a1,
            org.a2,
            org.ma,
            "Leave",
        )
        assert "Reassigned from" in client.get(response.url).content.decode()

    @pytest.mark.parametrize(
        ("target", "reason", "field", "message"),
        [
            ("b1", "Leave", "to_chw", "same team"),
            ("a2", "", "reason", "This field is required"),
            (None, "Leave", "to_chw", "This field is required"),
        ],
    )
    def test_refused_with_a_message_and_nothing_written(
        self, org, login, enrollment, target, reason, field, message
    ):
        to_chw = getattr(org, target).pk if target else ""
        response = login(org.ma).post(self.url(enrollment), {"to_chw": to_chw, "reason": reason})
        assert response.status_code == 400
        assert message in " ".join(response.context["reassign_form"].errors[field])
        enrollment.refresh_from_db()
        assert enrollment.chw == org.a1
        assert EnrollmentReassignment.objects.count() == 0

    @pytest.mark.parametrize(("who", "status"), [("mb", 404), ("a1", 403), ("leader", 403)])
    def test_only_the_teams_manager(self, org, login, enrollment, who, status):
        response = login(getattr(org, who)).post(
            self.url(enrollment), {"to_chw": org.a2.pk, "reason": "x"}
        )
        assert response.status_code == status
        assert Enrollment.objects.get().chw == org.a1

    def test_get_is_not_allowed(self, org, login, enrollment):
        assert login(org.ma).get(self.url(enrollment)).status_code == 405

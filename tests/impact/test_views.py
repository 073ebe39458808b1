"""Sign-in, each role's home page, navigation by role, and who may open what (§4)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from impact import audit
from tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "home"),
    [
        ("a1", "caseloads:mine"),
        ("ma", "caseloads:team"),
        ("leader", "overview"),
        # Admins must set up two-factor sign-in first (tests/auth/test_two_factor.py).
        ("admin", "two_factor_setup"),
    ],
)
def test_each_role_lands_on_its_own_page(client, org, password, who, home):
    response = client.post(reverse("login"), {"username": who, "password": password}, follow=True)
    assert response.redirect_chain[-1][0].split("?")[0] == reverse(home)
    assert response.status_code == 200


def test_wrong_password_stays_on_the_login_page(client, org):
    response = client.post(reverse("login"), {"username": "a1", "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Please enter a correct username and password" in response.content.decode()


def test_sign_out_is_a_post(client, org, login):
    login(org.a1)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        ("a1", ["My caseload", "Enroll a patient"], ["Team caseloads", "Program overview"]),
        ("ma", ["Team caseloads", "Enroll a patient"], ["My caseload", "Program overview"]),
        (
            "leader",
            ["Program overview", "ROI", "Costs", "Import hospital use", "Exports"],
            ["My caseload", "Team caseloads", "Enroll a patient", "Administration"],
        ),
        ("admin", ["Program overview", "Administration"], ["My caseload", "Team caseloads"]),
    ],
)
def test_navigation_shows_only_what_the_role_may_open(org, login, who, shown, hidden):
    response = login(getattr(org, who)).get(reverse("home"), follow=True)
    nav = response.content.decode().split('id="nav"')[1].split('<span class="navbar-text')[0]
    for label in shown:
        assert label in nav
    for label in hidden:
        assert label not in nav


PATIENT_LEVEL = [
    ("caseloads:mine", {}),
    ("caseloads:enroll", {}),
    ("caseloads:patient_new", {}),
    ("caseloads:enrollment", {"pk": "enrollment"}),
    ("caseloads:encounter_new", {"pk": "enrollment"}),
    ("caseloads:enrollment_new", {"patient_pk": "patient"}),
]


def _url(name, kwargs, enrollment):
    values = {"enrollment": enrollment.pk, "patient": enrollment.patient_id}
    return reverse(name, kwargs={k: values[v] for k, v in kwargs.items()})


@pytest.mark.parametrize(("name", "kwargs"), PATIENT_LEVEL)
def test_anonymous_is_sent_to_sign_in(client, org, name, kwargs):
    url = _url(name, kwargs, EnrollmentFactory(chw=org.a1))
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(("name", "kwargs"), PATIENT_LEVEL + [("caseloads:team", {})])
@pytest.mark.parametrize("who", ["leader", "admin"])
def test_leaders_and_admins_never_open_patient_level_pages(org, login, name, kwargs, who):
    url = _url(name, kwargs, EnrollmentFactory(chw=org.a1))
    assert login(getattr(org, who)).get(url).status_code == 403


def test_team_page_is_for_managers(org, login):
    assert login(org.a1).get(reverse("caseloads:team")).status_code == 403


@pytest.mark.parametrize("who", ["a1", "ma"])
def test_overview_is_for_leaders(org, login, who):
    assert login(getattr(org, who)).get(reverse("overview")).status_code == 403


def test_overview_shows_program_figures_not_patients(org, login, frozen):
    org.program.caseload_cap = 1
    org.program.save()
    for _ in range(2):
        EnrollmentFactory(chw=org.a1)
    EnrollmentFactory(chw=org.b1)
    response = login(org.leader).get(reverse("overview"))
    summary = response.context["summaries"][0]
    # 3 active patients and 1 CHW over the cap are about fewer than 11 people: hidden
    # (DESIGN.md §4); the staff and teams are the leader's own and are shown.
    assert (summary.chws, summary.teams) == (4, 2)
    assert [str(summary.active), str(summary.chws_over_cap)] == ["fewer than 11"] * 2
    assert "Given" not in response.content.decode()  # no patient names


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("caseloads:mine", "put"),  # a POST filters the caseload (no names in the URL)
        ("caseloads:team", "post"),
        ("caseloads:enroll", "put"),  # a POST searches (no patient details in the URL)
        ("home", "post"),
        ("overview", "post"),
    ],
)
def test_wrong_method(org, login, name, method):
    who = org.leader if name == "overview" else org.ma
    response = getattr(login(who), method)(reverse(name))
    assert response.status_code == 405


def test_admin_has_every_model(org, login, frozen):
    from django.apps import apps
    from django.contrib import admin

    enrollment = EnrollmentFactory(chw=org.a1)
    historical = {audit.history_of(model).model for model in audit.history_models()}
    ours = [
        model
        for model in apps.get_models()
        # Historical rows are shown on each record's History page, never as a model.
        if model._meta.app_label in {"impact", "caseloads", "actionplans", "reports"}
        and model not in historical
    ]
    assert ours
    client = login(org.admin)
    for model in ours:
        assert admin.site.is_registered(model), model
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
    enrollment_url = reverse("admin:caseloads_enrollment_change", args=[enrollment.pk])
    assert client.get(enrollment_url).status_code == 200

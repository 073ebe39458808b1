"""Each page is declared once (impact.pages), and the declarations are right:

- every declaration says what DESIGN.md §4 says (tests/security/section4.py, written
  independently of the declarations);
- a patient-level declaration that lets leaders (or anyone) in is refused when declared;
- a page not declared patient-level never reads a patient's identifying or free-text
  columns, and a page declared patient-level is in the access log, request by request;
- the menus, generated from the declarations, show each role what §4 lets it open.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from impact.models import AccessLog
from impact.pages import (
    ADMIN,
    ANYONE,
    CHW,
    LEADER,
    LEADER_LEVEL,
    MANAGER,
    Menu,
    menu_for,
    page,
    pages,
)
from tests.factories import EnrollmentFactory, UtilizationFactory
from tests.security import section4
from tests.security.test_policy import PLAYERS, app_urls, url_for
from tests.security.world import world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

# Patient-level records (§4: patients, enrollments, encounters, goals, steps, intake; the
# alerts and supervision sessions about them; hospital use matched to a patient).
PATIENT_RECORDS = section4.ADMIN_PATIENT_LEVEL_MODELS - {"impact.accesslog"}


def patient_text_columns() -> set[str]:
    """'"table"."column"' for every identifying or free-text column of a patient-level
    record: text a person typed or that names a patient (names, MRN, phone, notes, goals in
    the patient's words), and the date of birth. Coded columns (choices), dates, numbers and
    keys may be counted by figures that are not patient-level, and so may the patient's
    language (a code)."""
    columns = set()
    for label in PATIENT_RECORDS:
        model = apps.get_model(label)
        for field in model._meta.concrete_fields:
            text = isinstance(field, models.CharField | models.TextField) and not field.choices
            if field.name == "preferred_language":
                continue
            if text or field.name == "date_of_birth":
                columns.add(f'"{model._meta.db_table}"."{field.column}"')
    return columns


def mismatches(declared: dict) -> list[str]:
    """Where the declarations and §4's table disagree."""
    wrong = []
    for name, (roles, patient_level) in section4.EXPECTED.items():
        got = declared.get(name)
        if got is None:
            wrong.append(f"{name}: not declared")
            continue
        if got.roles != roles:
            wrong.append(f"{name}: declares {sorted(got.roles)}, §4 says {sorted(roles)}")
        if got.patient_level != patient_level:
            wrong.append(f"{name}: declares patient_level={got.patient_level}, §4 says the other")
    return wrong


def test_every_declaration_says_what_section_4_says():
    assert mismatches(pages()) == []


def test_a_wrong_declaration_is_caught(monkeypatch):
    declared = dict(pages())
    roi, session = declared["reports:roi"], declared["supervision:session"]
    assert roi is not None and session is not None
    declared["reports:roi"] = replace(roi, roles=roi.roles | {MANAGER})
    declared["supervision:session"] = replace(session, patient_level=False, pk=None)
    assert mismatches(declared) == [
        "supervision:session: declares patient_level=False, §4 says the other",
        "reports:roi: declares ['admin', 'leader', 'manager'], §4 says ['admin', 'leader']",
    ]


@pytest.mark.parametrize(
    "roles",
    [LEADER_LEVEL, {CHW, MANAGER, LEADER}, ANYONE, {LEADER}],
    ids=["leaders", "staff with leaders", "anyone", "leader alone"],
)
def test_a_patient_level_page_that_lets_leaders_in_cannot_be_declared(roles):
    with pytest.raises(ImproperlyConfigured, match="never leaders"):
        page(roles, patient_level=True)


def test_a_declaration_with_an_unknown_role_or_a_menu_for_a_refused_role_is_refused():
    with pytest.raises(ImproperlyConfigured, match="unknown"):
        page({"billing office"}, patient_level=False)
    with pytest.raises(ImproperlyConfigured, match="menu"):
        page({CHW}, patient_level=False, menu=Menu("Overview", 10, roles=frozenset({LEADER})))
    with pytest.raises(ImproperlyConfigured, match="patient-level only"):
        page(LEADER_LEVEL, patient_level=False, pk="enrollment")


def reads_of_patient_text(queries: list[dict], columns: set[str]) -> set[str]:
    return {column for query in queries for column in columns if column in query["sql"]}


def visit_every_page(client, login, w) -> dict[str, list[str]]:
    """Ask every page with GET as every role its declaration lets in; what went wrong."""
    columns = patient_text_columns()
    declared = pages()
    users = {role: w.org.__dict__.get(username) for role, username in PLAYERS.items()}
    problems: dict[str, list[str]] = {"reads": [], "unlogged": [], "logged": []}
    for role, user in users.items():
        client.logout()
        if user is not None:
            login(user)
        for name, params in sorted(app_urls().items()):
            this = declared[name]
            if this is None or (role not in this.roles and this.roles != ANYONE):
                continue
            before = AccessLog.objects.filter(kind=AccessLog.Kind.VIEW).count()
            with CaptureQueriesContext(connection) as queries:
                client.get(url_for(w, name, params, user, role))
            logged = AccessLog.objects.filter(kind=AccessLog.Kind.VIEW).count() - before
            if this.patient_level and not logged and user is not None:
                problems["unlogged"].append(f"{name} as {role}")
            if not this.patient_level:
                if logged:
                    problems["logged"].append(f"{name} as {role}")
                read = reads_of_patient_text(queries.captured_queries, columns)
                if read:
                    problems["reads"].append(f"{name} as {role}: {sorted(read)}")
    return problems


def test_pages_not_declared_patient_level_read_no_patient_text_and_the_others_are_logged(
    client,
    login,
    world,  # noqa: F811
):
    columns = patient_text_columns()
    assert len(columns) == 25 and '"caseloads_patient"."date_of_birth"' in columns
    problems = visit_every_page(client, login, world)
    assert problems == {"reads": [], "unlogged": [], "logged": []}


@pytest.mark.urls("tests.security.urls_leaky")
def test_a_page_reading_patients_without_declaring_it_is_caught(client, login, world):  # noqa: F811
    problems = visit_every_page(client, login, world)
    assert [line.split(":")[0] for line in problems["reads"]] == [
        "leaky as leader",
        "leaky as admin",
    ]
    assert '"caseloads_patient"."family_name"' in problems["reads"][0]


def test_the_admin_pages_of_exactly_the_patient_level_models_are_logged():
    declared = {
        f"{model._meta.app_label}.{model._meta.model_name}"
        for model, model_admin in admin.site._registry.items()
        if getattr(model_admin, "patient_level", False)
    }
    assert declared == section4.ADMIN_PATIENT_LEVEL_MODELS


def test_an_administrator_reading_hospital_use_in_the_admin_is_logged(org, login):
    record = UtilizationFactory(patient=EnrollmentFactory(chw=org.a1).patient)
    login(org.admin).get(reverse("admin:reports_utilizationrecord_change", args=[record.pk]))
    line = AccessLog.objects.get()
    assert (line.url_name, line.object_ids) == (
        "admin:reports_utilizationrecord_change",
        {"utilizationrecord": str(record.pk)},
    )


# -- the menus ----------------------------------------------------------------------------

# Each role's menu as a person sees it (a group: its label and its entries).
MENUS = {
    CHW: [
        "My caseload",
        "Alerts",
        "Enroll a patient",
        "My wellbeing",
        "Fidelity",
        "Partners",
    ],
    MANAGER: [
        "Team caseloads",
        "Alerts",
        "Supervision",
        "Enroll a patient",
        "Fidelity",
        "Partners",
        "Program settings",
    ],
    LEADER: [
        "Program overview",
        "ROI",
        (
            "Costs and data",
            ["Costs", "Funding sources", "Import hospital use", "ROI settings", "API tokens"],
        ),
        "Exports",
        "CHW wellbeing",
        "Fidelity",
        "Partners",
    ],
    ADMIN: [
        "Program overview",
        "ROI",
        (
            "Costs and data",
            ["Costs", "Funding sources", "Import hospital use", "ROI settings", "API tokens"],
        ),
        "Exports",
        "Fidelity",
        "Program settings",
        "Administration",
    ],
}


def test_each_roles_menu_is_generated_from_the_declarations(client, login, org):
    for role, username in ((CHW, "a1"), (MANAGER, "ma"), (LEADER, "leader"), (ADMIN, "admin")):
        client.logout()
        items = login(getattr(org, username)).get(reverse("home"), follow=True).context["nav_items"]
        seen = [
            (str(i["label"]), [str(c["label"]) for c in i["children"]])
            if "children" in i
            else str(i["label"])
            for i in items
        ]
        assert seen == MENUS[role], role
        # Every entry is a page §4 lets the role open.
        names = [name for _slot, entries in menu_for(role) for name, _ in entries]
        assert all(role in section4.roles(name) for name in names if name != "admin:index"), role

"""Accessibility basics in a real browser: axe-core (axe-playwright-python) on the main
pages of each role finds no violation of impact "serious" or "critical", and a CHW logs
a visit with the keyboard alone."""

from __future__ import annotations

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from caseloads.models import Alert, Encounter
from fidelity.services import review_start
from supervision.models import FollowUp, SupervisionSession
from supervision.services import burnout_snapshot
from tests.e2e.conftest import sign_in
from tests.factories import (
    CostLineFactory,
    EncounterFactory,
    EnrollmentFactory,
    FundingSourceFactory,
    GoalFactory,
    PartnerFactory,
    StepFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

BLOCKING = {"serious", "critical"}
AXE = Axe()


def violations(page) -> list[dict]:
    """axe's violations of impact serious or critical on the page as it is now."""
    found = AXE.run(page).response["violations"]
    return [v for v in found if v.get("impact") in BLOCKING]


def describe(path: str, found: list[dict]) -> str:
    lines = []
    for v in found:
        targets = ", ".join(" ".join(node["target"]) for node in v["nodes"][:8])
        more = f" (+{len(v['nodes']) - 8} more)" if len(v["nodes"]) > 8 else ""
        lines.append(f"{path}: [{v['impact']}] {v['id']}: {v['help']} -> {targets}{more}")
    return "\n".join(lines)


def check_pages(page, live_server, paths: list[str]) -> None:
    problems = []
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status < 400, path
        page.wait_for_load_state("networkidle")
        found = violations(page)
        if found:
            problems.append(describe(path, found))
    assert not problems, "axe found serious or critical problems:\n" + "\n".join(problems)


@pytest.fixture
def program_data(org):
    """A patient with a goal, steps, a referral, visits and an alert; a one on one with a
    follow-up; burnout snapshots; a fidelity review; costs and a funding source."""
    today = org.program.today()
    enrollment = EnrollmentFactory(chw=org.a1, days_ago=60)
    goal = GoalFactory(enrollment=enrollment, statement="Quiero caminar sin dolor")
    StepFactory(goal=goal, description="Walk 10 minutes after dinner")
    StepFactory(
        goal=goal,
        description="Pick up the food box",
        partner=PartnerFactory(program=org.program, name="Share Food"),
        support_type="referral",
        owner="partner",
    )
    EncounterFactory(enrollment=enrollment, notes="Talked about walking.")
    EnrollmentFactory(chw=org.a1, days_ago=170)  # ending soon
    EnrollmentFactory(chw=org.a2, days_ago=20)
    Alert.objects.create(
        program=org.program,
        kind=Alert.Kind.NO_RECENT_CONTACT,
        enrollment=EnrollmentFactory(chw=org.a1, days_ago=40),
        chw=org.a1,
        opened_on=today - dt.timedelta(days=9),
    )
    session = SupervisionSession.objects.create(
        manager=org.ma,
        chw=org.a1,
        occurred_on=today - dt.timedelta(days=3),
        kind=SupervisionSession.Kind.ONE_ON_ONE,
        duration_minutes=30,
        notes="Went through the caseload.",
    )
    FollowUp.objects.create(session=session, description="Book a Friday off", due_on=today)
    burnout_snapshot(program=org.program)
    review = review_start(
        program=org.program,
        start=today - dt.timedelta(days=90),
        end=today - dt.timedelta(days=1),
        by=org.ma,
    )
    CostLineFactory(program=org.program)
    FundingSourceFactory(program=org.program)
    return {"enrollment": enrollment, "goal": goal, "review": review}


def test_the_sign_in_and_language_pages_pass_axe(live_server, desktop, org, password):
    check_pages(desktop, live_server, ["/login/"])
    sign_in(desktop, live_server, "a1", password)
    check_pages(desktop, live_server, ["/account/language/"])


def test_the_chws_main_pages_pass_axe(live_server, desktop, org, password, program_data):
    e = program_data["enrollment"].pk
    sign_in(desktop, live_server, "a1", password)
    check_pages(
        desktop,
        live_server,
        [
            "/caseload/",
            f"/enrollments/{e}/",
            f"/enrollments/{e}/encounters/new/",
            f"/enrollments/{e}/goals/new/",
            f"/goals/{program_data['goal'].pk}/steps/new/",
            f"/enrollments/{e}/plan/",
            "/alerts/",
            "/wellbeing/",
            "/enroll/",
        ],
    )


def test_the_chws_pages_pass_axe_on_a_phone(live_server, phone, org, password, program_data):
    e = program_data["enrollment"].pk
    sign_in(phone, live_server, "a1", password)
    check_pages(phone, live_server, ["/caseload/", f"/enrollments/{e}/encounters/new/"])


def test_the_managers_main_pages_pass_axe(live_server, desktop, org, password, program_data):
    sign_in(desktop, live_server, "ma", password)
    check_pages(
        desktop,
        live_server,
        [
            "/team/",
            "/supervision/",
            f"/supervision/chws/{org.a1.pk}/",
            "/alerts/",
            f"/fidelity/reviews/{program_data['review'].pk}/",
            "/fidelity/",
        ],
    )


def test_the_leaders_main_pages_pass_axe(live_server, desktop, org, password, program_data):
    sign_in(desktop, live_server, "leader", password)
    check_pages(
        desktop,
        live_server,
        [
            "/overview/",
            "/leaders/roi/",
            "/leaders/exports/",
            "/leaders/costs/",
            "/wellbeing/program/",
        ],
    )


def test_the_user_menu_opens_and_moves_with_the_keyboard(live_server, desktop, org, password):
    sign_in(desktop, live_server, "ma", password)
    menu = desktop.locator("#user-menu")
    menu.focus()
    desktop.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    desktop.keyboard.press("ArrowDown")
    expect(desktop.get_by_role("link", name="Language")).to_be_focused()
    desktop.keyboard.press("ArrowDown")
    expect(desktop.get_by_role("link", name="Two-factor sign-in")).to_be_focused()
    desktop.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")


def test_the_skip_link_is_the_first_stop_and_moves_to_the_main_content(
    live_server, desktop, org, password
):
    sign_in(desktop, live_server, "a1", password)
    expect(desktop.get_by_role("heading", name="My caseload")).to_be_visible()
    desktop.goto(f"{live_server.url}/caseload/")  # a fresh page: focus at its start
    desktop.keyboard.press("Tab")
    skip = desktop.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # visible once focused
    desktop.keyboard.press("Enter")
    expect(desktop.locator("main#main")).to_be_focused()


FOCUSED = """() => {
    const el = document.activeElement;
    const label = (el.labels && el.labels.length && el.labels[0].innerText)
        || el.getAttribute('aria-label') || el.innerText || '';
    // A radio drawn as a button (.kind-choices) shows its focus on its label.
    const shown = getComputedStyle(el).opacity === '0' && el.labels && el.labels.length
        ? el.labels[0] : el;
    const style = getComputedStyle(shown);
    const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
        || style.boxShadow !== 'none';
    return {tag: el.tagName, type: el.type || '', name: el.name || '', value: el.value || '',
            label: label.trim(), ring: ring, inForm: !!el.closest('main form')};
}"""


def test_a_chw_logs_a_visit_with_the_keyboard_only(live_server, phone, org, password):
    """Tab from the top of the page through every field of the form to Save, choosing and
    typing on the way, and submit with Enter: no mouse, no tap."""
    enrollment = EnrollmentFactory(chw=org.a1, days_ago=10)
    GoalFactory(enrollment=enrollment, statement="Quiero caminar sin dolor")
    page = phone
    sign_in(page, live_server, "a1", password)
    page.goto(f"{live_server.url}/enrollments/{enrollment.pk}/encounters/new/")

    stops, typed = [], set()
    for _press in range(80):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUSED)
        if not info["inForm"]:
            continue
        assert info["label"], f"a field without a name: {info}"
        assert info["ring"], f"no visible focus on {info}"
        stops.append(info["name"] or info["label"])
        if info["name"] == "kind":
            # Arrow keys move the choice within the group.
            for _arrow in range(12):
                if page.evaluate("document.activeElement.value") == "phone":
                    break
                page.keyboard.press("ArrowRight")
        elif info["name"] == "duration_minutes" and "minutes" not in typed:
            page.keyboard.type("15")
            typed.add("minutes")
        elif info["name"] == "notes" and "notes" not in typed:
            page.keyboard.type("Called about the pharmacy.")
            typed.add("notes")
        elif info["name"] == "goals":
            page.keyboard.press("Space")  # tick the goal worked on
        elif info["tag"] == "BUTTON" and info["type"] == "submit":
            page.keyboard.press("Enter")
            break
    else:
        pytest.fail(f"Tab never reached Save visit; stops: {stops}")

    for name in ("kind", "reached", "occurred_at", "duration_minutes", "initiated_by", "notes"):
        assert name in stops, f"{name} cannot be reached with Tab: {stops}"
    expect(page.get_by_text("Visit logged.")).to_be_visible()
    encounter = Encounter.objects.get()
    assert (encounter.kind, encounter.duration_minutes, encounter.notes) == (
        "phone",
        15,
        "Called about the pharmacy.",
    )
    assert encounter.goals.count() == 1

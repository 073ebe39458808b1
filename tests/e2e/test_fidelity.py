"""Fidelity in a real browser: a manager reviews a past period, rates the manual
components (a rating below met is refused without its reason and note), completes the
automatic ones the data could not propose, finalises, and reads the trend."""

from __future__ import annotations

import datetime as dt
import importlib
import re

import pytest
from django.apps import apps
from playwright.sync_api import expect

from caseloads.models import Encounter
from fidelity.evidence import snapshot_days
from fidelity.models import ComponentRating, FidelityReview, ModelComponent
from tests.e2e.conftest import sign_in
from tests.factories import EncounterFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db(transaction=True)

MANUAL = ("community_hiring", "training", "safety", "performance_assessment")
# What the data below makes the automatic components propose ("" is no data).
PROPOSED = {
    "standard_duration": "",  # no graduation, nobody overdue
    "standard_caseload": "met",  # one patient, far under the cap
    "supervision": "not_met",  # no one on one in the period
    "contact_cadence": "met",  # a contact on every snapshot day
    "patient_set_goals": "",  # nobody enrolled in the period
    "action_plans": "",  # no goal set in the period
    # 7 home visits of 30 minutes of 13 in-person contacts of 30: 210 ÷ 390 ≈ 0.54.
    "clinical_integration": "met",
}
TRAINING_NOTE = "Two new CHWs still waiting for the mental-health module."
SUPERVISION_NOTE = "The manager post was vacant for six weeks."


@pytest.fixture
def components(db):
    """The model's components, seeded by a migration: a transactional test that ran
    earlier flushed them, so seed them again (the seed is idempotent)."""
    importlib.import_module("fidelity.migrations.0002_seed_components").seed(apps, None)
    assert set(ModelComponent.objects.values_list("code", flat=True)) == (
        set(MANUAL) | set(PROPOSED)
    )


def _contacts(org, start: dt.date, end: dt.date) -> None:
    """a1's patient, enrolled before the period, reached on every snapshot day, at home
    and at the clinic in turn, 30 minutes each time."""
    enrollment = EnrollmentFactory(chw=org.a1, days_ago=150)
    assert enrollment.enrolled_on is not None and enrollment.enrolled_on < start
    for n, day in enumerate(snapshot_days(start, end)):
        community = n % 2 == 0
        EncounterFactory(
            enrollment=enrollment,
            occurred_at=dt.datetime.combine(day, dt.time(11), tzinfo=org.program.tz),
            kind=Encounter.Kind.HOME_VISIT if community else Encounter.Kind.CLINIC_VISIT,
            setting=Encounter.Setting.COMMUNITY if community else Encounter.Setting.CLINICAL,
            duration_minutes=30,
        )


def _rate(page, code: str, rating: str, reason: str = "", note: str = ""):
    section = page.locator(f"#component-{code}")
    section.get_by_label("Rating", exact=True).select_option(label=rating)
    if reason:
        section.get_by_label("Main reason (below met)").select_option(label=reason)
    if note:
        section.get_by_label("Note", exact=True).fill(note)
    section.get_by_role("button", name="Save").click()
    return section


def test_manager_reviews_a_period_finalises_and_reads_the_trend(
    live_server, desktop, org, password, components
):
    end = org.program.today() - dt.timedelta(days=30)
    start = end - dt.timedelta(days=89)  # the 90 days ending 30 days ago
    _contacts(org, start, end)

    page = desktop
    sign_in(page, live_server, "ma", password)
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Fidelity", exact=True
    ).click()
    expect(page).to_have_url(f"{live_server.url}/fidelity/")
    expect(page.get_by_text("No reviews yet.")).to_be_visible()

    # -- Start a review of the period ------------------------------------------------
    page.get_by_label("Period from").fill(start.isoformat())
    page.get_by_label("Period to").fill(end.isoformat())
    page.get_by_role("button", name="Start", exact=True).click()
    expect(
        page.get_by_text("Review started: the automatic components are computed.")
    ).to_be_visible()
    review = FidelityReview.objects.get()
    assert page.url == f"{live_server.url}/fidelity/reviews/{review.pk}/"
    assert (review.program, review.reviewer, review.status) == (org.program, org.ma, "draft")
    assert (review.period_start, review.period_end) == (start, end)
    expect(page.locator("h1 .badge")).to_have_text("draft")
    expect(page.locator("section.component")).to_have_count(len(MANUAL) + len(PROPOSED))

    # The automatic components come with their proposal; the manual ones are not rated.
    proposals = dict(review.ratings.values_list("component__code", "proposed"))
    assert proposals == {**PROPOSED, **dict.fromkeys(MANUAL, "")}
    for code, proposed in PROPOSED.items():
        expect(page.locator(f"#component-{code}").get_by_label("Rating", exact=True)).to_have_value(
            proposed
        )
    expect(page.locator("#component-contact_cadence")).to_contain_text("100% (13 / 13)")
    # 210 ÷ 390 = 0.538…: widthratio rounds to 54.
    expect(page.locator("#component-clinical_integration")).to_contain_text(
        "54% (210 of 390 minutes with patients in person were in the community)"
    )
    expect(page.locator("#component-standard_duration")).to_contain_text(
        "No data in this period (nothing to measure)."
    )
    for code in MANUAL:
        section = page.locator(f"#component-{code}")
        expect(section).to_contain_text("Rated by the reviewer.")
        expect(section.get_by_label("Rating", exact=True)).to_have_value("")

    # -- Partly met without a reason or a note is refused -----------------------------
    training = _rate(page, "training", "Partly met")
    expect(training.get_by_text("Below met, choose the main reason.")).to_be_visible()
    expect(training.get_by_text("Below met, say what happened in a few words.")).to_be_visible()
    expect(training.get_by_label("Rating", exact=True)).to_have_value("partly_met")
    assert ComponentRating.objects.get(review=review, component__code="training").rating == ""

    # ... and saved with them.
    _rate(page, "training", "Partly met", "Training gap", TRAINING_NOTE)
    expect(page.get_by_text("Standardized CHW training rated.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"#component-training$"))
    expect(training.get_by_text("Below met, choose the main reason.")).to_have_count(0)
    expect(training.get_by_label("Rating", exact=True)).to_have_value("partly_met")
    expect(training.get_by_label("Main reason (below met)")).to_have_value("training_gap")
    expect(training.get_by_label("Note", exact=True)).to_have_value(TRAINING_NOTE)

    for code in ("community_hiring", "safety", "performance_assessment"):
        _rate(page, code, "Met")
        expect(page).to_have_url(re.compile(f"#component-{code}$"))
        expect(page.locator(f"#component-{code}").get_by_label("Rating", exact=True)).to_have_value(
            "met"
        )

    # The automatic components with no data, and the proposal below met with its reason.
    for code in ("standard_duration", "patient_set_goals", "action_plans"):
        _rate(page, code, "Met")
        expect(page).to_have_url(re.compile(f"#component-{code}$"))
    _rate(page, "supervision", "Not met", "Staffing", SUPERVISION_NOTE)
    expect(page.get_by_text("Supervision protocol rated.")).to_be_visible()

    # -- Finalise --------------------------------------------------------------------
    page.get_by_role("button", name="Finalise the review").click()
    expect(page.get_by_text("The review is final.")).to_be_visible()
    expect(page.locator("h1 .badge")).to_have_text("final")
    expect(page.get_by_label("Rating", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Save")).to_have_count(0)
    expect(page.get_by_role("button", name="Finalise the review")).to_have_count(0)
    expect(page.locator("#component-training")).to_contain_text(f"Training gap · {TRAINING_NOTE}")

    review.refresh_from_db()
    assert review.status == FidelityReview.Status.FINAL
    assert review.finalized_at is not None
    ratings = {r.component.code: r for r in review.ratings.select_related("component")}
    assert {code: r.rating for code, r in ratings.items()} == {
        **dict.fromkeys(MANUAL, "met"),
        **{code: proposed or "met" for code, proposed in PROPOSED.items()},
        "training": "partly_met",
    }
    assert (ratings["training"].reason, ratings["training"].note) == (
        ComponentRating.Reason.TRAINING_GAP,
        TRAINING_NOTE,
    )
    assert (ratings["supervision"].reason, ratings["supervision"].note) == (
        ComponentRating.Reason.STAFFING,
        SUPERVISION_NOTE,
    )
    assert all(not r.reason for code, r in ratings.items() if r.rating == "met")

    # -- The trend -------------------------------------------------------------------
    page.get_by_role("link", name="All reviews").click()
    expect(page).to_have_url(f"{live_server.url}/fidelity/?program={org.program.pk}")
    table = page.get_by_role("table", name="Each component's rating in each review")
    expect(table).to_have_class(re.compile(r"\bfidelity-trend\b"))
    column = f"{start:%b} {start.day} – {end:%b} {end.day}, {end.year}"
    header = table.get_by_role("columnheader", name=column)
    expect(header).to_be_visible()
    expect(header.get_by_text("draft")).to_have_count(0)
    expect(header.get_by_role("link")).to_have_attribute("href", f"/fidelity/reviews/{review.pk}/")
    expect(table.locator("tbody tr")).to_have_count(len(MANUAL) + len(PROPOSED) + 1)
    training_row = table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Standardized CHW training")
    )
    expect(training_row.get_by_role("cell")).to_have_text(["partly met"])
    supervision_row = table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Supervision protocol")
    )
    expect(supervision_row.get_by_role("cell")).to_have_text(["not met"])
    met_row = table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Components met")
    )
    expect(met_row.get_by_role("cell")).to_have_text(["82%"])  # 9 of 11

    chart = page.locator("img.fidelity-chart")
    expect(chart).to_have_attribute("src", f"/fidelity/trend.svg?program={org.program.pk}")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=chart.element_handle()
    )
    response = page.request.get(f"{live_server.url}/fidelity/trend.svg?program={org.program.pk}")
    assert response.status == 200
    assert response.headers["content-type"].startswith("image/svg+xml")

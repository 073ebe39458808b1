"""Fidelity reviews (draft to final, ratings and reasons), the trend, the implementation
log and its CSV, the stage, and who may read or write. Clock: 18 November 2026."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from fidelity.models import ComponentRating, FidelityReview, ImplementationNote
from impact.models import Program
from tests.factories import EnrollmentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

PERIOD = {"period_start": "2026-08-01", "period_end": "2026-10-31"}


def start(client, **overrides):
    return client.post(reverse("fidelity:review_new"), PERIOD | overrides)


def rate(client, rating, value, reason="", note=""):
    return client.post(
        reverse("fidelity:review", args=[rating.review_id]),
        {
            "rating_id": str(rating.pk),
            f"r{rating.pk}-rating": value,
            f"r{rating.pk}-reason": reason,
            f"r{rating.pk}-note": note,
        },
    )


def test_a_manager_starts_a_review_with_every_component(org, login):
    response = start(login(org.ma))
    review = FidelityReview.objects.get()
    assert response.url == reverse("fidelity:review", args=[review.pk])
    assert (review.program, review.reviewer, review.status) == (org.program, org.ma, "draft")
    ratings = {r.component.code: r for r in review.ratings.select_related("component")}
    assert len(ratings) == 11
    # No enrollments at all: automatic components have no data and no proposal.
    assert ratings["contact_cadence"].auto_value is None
    assert ratings["contact_cadence"].proposed == ""
    assert ratings["training"].auto_value is None  # manual


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"period_end": "2026-07-31"}, "period_end", "must end on or after its first day"),
        ({"period_end": "2026-11-19"}, "period_end", "cannot end in the future"),
        ({"period_start": ""}, "period_start", "This field is required."),
    ],
)
def test_bad_periods_are_refused(org, login, overrides, field, message):
    response = start(login(org.ma), **overrides)
    assert response.status_code == 400
    assert any(message in e for e in response.context["form"].errors[field])
    assert not FidelityReview.objects.exists()


def test_an_overlapping_review_is_refused(org, login):
    start(login(org.leader))
    response = start(login(org.ma), period_start="2026-10-01", period_end="2026-11-15")
    assert (
        "overlaps the review of Aug 1, 2026 – Oct 31, 2026"
        in (response.context["form"].errors["period_start"][0])
    )
    assert FidelityReview.objects.count() == 1


def test_a_rating_below_met_needs_a_reason_and_a_note(org, login):
    client = login(org.ma)
    start(client)
    rating = ComponentRating.objects.get(component__code="training")
    refused = rate(client, rating, "partly_met")
    assert refused.status_code == 400
    rating.refresh_from_db()
    assert rating.rating == ""
    rate(client, rating, "partly_met", "training_gap", "Two new CHWs wait for MHFA.")
    rating.refresh_from_db()
    assert (rating.rating, rating.reason) == ("partly_met", "training_gap")


def test_finalising_needs_every_rating_then_the_review_is_read_only(org, login):
    client = login(org.ma)
    start(client)
    review = FidelityReview.objects.get()
    client.post(reverse("fidelity:finalize", args=[review.pk]))
    assert FidelityReview.objects.get().status == "draft"
    for rating in review.ratings.all():
        rate(client, rating, "met")
    client.post(reverse("fidelity:finalize", args=[review.pk]))
    assert FidelityReview.objects.get().status == "final"
    rating = review.ratings.order_by("pk")[0]
    rate(client, rating, "not_met", "funding", "Grant ended")
    assert ComponentRating.objects.get(pk=rating.pk).rating == "met"
    # The trend: one review, every component met.
    page = client.get(reverse("fidelity:reviews"))
    assert page.context["history"].scores[review.pk] == 1.0
    chart = client.get(reverse("fidelity:trend_chart"))
    assert chart["Content-Type"] == "image/svg+xml"


def test_a_chw_reads_but_does_not_write(org, login):
    start(login(org.ma))
    review = FidelityReview.objects.get()
    client = login(org.a1)
    assert client.get(reverse("fidelity:reviews")).status_code == 200
    assert client.get(reverse("fidelity:review", args=[review.pk])).status_code == 200
    refused = start(client, period_start="2026-01-01", period_end="2026-01-31")
    assert refused.status_code == 400 and FidelityReview.objects.count() == 1
    training = review.ratings.get(component__code="training")
    rate(client, training, "met")
    assert ComponentRating.objects.get(pk=training.pk).rating == ""


def test_the_cases_behind_a_miss_are_patient_level_and_scoped(org, login):
    mine = EnrollmentFactory(chw=org.a1, days_ago=200)  # never contacted
    theirs = EnrollmentFactory(chw=org.b1, days_ago=200)
    start(login(org.ma))
    review = FidelityReview.objects.get()
    url = reverse("fidelity:cases", args=[review.pk, "contact_cadence"])
    cases = list(login(org.ma).get(url).context["cases"])
    assert cases == [mine]
    assert list(login(org.mb).get(url).context["cases"]) == [theirs]
    assert login(org.leader).get(url).status_code == 403


def test_the_implementation_log_filters_and_exports_safe_csv(org, login):
    client = login(org.leader)
    client.post(
        reverse("fidelity:log"),
        {
            "on": "2026-11-02",
            "cfir_domain": "inner_setting",
            "direction": "barrier",
            "theme": "=HR freeze",
            "note": "No new CHW hires until July.",
        },
    )
    ImplementationNote.objects.create(
        program=org.program,
        on=dt.date(2026, 9, 1),
        cfir_domain="outer_setting",
        direction="facilitator",
        theme="Medicaid billing",
        note="State plan amendment passed.",
        author=org.leader,
    )
    page = client.get(reverse("fidelity:log"), {"cfir_domain": "inner_setting"})
    assert [n.theme for n in page.context["filter"].qs] == ["=HR freeze"]
    csv_text = client.get(reverse("fidelity:log_csv"), {"since": "2026-10-01"}).content.decode()
    assert "'=HR freeze" in csv_text and "Medicaid" not in csv_text
    future = client.post(
        reverse("fidelity:log"),
        {
            "on": "2026-12-01",
            "cfir_domain": "innovation",
            "direction": "both",
            "theme": "x",
            "note": "y",
        },
    )
    assert future.status_code == 400 and ImplementationNote.objects.count() == 2
    assert login(org.a1).post(reverse("fidelity:log"), {}).status_code == 403


def test_the_stage_change_is_dated_and_shown_on_the_overview(org, login):
    login(org.leader).post(reverse("fidelity:stage"), {"stage": "sustainment"})
    program = Program.objects.get(pk=org.program.pk)
    assert (program.stage, program.stage_changed_on) == ("sustainment", dt.date(2026, 11, 18))
    page = login(org.leader).get(reverse("overview")).content.decode()
    assert "Sustainment · since Nov 18, 2026" in page


def test_a_program_specific_component_joins_that_programs_reviews_only(org, login):
    from fidelity.models import ModelComponent
    from tests.factories import ProgramFactory

    ModelComponent.objects.create(
        code="interpreters",
        name="Interpreter access",
        measure="manual",
        cfir_domain="inner_setting",
        program=org.program,
    )
    other = ProgramFactory(name="Westside")
    from fidelity.services import review_start

    mine = review_start(
        program=org.program, start=dt.date(2026, 8, 1), end=dt.date(2026, 8, 31), by=org.ma
    )
    theirs = review_start(
        program=other, start=dt.date(2026, 8, 1), end=dt.date(2026, 8, 31), by=org.admin
    )
    assert mine.ratings.count() == 12 and theirs.ratings.count() == 11
    assert mine.ratings.filter(component__code="interpreters").exists()


def test_an_administrator_works_on_the_program_they_chose(org, login):
    from tests.factories import ProgramFactory

    other = ProgramFactory(name="Aardvark program")  # first by name
    client = login(org.admin)
    client.post(f"{reverse('fidelity:review_new')}?program={org.program.pk}", PERIOD)
    assert FidelityReview.objects.get().program == org.program
    response = client.post(
        f"{reverse('fidelity:stage')}?program={org.program.pk}", {"stage": "sustainment"}
    )
    assert response.url == f"{reverse('fidelity:reviews')}?program={org.program.pk}"
    assert Program.objects.get(pk=org.program.pk).stage == "sustainment"
    assert Program.objects.get(pk=other.pk).stage == "implementation"


def test_dates_from_long_ago_are_refused_not_a_server_error(org, login):
    client = login(org.ma)
    response = start(client, period_start="0001-01-01", period_end="0001-01-02")
    assert response.context["form"].errors["period_start"] == [
        "Choose a first day in 2000 or later."
    ]
    log = client.post(
        reverse("fidelity:log"),
        {
            "on": "0001-01-01",
            "cfir_domain": "innovation",
            "direction": "both",
            "theme": "x",
            "note": "y",
        },
    )
    assert log.status_code == 400 and not ImplementationNote.objects.exists()
    assert client.get(reverse("fidelity:log_csv"), {"since": "notadate"}).status_code == 400
    assert not FidelityReview.objects.exists()


def test_a_drafts_proposals_do_not_count_in_the_score(org, login):
    start(login(org.ma))
    review = FidelityReview.objects.get()
    page = login(org.ma).get(reverse("fidelity:reviews"))
    assert page.context["history"].scores == {review.pk: None}
    assert "when final" in page.content.decode()

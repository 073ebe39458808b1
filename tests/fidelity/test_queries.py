"""Fidelity pages run a fixed number of queries whatever the number of reviews and notes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from fidelity.models import FidelityReview
from fidelity.services import note_create, review_finalize, review_start

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

# Measured at 1 and 4 reviews (three notes each) and pinned: a change that adds a query
# per review, rating or note fails. Session, user, program, reviews, their ratings, the
# components, the navigation's alert count.
REVIEWS_QUERIES = 7
# Session, user, the review with its program, its ratings with their components, the
# cases behind misses (counted in the rating rows), the navigation's alert count.
REVIEW_QUERIES = 6
# Session, user, program, the notes, the navigation's alert count.
LOG_QUERIES = 5
# The chart: session, user, program, reviews, ratings, components.
CHART_QUERIES = 6


def history(org, quarters: int) -> None:
    end = dt.date(2026, 10, 31)
    for _ in range(quarters):
        start = end - dt.timedelta(days=89)
        review = review_start(program=org.program, start=start, end=end, by=org.ma)
        review.ratings.update(rating="met", reason="", note="")
        review_finalize(review=review, by=org.ma)
        for n in range(3):
            note_create(
                program=org.program,
                on=end,
                cfir_domain="inner_setting",
                direction="barrier",
                theme=f"Theme {n}",
                note="A note",
                by=org.ma,
            )
        end = start - dt.timedelta(days=1)


@pytest.mark.parametrize("quarters", [1, 4])
def test_fidelity_pages_run_a_fixed_number_of_queries(
    org, login, django_assert_max_num_queries, quarters
):
    history(org, quarters)
    manager = login(org.ma)
    review = FidelityReview.objects.latest("period_end")
    with django_assert_max_num_queries(REVIEWS_QUERIES):
        page = manager.get(reverse("fidelity:reviews"))
    assert len(page.context["history"].reviews) == quarters
    with django_assert_max_num_queries(REVIEW_QUERIES):
        manager.get(reverse("fidelity:review", args=[review.pk]))
    with django_assert_max_num_queries(LOG_QUERIES):
        page = manager.get(reverse("fidelity:log"))
    assert len(page.context["filter"].qs) == 3 * quarters
    with django_assert_max_num_queries(CHART_QUERIES):
        manager.get(reverse("fidelity:trend_chart"))

"""Reads of fidelity reviews and the implementation log, scoped to the user's program."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from fidelity.models import FidelityReview, ImplementationNote, ModelComponent, Rating
from impact.models import Program, Role, User


def program_for(user: User, pk: int | None = None) -> Program | None:
    """Staff read their own program; an administrator any (?program=ID, else the first)."""
    if user.role == Role.ADMIN or user.is_superuser:
        programs = Program.objects.order_by("name")
        return programs.filter(pk=pk).first() if pk else programs.first()
    if user.program_id and (pk is None or pk == user.program_id):
        return user.program
    return None


def reviews_for(user: User) -> QuerySet[FidelityReview]:
    if user.role == Role.ADMIN or user.is_superuser:
        return FidelityReview.objects.all()
    if user.program_id:
        return FidelityReview.objects.filter(program_id=user.program_id)
    return FidelityReview.objects.none()


def review_for_user(user: User, pk: int) -> FidelityReview:
    return get_object_or_404(reviews_for(user).select_related("program", "reviewer"), pk=pk)


def notes_for(program: Program) -> QuerySet[ImplementationNote]:
    return ImplementationNote.objects.filter(program=program).select_related("author")


@dataclass(frozen=True)
class Trend:
    """Each review (oldest first) with its ratings by component, and its score: the share
    of components met in a final review (None for a draft)."""

    reviews: list[FidelityReview]
    components: list[ModelComponent]
    ratings: dict[tuple[int, int], str]  # (review, component) -> rating
    scores: dict[int, float | None]

    def rating(self, review: FidelityReview, component: ModelComponent) -> str:
        return self.ratings.get((review.pk, component.pk), "")


def trend(program: Program) -> Trend:
    """Two queries: the reviews with their ratings, and the components."""
    reviews = list(
        FidelityReview.objects.filter(program=program)
        .select_related("reviewer")
        .prefetch_related("ratings")
        .order_by("period_end")
    )
    ratings, scores, seen = {}, {}, set()
    for review in reviews:
        rated = [r for r in review.ratings.all() if r.rating]
        for r in review.ratings.all():
            ratings[(review.pk, r.component_id)] = r.rating
            seen.add(r.component_id)
        met = sum(1 for r in rated if r.rating == Rating.MET)
        # A draft's proposals are not yet the reviewer's word: scores are for final reviews.
        scores[review.pk] = met / len(rated) if rated and review.is_final else None
    components = list(ModelComponent.objects.filter(pk__in=seen)) if seen else []
    return Trend(reviews=reviews, components=components, ratings=ratings, scores=scores)

"""Writes to fidelity reviews and the implementation log. Every rule is checked here; a
refusal is a ValidationError keyed by field, and nothing is written when one is raised."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fidelity.evidence import evidence_for
from fidelity.models import (
    ComponentRating,
    FidelityReview,
    ImplementationNote,
    ModelComponent,
    Rating,
)
from impact import audit
from impact.lib.dates import EARLIEST, shown
from impact.lib.text import NOTES_MAX_LENGTH
from impact.models import Program, Role, User

# Who may write reviews and the log (DESIGN.md §4): the program's managers and leaders.
WRITERS = (Role.MANAGER, Role.LEADER)


def can_write(user: User, program: Program) -> bool:
    return user.role == Role.ADMIN or (user.role in WRITERS and user.program_id == program.pk)


def components_for(program: Program) -> QuerySet[ModelComponent]:
    return ModelComponent.objects.filter(Q(program__isnull=True) | Q(program=program))


def _review_period_errors(
    *, program: Program, start: dt.date | None, end: dt.date | None, by: User
) -> dict[str, str]:
    """The problems, by field, with starting a review of [start, end]: someone who may not
    write reviews, a day missing, a period backwards, in the future, longer than a year
    or overlapping another review."""
    errors: dict[str, str] = {}
    if not can_write(by, program):
        errors["period_start"] = _("Only this program's managers and leaders start reviews.")
    if start is None:
        errors["period_start"] = _("Enter the first day of the period.")
    if end is None:
        errors["period_end"] = _("Enter the last day of the period.")
    if start and start < EARLIEST:
        errors["period_start"] = _("Choose a first day in %(year)d or later.") % {
            "year": EARLIEST.year
        }
    elif start and end:
        if end < start:
            errors["period_end"] = _("The period must end on or after its first day.")
        elif end > program.today():
            errors["period_end"] = _("The period cannot end in the future.")
        elif (end - start).days > 366:
            errors["period_end"] = _("Review at most a year at a time.")
        else:
            overlapping = FidelityReview.objects.filter(
                program=program, period_start__lte=end, period_end__gte=start
            ).first()
            if overlapping:
                errors["period_start"] = _("This overlaps the review of %(start)s – %(end)s.") % {
                    "start": shown(overlapping.period_start),
                    "end": shown(overlapping.period_end),
                }
    return errors


def review_start(
    *, program: Program, start: dt.date | None, end: dt.date | None, by: User
) -> FidelityReview:
    """Start a draft review of [start, end]: compute every automatic component (with the
    proposal its thresholds give) and leave the manual ones for the reviewer."""
    errors = _review_period_errors(program=program, start=start, end=end, by=by)
    if errors:
        raise ValidationError(errors)
    assert start is not None and end is not None  # _review_period_errors requires both
    evidence = evidence_for(program=program, start=start, end=end)
    with transaction.atomic():
        # Reviews of a program start one at a time: checked again under the lock, two
        # submitted at once can never both land.
        Program.objects.select_for_update().filter(pk=program.pk).exists()
        if FidelityReview.objects.filter(
            program=program, period_start__lte=end, period_end__gte=start
        ).exists():
            raise ValidationError(
                {"period_start": _("Another review of this period was started meanwhile.")}
            )
        review = FidelityReview.objects.create(
            program=program, period_start=start, period_end=end, reviewer=by
        )
        ratings = []
        for component in components_for(program):
            found = evidence.get(component.code) if component.measure == "auto" else None
            ratings.append(
                ComponentRating(
                    review=review,
                    component=component,
                    auto_value=found.value if found else None,
                    numerator=found.numerator if found else None,
                    denominator=found.denominator if found else None,
                    proposed=(found.proposal or "") if found else "",
                    rating=(found.proposal or "") if found else "",
                    evidence=found.to_json() if found else {},
                )
            )
        audit.bulk_create(ComponentRating, ratings)
    return review


def _rating_errors(rating: str, reason: str, note: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if rating and rating not in Rating.values:
        errors["rating"] = _("Choose met, partly met or not met.")
    if rating in (Rating.PARTLY_MET, Rating.NOT_MET):
        if reason not in ComponentRating.Reason.values:
            errors["reason"] = _("Below met, choose the main reason.")
        if not note.strip():
            errors["note"] = _("Below met, say what happened in a few words.")
    if len(note) > NOTES_MAX_LENGTH:
        errors["note"] = _("Keep the note under %(limit)d characters.") % {
            "limit": NOTES_MAX_LENGTH
        }
    return errors


def rating_save(
    *, rating: ComponentRating, by: User, value: str, reason: str = "", note: str = ""
) -> ComponentRating:
    """The reviewer's rating of one component (a below-met rating needs a reason)."""
    review = rating.review
    if review.is_final:
        raise ValidationError({"rating": _("This review is final: it can no longer change.")})
    if not can_write(by, review.program):
        raise ValidationError({"rating": _("Only this program's managers and leaders rate.")})
    errors = _rating_errors(value, reason, note)
    if errors:
        raise ValidationError(errors)
    rating.rating = value
    below = value in (Rating.PARTLY_MET, Rating.NOT_MET)
    rating.reason = reason if below else ""
    rating.note = note.strip()
    # Compare-and-set on the review's status: a rating never lands on a final review.
    updated = audit.update(
        ComponentRating.objects.filter(pk=rating.pk, review__status=FidelityReview.Status.DRAFT),
        rating=rating.rating,
        reason=rating.reason,
        note=rating.note,
    )
    if not updated:
        raise ValidationError({"rating": _("This review is final: it can no longer change.")})
    return rating


def review_finalize(*, review: FidelityReview, by: User) -> FidelityReview:
    """Draft to final, once every component is rated and every rating below met has its
    reason; a final review is read-only."""
    if review.is_final:
        raise ValidationError({"status": _("This review is already final.")})
    if not can_write(by, review.program):
        raise ValidationError({"status": _("Only this program's managers and leaders do this.")})
    missing = []
    for rating in review.ratings.select_related("component"):
        if not rating.rating or _rating_errors(rating.rating, rating.reason, rating.note):
            missing.append(rating.component.name)
    if missing:
        raise ValidationError(
            {
                "status": _("Rate every component, with a reason below met, first: %(names)s.")
                % {"names": ", ".join(missing)}
            }
        )
    audit.update(
        FidelityReview.objects.filter(pk=review.pk, status=FidelityReview.Status.DRAFT),
        status=FidelityReview.Status.FINAL,
        finalized_at=timezone.now(),
    )
    review.refresh_from_db()
    return review


def note_create(
    *,
    program: Program,
    by: User,
    on: dt.date,
    cfir_domain: str,
    direction: str,
    theme: str,
    note: str,
) -> ImplementationNote:
    errors: dict[str, str] = {}
    if not can_write(by, program):
        errors["theme"] = _("Only this program's managers and leaders write the log.")
    if on > program.today():
        errors["on"] = _("The date cannot be in the future.")
    elif on < EARLIEST:
        errors["on"] = _("Choose a date in %(year)d or later.") % {"year": EARLIEST.year}
    if not theme.strip():
        errors["theme"] = _("Name the theme in a few words.")
    if not note.strip():
        errors["note"] = _("Describe what happened.")
    if errors:
        raise ValidationError(errors)
    entry = ImplementationNote(
        program=program,
        author=by,
        on=on,
        cfir_domain=cfir_domain,
        direction=direction,
        theme=theme.strip(),
        note=note.strip(),
    )
    entry.full_clean(exclude=["program", "author"])
    entry.save()
    return entry


def stage_change(*, program: Program, stage: str, by: User) -> Program:
    """Move the program to another implementation stage, dated today."""
    if not can_write(by, program):
        raise ValidationError({"stage": _("Only this program's managers and leaders do this.")})
    if stage not in Program.Stage.values:
        raise ValidationError({"stage": _("Choose a stage.")})
    if stage != program.stage:
        program.stage, program.stage_changed_on = stage, program.today()
        program.save(update_fields=["stage", "stage_changed_on"])
    return program

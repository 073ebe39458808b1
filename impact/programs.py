"""Which programs a user sees: a question about users and programs, so it lives in the
core, below every app that asks it (supervision's cadence, the leaders' reports)."""

from __future__ import annotations

from django.db.models import QuerySet

from impact.models import Program, Role, User


def programs_for(user: User) -> QuerySet[Program]:
    """Leaders see their own program; administrators every program."""
    if user.role == Role.ADMIN or user.is_superuser:
        return Program.objects.order_by("name")
    if user.role == Role.LEADER and user.program_id:
        return Program.objects.filter(pk=user.program_id)
    return Program.objects.none()

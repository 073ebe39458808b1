from __future__ import annotations

from django.utils import timezone


class ProgramTimeZoneMiddleware:
    """Show and read times in the user's program time zone (DESIGN.md §5: local days)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.program_id:
            timezone.activate(user.program.tz)
        else:
            timezone.deactivate()
        return self.get_response(request)

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.cache import add_never_cache_headers


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


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def may_cache_offline(request: HttpRequest, response) -> bool:
    """Whether this signed-in response may be kept on the device (DESIGN.md §4).

    The hook for the one exception DESIGN.md §4 allows later: the signed-in CHW's own
    caseload, Today list and own patients' pages, kept by a service worker for work
    without signal and cleared on sign-out, on a response showing the session ended, when
    another user signs in and 12 hours after sign-in. Until that is built, nothing is.
    """
    return False


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response to a signed-in user (DESIGN.md §4).

    Patient details must not stay in a shared phone's browser cache or a proxy's. Signed
    in when the request came in *or* when the response goes out: the response to signing
    in and to signing out (or to a session that just ended) are covered too. Static files
    (WhiteNoise answers them before this runs) and anonymous pages stay cacheable; a
    request carrying credentials of its own (the token API's bearer token) counts as
    signed in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in = _signed_in(request) or "Authorization" in request.headers
        response = self.get_response(request)
        if (signed_in or _signed_in(request)) and not may_cache_offline(request, response):
            add_never_cache_headers(response)
        return response

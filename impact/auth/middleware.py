"""Session limits and the two-factor gate, applied to every page (the Django admin too)."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from impact.auth.rules import SEEN_AT, SIGNED_IN_AT, confirmed_device, two_factor_pending

# The last-activity time is written at most once a minute, so ordinary pages do not write
# the session on every request (fewer writes on SQLite); the idle limit is therefore kept
# to within a minute.
SEEN_RESOLUTION_SECONDS = 60

# Pages a signed-in user who still owes a code may open.
TWO_FACTOR_PAGES = {"two_factor_setup", "two_factor_verify", "logout", "login"}


def is_background(request: HttpRequest) -> bool:
    """htmx GETs are polls (the export progress), not someone at the screen.

    Every full page and every form (htmx or not) counts as activity.
    """
    return request.headers.get("HX-Request") == "true" and request.method in ("GET", "HEAD")


def _go(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect that also works for htmx, which would swap the page into a fragment."""
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


class SessionLimitsMiddleware:
    """Sign out after 30 minutes without activity and 12 hours after sign-in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            ended = self._check(request)
            if ended is not None:
                return ended
        return self.get_response(request)

    def _check(self, request):
        session = request.session
        now = timezone.now().timestamp()
        # A session from before these limits existed starts its clocks now.
        signed_in_at = session.setdefault(SIGNED_IN_AT, now)
        seen_at = session.setdefault(SEEN_AT, now)
        if now - signed_in_at >= settings.SESSION_ABSOLUTE_SECONDS:
            reason = _(
                "You were signed out because you signed in %(hours)d hours ago. "
                "Please sign in again."
            ) % {"hours": settings.SESSION_ABSOLUTE_SECONDS // 3600}
        elif now - seen_at >= settings.SESSION_IDLE_SECONDS:
            reason = _(
                "You were signed out after %(minutes)d minutes without activity. "
                "Please sign in again."
            ) % {"minutes": settings.SESSION_IDLE_SECONDS // 60}
        else:
            if not is_background(request) and now - seen_at >= SEEN_RESOLUTION_SECONDS:
                session[SEEN_AT] = now
            return None
        logout(request)
        messages.info(request, reason)
        login_url = redirect_to_login(request.get_full_path()).url
        return _go(request, login_url)


class TwoFactorMiddleware:
    """Until the code is given, someone who owes one may open only the two-factor pages.

    An admin without a device is sent to set one up; anyone with a device is asked for a
    code. This covers the Django admin as well, which has its own sign-in page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if two_factor_pending(request) and _url_name(request) not in TWO_FACTOR_PAGES:
            page = "two_factor_verify" if confirmed_device(request.user) else "two_factor_setup"
            if request.method not in ("GET", "HEAD"):
                # Nothing is written before the code, and a redirect would lose the form.
                return render(request, "two_factor/required.html", {"page": page}, status=403)
            return _go(request, f"{reverse(page)}?next={quote(request.get_full_path())}")
        return self.get_response(request)


def _url_name(request: HttpRequest) -> str | None:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None

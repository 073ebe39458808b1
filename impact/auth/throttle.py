"""Sign-in throttling per address across usernames, on top of django-axes' per-username
lockout (README, "Security").

django-axes pauses a *username* after AXES_FAILURE_LIMIT failures. That alone lets one
address try a common password on every username. An address is therefore also paused,
for SIGN_IN_ADDRESS_PAUSE, once failures on SIGN_IN_ADDRESS_USERNAMES (10) or more
distinct usernames came from it within SIGN_IN_ADDRESS_WINDOW (15 minutes): the 10th
distinct username's failure starts a 15-minute pause. Distinct usernames, not failures,
so a clinic sharing one address is never paused by one person's mistakes (five failures
pause that username only) nor by a few people mistyping at the start of a shift.

The failures are axes' own failure log (`AccessFailureLog`, one row per failure, with
its address and time), so nothing new is stored. A refused attempt during an address
pause is not recorded as a failure of that username: a CHW who signs in correctly from a
paused address must not have their own username paused as well.

The client's address: `REMOTE_ADDR`, unless the server sits behind TRUSTED_PROXIES
(a count) proxies that each append the address they received from to CLIENT_IP_HEADER
(X-Forwarded-For); then it is that header's entry TRUSTED_PROXIES from the right, the
one the outermost trusted proxy wrote. Entries further left come from the client and
are never believed; with no proxy configured the header is ignored entirely.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessFailureLog
from django.conf import settings
from django.http import HttpRequest

ADDRESS_PAUSED = "impact_address_paused"


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as the settings say to read it (AXES_CLIENT_IP_CALLABLE)."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    header = request.headers.get(settings.CLIENT_IP_HEADER, "")
    entries = [entry.strip() for entry in header.split(",") if entry.strip()]
    if len(entries) < proxies:
        # Fewer hops than proxies: the request did not come the configured way.
        return remote
    return entries[-proxies]


def address_paused_until(ip: str | None, *, now: dt.datetime) -> dt.datetime | None:
    """When the pause of address `ip` ends, or None if it is not paused: the latest
    moment at which failures from it on SIGN_IN_ADDRESS_USERNAMES distinct usernames fell
    within SIGN_IN_ADDRESS_WINDOW, plus SIGN_IN_ADDRESS_PAUSE."""
    if not ip:
        return None
    window: dt.timedelta = settings.SIGN_IN_ADDRESS_WINDOW
    pause: dt.timedelta = settings.SIGN_IN_ADDRESS_PAUSE
    limit: int = settings.SIGN_IN_ADDRESS_USERNAMES
    failures = list(
        AccessFailureLog.objects.filter(
            ip_address=ip, attempt_time__gt=now - pause - window, attempt_time__lte=now
        )
        .exclude(username__isnull=True)
        .exclude(username="")
        .order_by("attempt_time")
        .values_list("username", "attempt_time")
    )
    # A sliding window over the failures: usernames seen in (time - window, time].
    seen: Counter[str] = Counter()
    start = 0
    tripped: dt.datetime | None = None
    for username, at in failures:
        seen[username] += 1
        while failures[start][1] <= at - window:
            old = failures[start][0]
            seen[old] -= 1
            if not seen[old]:
                del seen[old]
            start += 1
        if len(seen) >= limit:
            tripped = at
    if tripped is None or tripped + pause <= now:
        return None
    return tripped + pause


class ThrottleHandler(AxesDatabaseHandler):
    """django-axes' database handler, plus the pause per address across usernames."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        if address_paused_until(request.axes_ip_address, now=request.axes_attempt_time):
            setattr(request, ADDRESS_PAUSED, True)
            return True
        return super().is_locked(request, credentials)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is not None and getattr(request, ADDRESS_PAUSED, False):
            # Refused for the address, not tried: no failure for this username.
            request.axes_locked_out = True
            request.axes_credentials = credentials
            return
        super().user_login_failed(sender, credentials, request=request, **kwargs)

"""Stamp each new session: when it began, and whether it needs a second factor.

Stamping at sign-in (also on the test client's `force_login`) means an ordinary request
never has to write the session just to start the clocks.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from impact.auth.rules import SEEN_AT, SIGNED_IN_AT, TWO_FACTOR_REQUIRED, two_factor_required


@receiver(user_logged_in, dispatch_uid="impact_auth_stamp_session")
def stamp_session(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is None:
        return
    now = timezone.now().timestamp()
    session[SIGNED_IN_AT] = now
    session[SEEN_AT] = now
    session[TWO_FACTOR_REQUIRED] = two_factor_required(user)

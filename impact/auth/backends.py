"""django-axes' backend, tolerant of sign-ins that come from no web request."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class ThrottlingBackend(AxesStandaloneBackend):
    """Throttle every web sign-in; let `authenticate()` without a request through.

    Every web sign-in (our page, the Django admin's) passes the request, so it is
    throttled. A call without one comes from code on the server (a shell, a script, a
    test), which no attacker can repeat; django-axes would raise there instead.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

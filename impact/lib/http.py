"""The request a signed-in page receives, for annotations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from impact.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request to a page declared for signed-in roles (`impact.pages.page`): its user is a
    signed-in `User`, never `AnonymousUser`, so views read `request.user.role` and pass
    the user to selectors without a check. Django never builds one; it only types views."""

    user: User
    htmx: HtmxDetails  # django_htmx's middleware, on every request

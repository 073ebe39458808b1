"""Who may open which view (DESIGN.md §4). Object scope is the selectors' job."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBase

from impact.lib.http import AuthenticatedHttpRequest
from impact.models import Role

_View = TypeVar("_View", bound=Callable[..., HttpResponseBase])


def role_required(*roles: str) -> Callable[[_View], _View]:
    """Let signed-in users with one of `roles` through; others get 403, anonymous a login.
    The view receives an `AuthenticatedHttpRequest`."""

    def decorator(view: _View) -> _View:
        @wraps(view)
        @login_required
        def wrapper(
            request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            if request.user.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return cast("_View", wrapper)

    return decorator


# Patient-level pages: CHWs (their own) and managers (their teams'). Leaders never see
# them; administrators use the Django admin.
patient_level = role_required(Role.CHW, Role.MANAGER)
manager_only = role_required(Role.MANAGER)
leader_level = role_required(Role.LEADER, Role.ADMIN)

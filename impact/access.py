"""Who may open which view (DESIGN.md §4). Object scope is the selectors' job."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from impact.models import Role


def role_required(*roles: str) -> Callable:
    """Let signed-in users with one of `roles` through; others get 403, anonymous a login."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if request.user.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# Patient-level pages: CHWs (their own) and managers (their teams'). Leaders never see
# them; administrators use the Django admin.
patient_level = role_required(Role.CHW, Role.MANAGER)
manager_only = role_required(Role.MANAGER)
leader_level = role_required(Role.LEADER, Role.ADMIN)

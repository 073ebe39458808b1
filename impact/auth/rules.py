"""Who is offered two-factor sign-in, who must use it, and the session keys it uses."""

from __future__ import annotations

from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from impact.models import Role

# Session keys (seconds since the epoch for the two times).
SIGNED_IN_AT = "impact_signed_in_at"
SEEN_AT = "impact_seen_at"
TWO_FACTOR_REQUIRED = "impact_two_factor_required"
PENDING_KEY = "impact_two_factor_pending_key"

# CHWs are not offered it: in many programs their phones are shared work phones, so a
# code on the phone proves little and a lost phone would lock a CHW out in the field.
OFFERED_TO = {Role.MANAGER, Role.LEADER, Role.ADMIN}


def two_factor_offered(user) -> bool:
    return user.is_authenticated and (user.role in OFFERED_TO or user.is_staff)


def two_factor_mandatory(user) -> bool:
    """Administrators, and anyone else who can open the Django admin, must use it."""
    return user.is_authenticated and (user.role == Role.ADMIN or user.is_staff)


def two_factor_pending(request: HttpRequest) -> bool:
    """Signed in, but two-factor sign-in is required and not yet done this session."""
    user = request.user
    return (
        user.is_authenticated
        and not user.is_verified()
        and bool(request.session.get(TWO_FACTOR_REQUIRED) or two_factor_mandatory(user))
    )


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def two_factor_required(user) -> bool:
    """A code is asked at sign-in from admins and from anyone who has set up a device."""
    return two_factor_mandatory(user) or (
        two_factor_offered(user) and TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    )

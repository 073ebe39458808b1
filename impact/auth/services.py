"""Two-factor writes: turn it on with a confirmed code, check a code, turn it off."""

from __future__ import annotations

import math
from binascii import unhexlify
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from impact.auth.rules import two_factor_mandatory, two_factor_offered

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from impact.models import User

WRONG_CODE = gettext_lazy(
    "That code is not right. Enter the 6-digit code your app shows now "
    "(check that your phone's clock is set automatically)."
)


def two_factor_new_key() -> str:
    """A fresh secret (hex, 20 bytes), kept in the session until a code confirms it."""
    return default_key()


def two_factor_enable(*, user: User, key: str, code: str) -> TOTPDevice:
    """Save the device once a code from it matches, replacing any earlier device.

    The secret is saved only after the code proves the app has it, so a half-finished
    setup never leaves a device that would lock its owner out.
    """
    if not two_factor_offered(user):
        raise ValidationError({"code": _("Two-factor sign-in is not offered for your role.")})
    totp = TOTP(unhexlify(key.encode()))
    totp.time = timezone.now().timestamp()
    if not _is_code(code) or not totp.verify(int(code), tolerance=1):
        raise ValidationError({"code": WRONG_CODE})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        return TOTPDevice.objects.create(
            user=user,
            name=_("Authenticator app"),
            key=key,
            confirmed=True,
            last_t=totp.t(),
        )


def two_factor_check(*, user: User, code: str) -> TOTPDevice:
    """The user's device if `code` is its current code; each code works once.

    Wrong codes slow down further tries (1, 2, 4, 8 … seconds, django-otp's throttle).
    """
    # The failure count must be committed: raise only after the transaction.
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("pk")
            .first()
        )
        refusal: StrOrPromise | None
        if device is None:
            refusal = _("Two-factor sign-in is not set up.")
        else:
            refusal = _refusal(device, code)
    if refusal:
        raise ValidationError({"code": refusal})
    return device


def _refusal(device: TOTPDevice, code: str) -> StrOrPromise | None:
    allowed, details = device.verify_is_allowed()
    if not allowed:
        until = (details or {}).get("locked_until")
        seconds = math.ceil((until - timezone.now()).total_seconds()) if until else 1
        return _(
            "Too many wrong codes. Wait %(seconds)d seconds and enter the code your app shows then."
        ) % {"seconds": max(seconds, 1)}
    if not _is_code(code):
        device.throttle_increment(commit=True)
        return WRONG_CODE
    if not device.verify_token(code):  # counts the failure itself
        return WRONG_CODE
    return None


def two_factor_disable(*, user: User, code: str) -> None:
    """Turn two-factor sign-in off (not for admins, who must keep it), with a current code."""
    if two_factor_mandatory(user):
        raise ValidationError({"code": _("Administrators must keep two-factor sign-in on.")})
    two_factor_check(user=user, code=code)
    TOTPDevice.objects.filter(user=user).delete()


def _is_code(code: str) -> bool:
    return isinstance(code, str) and len(code) == 6 and code.isascii() and code.isdigit()

"""Two-factor pages: set it up (QR code or key, then a code), give a code, turn it off."""

from __future__ import annotations

from base64 import b32encode
from binascii import unhexlify
from urllib.parse import quote

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from impact.auth import services
from impact.auth.forms import CodeForm
from impact.auth.rules import (
    PENDING_KEY,
    TWO_FACTOR_REQUIRED,
    confirmed_device,
    two_factor_mandatory,
    two_factor_offered,
)
from impact.auth.throttle import ADDRESS_PAUSED
from impact.lib.forms import posted
from impact.lib.http import AuthenticatedHttpRequest
from impact.pages import SIGNED_IN, page


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


def _verified(request: HttpRequest, device) -> None:
    """Mark the session as having given its second factor, under a new session key."""
    request.session.cycle_key()
    otp_login(request, device)
    request.session[TWO_FACTOR_REQUIRED] = True


# Signed in: a CHW who may open the Django admin must set it up too (the view decides).
@page(SIGNED_IN, patient_level=False)
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: AuthenticatedHttpRequest):
    """Managers, leaders and admins: scan the QR code or type the key, then confirm a code."""
    user = request.user
    if not two_factor_offered(user):
        raise PermissionDenied
    device = confirmed_device(user)
    if device is not None:
        if not user.is_verified():
            return redirect(f"{reverse('two_factor_verify')}?next={quote(_next(request))}")
        return render(
            request,
            "two_factor/status.html",
            {"device": device, "mandatory": two_factor_mandatory(user), "form": CodeForm()},
        )
    key = request.session.get(PENDING_KEY) or services.two_factor_new_key()
    request.session[PENDING_KEY] = key
    form = CodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_enable(user=user, key=key, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            del request.session[PENDING_KEY]
            _verified(request, device)
            messages.success(
                request, _("Two-factor sign-in is on. You will be asked for a code at sign-in.")
            )
            return redirect(_next(request))
    secret = b32encode(unhexlify(key.encode())).decode()
    label = quote(f"{settings.OTP_TOTP_ISSUER}:{user.get_username()}")
    uri = (
        f"otpauth://totp/{label}?secret={secret}&digits=6&issuer={quote(settings.OTP_TOTP_ISSUER)}"
    )
    return render(
        request,
        "two_factor/setup.html",
        {
            "form": form,
            "qr_svg": _qr_svg(uri),
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "mandatory": two_factor_mandatory(user),
            "next": _next(request),
        },
    )


@page(SIGNED_IN, patient_level=False)
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: AuthenticatedHttpRequest):
    """After the password: the code from the app, once per session."""
    user = request.user
    if user.is_verified():
        return redirect(_next(request))
    if confirmed_device(user) is None:
        if two_factor_mandatory(user):
            return redirect(f"{reverse('two_factor_setup')}?next={quote(_next(request))}")
        return redirect(_next(request))
    form = CodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_check(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _verified(request, device)
            return redirect(_next(request))
    return render(request, "two_factor/verify.html", {"form": form, "next": _next(request)})


@page(SIGNED_IN, patient_level=False)
@require_POST
def two_factor_disable(request: AuthenticatedHttpRequest):
    user = request.user
    if not two_factor_offered(user) or not user.is_verified():
        raise PermissionDenied
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            services.two_factor_disable(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session[TWO_FACTOR_REQUIRED] = False
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("two_factor_setup")
    device = confirmed_device(user)
    return render(
        request,
        "two_factor/status.html",
        {"device": device, "mandatory": two_factor_mandatory(user), "form": form},
    )


def _qr_svg(data: str) -> str:
    """The QR code as inline SVG (no image request, nothing inline for the CSP to block)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308 (our own SVG)


def locked_out(request: HttpRequest, original_response=None, credentials=None):
    """django-axes' answer to a paused username (the same page whether or not it exists)
    or to a paused address (impact.auth.throttle)."""
    address = getattr(request, ADDRESS_PAUSED, False)
    pause = settings.SIGN_IN_ADDRESS_PAUSE if address else settings.AXES_COOLOFF_TIME
    return render(
        request,
        "registration/locked_out.html",
        {
            "address_paused": address,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "username_limit": settings.SIGN_IN_ADDRESS_USERNAMES,
            "window_minutes": int(settings.SIGN_IN_ADDRESS_WINDOW.total_seconds() // 60),
            "cooloff_minutes": int(pause.total_seconds() // 60),
        },
        status=429,
    )

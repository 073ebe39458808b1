"""Redaction (DESIGN.md §4): a manager or an administrator replaces text kept by mistake
by "[redacted YYYY-MM-DD]" in the record and its whole history (README, "Redaction")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from impact import append_only, redaction, services
from impact.lib.forms import apply_errors, redirect_back
from impact.lib.http import AuthenticatedHttpRequest
from impact.pages import ADMIN, MANAGER, page

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class RedactForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I understand: the text is replaced in this record and in all of its history, "
            "and cannot be brought back."
        ),
        error_messages={"required": gettext_lazy("Tick the box to confirm the redaction.")},
    )


def _today(user, obj):
    """The day written in the mark: the program's today where there is a program."""
    program = getattr(user, "program", None) or getattr(obj, "program", None)
    return program.today() if program is not None else timezone.localdate()


def _safe_next(request: HttpRequest) -> str:
    """The page to go back to: a path on this site only."""
    candidate = request.POST.get("next") or request.GET.get("next", "")
    allowed = url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()})
    return candidate if candidate and allowed else ""


@page({ADMIN, MANAGER}, patient_level=True, pk="record")
@never_cache
@require_http_methods(["GET", "POST"])
def redact(request: AuthenticatedHttpRequest, label: str, pk: int, field: str):
    """GET: the text and a confirmation; POST: redact it, then back where the user was."""
    obj = redaction.redactable_for_user(request.user, label, pk, field)
    text = getattr(obj, field) or ""
    form = RedactForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.text_redact(
                obj=obj, field=field, by=request.user, on=_today(request.user, obj)
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The text was redacted."))
            return redirect_back(request, "home")
    return render(
        request,
        "impact/redact.html",
        {
            "form": form,
            "text": text,
            "already": text.startswith(append_only.REDACTED_PREFIX),
            "kind": obj._meta.verbose_name,
            "field_name": _verbose_name(obj, field),
            "next": _safe_next(request),
        },
        status=400 if form.errors else 200,
    )


def _verbose_name(obj: models.Model, name: str) -> StrOrPromise:
    field = obj._meta.get_field(name)
    assert isinstance(field, models.Field), field  # redactable text is a concrete field
    return field.verbose_name

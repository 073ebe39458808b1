"""Read-only JSON of a program's summary for BI tools (issue 7, item 6).

Authentication is by token only: `Authorization: Bearer <key>`. A session cookie never
authenticates here (a page open in the leader's browser cannot be made to read it from
another site, and a BI tool never holds a session). Tokens belong to leaders (their own
program) and administrators (who name the program with `program=ID`); the key is shown
once when it is made, and only its SHA-256 is stored.

The JSON is de-identified like every leader view (DESIGN.md §4, `reports.disclosed`):
program-level figures, the monthly rows and the ROI summary, each figure about 1 to 10
people replaced by the string "<11" and each figure hidden to protect another by the
string "suppressed" (the same cells as on the pages and in the exports); no patient
identifiers, no free text, no per-CHW figures.

Periods: `from`/`to`, both or neither, a whole calendar month, quarter or year (anything
else answers 400 with the reason), set both the overview's and the ROI summary's period.
With neither, the overview covers the year of the last complete month (`period`) and
the ROI summary the ROI page's default, the latest year whose cohort has been observed for
its whole window (`roi.start`, `roi.end`). Every figure stops at the end of the last
complete month (`as_of`). The access log records both periods.
"""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from impact import audit
from impact.lib.forms import parse_pk
from impact.lib.periods import Period, latest_evaluable
from impact.models import Program, Role, User
from impact.pages import ANYONE, page
from impact.programs import programs_for
from reports import disclosed
from reports.models import ApiToken
from reports.overview.forms import PeriodForm

KEY_PREFIX = "imp_"  # recognisable in a leaked config file or a secret scanner
PREFIX_LENGTH = 8  # what the tokens page shows: "imp_AbCd…"
TOKEN_ROLES = (Role.LEADER, Role.ADMIN)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def may_hold_tokens(user: User) -> bool:
    return user.is_active and (user.role in TOKEN_ROLES or user.is_superuser)


def tokens_for(user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (nobody sees another person's tokens)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for a leader or an administrator; returns it and its key (the only time
    the key exists outside the caller: the row keeps its SHA-256 and a short prefix)."""
    name = name.strip()
    if not may_hold_tokens(user):
        raise ValidationError(_("Only program leaders and administrators hold API tokens."))
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=key[:PREFIX_LENGTH], key_hash=_hash(key)
    )
    return token, key


def token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke the token (idempotent: a second revoke keeps the first time)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(header: str) -> ApiToken | None:
    """The live token a `Bearer` header names, or None: unknown, revoked, or its user no
    longer active or no longer a leader or administrator. Marks the token used."""
    scheme, _space, key = header.partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key or len(key) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user__program")
        .filter(key_hash=_hash(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not may_hold_tokens(token.user):
        return None
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    return token


# -- the JSON -----------------------------------------------------------------------------


def summary_json(*, program: Program, period: Period, roi_period: Period | None = None) -> dict:
    """Everything the API answers for one program and period, as published: the overview
    and the monthly rows for `period`; the ROI summary for `roi_period` (its own `start`
    and `end` in the JSON), `period` when not given."""
    grids = disclosed.Grids(program)
    overview = disclosed.overview(grids, period)
    roi_cell = roi_period or period
    return {
        "program": {"id": program.pk, "name": program.name},
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "as_of": overview.as_of.isoformat(),
        "suppression": {
            "threshold": disclosed.disclosure.THRESHOLD,
            "fewer_than_threshold": disclosed.FEWER_MARKER,
            "hidden_to_protect_another": disclosed.COMPLEMENT_MARKER,
        },
        "overview": overview.as_dict(),
        "by_month": [
            {k: (v.marker if disclosed.hidden(v) else v) for k, v in row.items()}
            for row in disclosed.by_month_rows(grids, period)
        ],
        "roi": disclosed.roi_json(disclosed.roi_summary(grids, roi_cell)),
    }


def _error(message: str, status: int, **extra) -> JsonResponse:
    response = JsonResponse({"error": message, **extra}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _program(user: User, chosen: str | None) -> Program:
    """A leader's own program (a `program=` naming another answers 404); an administrator
    must name one."""
    programs = programs_for(user)
    if chosen:
        pk = parse_pk(chosen)
        program = programs.filter(pk=pk).first() if pk is not None else None
    elif user.role == Role.LEADER:
        program = programs.first()
    else:
        raise ValueError
    if program is None:
        raise Http404
    return program


@page(ANYONE, patient_level=False)
@never_cache
@require_GET
def api_summary(request: HttpRequest):
    """GET /leaders/api/summary.json?from=YYYY-MM-DD&to=YYYY-MM-DD[&program=ID]."""
    token = token_authenticate(request.headers.get("Authorization", ""))
    if token is None:
        return _error(_("A valid API token is required (Authorization: Bearer <key>)."), 401)
    user = token.user
    try:
        program = _program(user, request.GET.get("program"))
    except ValueError:
        return _error(_("Administrators name the program: add program=ID."), 400)
    except Http404:
        return _error(_("No such program."), 404)
    today = program.today()
    form = PeriodForm(request.GET, today=today)
    if not form.is_valid():
        return _error(
            _("The period is not valid: %(reason)s")
            % {"reason": " ".join(str(e) for errors in form.errors.values() for e in errors)},
            400,
            fields={name: [str(e) for e in errors] for name, errors in form.errors.items()},
        )
    period = form.valid_period
    given = bool(request.GET.get("from") or request.GET.get("to"))
    # With no dates, the ROI part uses the ROI page's default (the latest year whose cohort
    # is evaluable); the overview this calendar year.
    roi_period = None if given else latest_evaluable(today, program.roi_window_days)
    data = summary_json(program=program, period=period, roi_period=roi_period)
    # Both periods the answer covers: the ROI part's differs when no dates are given.
    audit.log_export(
        request=request,
        user=user,
        what="reports:api_summary",
        fmt="json",
        program=program,
        rows=len(data["by_month"]),
        object_ids={
            "period": period.label,
            "roi_period": (roi_period or period).label,
            "kind": "json",
        },
    )
    return JsonResponse(data)

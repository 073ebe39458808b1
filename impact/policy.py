"""Authorization policy as data: every URL name and the roles that may use it (DESIGN.md §4).

`POLICY` maps each URL name of the URLconf (with its namespace: "caseloads:mine") to the
roles that may open it. `PolicyMiddleware` enforces it before any view runs, deny by
default:

- a URL name with no entry is refused (403 for a signed-in user, the sign-in page for
  anyone else) and an error is logged: a new page is closed until someone decides who may
  open it;
- an anonymous visitor on a page that is not public goes to the sign-in page;
- a signed-in user whose role is not listed gets 403.

The views keep their own decorators (`impact.access`): the table and the decorators must
agree, and `tests/security/test_policy.py` checks both against every URL and every role.
The table answers "may this role open this kind of page at all"; *which* objects a user
sees (their own enrollments, their teams', their program's) stays the selectors' job, and
a request outside the user's scope answers 404 (`tests/security/test_scope.py`).

Three rules cover URLs the table does not list one by one:

- `DEFERRED_NAMESPACES` ("admin"): the Django admin applies its own staff check (and its
  own sign-in page) to every one of its URLs; the application's roles do not apply there.
- `PUBLIC_PREFIXES`: URL names starting with "login", "logout", "two_factor", "otp" or
  "password_" are public, so the sign-in, sign-out, password and two-factor pages (which
  may come from a package) work for anonymous visitors; each such view checks what it
  needs itself (a password change still requires a signed-in user).
- `PUBLIC`: a page anyone may request, such as the token API (`reports:api_summary`),
  which authenticates with a bearer token, not a session, and answers 401 itself.

Adding a page:
1. Add the `path(...)` with a `name` to the app's `urls.py`.
2. Decorate the view as usual (`@patient_level`, `@manager_only`, `@leader_level`,
   `role_required(...)`) and fetch its object through a `_for_user` selector (404
   outside the scope).
3. Add the URL name here with the same roles. Until you do, the page answers 403 and
   `tests/security/test_policy.py` fails naming it.
4. If its path takes a primary key, add it to `tests/security/test_scope.py` (which
   object kind it is), and tell `test_policy.py` how to fill the parameter.
"""

from __future__ import annotations

import logging

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from impact.models import Role

logger = logging.getLogger(__name__)

PUBLIC = "public"  # anyone, signed in or not; the view authenticates if it needs to

CHW, MANAGER, LEADER, ADMIN = (
    Role.CHW.value,
    Role.MANAGER.value,
    Role.LEADER.value,
    Role.ADMIN.value,
)
ROLES = (CHW, MANAGER, LEADER, ADMIN)

ANYONE = frozenset({PUBLIC})
SIGNED_IN = frozenset(ROLES)
# Patient-level pages: CHWs (their own enrollments) and managers (their teams'); leaders
# never (DESIGN.md §4), administrators through the Django admin only.
PATIENT_LEVEL = frozenset({CHW, MANAGER})
MANAGER_ONLY = frozenset({MANAGER})
CHW_ONLY = frozenset({CHW})
# Program-level, de-identified figures, money, imports, exports and API tokens.
LEADER_LEVEL = frozenset({LEADER, ADMIN})
# Fidelity reviews and the CFIR log: read by all of the program's staff (who writes is
# the service's decision: managers and leaders of the program, and administrators).
PROGRAM_STAFF = frozenset({CHW, MANAGER, LEADER, ADMIN})

# Namespaces whose own application checks every request (the Django admin: is_staff).
DEFERRED_NAMESPACES = ("admin",)
# URL names that are public by their prefix (sign-in, sign-out, password, two-factor).
PUBLIC_PREFIXES = ("login", "logout", "two_factor", "otp", "password_")

POLICY: dict[str, frozenset[str]] = {
    # -- impact ----------------------------------------------------------------------------
    "home": SIGNED_IN,  # routes each role to its own page
    "login": ANYONE,
    "logout": ANYONE,
    # The sign-in page's language choice (Django's set_language: a cookie, nothing else).
    "set_language": ANYONE,
    "account_language": SIGNED_IN,  # each person's interface language, in the user menu
    "overview": LEADER_LEVEL,
    "program_settings_home": frozenset({MANAGER, ADMIN}),
    "program_settings": frozenset({MANAGER, ADMIN}),
    # Redaction (impact.redaction): patient text by the CHW's manager; supervision,
    # training, partner and CFIR-log text by a manager of the program or an admin.
    "redact": frozenset({MANAGER, ADMIN}),
    # -- leader pages (reports) -------------------------------------------------------
    "reports:chart_monthly": LEADER_LEVEL,
    "reports:chart_fidelity": LEADER_LEVEL,
    "reports:tokens": LEADER_LEVEL,
    "reports:token_revoke": LEADER_LEVEL,
    "reports:api_summary": ANYONE,  # bearer token, never a session: the view answers 401
    "reports:roi": LEADER_LEVEL,
    "reports:roi_chart": LEADER_LEVEL,
    "reports:roi_settings": LEADER_LEVEL,
    "reports:costs": LEADER_LEVEL,
    "reports:cost_edit": LEADER_LEVEL,
    "reports:cost_delete": LEADER_LEVEL,
    "reports:funding": LEADER_LEVEL,
    "reports:funding_edit": LEADER_LEVEL,
    "reports:funding_delete": LEADER_LEVEL,
    "reports:utilization": LEADER_LEVEL,
    "reports:utilization_preview": LEADER_LEVEL,
    "reports:utilization_confirm": LEADER_LEVEL,
    "reports:utilization_discard": LEADER_LEVEL,
    "reports:exports": LEADER_LEVEL,
    "reports:export_status": LEADER_LEVEL,
    "reports:export_download": LEADER_LEVEL,
    # -- caseloads ---------------------------------------------------------------------------
    "caseloads:mine": PATIENT_LEVEL,  # a manager opens a CHW's with ?chw=ID
    "caseloads:team": MANAGER_ONLY,
    "caseloads:enroll": PATIENT_LEVEL,
    "caseloads:patient_new": PATIENT_LEVEL,
    "caseloads:enrollment_new": PATIENT_LEVEL,
    "caseloads:enrollment": PATIENT_LEVEL,
    "caseloads:encounter_new": PATIENT_LEVEL,
    "caseloads:reassign": MANAGER_ONLY,
    "caseloads:extend": MANAGER_ONLY,
    "caseloads:alerts": PATIENT_LEVEL,
    "caseloads:alert_acknowledge": PATIENT_LEVEL,
    "caseloads:alert_resolve": PATIENT_LEVEL,
    # -- action plans ------------------------------------------------------------------------
    "actionplans:intake": PATIENT_LEVEL,
    "actionplans:goal_new": PATIENT_LEVEL,
    "actionplans:plan": PATIENT_LEVEL,
    "actionplans:graduate": PATIENT_LEVEL,
    "actionplans:withdraw": PATIENT_LEVEL,
    "actionplans:goal_edit": PATIENT_LEVEL,
    "actionplans:step_new": PATIENT_LEVEL,
    "actionplans:step_edit": PATIENT_LEVEL,
    "actionplans:step_done": PATIENT_LEVEL,
    "actionplans:step_postpone": PATIENT_LEVEL,
    "actionplans:referral_slip": PATIENT_LEVEL,
    # The partner directory: the program's staff read it, its managers edit it; an
    # administrator (no program) uses the Django admin.
    "actionplans:partners": frozenset({CHW, MANAGER, LEADER}),
    "actionplans:partner_new": MANAGER_ONLY,
    "actionplans:partner_edit": MANAGER_ONLY,
    # -- supervision and wellbeing -----------------------------------------------------------
    "supervision:team": MANAGER_ONLY,
    # A CHW passes the role check on the three CHW pages below, then gets 404 from the
    # selector (another CHW's page; their own is supervision:me) except on their own trend.
    "supervision:chw": frozenset({CHW, MANAGER}),
    "supervision:burnout_chart": frozenset({CHW, MANAGER}),
    "supervision:training_new": frozenset({CHW, MANAGER}),
    "supervision:session_new": MANAGER_ONLY,
    "supervision:session": frozenset({CHW, MANAGER}),  # the CHW's without private notes
    "supervision:follow_up_done": frozenset({CHW, MANAGER}),
    "supervision:time_off_new": frozenset({CHW, MANAGER}),
    "supervision:me": CHW_ONLY,
    "supervision:check_in": CHW_ONLY,
    "supervision:levels": LEADER_LEVEL,  # aggregate distribution only, small cells hidden
    # -- fidelity ----------------------------------------------------------------------------
    "fidelity:reviews": PROGRAM_STAFF,
    "fidelity:review_new": PROGRAM_STAFF,
    "fidelity:review": PROGRAM_STAFF,
    "fidelity:finalize": PROGRAM_STAFF,
    "fidelity:cases": PATIENT_LEVEL,  # the enrollments behind a miss: patient-level
    "fidelity:trend_chart": PROGRAM_STAFF,
    "fidelity:stage": PROGRAM_STAFF,
    "fidelity:log": PROGRAM_STAFF,
    "fidelity:log_csv": PROGRAM_STAFF,
}


def is_deferred(view_name: str) -> bool:
    """A URL whose own application checks access (the Django admin)."""
    return view_name.split(":", 1)[0] in DEFERRED_NAMESPACES and ":" in view_name


def roles_for(view_name: str) -> frozenset[str] | None:
    """Who may open the URL named `view_name` ("namespace:name"): its entry in POLICY,
    ANYONE for a name with a public prefix, None when nothing says (refused)."""
    if view_name in POLICY:
        return POLICY[view_name]
    if view_name.startswith(PUBLIC_PREFIXES):
        return ANYONE
    return None


class PolicyMiddleware:
    """Enforce POLICY before the view runs (after AuthenticationMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        view_name = match.view_name if match else ""
        if is_deferred(view_name):
            return None
        roles = roles_for(view_name)
        user = request.user
        if roles is None:
            logger.error(
                "No authorization policy for URL name %r (%s): refused. Add it to "
                "impact.policy.POLICY.",
                view_name,
                request.path,
            )
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        if PUBLIC in roles:
            return None
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if user.role not in roles:
            raise PermissionDenied
        return None

"""DESIGN.md §4's table, page by page: the security tests' expected answers.

Written from the design, not from the pages' declarations (`impact.pages`), so that a wrong
declaration fails a test: `tests/security/test_pages.py` compares every declaration with
this table, and `test_policy.py` and `test_scope.py` request every URL as every role and
expect what is written here. A new page needs a line here as well as its declaration.
"""

from __future__ import annotations

CHW, MANAGER, LEADER, ADMIN = "chw", "manager", "leader", "admin"
PUBLIC = "public"  # anyone, signed in or not (the view authenticates if it must)

# §4's rows, as the roles that may open a page of that row.
# "patient-level pages (patients, enrollments, encounters, goals, steps, intake)": CHWs their
# own enrollments, managers their teams'; leaders never; administrators via the Django admin.
PATIENTS = frozenset({CHW, MANAGER})
# "alerts": own / their teams' (leaders see counts only, on the overview).
ALERTS = PATIENTS
# "supervision sessions": about themselves / their CHWs (a manager records them).
SESSIONS = PATIENTS
# "wellbeing check-ins, burnout snapshots": own / their CHWs; leaders the aggregate only.
WELLBEING = PATIENTS
WELLBEING_AGGREGATE = frozenset({LEADER, ADMIN})
# "fidelity reviews, CFIR log": the program's staff read (and managers and leaders write).
FIDELITY = frozenset({CHW, MANAGER, LEADER, ADMIN})
# "dashboards, ROI, exports": program-level and de-identified, for leaders (and admins).
LEADERS = frozenset({LEADER, ADMIN})
MANAGERS = frozenset({MANAGER})
CHWS = frozenset({CHW})
EVERYONE_SIGNED_IN = frozenset({CHW, MANAGER, LEADER, ADMIN})
ANYONE = frozenset({PUBLIC})

PATIENT_LEVEL, NOT_PATIENT_LEVEL = True, False

# URL name → (who may open it, whether it is patient-level: in the access log).
EXPECTED: dict[str, tuple[frozenset[str], bool]] = {
    # -- signing in, the home page, the interface language (no patient) ---------------------
    "login": (ANYONE, NOT_PATIENT_LEVEL),
    "logout": (ANYONE, NOT_PATIENT_LEVEL),
    "set_language": (ANYONE, NOT_PATIENT_LEVEL),
    # Two-factor sign-in: for whoever is signed in; the setup page then refuses those it is
    # not offered to (CHWs who cannot open the Django admin).
    "two_factor_setup": (EVERYONE_SIGNED_IN, NOT_PATIENT_LEVEL),
    "two_factor_verify": (EVERYONE_SIGNED_IN, NOT_PATIENT_LEVEL),
    "two_factor_disable": (EVERYONE_SIGNED_IN, NOT_PATIENT_LEVEL),
    "home": (EVERYONE_SIGNED_IN, NOT_PATIENT_LEVEL),
    "account_language": (EVERYONE_SIGNED_IN, NOT_PATIENT_LEVEL),
    # -- program settings: a manager their own program's, an administrator any -------------
    "program_settings_home": (MANAGERS | {ADMIN}, NOT_PATIENT_LEVEL),
    "program_settings": (MANAGERS | {ADMIN}, NOT_PATIENT_LEVEL),
    # Redaction shows the text it redacts (a patient's, for a patient record): the CHW's
    # manager, or an administrator; leaders never.
    "redact": (MANAGERS | {ADMIN}, PATIENT_LEVEL),
    # -- patient-level pages ----------------------------------------------------------------
    "caseloads:mine": (PATIENTS, PATIENT_LEVEL),
    "caseloads:team": (MANAGERS, PATIENT_LEVEL),
    "caseloads:enroll": (PATIENTS, PATIENT_LEVEL),
    "caseloads:patient_new": (PATIENTS, PATIENT_LEVEL),
    "caseloads:enrollment_new": (PATIENTS, PATIENT_LEVEL),
    "caseloads:enrollment": (PATIENTS, PATIENT_LEVEL),
    "caseloads:encounter_new": (PATIENTS, PATIENT_LEVEL),
    "caseloads:reassign": (MANAGERS, PATIENT_LEVEL),
    "caseloads:extend": (MANAGERS, PATIENT_LEVEL),
    "actionplans:intake": (PATIENTS, PATIENT_LEVEL),
    "actionplans:goal_new": (PATIENTS, PATIENT_LEVEL),
    "actionplans:plan": (PATIENTS, PATIENT_LEVEL),
    "actionplans:graduate": (PATIENTS, PATIENT_LEVEL),
    "actionplans:withdraw": (PATIENTS, PATIENT_LEVEL),
    "actionplans:goal_edit": (PATIENTS, PATIENT_LEVEL),
    "actionplans:step_new": (PATIENTS, PATIENT_LEVEL),
    "actionplans:step_edit": (PATIENTS, PATIENT_LEVEL),
    "actionplans:step_done": (PATIENTS, PATIENT_LEVEL),
    "actionplans:step_postpone": (PATIENTS, PATIENT_LEVEL),
    "actionplans:referral_slip": (PATIENTS, PATIENT_LEVEL),
    # The enrollments behind a fidelity miss are patients.
    "fidelity:cases": (PATIENTS, PATIENT_LEVEL),
    # -- alerts -------------------------------------------------------------------------------
    "caseloads:alerts": (ALERTS, PATIENT_LEVEL),
    "caseloads:alert_acknowledge": (ALERTS, PATIENT_LEVEL),
    "caseloads:alert_resolve": (ALERTS, PATIENT_LEVEL),
    # -- supervision sessions (they discuss patients) ---------------------------------------
    "supervision:session_new": (MANAGERS, PATIENT_LEVEL),
    "supervision:session": (SESSIONS, PATIENT_LEVEL),
    # -- wellbeing, burnout, time off, training (about a CHW, no patient) --------------------
    "supervision:team": (MANAGERS, NOT_PATIENT_LEVEL),
    "supervision:chw": (WELLBEING, NOT_PATIENT_LEVEL),
    "supervision:burnout_chart": (WELLBEING, NOT_PATIENT_LEVEL),
    "supervision:training_new": (WELLBEING, NOT_PATIENT_LEVEL),
    "supervision:follow_up_done": (WELLBEING, NOT_PATIENT_LEVEL),
    "supervision:time_off_new": (WELLBEING, NOT_PATIENT_LEVEL),
    "supervision:me": (CHWS, NOT_PATIENT_LEVEL),
    "supervision:check_in": (CHWS, NOT_PATIENT_LEVEL),
    "supervision:levels": (WELLBEING_AGGREGATE, NOT_PATIENT_LEVEL),
    # -- the partner directory: the program's staff read it, its managers keep it -----------
    "actionplans:partners": (frozenset({CHW, MANAGER, LEADER}), NOT_PATIENT_LEVEL),
    "actionplans:partner_new": (MANAGERS, NOT_PATIENT_LEVEL),
    "actionplans:partner_edit": (MANAGERS, NOT_PATIENT_LEVEL),
    # -- fidelity reviews and the CFIR log -----------------------------------------------------
    "fidelity:reviews": (FIDELITY, NOT_PATIENT_LEVEL),
    "fidelity:review_new": (FIDELITY, NOT_PATIENT_LEVEL),
    "fidelity:review": (FIDELITY, NOT_PATIENT_LEVEL),
    "fidelity:finalize": (FIDELITY, NOT_PATIENT_LEVEL),
    "fidelity:trend_chart": (FIDELITY, NOT_PATIENT_LEVEL),
    "fidelity:stage": (FIDELITY, NOT_PATIENT_LEVEL),
    "fidelity:log": (FIDELITY, NOT_PATIENT_LEVEL),
    "fidelity:log_csv": (FIDELITY, NOT_PATIENT_LEVEL),
    # -- dashboards, ROI, exports: leaders and administrators --------------------------------
    "overview": (LEADERS, NOT_PATIENT_LEVEL),
    "reports:chart_monthly": (LEADERS, NOT_PATIENT_LEVEL),
    "reports:chart_fidelity": (LEADERS, NOT_PATIENT_LEVEL),
    "reports:roi": (LEADERS, NOT_PATIENT_LEVEL),
    "reports:roi_chart": (LEADERS, NOT_PATIENT_LEVEL),
    "reports:roi_settings": (LEADERS, NOT_PATIENT_LEVEL),
    "reports:costs": (LEADERS, NOT_PATIENT_LEVEL),
    "reports:cost_edit": (LEADERS, NOT_PATIENT_LEVEL),
    "reports:cost_delete": (LEADERS, NOT_PATIENT_LEVEL),
    "reports:funding": (LEADERS, NOT_PATIENT_LEVEL),
    "reports:funding_edit": (LEADERS, NOT_PATIENT_LEVEL),
    "reports:funding_delete": (LEADERS, NOT_PATIENT_LEVEL),
    # The hospital-use import reads MRNs from the file, matches them and shows counts only.
    "reports:utilization": (LEADERS, NOT_PATIENT_LEVEL),
    "reports:utilization_preview": (LEADERS, NOT_PATIENT_LEVEL),
    "reports:utilization_confirm": (LEADERS, NOT_PATIENT_LEVEL),
    "reports:utilization_discard": (LEADERS, NOT_PATIENT_LEVEL),
    "reports:exports": (LEADERS, NOT_PATIENT_LEVEL),
    "reports:export_status": (LEADERS, NOT_PATIENT_LEVEL),
    "reports:export_download": (LEADERS, NOT_PATIENT_LEVEL),
    "reports:tokens": (LEADERS, NOT_PATIENT_LEVEL),
    "reports:token_revoke": (LEADERS, NOT_PATIENT_LEVEL),
    # The token API authenticates with a bearer token, never a session: it answers 401.
    "reports:api_summary": (ANYONE, NOT_PATIENT_LEVEL),
}


def roles(name: str) -> frozenset[str]:
    """Who §4 lets open the page named `name` (KeyError: a page §4's table does not cover)."""
    return EXPECTED[name][0]


# Patient-level records in the Django admin: an administrator's reading of them (list,
# change, history and delete pages) is in the access log. The access log itself is one:
# it says who read which patient's record.
ADMIN_PATIENT_LEVEL_MODELS = frozenset(
    {
        "caseloads.patient",
        "caseloads.enrollment",
        "caseloads.encounter",
        "caseloads.enrollmentreassignment",
        "caseloads.alert",
        "actionplans.intake",
        "actionplans.goal",
        "actionplans.actionstep",
        "supervision.supervisionsession",
        "reports.utilizationrecord",
        "impact.accesslog",
    }
)

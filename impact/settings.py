"""One settings module for every environment, configured from environment variables.

Defaults are safe for a laptop: DEBUG off unless asked, SQLite beside the code, a
development secret generated into a git-ignored file on first use. Production sets
SECRET_KEY, ALLOWED_HOSTS and usually DATABASE_URL (see README, "Configuration").
"""

from __future__ import annotations

import datetime as dt
import secrets
import warnings
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from impact.lib.private import private_sqlite

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
TESTING = env.bool("TESTING", default=False)

# Test-only: a process started by a travelled test run (README, "Tests at any hour") runs
# at the instant in IMPACT_TEST_NOW. Never with TESTING off, so never in production.
if TESTING and env.str("IMPACT_TEST_NOW", default=""):
    from impact.testclock import travel_from_env

    travel_from_env()


def _development_secret() -> str:
    """A per-checkout secret kept out of git, so no secret is ever committed."""
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="") or _development_secret()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "impact.apps.ImpactConfig",
    "caseloads.apps.CaseloadsConfig",
    "actionplans.apps.ActionplansConfig",
    "supervision.apps.SupervisionConfig",
    "fidelity.apps.FidelityConfig",
    "reports.apps.ReportsConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_filters",
    "django_htmx",
    "django_q",
    "crispy_forms",
    "crispy_bootstrap5",
    "phonenumber_field",
    "bootstrap",  # django-bootstrap-static: Bootstrap's CSS/JS as static files from pip
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "impact.auth.apps.AuthConfig",
    "demo.apps.DemoConfig",  # last: builds its data through every app (DESIGN.md §2)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: no-store on every signed-in response, whatever answers it below.
    "impact.middleware.NoStoreMiddleware",
    # After LocaleMiddleware and sign-in: a saved interface language wins over the
    # sign-in page's choice and the browser's.
    "impact.auth.language.UserLanguageMiddleware",
    # Messages before the session limits, which say why someone was signed out.
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "impact.auth.middleware.SessionLimitsMiddleware",
    "impact.auth.middleware.TwoFactorMiddleware",
    # Before the policy, so a refused attempt at a patient-level page is logged too.
    "impact.audit.AccessLogMiddleware",
    "impact.pages.PolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "impact.middleware.ProgramTimeZoneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "impact.urls"
WSGI_APPLICATION = "impact.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "impact.context_processors.navigation",
                "caseloads.context_processors.alerts",
            ],
        },
    },
]

# Database: SQLite by default (WAL, IMMEDIATE transactions, busy timeout: several writers
# queue instead of failing with "database is locked"); DATABASE_URL switches to PostgreSQL.
SQLITE_PATH = env.str("SQLITE_PATH", default=str(BASE_DIR / "db.sqlite3"))
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
else:
    # Readable by its owner only, with its -wal and -shm (impact/lib/private.py).
    private_sqlite(SQLITE_PATH)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "impact.User"
# django-axes first: it refuses a locked-out username before the password is checked.
AUTHENTICATION_BACKENDS = [
    "impact.auth.backends.ThrottlingBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: every string is marked for translation, with a complete Spanish
# catalogue (locale/). Each user picks their interface language (impact.auth.language);
# printouts follow the patient's language when it is one of LANGUAGES. Times are stored
# in UTC and shown in the program's time zone.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers follow the active language through format names ("DATE_FORMAT",
# "MONTH_DAY_FORMAT", ...) in templates; impact/formats/ sets what each name looks like
# per language. Money goes through impact.lib.formats.money. Exports stay machine-readable.
FORMAT_MODULE_PATH = ["impact.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
# Static files are served from the installed packages while developing, so `make run`
# works without a collectstatic step; production runs collectstatic (README).
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)
# Before collectstatic there is no STATIC_ROOT yet; the finders serve the files meanwhile.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

# Widgets may use project templates (the language box with its suggestion list).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
PHONENUMBER_DEFAULT_REGION = env.str("PHONENUMBER_DEFAULT_REGION", default="US")
PHONENUMBER_DB_FORMAT = "E164"

# Authentication and sessions (README, "Security").
# Sign-in throttling per username (and per address across usernames, below): a clinic's
# CHWs share one IP, and one person's mistakes must not lock out the others. A lockout
# ends 15 minutes after the last failed attempt; a username that does not exist is locked
# out the same way, so the lockout page never tells whether an account exists.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks for 'ip_address' too, which would lock out every CHW behind a clinic's
# address after five mistakes. Instead an address is paused once failures on 10 distinct
# usernames came from it within 15 minutes (impact/auth/throttle.py), read from axes'
# failure log: one password tried across many usernames is stopped, a clinic is not.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_HANDLER = "impact.auth.throttle.ThrottleHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
SIGN_IN_ADDRESS_USERNAMES = env.int("SIGN_IN_ADDRESS_USERNAMES", default=10)
SIGN_IN_ADDRESS_WINDOW = dt.timedelta(minutes=15)
SIGN_IN_ADDRESS_PAUSE = dt.timedelta(minutes=env.int("SIGN_IN_ADDRESS_PAUSE_MINUTES", default=15))
# The client's address: REMOTE_ADDR, or behind TRUSTED_PROXIES proxies (a count) that each
# append to CLIENT_IP_HEADER, that header's entry TRUSTED_PROXIES from the right. With no
# proxy (0, the default) the header is ignored, so a client cannot choose its address.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
CLIENT_IP_HEADER = env.str("CLIENT_IP_HEADER", default="X-Forwarded-For")
AXES_CLIENT_IP_CALLABLE = "impact.auth.throttle.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "impact.auth.views.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# An idle session ends after 30 minutes, any session 12 hours after sign-in
# (impact.auth.middleware.SessionLimitsMiddleware says which, on the sign-in page). The
# cookie lasts until the browser closes and never more than the absolute limit.
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_HOURS", default=12) * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
# Two-factor sign-in (TOTP, django-otp): offered to managers, leaders and admins, required
# for admins and for anyone who can open the Django admin.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="IMPaCT ops")

# HTTPS (README, "Production"): every switch is an environment variable, off by default so
# `make run` works on http://127.0.0.1.
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Behind a proxy that terminates TLS and sets X-Forwarded-Proto (and strips it from
# clients); never set this without such a proxy.
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp 4): scripts, styles, fonts and images only from this
# site; no inline script anywhere (htmx and Bootstrap are static files). Bootstrap's CSS
# draws its icons with data: SVGs. Inline style *attributes* stay allowed (progress bars
# and caseload bars set their width from data); they cannot run script, and <style>
# elements stay blocked.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-elem": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# django-q2 on the ORM broker: no service to install. The timeout is shorter than the
# retry so a slow task is never picked up twice; failures are kept for admin review.
Q_CLUSTER = {
    "name": "impact",
    "orm": "default",
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": 300,
    "retry": 360,
    "max_attempts": 3,
    "ack_failures": True,
    "save_limit": 500,
    "catch_up": False,
    "sync": env.bool("Q_SYNC", default=TESTING),
    "label": _("Background tasks"),
}
# Several machines: Q_REDIS_URL moves the task queue to Redis (pip install redis); results
# and schedules stay in the database every node shares.
if Q_REDIS_URL := env.str("Q_REDIS_URL", default=""):
    del Q_CLUSTER["orm"]
    Q_CLUSTER["redis"] = Q_REDIS_URL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Leader exports whose utilization cohort has more rows than this run as a django-q2 task
# with a progress bar; smaller ones are answered in the request.
EXPORT_SYNC_MAX_ROWS = env.int("EXPORT_SYNC_MAX_ROWS", default=5000)

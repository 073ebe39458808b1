"""Production settings: `check --deploy` is clean with the environment the README gives,
and the laptop defaults are not mistaken for it."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# README, "Production": the environment of an HTTPS deployment behind a TLS proxy.
PRODUCTION = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "impact.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://impact.example.org",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "SECURE_COOKIES": "true",
    "SECURE_PROXY_SSL_HEADER": "true",
}


def check_deploy(extra: dict[str, str]) -> subprocess.CompletedProcess:
    """`manage.py check --deploy` with the production settings module and only `extra`
    (the test run's own switches, such as TESTING, are left out)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "SECRET_", "DEBUG", "TESTING", "ALLOWED_"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "impact.settings",
        "SQLITE_PATH": ":memory:",
        "SECRET_KEY": secrets.token_urlsafe(50),
        **extra,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_production_environment_passes_the_deployment_checklist():
    result = check_deploy(PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_the_laptop_defaults_fail_it_and_name_what_to_set():
    result = check_deploy({})
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr

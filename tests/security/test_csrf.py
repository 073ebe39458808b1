"""CSRF is enforced on every unsafe request: a POST without the token, to any URL of the
product, as any signed-in role, is refused (403, or 405 where the page takes no POST)
and writes nothing."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import EnrollmentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def routes(resolver=None, prefix: str = "") -> list[str]:
    """Every URL path of the product (not the Django admin), path parameters as 1."""
    found = []
    for pattern in (resolver or get_resolver()).url_patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if text.startswith("admin/"):
                continue
            found += routes(pattern, text)
        elif isinstance(pattern, URLPattern):
            found.append("/" + re.sub(r"<(?:\w+:)?\w+>", "1", text).lstrip("^").rstrip("$"))
    return found


# What a request records about itself (sessions, sign-in attempts, the access log) is
# not a write of the product's data.
RECORDS = {"sessions.Session", "impact.AccessLog"}


def rows() -> int:
    return sum(
        model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed
        and model._meta.label not in RECORDS
        and model._meta.app_label != "axes"
    )


def test_every_unsafe_request_without_a_token_is_refused(org, login):
    EnrollmentFactory(chw=org.a1, days_ago=20)  # an object with pk 1 behind most paths
    paths = routes()
    assert len(paths) > 60
    login(org.admin)  # the administrator's second-factor device exists before counting
    before = rows()
    accepted = []
    for user in (org.a1, org.ma, org.leader, org.admin):
        client = login(user)  # an administrator signed in with the second factor given
        client.handler.enforce_csrf_checks = True
        for path in paths:
            response = client.post(path, {"anything": "x"})
            if response.status_code not in (403, 405):
                accepted.append((user.username, path, response.status_code))
    assert accepted == []
    assert rows() == before

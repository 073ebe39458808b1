"""Every response to a signed-in user carries `Cache-Control: no-store` (DESIGN.md §4), so
no patient's page stays in a shared phone's browser cache or a proxy's: every URL of the
policy table for every role, the Django admin, the redirects of signing in and out, the
token API. Anonymous pages and static files
may stay cacheable (Django's own sign-in view is never cached anyway)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.api.views import token_create
from reports.models import ApiToken
from tests.security.test_policy import PLAYERS, app_urls, url_for
from tests.security.world import world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return "no-store" in directives


def test_every_url_answers_every_signed_in_role_with_no_store(client, login, world):  # noqa: F811
    urls = app_urls()
    failures, cells = [], 0
    for role, username in PLAYERS.items():
        if username is None:
            continue
        user = world.org.__dict__[username]
        client.logout()
        login(user)
        for name, params in sorted(urls.items()):
            response = client.get(url_for(world, name, params, user, role))
            cells += 1
            if not no_store(response):
                failures.append(f"{name} as {role}: {response.status_code}")
    print(f"\nURL x signed-in role cells checked for no-store: {cells}")
    assert cells > 300
    assert not failures, "\n".join(failures)


def test_patient_pages_are_no_store_even_when_the_answer_is_404_or_403(client, login, org):
    login(org.a1)
    assert no_store(client.get(reverse("caseloads:enrollment", args=[999_999])))
    client.logout()
    login(org.leader)
    response = client.get(reverse("caseloads:mine"))
    assert response.status_code == 403
    assert no_store(response)


def test_the_django_admin_is_no_store(client, login, org):
    login(org.admin)
    for url in ("/admin/", "/admin/caseloads/patient/", "/admin/impact/accesslog/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert no_store(response), url


def test_signing_in_and_out_are_no_store(client, org, password):
    response = client.post(reverse("login"), {"username": "a1", "password": password})
    assert response.status_code == 302
    assert no_store(response)
    response = client.post(reverse("logout"))
    assert no_store(response)


def test_the_token_api_is_no_store(client, org):
    _token, key = token_create(user=org.leader, name="BI")
    response = client.get(reverse("reports:api_summary"), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert no_store(response)
    assert ApiToken.objects.count() == 1

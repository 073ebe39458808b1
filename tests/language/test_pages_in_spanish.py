"""Every page of the product answers in Spanish as it does in English: each role's pages
render (no error from a date, number or money format), with <html lang="es">."""

from __future__ import annotations

import pytest

from tests.security.test_policy import PLAYERS, app_urls, url_for
from tests.security.world import world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [role for role, who in PLAYERS.items() if who])
def test_each_roles_pages_render_in_spanish(client, login, world, role):  # noqa: F811
    player = PLAYERS[role]
    assert player is not None
    user = getattr(world.org, player)
    user.preferred_language = "es"
    user.save()
    login(user)
    failures, pages = [], 0
    for name, params in sorted(app_urls().items()):
        response = client.get(url_for(world, name, params, user, role))
        if response.status_code >= 500:
            failures.append(f"{name}: {response.status_code}")
        elif response.status_code == 200 and "<html" in (body := response.content.decode()):
            pages += 1  # a whole page (an htmx fragment has no <html>)
            if '<html lang="es">' not in body:
                failures.append(f"{name}: not in Spanish")
    assert pages > 5
    assert not failures, "\n".join(failures)

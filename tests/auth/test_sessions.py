"""Session limits: 30 minutes without activity, 12 hours after sign-in; htmx polls do
not count as activity; the sign-in page says why someone was signed out."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.conftest import NOW

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def signed_in(response) -> bool:
    """home redirects a signed-in person to their page, anyone else to the sign-in page."""
    return response.status_code == 302 and not response.url.startswith(reverse("login"))


def test_a_session_stays_open_while_someone_keeps_working(client, org, login, clock):
    login(org.a1)
    for _ in range(6):  # three hours, a page every 29 minutes
        clock.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("caseloads:mine")).status_code == 200


def test_30_minutes_without_activity_sign_out_with_a_message(client, org, login, clock):
    login(org.a1)
    clock.shift(dt.timedelta(minutes=31))
    response = client.get(reverse("caseloads:mine"))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse('caseloads:mine')}"
    assert "_auth_user_id" not in client.session
    page = client.get(response.url).content.decode()
    assert "You were signed out after 30 minutes without activity" in page


def test_htmx_polls_do_not_keep_an_idle_session_open(client, org, login, clock):
    login(org.leader)
    for _ in range(5):  # 25 minutes of the export progress polling on its own
        clock.shift(dt.timedelta(minutes=5))
        assert client.get(reverse("home"), **HTMX).status_code == 302
    clock.shift(dt.timedelta(minutes=6))
    response = client.get(reverse("home"), **HTMX)
    # htmx is told to load the sign-in page as a whole page, not into a fragment.
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_an_htmx_form_counts_as_activity(client, org, login, clock):
    login(org.a1)
    clock.shift(dt.timedelta(minutes=20))
    client.post(reverse("logout") + "nothing/", **HTMX)  # any POST; the answer is a 404
    clock.shift(dt.timedelta(minutes=20))
    assert signed_in(client.get(reverse("home")))


def test_12_hours_after_sign_in_the_session_ends_however_busy(client, org, login, clock):
    login(org.ma)
    for _ in range(35):  # a request every 20 minutes for 11 h 40 min
        clock.shift(dt.timedelta(minutes=20))
        assert signed_in(client.get(reverse("home")))
    clock.shift(dt.timedelta(minutes=20))
    response = client.get(reverse("home"))
    assert response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    page = client.get(response.url).content.decode()
    assert "You were signed out because you signed in 12 hours ago" in page


def test_the_session_cookie_ends_with_the_browser(client, org, password):
    response = client.post(reverse("login"), {"username": "a1", "password": password})
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert cookie["httponly"]


def test_a_page_within_the_minute_does_not_write_the_session(
    client, org, login, clock, django_assert_num_queries
):
    login(org.a1)
    client.get(reverse("home"))
    clock.shift(dt.timedelta(seconds=30))
    # The session, the user and their program (for its time zone): the reads every
    # signed-in request makes; no write.
    with django_assert_num_queries(3):
        client.get(reverse("home"))

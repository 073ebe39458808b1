"""Sign-in throttling per username (django-axes): five failures pause that username for
15 minutes; other people behind the same address keep signing in; the pages never tell
whether a username exists."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from tests.conftest import NOW

pytestmark = pytest.mark.django_db

WRONG = "not-the-password-at-all"


def sign_in(client, username, password, path=None):
    return client.post(path or reverse("login"), {"username": username, "password": password})


def main(response) -> str:
    """The page's own content, without the per-request CSRF tokens."""
    html = response.content.decode()
    body = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return re.sub(r'value="[^"]{40,}"', "", body)


def errors(response) -> list[str]:
    return [str(e) for e in response.context["form"].non_field_errors()]


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_a_wrong_username_and_a_wrong_password_get_the_same_message(client, org, password):
    unknown = sign_in(client, "nobody-here", password)
    wrong_password = sign_in(client, "a1", WRONG)
    assert unknown.status_code == wrong_password.status_code == 200
    assert errors(unknown) == errors(wrong_password)
    assert "Please enter a correct username and password" in errors(unknown)[0]


def test_five_failures_pause_the_username_even_for_the_right_password(client, org, password):
    for _ in range(4):
        assert sign_in(client, "a1", WRONG).status_code == 200
    assert sign_in(client, "a1", WRONG).status_code == 429  # the fifth failure pauses
    response = sign_in(client, "a1", password)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in is paused for this username" in page
    assert "Try again in 15 minutes" in page
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_pause_and_a_success_starts_the_count_again(client, org, password):
    for _ in range(4):
        sign_in(client, "a1", WRONG)
    assert sign_in(client, "a1", password).status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(client, "a1", WRONG)
    assert sign_in(client, "a1", password).status_code == 302


def test_one_chws_pause_does_not_lock_out_others_at_the_same_clinic(client, org, password):
    for _ in range(6):
        sign_in(client, "a1", WRONG)
    assert sign_in(client, "a1", password).status_code == 429
    # Same test client, same address (127.0.0.1): a teammate signs in as usual.
    response = sign_in(client, "a2", password)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(org.a2.pk)


def test_the_pause_page_is_the_same_for_an_unknown_username(client, org):
    for _ in range(5):
        sign_in(client, "a1", WRONG)
        sign_in(client, "nobody-here", WRONG)
    real = sign_in(client, "a1", WRONG)
    unknown = sign_in(client, "nobody-here", WRONG)
    assert real.status_code == unknown.status_code == 429
    assert main(real) == main(unknown)
    assert "nobody-here" not in unknown.content.decode()


def test_the_pause_ends_15_minutes_after_the_last_try(client, org, password, clock):
    for _ in range(5):
        sign_in(client, "a1", WRONG)
    clock.shift(dt.timedelta(minutes=14))
    assert sign_in(client, "a1", password).status_code == 429  # starts the 15 minutes again
    clock.shift(dt.timedelta(minutes=14))
    assert sign_in(client, "a1", password).status_code == 429  # 28 minutes, but 14 since
    clock.shift(dt.timedelta(minutes=16))
    assert sign_in(client, "a1", password).status_code == 302


def test_the_django_admin_sign_in_is_throttled_too(client, org, password):
    admin_login = reverse("admin:login")
    for _ in range(5):
        sign_in(client, "admin", WRONG, admin_login)
    response = sign_in(client, "admin", password, admin_login)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_test_clients_own_sign_in_still_works(client, org, password):
    assert client.login(username="a1", password=password)
    assert client.get(reverse("caseloads:mine")).status_code == 200

"""Sign-in throttling per address across usernames (impact/auth/throttle.py): failures on
10 distinct usernames from one address within 15 minutes pause that address for 15
minutes, even for a right password; a clinic sharing an address is not paused by one
person's mistakes or by nine people's; the client's address behind a proxy comes from
TRUSTED_PROXIES and CLIENT_IP_HEADER, and the header is ignored without a proxy."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from axes.handlers.proxy import AxesProxyHandler
from django.test import RequestFactory
from django.urls import reverse

from impact.auth.throttle import client_ip
from tests.conftest import NOW

pytestmark = pytest.mark.django_db

WRONG = "not-the-password-at-all"
CLINIC = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def fresh_axes_handler():
    # The handler is built once from the settings: start each test from the settings.
    AxesProxyHandler.implementation = None
    yield
    AxesProxyHandler.implementation = None


def sign_in(client, username, password, address=CLINIC, **headers):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def fail_on(client, usernames, address=CLINIC, **headers):
    for username in usernames:
        response = sign_in(client, username, WRONG, address, **headers)
        assert response.status_code == 200, username


def signed_in(response) -> bool:
    return response.status_code == 302


DISTINCT = [f"guess{n}" for n in range(10)]


def test_ten_distinct_usernames_pause_the_address_even_for_a_right_password(
    client, org, password, clock
):
    fail_on(client, DISTINCT)
    response = sign_in(client, "a1", password)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in is paused for this network address" in page
    assert "10 or more different usernames" in page
    assert "Try again in 15 minutes" in page
    assert "_auth_user_id" not in client.session


def test_another_address_is_not_affected(client, org, password, clock):
    fail_on(client, DISTINCT)
    assert signed_in(sign_in(client, "a1", password, address=ELSEWHERE))


def test_the_pause_ends_15_minutes_after_the_tenth_username(client, org, password, clock):
    fail_on(client, DISTINCT[:9])
    clock.shift(dt.timedelta(minutes=5))
    fail_on(client, DISTINCT[9:])  # the 10th distinct username, 5 minutes later
    clock.shift(dt.timedelta(minutes=14, seconds=59))
    assert sign_in(client, "a1", password).status_code == 429
    clock.shift(dt.timedelta(seconds=1))
    assert signed_in(sign_in(client, "a1", password))


def test_a_refused_try_during_the_pause_is_not_held_against_the_username(
    client, org, password, clock
):
    fail_on(client, DISTINCT)
    for _ in range(6):  # a CHW keeps trying with the right password meanwhile
        assert sign_in(client, "a1", password).status_code == 429
    clock.shift(dt.timedelta(minutes=15))
    assert signed_in(sign_in(client, "a1", password))


def test_nine_distinct_usernames_do_not_pause_the_address(client, org, password, clock):
    fail_on(client, DISTINCT[:9])
    assert signed_in(sign_in(client, "a1", password))


def test_one_persons_mistakes_pause_their_username_not_the_clinic(client, org, password, clock):
    for _ in range(5):
        sign_in(client, "a1", WRONG)
    assert sign_in(client, "a1", password).status_code == 429  # the username, paused
    assert "Sign-in is paused for this username" in sign_in(client, "a1", password).content.decode()
    for username in ("a2", "b1", "b2"):
        assert signed_in(sign_in(client, username, password)), username
        client.logout()


def test_usernames_more_than_15_minutes_apart_do_not_add_up(client, org, password, clock):
    fail_on(client, DISTINCT[:5])
    clock.shift(dt.timedelta(minutes=15))
    fail_on(client, DISTINCT[5:])
    assert signed_in(sign_in(client, "a1", password))


def test_without_a_proxy_a_forwarded_for_header_is_ignored(client, org, password, clock):
    # An attacker cannot move to a fresh address by writing the header themselves...
    for n, username in enumerate(DISTINCT):
        sign_in(client, username, WRONG, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    assert sign_in(client, "a1", password, HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429
    # ...nor put a clinic's address on pause by naming it.
    fail_on(client, [f"x{n}" for n in range(10)], ELSEWHERE, HTTP_X_FORWARDED_FOR="192.0.2.50")
    assert signed_in(sign_in(client, "a2", password, address="192.0.2.50"))


def test_behind_a_proxy_the_address_it_forwarded_is_the_clients(
    client, org, password, clock, settings
):
    settings.TRUSTED_PROXIES = 1
    proxy = "10.0.0.2"
    # The clinic's requests all come through the proxy; its header names the clinic.
    fail_on(client, DISTINCT, proxy, HTTP_X_FORWARDED_FOR=CLINIC)
    assert sign_in(client, "a1", password, proxy, HTTP_X_FORWARDED_FOR=CLINIC).status_code == 429
    # Another client behind the same proxy is not paused, even if it claims more hops.
    other = sign_in(client, "a1", password, proxy, HTTP_X_FORWARDED_FOR=f"{CLINIC}, {ELSEWHERE}")
    assert signed_in(other)


def test_client_ip_reads_the_configured_hops(settings):
    rf = RequestFactory()
    request = rf.get("/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4, 10.0.0.2")
    settings.TRUSTED_PROXIES = 0
    assert client_ip(request) == "10.0.0.3"
    settings.TRUSTED_PROXIES = 1
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXIES = 2
    assert client_ip(request) == "1.2.3.4"  # the spoofed 6.6.6.6 is never believed
    settings.TRUSTED_PROXIES = 4  # more proxies than hops: not the configured path
    assert client_ip(request) == "10.0.0.3"
    settings.TRUSTED_PROXIES, settings.CLIENT_IP_HEADER = 1, "X-Real-IP"
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.3", HTTP_X_REAL_IP="5.6.7.8")) == "5.6.7.8"

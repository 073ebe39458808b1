"""Two-factor sign-in (TOTP): offered to managers, leaders and admins, required for
admins, never offered to CHWs; a code after the password once it is set up."""

from __future__ import annotations

import datetime as dt
import re
from base64 import b32decode

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from impact.auth.rules import PENDING_KEY
from tests.conftest import NOW

pytestmark = pytest.mark.django_db

SETUP = "/account/two-factor/"
VERIFY = "/account/two-factor/code/"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def code_for(key_hex: str) -> str:
    """What the authenticator app shows now."""
    totp = TOTP(bytes.fromhex(key_hex))
    return f"{totp.token():06d}"


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def set_up(client) -> TOTPDevice:
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    key = client.session[PENDING_KEY]
    response = client.post(reverse("two_factor_setup"), {"code": code_for(key)})
    assert response.status_code == 302
    return TOTPDevice.objects.get(confirmed=True, key=key)


def sign_in(client, username, password):
    client.logout()
    return client.post(reverse("login"), {"username": username, "password": password})


def test_the_setup_page_shows_a_qr_code_and_the_key_to_type(client, org, login):
    page = login(org.ma).get(reverse("two_factor_setup")).content.decode()
    assert "<svg" in page and "<path" in page
    key = re.search(r'two-factor-key">([A-Z2-7 ]+)<', page)
    assert key is not None
    shown = key.group(1).replace(" ", "")
    assert b32decode(shown).hex() == client.session[PENDING_KEY]
    assert not TOTPDevice.objects.exists()  # nothing saved until a code confirms it


def test_a_manager_who_sets_it_up_must_then_give_a_code_at_sign_in(
    client, org, login, password, clock
):
    login(org.ma)
    device = set_up(client)
    assert device.user == org.ma
    assert client.get(reverse("caseloads:team")).status_code == 200  # verified by setup

    clock.shift(dt.timedelta(seconds=30))  # the next code
    response = sign_in(client, "ma", password)
    assert response.status_code == 302
    # Signed in with the password alone, no page opens but the code page.
    team = client.get(reverse("caseloads:team"))
    assert team.status_code == 302
    assert team.url == f"{VERIFY}?next={reverse('caseloads:team')}"
    response = client.post(
        f"{VERIFY}?next={reverse('caseloads:team')}", {"code": code_for(device.key)}
    )
    assert response.status_code == 302 and response.url == reverse("caseloads:team")
    assert client.get(reverse("caseloads:team")).status_code == 200


def test_a_wrong_code_is_refused_with_a_message(client, org, login, password, clock):
    login(org.leader)
    device = set_up(client)
    clock.shift(dt.timedelta(seconds=30))
    sign_in(client, "leader", password)
    response = client.post(VERIFY, {"code": wrong(code_for(device.key))})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get(reverse("overview")).status_code == 302
    # Tries right after a wrong code are slowed down, even with the right code.
    response = client.post(VERIFY, {"code": code_for(device.key)})
    assert "Too many wrong codes" in response.content.decode()
    clock.shift(dt.timedelta(seconds=2))
    assert client.post(VERIFY, {"code": code_for(device.key)}).status_code == 302
    assert client.get(reverse("overview")).status_code == 200


@pytest.mark.parametrize("code", ["", "12345", "abcdef", "1234567", "١٢٣٤٥٦"])
def test_a_malformed_code_is_refused_with_a_message(client, org, login, password, clock, code):
    login(org.ma)
    set_up(client)
    sign_in(client, "ma", password)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert "6-digit code" in response.content.decode() or "6 digits" in response.content.decode()


def test_a_code_works_only_once(client, org, login, password, clock):
    login(org.ma)
    device = set_up(client)
    used = code_for(device.key)  # the code setup just used
    sign_in(client, "ma", password)
    response = client.post(VERIFY, {"code": used})
    assert "That code is not right" in response.content.decode()


def test_a_wrong_code_at_setup_saves_nothing(client, org, login):
    login(org.ma).get(reverse("two_factor_setup"))
    key = client.session[PENDING_KEY]
    response = client.post(reverse("two_factor_setup"), {"code": wrong(code_for(key))})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert not TOTPDevice.objects.exists()
    assert client.session[PENDING_KEY] == key  # the app already has it; no new scan


def test_an_admin_without_a_device_can_open_only_the_setup_page(client, org, password):
    response = client.post(reverse("login"), {"username": "admin", "password": password})
    assert response.status_code == 302
    for url in (
        reverse("home"),
        reverse("overview"),
        reverse("reports:exports"),
        reverse("program_settings_home"),
        reverse("admin:index"),
        reverse("admin:impact_user_changelist"),
        VERIFY,
        "/no-such-page/",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(SETUP), url
    page = client.get(SETUP)
    assert page.status_code == 200
    assert "Administrators must use two-factor sign-in" in page.content.decode()
    # No menu of pages that would only send them back here.
    assert page.context["nav_items"] == []
    assert reverse("overview") not in page.content.decode()
    assert client.post(reverse("logout")).status_code == 302


def test_once_verified_the_admin_has_the_whole_menu(client, org, password, clock):
    client.post(reverse("login"), {"username": "admin", "password": password})
    set_up(client)
    page = client.get(reverse("two_factor_setup"))
    assert "overview" in [item.get("name") for item in page.context["nav_items"]]


def test_an_htmx_request_from_someone_who_owes_a_code_loads_the_code_page(client, org):
    client.force_login(org.admin)
    response = client.get(reverse("overview"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(SETUP)


def test_an_admin_who_sets_it_up_reaches_the_django_admin(client, org, password, clock):
    client.post(reverse("admin:login"), {"username": "admin", "password": password})
    response = client.get(reverse("admin:index"))
    assert response.url == f"{SETUP}?next={reverse('admin:index')}"
    client.get(response.url)
    key = client.session[PENDING_KEY]
    response = client.post(response.url, {"code": code_for(key)})
    assert response.url == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200
    # And admins may not turn it off.
    page = client.get(SETUP).content.decode()
    assert "Administrators must keep it on" in page
    clock.shift(dt.timedelta(seconds=30))
    client.post(reverse("two_factor_disable"), {"code": code_for(key)})
    assert TOTPDevice.objects.filter(user=org.admin).exists()


def test_a_manager_may_turn_it_off_with_a_current_code(client, org, login, password, clock):
    login(org.ma)
    device = set_up(client)
    clock.shift(dt.timedelta(seconds=30))
    response = client.post(reverse("two_factor_disable"), {"code": code_for(device.key)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=org.ma).exists()
    sign_in(client, "ma", password)
    assert client.get(reverse("caseloads:team")).status_code == 200  # no code asked


def test_chws_are_not_offered_two_factor_sign_in(client, org, login):
    page = login(org.a1).get(reverse("caseloads:mine")).content.decode()
    assert "Two-factor sign-in" not in page
    assert client.get(SETUP).status_code == 403
    assert client.post(reverse("two_factor_disable"), {"code": "123456"}).status_code == 403
    assert "Two-factor sign-in" in login(org.ma).get(reverse("caseloads:team")).content.decode()


def test_the_code_page_goes_back_only_to_this_site(client, org, login, password, clock):
    login(org.ma)
    device = set_up(client)
    clock.shift(dt.timedelta(seconds=30))
    sign_in(client, "ma", password)
    response = client.post(f"{VERIFY}?next=https://evil.example/", {"code": code_for(device.key)})
    assert response.url == "/"


def test_the_login_fixture_signs_admins_in_with_their_second_factor(client, org, login):
    assert login(org.admin).get(reverse("overview")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_new_sign_in_of_someone_with_a_device_asks_again(client, org, login, password, clock):
    login(org.admin)  # verified in this session
    sign_in(client, "admin", password)
    assert client.get(reverse("overview")).url.startswith(VERIFY)


def test_a_form_sent_before_the_code_is_refused_and_writes_nothing(client, org):
    client.force_login(org.admin)
    response = client.post(reverse("program_settings", kwargs={"pk": org.program.pk}), {})
    assert response.status_code == 403
    assert "Two-factor sign-in needed" in response.content.decode()

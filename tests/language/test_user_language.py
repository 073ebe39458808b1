"""Each person picks their interface language: on the sign-in page before signing in, and
on the Language page (user menu) for good; after sign-in the saved language wins."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from impact.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

COOKIE = settings.LANGUAGE_COOKIE_NAME


def html_lang(response) -> str:
    return response.content.decode().split("<html lang=", 1)[1].split(">", 1)[0].strip('"')


def test_the_sign_in_page_offers_each_language_by_its_own_name(client):
    page = client.get(reverse("login")).content.decode()
    assert 'action="/i18n/setlang/"' in page
    assert 'value="es" lang="es"' in page and ">Español</button>" in page
    assert ">English</button>" in page


def test_choosing_spanish_on_the_sign_in_page_sets_it_for_the_session(client):
    response = client.post(reverse("set_language"), {"language": "es", "next": "/login/"})
    assert response.status_code == 302 and response.url == "/login/"
    assert response.cookies[COOKIE].value == "es"
    page = client.get(reverse("login"))
    assert html_lang(page) == "es"
    assert page["Content-Language"] == "es"


def test_the_sign_in_pages_choice_carries_through_sign_in(client, org, password):
    client.post(reverse("set_language"), {"language": "es", "next": "/login/"})
    client.post(reverse("login"), {"username": "a1", "password": password})
    assert html_lang(client.get(reverse("caseloads:mine"))) == "es"


def test_the_browsers_language_applies_when_nothing_was_chosen(org, login):
    client = login(org.a1)
    assert html_lang(client.get(reverse("caseloads:mine"))) == "en"
    page = client.get(reverse("caseloads:mine"), HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    assert html_lang(page) == "es"


def test_a_saved_language_wins_over_the_browser_and_the_cookie(org, login):
    org.a1.preferred_language = "es"
    org.a1.save()
    client = login(org.a1)
    client.cookies[COOKIE] = "en"
    page = client.get(reverse("caseloads:mine"), HTTP_ACCEPT_LANGUAGE="en-US")
    assert html_lang(page) == "es"
    # Kept in the cookie too, so the sign-in page after signing out is in Spanish.
    assert page.cookies[COOKIE].value == "es"


def test_a_saved_english_wins_over_a_spanish_browser(org, login):
    org.ma.preferred_language = "en"
    org.ma.save()
    page = login(org.ma).get(reverse("caseloads:team"), HTTP_ACCEPT_LANGUAGE="es")
    assert html_lang(page) == "en"


@pytest.mark.parametrize("who", ["a1", "ma", "leader", "admin"])
def test_every_role_reaches_the_language_page_from_the_user_menu(org, login, who):
    client = login(getattr(org, who))
    home = client.get(reverse("home"), follow=True).content.decode()
    menu = home.split('id="user-menu"', 1)[1].split("</ul>", 1)[0]
    assert f'href="{reverse("account_language")}?next=' in menu
    page = client.get(reverse("account_language"))
    assert page.status_code == 200
    assert 'name="language"' in page.content.decode()


class TestTheLanguagePage:
    url = "/account/language/"

    def test_it_saves_the_language_and_answers_in_it(self, org, login):
        client = login(org.a1)
        response = client.post(self.url, {"language": "es", "next": "/caseload/"})
        assert response.status_code == 302 and response.url == "/caseload/"
        assert response.cookies[COOKIE].value == "es"
        org.a1.refresh_from_db()
        assert org.a1.preferred_language == "es"
        page = client.get(response.url)
        assert html_lang(page) == "es"

    def test_it_clears_the_choice(self, org, login):
        org.a1.preferred_language = "es"
        org.a1.save()
        response = login(org.a1).post(self.url, {"language": ""})
        assert response.status_code == 302 and response.url == reverse("home")
        org.a1.refresh_from_db()
        assert org.a1.preferred_language == ""

    def test_it_never_redirects_to_another_site(self, org, login):
        response = login(org.a1).post(self.url, {"language": "en", "next": "https://evil.example/"})
        assert response.url == reverse("home")

    def test_it_refuses_a_language_it_does_not_offer(self, org, login):
        response = login(org.a1).post(self.url, {"language": "fr"})
        assert response.status_code == 200
        assert "language" in response.context["form"].errors
        org.a1.refresh_from_db()
        assert org.a1.preferred_language == ""

    def test_it_needs_a_signed_in_user(self, client):
        response = client.get(self.url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
        assert client.post(self.url, {"language": "es"}).status_code == 302
        assert not User.objects.filter(preferred_language="es").exists()

    def test_it_refuses_other_methods(self, org, login):
        assert login(org.a1).put(self.url).status_code == 405


def test_a_patients_language_is_named_in_the_pages_language(db):
    from django.utils import translation

    from caseloads.models import Patient

    patient = Patient(preferred_language="vi")
    with translation.override("en"):
        assert patient.language_name == "Vietnamese"
    with translation.override("es"):
        assert patient.language_name == "Vietnamita"


def test_only_the_demo_staff_who_chose_spanish_have_a_saved_language(db):
    from io import StringIO

    from django.core.management import call_command

    from impact.models import User

    call_command("seed_demo", stdout=StringIO())
    saved = dict(
        User.objects.exclude(preferred_language="").values_list("username", "preferred_language")
    )
    assert saved == {"chw1": "es", "chw8": "es", "manager2": "es"}

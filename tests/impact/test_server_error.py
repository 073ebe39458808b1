"""A server error shows the product's own page (templates/500.html): plain, translated,
with status 500, no traceback and nothing of the error, for anonymous and signed-in
people alike; and a plain sentence if even that page cannot be rendered."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.impact.urls_failing")]


@pytest.fixture
def failing_page(settings):
    settings.DEBUG = False
    return "/failing/"


@pytest.fixture
def browser():
    # As a browser sees it: the exception becomes the 500 page instead of being raised.
    return Client(raise_request_exception=False)


def test_a_failing_page_answers_the_products_own_500_page(browser, failing_page):
    response = browser.get(failing_page)
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    assert "The server could not finish this request" in page
    assert "IMPaCT ops" in page
    for leak in ("secret-internal-detail", "RuntimeError", "Traceback", "impact_user"):
        assert leak not in page


def test_a_signed_in_user_gets_the_same_page_and_it_is_not_cached(browser, failing_page, org):
    browser.force_login(org.a1)
    response = browser.get(failing_page)
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    assert "secret-internal-detail" not in page
    assert org.a1.username not in page  # no menu, no user: no request context
    assert "no-store" in response["Cache-Control"]


def test_the_500_page_is_in_spanish_for_a_spanish_speaker(browser, failing_page):
    response = browser.get(failing_page, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 500
    page = response.content.decode()
    assert '<html lang="es">' in page
    assert "Algo salió mal" in page


def test_if_the_page_itself_fails_a_plain_sentence_is_served(browser, failing_page, monkeypatch):
    def broken(name, *args, **kwargs):
        raise RuntimeError("the template engine is down too")

    monkeypatch.setattr("impact.views.loader.get_template", broken)
    response = browser.get(failing_page)
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode().startswith("Something went wrong.")

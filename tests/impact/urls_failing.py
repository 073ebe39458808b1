"""The product's URLconf plus one page that fails, for tests/impact/test_server_error.py."""

from django.urls import path

from impact.pages import ANYONE, page
from impact.urls import handler500  # noqa: F401 (Django reads it from the root URLconf)
from impact.urls import urlpatterns as product_urls


@page(ANYONE, patient_level=False)
def failing(request):
    raise RuntimeError("secret-internal-detail: table impact_user is on fire")


urlpatterns = [path("failing/", failing, name="failing"), *product_urls]

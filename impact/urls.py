from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from impact import views, views_redaction
from impact.auth import language
from impact.auth import views as auth
from impact.pages import ANYONE, page
from reports.overview import views as reports

# Django's own views, open to anyone: each checks what it needs itself.
public = page(ANYONE, patient_level=False)

urlpatterns = [
    path("", views.home, name="home"),
    path("overview/", reports.overview, name="overview"),
    path("program/settings/", views.program_settings_home, name="program_settings_home"),
    path("programs/<int:pk>/settings/", views.program_settings, name="program_settings"),
    path(
        "login/",
        public(auth_views.LoginView.as_view(redirect_authenticated_user=True)),
        name="login",
    ),
    path("logout/", public(auth_views.LogoutView.as_view()), name="logout"),
    path("account/two-factor/", auth.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/code/", auth.two_factor_verify, name="two_factor_verify"),
    path("account/two-factor/off/", auth.two_factor_disable, name="two_factor_disable"),
    path("account/language/", language.language, name="account_language"),
    # The sign-in page's language choice (a POST; the cookie LocaleMiddleware reads).
    path("i18n/setlang/", public(set_language), name="set_language"),
    # Redaction of text kept by mistake: the allowlist is impact.redaction.REDACTABLE.
    path(
        "redact/<str:label>/<int:pk>/<str:field>/",
        views_redaction.redact,
        name="redact",
    ),
    path("admin/", admin.site.urls),
    path("leaders/", include("reports.urls")),
    path("", include("caseloads.urls")),
    path("", include("actionplans.urls")),
    path("", include("supervision.urls")),
    path("", include("fidelity.urls")),
]

# The product's own page for a server error (templates/500.html), with no request context.
handler500 = "impact.views.server_error"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuthConfig(AppConfig):
    name = "impact.auth"
    label = "impact_auth"
    verbose_name = _("Sign-in")

    def ready(self):
        from impact.auth import signals  # noqa: F401  (connects the sign-in receiver)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        # Registers supervision_overdue, burnout_risk_high and support_requested with the
        # alert sweep, and the panels on the CHW's and the manager's home pages.
        from supervision import alerts, panels  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionplansConfig(AppConfig):
    name = "actionplans"
    verbose_name = _("Action plans")

    def ready(self) -> None:
        # Registers the goal_missing rule with the alert sweep, and the action plan's
        # panels, caseload columns and visit field with caseloads (caseloads.extensions).
        from actionplans import alerts, panels  # noqa: F401

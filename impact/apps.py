from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    name = "impact"
    verbose_name = _("Program")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from simple_history.signals import pre_create_historical_record

        from impact import append_only, audit

        # History rows written inside `audit.acting_as` name the task or command.
        pre_create_historical_record.connect(audit.label_history, dispatch_uid="impact.audit")
        # The SQLite triggers of the append-only tables ask this function about a flush.
        connection_created.connect(
            append_only.register_sqlite_functions, dispatch_uid="impact.audit.sqlite"
        )

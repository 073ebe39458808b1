from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseloadsConfig(AppConfig):
    name = "caseloads"
    verbose_name = _("Caseloads")

    def ready(self) -> None:
        from impact.signals import program_settings_changed

        program_settings_changed.connect(
            _after_program_settings, dispatch_uid="caseloads.program_settings"
        )


def _after_program_settings(sender, *, program, hours_changed: bool, **kwargs) -> None:
    """Re-flag encounters and re-sweep alerts in the background (synchronous in tests)."""
    from django_q.tasks import async_task

    async_task(
        "caseloads.tasks.program_settings_changed",
        program.pk,
        hours_changed,
        task_name=f"Program {program.pk} settings changed",
    )

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from impact.models import (
    AccessLog,
    Program,
    Redaction,
    Team,
    TrainingRecord,
    User,
)


class HistoryAdmin(SimpleHistoryAdmin):
    """A model admin with the record's history (impact.audit) under "History", shown to
    administrators only and never reverted from here: every write goes through a service,
    and the history is append-only."""

    def has_view_history_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_program_admin

    def has_change_history_permission(self, request, obj=None) -> bool:
        return False

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # The page shows a past version; saving its form would revert the record.
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Who opened which patient-level page or took which export (impact.audit): read by
    administrators, changed by nobody (the database refuses it too)."""

    patient_level = True  # its pages are in the access log (impact.audit)

    list_display = (
        "at",
        "username",
        "role",
        "actor",
        "kind",
        "url_name",
        "object_ids",
        "status_code",
        "rows",
        "format",
    )
    list_filter = ("kind", "role", "url_name")
    search_fields = ("username", "url_name", "path", "actor")
    date_hierarchy = "at"
    readonly_fields = [field.name for field in AccessLog._meta.fields]
    actions = None

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_program_admin

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Redaction)
class RedactionAdmin(admin.ModelAdmin):
    """Who redacted which field of which record, and when (impact.services.text_redact):
    never the text. Read by administrators, changed by nobody."""

    list_display = ("at", "username", "model", "object_pk", "field", "on", "history_rows")
    list_filter = ("model", "field")
    search_fields = ("username", "model", "object_pk")
    date_hierarchy = "at"
    readonly_fields = [field.name for field in Redaction._meta.fields]
    actions = None

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_program_admin

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "program", "team", "is_active")
    list_filter = ("role", "program", "team", "is_active")
    list_select_related = ("program", "team")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (
            _("Program role"),
            {"fields": ("role", "program", "team", "hired_on", "phone", "preferred_language")},
        ),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("Program role"), {"fields": ("role", "program", "team")}),
    )


@admin.register(Program)
class ProgramAdmin(HistoryAdmin):
    list_display = ("name", "variant", "intervention_days", "caseload_cap", "time_zone", "stage")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "program", "manager")
    list_filter = ("program",)
    list_select_related = ("program", "manager")


@admin.register(TrainingRecord)
class TrainingRecordAdmin(HistoryAdmin):
    list_display = ("user", "topic", "completed_on")
    list_filter = ("topic",)
    raw_id_fields = ("user",)

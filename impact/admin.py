from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from impact.models import (
    ApiToken,
    CostLine,
    ExportJob,
    FundingSource,
    Program,
    Team,
    TrainingRecord,
    User,
    UtilizationImport,
    UtilizationRecord,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "program", "team", "is_active")
    list_filter = ("role", "program", "team", "is_active")
    list_select_related = ("program", "team")
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            _("Program role"),
            {"fields": ("role", "program", "team", "hired_on", "phone", "preferred_language")},
        ),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("Program role"), {"fields": ("role", "program", "team")}),
    )


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("name", "variant", "intervention_days", "caseload_cap", "time_zone", "stage")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "program", "manager")
    list_filter = ("program",)
    list_select_related = ("program", "manager")


@admin.register(TrainingRecord)
class TrainingRecordAdmin(admin.ModelAdmin):
    list_display = ("user", "topic", "completed_on")
    list_filter = ("topic",)
    raw_id_fields = ("user",)


@admin.register(CostLine)
class CostLineAdmin(admin.ModelAdmin):
    list_display = ("program", "category", "amount", "period_start", "period_end")
    list_filter = ("program", "category")


@admin.register(FundingSource)
class FundingSourceAdmin(admin.ModelAdmin):
    list_display = ("name", "program", "kind", "amount", "starts_on", "ends_on")
    list_filter = ("program", "kind")


@admin.register(UtilizationImport)
class UtilizationImportAdmin(admin.ModelAdmin):
    list_display = ("filename", "program", "status", "rows", "imported_by", "imported_at")
    # An import is a record of what came in: nothing of it is edited by hand. The staged
    # file (MRNs) is never shown.
    exclude = ("content",)
    readonly_fields = (
        "program",
        "filename",
        "sha256",
        "status",
        "rows",
        "preview",
        "imported_by",
        "imported_at",
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")


@admin.register(UtilizationRecord)
class UtilizationRecordAdmin(admin.ModelAdmin):
    list_display = ("patient", "kind", "admitted_on", "discharged_on", "source")
    list_filter = ("kind",)
    raw_id_fields = ("patient", "source")


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ("program", "format", "period_start", "period_end", "status", "created_at")
    list_filter = ("status", "format")
    exclude = ("content",)
    readonly_fields = ("requested_by", "progress", "filename", "error", "finished_at")

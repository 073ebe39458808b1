"""The admin of the leaders' rows (moved from impact/admin.py with the models)."""

from django.contrib import admin

from impact.admin import HistoryAdmin
from reports.models import (
    ApiToken,
    CostLine,
    ExportJob,
    FundingSource,
    UtilizationImport,
    UtilizationRecord,
)


@admin.register(CostLine)
class CostLineAdmin(HistoryAdmin):
    list_display = ("program", "category", "amount", "period_start", "period_end")
    list_filter = ("program", "category")


@admin.register(FundingSource)
class FundingSourceAdmin(HistoryAdmin):
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
class UtilizationRecordAdmin(HistoryAdmin):
    patient_level = True  # its pages are in the access log (impact.audit)
    list_display = ("patient", "kind", "admitted_on", "discharged_on", "source")
    list_filter = ("kind",)
    raw_id_fields = ("patient", "source")


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ("program", "format", "period_start", "period_end", "status", "created_at")
    list_filter = ("status", "format")
    exclude = ("content",)
    readonly_fields = ("requested_by", "progress", "filename", "error", "finished_at")

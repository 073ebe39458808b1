from django.contrib import admin

from caseloads.models import (
    Alert,
    Encounter,
    Enrollment,
    EnrollmentReassignment,
    Patient,
    SweepRun,
)
from impact.admin import HistoryAdmin


@admin.register(Patient)
class PatientAdmin(HistoryAdmin):
    list_display = (
        "family_name",
        "given_name",
        "date_of_birth",
        "mrn",
        "preferred_language",
        "program",
    )
    list_filter = ("program", "interpreter_needed")
    search_fields = ("family_name", "given_name", "preferred_name", "mrn")


@admin.register(Enrollment)
class EnrollmentAdmin(HistoryAdmin):
    list_display = ("patient", "chw", "status", "enrolled_on", "planned_end_on", "closed_on")
    list_filter = ("program", "status")
    list_select_related = ("patient", "chw")
    search_fields = ("patient__family_name", "patient__mrn")
    raw_id_fields = ("patient", "chw", "backup_chw", "created_by")


@admin.register(Encounter)
class EncounterAdmin(HistoryAdmin):
    list_display = (
        "occurred_at",
        "enrollment",
        "author",
        "kind",
        "reached",
        "after_hours",
        "after_end",
    )
    list_filter = ("kind", "reached", "after_hours", "after_end")
    list_select_related = ("enrollment__patient", "author")
    raw_id_fields = ("enrollment", "author")
    date_hierarchy = "occurred_at"


@admin.register(EnrollmentReassignment)
class EnrollmentReassignmentAdmin(HistoryAdmin):
    list_display = ("enrollment", "from_chw", "to_chw", "by", "at")
    raw_id_fields = ("enrollment", "from_chw", "to_chw", "by")


@admin.register(Alert)
class AlertAdmin(HistoryAdmin):
    list_display = (
        "kind",
        "chw",
        "enrollment",
        "status",
        "opened_on",
        "resolved_at",
        "resolved_by",
    )
    list_filter = ("program", "kind", "status")
    list_select_related = ("chw", "enrollment__patient", "resolved_by")
    raw_id_fields = ("enrollment", "chw", "acknowledged_by", "resolved_by")
    date_hierarchy = "opened_on"


@admin.register(SweepRun)
class SweepRunAdmin(admin.ModelAdmin):
    list_display = ("program", "day", "scheduled", "finished_at", "seconds", "opened", "resolved")
    list_filter = ("program", "scheduled")

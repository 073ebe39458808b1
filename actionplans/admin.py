from django.contrib import admin

from actionplans.models import ActionStep, Goal, Intake, Partner
from impact.admin import HistoryAdmin


@admin.register(Partner)
class PartnerAdmin(HistoryAdmin):
    list_display = (
        "name",
        "kind",
        "program",
        "relationship",
        "serves_regardless_of_status",
        "is_active",
    )
    list_filter = ("program", "kind", "relationship", "is_active")
    search_fields = ("name",)


@admin.register(Intake)
class IntakeAdmin(HistoryAdmin):
    patient_level = True  # its pages are in the access log (impact.audit)
    list_display = ("enrollment", "recorded_on", "recorded_by")
    list_select_related = ("enrollment__patient", "recorded_by")
    raw_id_fields = ("enrollment", "recorded_by")


class ActionStepInline(admin.TabularInline):
    model = ActionStep
    extra = 0
    raw_id_fields = ("partner", "created_by")


@admin.register(Goal)
class GoalAdmin(HistoryAdmin):
    patient_level = True  # its pages are in the access log (impact.audit)
    list_display = ("statement", "enrollment", "category", "set_on", "status", "closed_on")
    list_filter = ("status", "category", "set_by")
    list_select_related = ("enrollment__patient",)
    raw_id_fields = ("enrollment", "created_by")
    inlines = [ActionStepInline]


@admin.register(ActionStep)
class ActionStepAdmin(HistoryAdmin):
    patient_level = True  # its pages are in the access log (impact.audit)
    list_display = ("description", "goal", "owner", "support_type", "due_on", "status", "partner")
    list_filter = ("status", "support_type", "owner", "referral_outcome")
    list_select_related = ("goal", "partner")
    raw_id_fields = ("goal", "partner", "created_by")

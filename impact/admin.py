from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from impact.models import Program, Team, TrainingRecord, User


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

from django.contrib import admin

from impact.admin import HistoryAdmin
from supervision.models import (
    BurnoutSnapshot,
    FollowUp,
    SupervisionSession,
    TimeOff,
    WellbeingCheckIn,
)


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0


@admin.register(SupervisionSession)
class SupervisionSessionAdmin(HistoryAdmin):
    patient_level = True  # its pages are in the access log (impact.audit)
    list_display = ("occurred_on", "kind", "chw", "manager", "duration_minutes")
    list_filter = ("kind",)
    raw_id_fields = ("manager", "chw", "others_present", "enrollments_discussed")
    inlines = [FollowUpInline]
    date_hierarchy = "occurred_on"


@admin.register(WellbeingCheckIn)
class WellbeingCheckInAdmin(HistoryAdmin):
    list_display = ("on", "chw", "burnout_score", "wants_support")
    raw_id_fields = ("chw",)


@admin.register(TimeOff)
class TimeOffAdmin(HistoryAdmin):
    list_display = ("chw", "starts_on", "ends_on", "backup")
    raw_id_fields = ("chw", "backup", "recorded_by")


@admin.register(BurnoutSnapshot)
class BurnoutSnapshotAdmin(admin.ModelAdmin):
    list_display = ("as_of", "chw", "level", "flag_count")
    list_filter = ("level",)
    raw_id_fields = ("chw",)

from django.contrib import admin

from fidelity.models import ComponentRating, FidelityReview, ImplementationNote, ModelComponent
from impact.admin import HistoryAdmin


@admin.register(ModelComponent)
class ModelComponentAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "measure", "cfir_domain", "program", "order")
    list_filter = ("measure", "cfir_domain", "program")


class RatingInline(admin.TabularInline):
    model = ComponentRating
    extra = 0


@admin.register(FidelityReview)
class FidelityReviewAdmin(HistoryAdmin):
    list_display = ("program", "period_start", "period_end", "status", "reviewer")
    list_filter = ("program", "status")
    inlines = [RatingInline]


@admin.register(ImplementationNote)
class ImplementationNoteAdmin(HistoryAdmin):
    list_display = ("on", "program", "cfir_domain", "direction", "theme")
    list_filter = ("program", "cfir_domain", "direction")

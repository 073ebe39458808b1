from django.contrib import admin
from django.contrib.admin.views.main import SEARCH_VAR
from django.shortcuts import redirect

from caseloads.models import (
    Alert,
    Encounter,
    Enrollment,
    EnrollmentReassignment,
    Patient,
    SweepRun,
)
from impact.admin import HistoryAdmin


class PostedSearchAdmin(HistoryAdmin):
    """The change list's search box is posted, never sent in the query string: its terms
    are patient names and MRNs, which must stay out of URLs, server logs and browser
    history (DESIGN.md §4). The terms are kept in the session, per model, until the next
    search (an empty one clears them); a "q" in a URL is dropped by a redirect."""

    change_list_template = "admin/posted_search_change_list.html"

    def _search_key(self) -> str:
        return f"admin.search.{self.model._meta.label_lower}"

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and "_posted_search" in request.POST:
            request.session[self._search_key()] = request.POST.get(SEARCH_VAR, "").strip()
            return redirect(request.get_full_path())
        if SEARCH_VAR in request.GET:
            rest = request.GET.copy()
            del rest[SEARCH_VAR]
            return redirect(f"{request.path}?{rest.urlencode()}" if rest else request.path)
        # Read by get_search_results for this request only (an autocomplete keeps its own).
        request.posted_search = request.session.get(self._search_key(), "")
        context = {"posted_search": request.posted_search}
        return super().changelist_view(request, extra_context=context | (extra_context or {}))

    def get_search_results(self, request, queryset, search_term):
        term = getattr(request, "posted_search", search_term)
        return super().get_search_results(request, queryset, term)


@admin.register(Patient)
class PatientAdmin(PostedSearchAdmin):
    patient_level = True  # its pages are in the access log (impact.audit)
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
class EnrollmentAdmin(PostedSearchAdmin):
    patient_level = True  # its pages are in the access log (impact.audit)
    list_display = ("patient", "chw", "status", "enrolled_on", "planned_end_on", "closed_on")
    list_filter = ("program", "status")
    list_select_related = ("patient", "chw")
    search_fields = ("patient__family_name", "patient__mrn")
    raw_id_fields = ("patient", "chw", "backup_chw", "created_by")


@admin.register(Encounter)
class EncounterAdmin(HistoryAdmin):
    patient_level = True  # its pages are in the access log (impact.audit)
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
    patient_level = True  # its pages are in the access log (impact.audit)
    list_display = ("enrollment", "from_chw", "to_chw", "by", "at")
    raw_id_fields = ("enrollment", "from_chw", "to_chw", "by")


@admin.register(Alert)
class AlertAdmin(HistoryAdmin):
    patient_level = True  # its pages are in the access log (impact.audit)
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

"""Leader pages (namespace "reports"): each area keeps its own URL list."""

from __future__ import annotations

from reports import urls_exports, urls_finance, urls_imports, urls_overview, urls_roi

app_name = "reports"
urlpatterns = [
    *urls_overview.urlpatterns,
    *urls_roi.urlpatterns,
    *urls_finance.urlpatterns,
    *urls_imports.urlpatterns,
    *urls_exports.urlpatterns,
]

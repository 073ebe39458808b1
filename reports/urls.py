"""Leader pages (namespace "reports"), by what a leader does: each area keeps its own URL
list in its package."""

from __future__ import annotations

from reports.api import urls as api
from reports.exports import urls as exports
from reports.finance import urls as finance
from reports.imports import urls as imports
from reports.overview import urls as overview
from reports.roi import urls as roi

app_name = "reports"
urlpatterns = [
    *overview.urlpatterns,
    *api.urlpatterns,
    *roi.urlpatterns,
    *finance.urlpatterns,
    *imports.urlpatterns,
    *exports.urlpatterns,
]

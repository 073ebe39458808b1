"""URLs of the leader roi pages (namespace "reports")."""

from __future__ import annotations

from django.urls import path

from reports import views_roi

urlpatterns: list = [
    path("roi/", views_roi.roi, name="roi"),
    path("roi/chart.svg", views_roi.roi_chart, name="roi_chart"),
    path("roi/settings/", views_roi.roi_settings, name="roi_settings"),
]

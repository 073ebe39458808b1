"""URLs of the leader roi pages (namespace "reports")."""

from __future__ import annotations

from django.urls import path

from reports.roi import views

urlpatterns: list = [
    path("roi/", views.roi, name="roi"),
    path("roi/chart.svg", views.roi_chart, name="roi_chart"),
    path("roi/settings/", views.roi_settings, name="roi_settings"),
]

"""URLs of the leader exports pages (namespace "reports")."""

from __future__ import annotations

from django.urls import path

from reports import views_exports

urlpatterns: list = [
    path("exports/", views_exports.exports_page, name="exports"),
    path("exports/jobs/<int:pk>/", views_exports.export_status, name="export_status"),
    path("exports/jobs/<int:pk>/download/", views_exports.export_download, name="export_download"),
]

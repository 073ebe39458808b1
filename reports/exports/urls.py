"""URLs of the leader exports pages (namespace "reports")."""

from __future__ import annotations

from django.urls import path

from reports.exports import views

urlpatterns: list = [
    path("exports/", views.exports_page, name="exports"),
    path("exports/jobs/<int:pk>/", views.export_status, name="export_status"),
    path("exports/jobs/<int:pk>/download/", views.export_download, name="export_download"),
]

"""URLs of the leader imports pages (namespace "reports")."""

from __future__ import annotations

from django.urls import path

from reports.imports import views

urlpatterns: list = [
    path("utilization/", views.upload, name="utilization"),
    path("utilization/<int:pk>/", views.preview, name="utilization_preview"),
    path("utilization/<int:pk>/confirm/", views.confirm, name="utilization_confirm"),
    path("utilization/<int:pk>/discard/", views.discard, name="utilization_discard"),
]

"""URLs of the leader imports pages (namespace "reports")."""

from __future__ import annotations

from django.urls import path

from reports import views_imports

urlpatterns: list = [
    path("utilization/", views_imports.upload, name="utilization"),
    path("utilization/<int:pk>/", views_imports.preview, name="utilization_preview"),
    path("utilization/<int:pk>/confirm/", views_imports.confirm, name="utilization_confirm"),
    path("utilization/<int:pk>/discard/", views_imports.discard, name="utilization_discard"),
]

"""URLs of the JSON API (namespace "reports"); the tokens page is the overview's."""

from __future__ import annotations

from django.urls import path

from reports.api import views

urlpatterns: list = [
    path("api/summary.json", views.api_summary, name="api_summary"),
]

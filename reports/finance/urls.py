"""URLs of the leader finance pages (namespace "reports")."""

from __future__ import annotations

from django.urls import path

from reports.finance import views

urlpatterns: list = [
    path("costs/", views.costs, name="costs"),
    path("costs/<int:pk>/", views.cost_edit, name="cost_edit"),
    path("costs/<int:pk>/delete/", views.cost_delete, name="cost_delete"),
    path("funding/", views.funding, name="funding"),
    path("funding/<int:pk>/", views.funding_edit, name="funding_edit"),
    path("funding/<int:pk>/delete/", views.funding_delete, name="funding_delete"),
]

"""URLs of the leader finance pages (namespace "reports")."""

from __future__ import annotations

from django.urls import path

from reports import views_finance

urlpatterns: list = [
    path("costs/", views_finance.costs, name="costs"),
    path("costs/<int:pk>/", views_finance.cost_edit, name="cost_edit"),
    path("costs/<int:pk>/delete/", views_finance.cost_delete, name="cost_delete"),
    path("funding/", views_finance.funding, name="funding"),
    path("funding/<int:pk>/", views_finance.funding_edit, name="funding_edit"),
    path("funding/<int:pk>/delete/", views_finance.funding_delete, name="funding_delete"),
]

"""URLs of the leader overview pages (namespace "reports"). The overview itself keeps its
old address, `/overview/` (URL name `overview`)."""

from __future__ import annotations

from django.urls import path

from reports.overview import views

urlpatterns: list = [
    path("overview/monthly.svg", views.chart_monthly, name="chart_monthly"),
    path("overview/fidelity.svg", views.chart_fidelity, name="chart_fidelity"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]

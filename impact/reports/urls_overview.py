"""URLs of the leader overview pages (namespace "reports")."""

from __future__ import annotations

urlpatterns: list = []

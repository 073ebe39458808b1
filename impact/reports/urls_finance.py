"""URLs of the leader finance pages (namespace "reports")."""

from __future__ import annotations

urlpatterns: list = []

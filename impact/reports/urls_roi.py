"""URLs of the leader roi pages (namespace "reports")."""

from __future__ import annotations

urlpatterns: list = []

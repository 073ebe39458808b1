"""URLs of the leader imports pages (namespace "reports")."""

from __future__ import annotations

urlpatterns: list = []

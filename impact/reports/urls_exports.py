"""URLs of the leader exports pages (namespace "reports")."""

from __future__ import annotations

urlpatterns: list = []

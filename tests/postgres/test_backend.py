"""The suite runs on the database DATABASE_URL names: `make test-postgres` really is PostgreSQL.

Without this, a settings change that dropped DATABASE_URL would let the PostgreSQL run of
.ci/run quietly test SQLite a second time.
"""

from __future__ import annotations

import os

import pytest
from django.db import connection

from tests.factories import PatientFactory

EXPECTED = (
    "postgresql"
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://", "pgsql://"))
    else "sqlite"
)


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_that_database_url_names():
    assert connection.vendor == EXPECTED
    if EXPECTED == "postgresql":
        # pytest-django's own database, never the one the URL names.
        assert connection.settings_dict["NAME"].startswith("test_")


@pytest.mark.django_db
def test_names_in_any_script_come_back_as_they_were_written():
    # PostgreSQL clusters made with a non-UTF-8 encoding refuse these; SQLite never does.
    patient = PatientFactory(given_name="Zoë Nguyễn", family_name="Ağaoğlu-Кузнецова 李")
    patient.refresh_from_db()
    assert (patient.given_name, patient.family_name) == ("Zoë Nguyễn", "Ağaoğlu-Кузнецова 李")

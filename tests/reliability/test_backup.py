"""`manage.py backup` makes a consistent copy of a seeded database and `restore` brings
it back: every table's row count and a demo login are as they were."""

from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from caseloads.models import Encounter
from impact.models import User

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_PASSWORD = "demo-pass-2026"


def counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def test_a_seeded_database_round_trips_through_backup_and_restore(tmp_path):
    call_command("seed_demo", stdout=StringIO())
    before = counts()
    assert before["caseloads.Encounter"] > 1000 and before["impact.User"] > 10
    copy = tmp_path / "copy.sqlite3"
    out = StringIO()
    call_command("backup", "--output", str(copy), stdout=out)
    assert f"Backed up to {copy}" in out.getvalue()

    # Work goes on after the copy: a visit deleted, a password changed.
    Encounter.objects.filter(pk=Encounter.objects.order_by("pk")[0].pk).delete()
    chw = User.objects.get(username="chw2")
    chw.set_password("another-password-2026")
    chw.save()
    assert counts() != before

    call_command("restore", str(copy), "--yes", stdout=StringIO())
    assert counts() == before
    assert authenticate(username="chw2", password=DEMO_PASSWORD) is not None
    assert authenticate(username="chw2", password="another-password-2026") is None


def test_restore_asks_for_confirmation_and_writes_nothing_without_it(tmp_path, org):
    copy = tmp_path / "copy.sqlite3"
    call_command("backup", "--output", str(copy), stdout=StringIO())
    User.objects.filter(username="a2").delete()
    with pytest.raises(CommandError, match="run this again with --yes"):
        call_command("restore", str(copy), stdout=StringIO())
    assert not User.objects.filter(username="a2").exists()
    with pytest.raises(CommandError, match="is not a file"):
        call_command("restore", str(tmp_path / "missing.sqlite3"), "--yes")


def test_a_damaged_copy_is_refused(tmp_path, org):
    copy = tmp_path / "copy.sqlite3"
    call_command("backup", "--output", str(copy), stdout=StringIO())
    data = bytearray(copy.read_bytes())
    data[5000:9000] = b"\x00" * 4000  # overwrite pages in the middle
    copy.write_bytes(bytes(data))
    with pytest.raises(CommandError):
        call_command("restore", str(copy), "--yes", stdout=StringIO())
    assert User.objects.filter(username="a2").exists()

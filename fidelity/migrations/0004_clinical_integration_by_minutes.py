"""clinical_integration is measured by minutes (DESIGN.md §5.3): its description says so.

Only the model's own component, and only while it still reads as seeded: a description an
administrator rewrote is theirs. Reviews already started keep their evidence as stored
(counted in contacts, without a unit); the review page shows them as they were."""

from django.db import migrations

CODE = "clinical_integration"
BY_CONTACTS = "Between 30% and 80% of reached contacts happen in the community."
BY_MINUTES = (
    "Between 30% and 80% of the time CHWs spend with patients in person is spent in the "
    "community, the rest in clinical settings."
)


def _swap(apps, old: str, new: str) -> None:
    apps.get_model("fidelity", "ModelComponent").objects.filter(
        code=CODE, program=None, description=old
    ).update(description=new)


def by_minutes(apps, schema_editor):
    _swap(apps, BY_CONTACTS, BY_MINUTES)


def by_contacts(apps, schema_editor):
    _swap(apps, BY_MINUTES, BY_CONTACTS)


class Migration(migrations.Migration):
    dependencies = [("fidelity", "0003_history")]
    operations = [migrations.RunPython(by_minutes, by_contacts)]

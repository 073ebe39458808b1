"""When a check-in was last submitted (`WellbeingCheckIn.updated_at`): a request for
support is answered by a session recorded after it (DESIGN.md §5.1 `support_requested`),
and a second check-in the same day replaces the first without changing `created_at`.

Rows kept: existing check-ins take their `created_at`, the best record of when they were
submitted. Their history rows keep the column empty: the historical tables are
append-only (impact 0010, 0013), so they are never back-filled. The column is added
without a default so that SQLite adds it in place (no table rebuild, which would drop the
append-only triggers); the historical table's redaction trigger names every column on
SQLite, so it is written again with the new one (`impact.append_only`)."""

from django.db import migrations, models
from django.db.models import F

from impact.append_only import history_redaction_sql

# As impact 0013 wrote it for this table: the columns a redaction may change.
HISTORY_COLUMNS = {"supervision_historicalwellbeingcheckin": ("notes",)}


def from_created_at(apps, schema_editor):
    apps.get_model("supervision", "WellbeingCheckIn").objects.update(
        updated_at=F("created_at")
    )


def redaction_trigger_with_the_new_column(apps, schema_editor):
    for statement in history_redaction_sql(schema_editor.connection, HISTORY_COLUMNS):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0003_history"),
        ("impact", "0013_redaction_exact"),
    ]

    operations = [
        migrations.AddField(
            model_name="wellbeingcheckin",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, null=True),
        ),
        migrations.AddField(
            model_name="historicalwellbeingcheckin",
            name="updated_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(from_created_at, migrations.RunPython.noop),
        migrations.RunPython(redaction_trigger_with_the_new_column, migrations.RunPython.noop),
    ]

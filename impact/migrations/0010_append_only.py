"""The access log and the historical tables are append-only at the database level: an
UPDATE or a DELETE of their rows aborts (impact.append_only.append_only_sql), on SQLite with
BEFORE UPDATE / BEFORE DELETE triggers that RAISE(ABORT), on PostgreSQL with a trigger
function (and TRUNCATE refused too). Only `manage.py flush` may empty them.

The table list is written out here, not computed, so this migration stays what it was.
A model that gets history later needs its own migration calling `append_only_sql`;
`tests/audit/test_append_only.py` fails while any historical table lacks its triggers.
On SQLite, a later migration that rebuilds one of these tables drops its triggers with the
old table: the same test catches that, and the fix is to run `append_only_sql` again."""

from django.db import migrations

from impact.append_only import append_only_sql

TABLES = [
    "impact_accesslog",
    "caseloads_historicalpatient",
    "caseloads_historicalenrollment",
    "caseloads_historicalenrollmentreassignment",
    "caseloads_historicalencounter",
    "caseloads_historicalalert",
    "actionplans_historicalintake",
    "actionplans_historicalgoal",
    "actionplans_historicalactionstep",
    "actionplans_historicalpartner",
    "supervision_historicalsupervisionsession",
    "supervision_historicalfollowup",
    "supervision_historicalwellbeingcheckin",
    "supervision_historicaltimeoff",
    "fidelity_historicalfidelityreview",
    "fidelity_historicalcomponentrating",
    "fidelity_historicalimplementationnote",
    "impact_historicalprogram",
    "impact_historicaltrainingrecord",
    "impact_historicalcostline",
    "impact_historicalfundingsource",
    "impact_historicalutilizationrecord",
]


def install(apps, schema_editor):
    for statement in append_only_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement, params=None)


def remove(apps, schema_editor):
    for statement in append_only_sql(schema_editor.connection.vendor, TABLES, drop=True):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("impact", "0009_history"),
        ("caseloads", "0006_history"),
        ("actionplans", "0002_history"),
        ("supervision", "0003_history"),
        ("fidelity", "0003_history"),
    ]

    operations = [migrations.RunPython(install, remove)]

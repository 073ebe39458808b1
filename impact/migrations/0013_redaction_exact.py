"""Redaction, exactly (DESIGN.md §4): the historical tables' triggers of 0012 accepted an
UPDATE of any text column to any text starting "[redacted" (a patient's name, the
history's type or reason, "[redacted] <a rewritten note>"). Now an UPDATE is accepted
only when every column it changes is one of that table's redactable columns (the
allowlist, `impact.redaction.REDACTABLE`, as `impact.redaction.history_columns` gives it)
and each holds exactly "[redacted YYYY-MM-DD]"; every other column stays as it was. DELETE
is still refused, and the access log still refuses every UPDATE (its triggers are not
touched here).

The columns are written out, not computed, so this migration stays what it was; a field
added to the allowlist later needs a migration of its own running `history_redaction_sql`
again (`tests/audit/test_redaction.py` fails while the triggers and the allowlist
disagree). Unapplying it leaves these stricter triggers in place: unapplying 0012 goes
back to refusing every UPDATE."""

from django.db import migrations

from impact.append_only import history_redaction_sql

# Every historical table of 0010_append_only → the columns a redaction may change.
HISTORY_COLUMNS = {
    "caseloads_historicalpatient": (),
    "caseloads_historicalenrollment": ("close_reason", "handoff_to", "summary", "extension_reason"),
    "caseloads_historicalenrollmentreassignment": ("reason",),
    "caseloads_historicalencounter": ("notes",),
    "caseloads_historicalalert": ("note",),
    "actionplans_historicalintake": ("life_story", "priorities", "what_will_help", "strengths"),
    "actionplans_historicalgoal": ("statement", "condition"),
    "actionplans_historicalactionstep": ("description", "notes"),
    "actionplans_historicalpartner": ("notes",),
    "supervision_historicalsupervisionsession": ("notes", "private_notes"),
    "supervision_historicalfollowup": ("description",),
    "supervision_historicalwellbeingcheckin": ("notes",),
    "supervision_historicaltimeoff": (),
    "fidelity_historicalfidelityreview": (),
    "fidelity_historicalcomponentrating": ("note",),
    "fidelity_historicalimplementationnote": ("theme", "note"),
    "impact_historicalprogram": (),
    "impact_historicaltrainingrecord": ("note",),
    "impact_historicalcostline": (),
    "impact_historicalfundingsource": (),
    "impact_historicalutilizationrecord": (),
}


def allow_exactly_a_redaction(apps, schema_editor):
    for statement in history_redaction_sql(schema_editor.connection, HISTORY_COLUMNS):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("impact", "0012_redaction"),
        ("caseloads", "0008_enrollment_date_index"),
        ("actionplans", "0005_goal_closed_index"),
        ("supervision", "0003_history"),
        ("fidelity", "0003_history"),
    ]

    operations = [migrations.RunPython(allow_exactly_a_redaction, migrations.RunPython.noop)]

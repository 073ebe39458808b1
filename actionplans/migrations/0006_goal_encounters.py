# Goal.encounters takes over caseloads' Encounter.goals (caseloads 0009) on the same
# table: its columns encounter_id and goal_id are the ones this field's auto-created
# through model names, so only the migration state changes; every row stays.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("actionplans", "0005_goal_closed_index"),
        ("caseloads", "0009_encounter_goals_to_actionplans"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="goal",
                    name="encounters",
                    field=models.ManyToManyField(
                        blank=True,
                        db_table="caseloads_encounter_goals",
                        related_name="goals",
                        to="caseloads.encounter",
                        verbose_name="encounters",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]

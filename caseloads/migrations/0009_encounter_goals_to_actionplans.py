# The goals an encounter worked on are declared on actionplans.Goal from now on
# (Goal.encounters, actionplans 0006), so that caseloads never names a later app
# (DESIGN.md §2). State only: the table caseloads_encounter_goals and its rows stay.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("caseloads", "0008_enrollment_date_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="encounter", name="goals"),
            ],
            database_operations=[],
        ),
    ]

"""Issue 18: cost lines, funding sources, hospital-use imports and records, export jobs
and API tokens (and the historical models of the three audited ones) now belong to the
`reports` app, which recreates them in its state over the same tables
(reports/migrations/0002_models_from_impact.py). Here they leave impact's state only: no
table is dropped, no row moves, the append-only triggers of 0010/0012/0013 stay on the
historical tables."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('impact', '0014_roi_window_choices'),
    ]

    operations = [
        # The tables stay as they are: only Django's idea of which app owns them moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='costline',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='costline',
                    name='program',
                ),
                migrations.RemoveField(
                    model_name='exportjob',
                    name='program',
                ),
                migrations.RemoveField(
                    model_name='exportjob',
                    name='requested_by',
                ),
                migrations.RemoveField(
                    model_name='fundingsource',
                    name='program',
                ),
                migrations.RemoveField(
                    model_name='historicalcostline',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='historicalcostline',
                    name='program',
                ),
                migrations.RemoveField(
                    model_name='historicalfundingsource',
                    name='program',
                ),
                migrations.RemoveField(
                    model_name='historicalutilizationrecord',
                    name='patient',
                ),
                migrations.RemoveField(
                    model_name='historicalutilizationrecord',
                    name='source',
                ),
                migrations.RemoveField(
                    model_name='utilizationimport',
                    name='imported_by',
                ),
                migrations.RemoveField(
                    model_name='utilizationimport',
                    name='program',
                ),
                migrations.RemoveField(
                    model_name='utilizationrecord',
                    name='source',
                ),
                migrations.RemoveField(
                    model_name='utilizationrecord',
                    name='patient',
                ),
                migrations.DeleteModel(
                    name='ApiToken',
                ),
                migrations.DeleteModel(
                    name='CostLine',
                ),
                migrations.DeleteModel(
                    name='ExportJob',
                ),
                migrations.DeleteModel(
                    name='FundingSource',
                ),
                migrations.DeleteModel(
                    name='HistoricalCostLine',
                ),
                migrations.DeleteModel(
                    name='HistoricalFundingSource',
                ),
                migrations.DeleteModel(
                    name='HistoricalUtilizationRecord',
                ),
                migrations.DeleteModel(
                    name='UtilizationImport',
                ),
                migrations.DeleteModel(
                    name='UtilizationRecord',
                ),
            ],
            database_operations=[],
        ),
    ]

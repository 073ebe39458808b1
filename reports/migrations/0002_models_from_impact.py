"""Issue 18: the leaders' models, moved from impact (impact 0015 drops them from impact's
state), enter reports' state over their old tables (`db_table` "impact_*", history tables
"impact_historical*"): nothing in the database changes but the content types, whose
app_label follows the models, so permissions and admin history keep pointing at them."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


# The content types that follow the models (their model names are unchanged).
MODELS = (
    "apitoken",
    "costline",
    "exportjob",
    "fundingsource",
    "historicalcostline",
    "historicalfundingsource",
    "historicalutilizationrecord",
    "utilizationimport",
    "utilizationrecord",
)


def relabel(apps, old: str, new: str) -> None:
    """Give the moved models' content types their new app label. A content type already
    made under the new label (by a post_migrate before this ran) is left; the old one,
    which the permissions and log entries point at, is then kept as it is."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(
        ContentType.objects.filter(app_label=new, model__in=MODELS).values_list("model", flat=True)
    )
    ContentType.objects.filter(app_label=old, model__in=MODELS).exclude(model__in=taken).update(
        app_label=new
    )


def content_types_to_reports(apps, schema_editor):
    relabel(apps, "impact", "reports")


def content_types_to_impact(apps, schema_editor):
    relabel(apps, "reports", "impact")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('caseloads', '0008_enrollment_date_index'),
        ('impact', '0015_reports_models_move'),
        ('reports', '0001_purge_schedule_task'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables stay as they are: only Django's idea of which app owns them moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ApiToken',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='name')),
                        ('prefix', models.CharField(max_length=8)),
                        ('key_hash', models.CharField(max_length=64, unique=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('last_used_at', models.DateTimeField(blank=True, null=True)),
                        ('revoked_at', models.DateTimeField(blank=True, null=True)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'API token',
                        'verbose_name_plural': 'API tokens',
                        'db_table': 'impact_apitoken',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='ExportJob',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('format', models.CharField(max_length=8)),
                        ('period_start', models.DateField()),
                        ('period_end', models.DateField()),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Ready'), ('failed', 'Failed')], default='queued', max_length=8)),
                        ('progress', models.PositiveSmallIntegerField(default=0)),
                        ('content', models.BinaryField(blank=True, null=True)),
                        ('filename', models.CharField(blank=True, max_length=200)),
                        ('error', models.CharField(blank=True, max_length=500)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='impact.program')),
                        ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'impact_exportjob',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalCostLine',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('category', models.CharField(choices=[('chw_salary', 'CHW salaries'), ('manager_salary', 'Manager salaries'), ('fringe', 'Fringe benefits'), ('training', 'Training'), ('certification', 'Certification'), ('software', 'Software'), ('overhead', 'Overhead'), ('other', 'Other')], max_length=20, verbose_name='category')),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='amount (USD)')),
                        ('period_start', models.DateField(verbose_name='from')),
                        ('period_end', models.DateField(verbose_name='to')),
                        ('note', models.CharField(blank=True, max_length=200, verbose_name='note')),
                        ('created_at', models.DateTimeField(blank=True, editable=False)),
                        ('history_user_id', models.BigIntegerField(blank=True, db_index=True, null=True)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('program', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='impact.program', verbose_name='program')),
                    ],
                    options={
                        'verbose_name': 'historical cost line',
                        'verbose_name_plural': 'historical cost lines',
                        'db_table': 'impact_historicalcostline',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalFundingSource',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('kind', models.CharField(choices=[('grant', 'Grant'), ('operating_budget', 'Operating budget'), ('medicaid', 'Medicaid'), ('medicare_chw_billing', 'Medicare CHW billing'), ('other', 'Other')], max_length=24, verbose_name='kind')),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='amount (USD)')),
                        ('starts_on', models.DateField(verbose_name='starts on')),
                        ('ends_on', models.DateField(verbose_name='ends on')),
                        ('created_at', models.DateTimeField(blank=True, editable=False)),
                        ('history_user_id', models.BigIntegerField(blank=True, db_index=True, null=True)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('program', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='impact.program', verbose_name='program')),
                    ],
                    options={
                        'verbose_name': 'historical funding source',
                        'verbose_name_plural': 'historical funding sources',
                        'db_table': 'impact_historicalfundingsource',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='UtilizationImport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('filename', models.CharField(max_length=255)),
                        ('sha256', models.CharField(max_length=64)),
                        ('rows', models.PositiveIntegerField(default=0)),
                        ('imported_at', models.DateTimeField(auto_now_add=True)),
                        ('status', models.CharField(choices=[('previewed', 'Previewed'), ('imported', 'Imported')], default='imported', max_length=10)),
                        ('content', models.BinaryField(blank=True, null=True)),
                        ('preview', models.JSONField(blank=True, default=dict)),
                        ('imported_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('program', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='impact.program')),
                    ],
                    options={
                        'verbose_name': 'utilization import',
                        'verbose_name_plural': 'utilization imports',
                        'db_table': 'impact_utilizationimport',
                        'ordering': ['-imported_at'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalUtilizationRecord',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('inpatient', 'Hospital admission'), ('ed', 'Emergency department visit')], max_length=10, verbose_name='kind')),
                        ('admitted_on', models.DateField(verbose_name='admitted')),
                        ('discharged_on', models.DateField(verbose_name='discharged')),
                        ('history_user_id', models.BigIntegerField(blank=True, db_index=True, null=True)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('patient', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='caseloads.patient')),
                        ('source', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reports.utilizationimport')),
                    ],
                    options={
                        'verbose_name': 'historical utilization record',
                        'verbose_name_plural': 'historical utilization records',
                        'db_table': 'impact_historicalutilizationrecord',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='CostLine',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('category', models.CharField(choices=[('chw_salary', 'CHW salaries'), ('manager_salary', 'Manager salaries'), ('fringe', 'Fringe benefits'), ('training', 'Training'), ('certification', 'Certification'), ('software', 'Software'), ('overhead', 'Overhead'), ('other', 'Other')], max_length=20, verbose_name='category')),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='amount (USD)')),
                        ('period_start', models.DateField(verbose_name='from')),
                        ('period_end', models.DateField(verbose_name='to')),
                        ('note', models.CharField(blank=True, max_length=200, verbose_name='note')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('program', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cost_lines', to='impact.program', verbose_name='program')),
                    ],
                    options={
                        'verbose_name': 'cost line',
                        'verbose_name_plural': 'cost lines',
                        'db_table': 'impact_costline',
                        'ordering': ['-period_start', 'category'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('amount__gte', 0)), name='cost_not_negative'), models.CheckConstraint(condition=models.Q(('period_end__gte', models.F('period_start'))), name='cost_period_in_order')],
                    },
                ),
                migrations.CreateModel(
                    name='FundingSource',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('kind', models.CharField(choices=[('grant', 'Grant'), ('operating_budget', 'Operating budget'), ('medicaid', 'Medicaid'), ('medicare_chw_billing', 'Medicare CHW billing'), ('other', 'Other')], max_length=24, verbose_name='kind')),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='amount (USD)')),
                        ('starts_on', models.DateField(verbose_name='starts on')),
                        ('ends_on', models.DateField(verbose_name='ends on')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('program', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='funding_sources', to='impact.program', verbose_name='program')),
                    ],
                    options={
                        'verbose_name': 'funding source',
                        'verbose_name_plural': 'funding sources',
                        'db_table': 'impact_fundingsource',
                        'ordering': ['ends_on', 'name'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('amount__gte', 0)), name='funding_not_negative'), models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='funding_period_in_order')],
                    },
                ),
                migrations.CreateModel(
                    name='UtilizationRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('inpatient', 'Hospital admission'), ('ed', 'Emergency department visit')], max_length=10, verbose_name='kind')),
                        ('admitted_on', models.DateField(verbose_name='admitted')),
                        ('discharged_on', models.DateField(verbose_name='discharged')),
                        ('patient', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='utilization', to='caseloads.patient')),
                        ('source', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='reports.utilizationimport')),
                    ],
                    options={
                        'verbose_name': 'utilization record',
                        'verbose_name_plural': 'utilization records',
                        'db_table': 'impact_utilizationrecord',
                        'constraints': [models.UniqueConstraint(fields=('patient', 'kind', 'admitted_on', 'discharged_on'), name='utilization_once'), models.UniqueConstraint(condition=models.Q(('kind', 'inpatient')), fields=('patient', 'admitted_on'), name='utilization_admission_once'), models.CheckConstraint(condition=models.Q(('discharged_on__gte', models.F('admitted_on'))), name='utilization_discharge_after_admission')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_reports, content_types_to_impact),
    ]

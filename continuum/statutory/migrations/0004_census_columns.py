"""Categories of abuse narrowed to the census codes (moved by 0003), the census's reasons for
closure, the council's LA child IDs and child protection plan reviews."""

import django.db.models.deletion
import uuid
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ('organisations', '0002_team_joint_triage'),
        ('people', '0004_census_codes'),
        ('statutory', '0003_census_codes_data'),
    ]


    operations = [
        migrations.AlterField(
            model_name='statutoryinvolvement',
            name='abuse_category',
            field=models.CharField(blank=True, choices=[('NEG', 'Neglect'), ('PHY', 'Physical abuse'), ('EMO', 'Emotional abuse'), ('SAB', 'Sexual abuse'), ('MUL', 'Multiple')], max_length=3, verbose_name='initial category of abuse'),
        ),
        migrations.AlterField(
            model_name='statutoryinvolvement',
            name='closure_reason',
            field=models.CharField(blank=True, choices=[('RC1', 'Adopted'), ('RC2', 'Died'), ('RC3', 'Child arrangements order'), ('RC4', 'Special guardianship order'), ('RC5', 'Transferred to services of another local authority'), ('RC6', 'Transferred to adult social services'), ('RC7', 'Services ceased for any other reason, including child no longer in need'), ('RC8', 'Case closed after assessment, no further action'), ('RC9', 'Case closed after assessment, referred to early help')], max_length=3),
        ),
        migrations.CreateModel(
            name='CensusChild',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('la_child_id', models.CharField(max_length=10, verbose_name='LA child ID')),
                ('former_upn', models.CharField(blank=True, max_length=13, verbose_name='former UPN')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('council', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='census_children', to='organisations.council')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='census_children', to='people.person')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('council', 'la_child_id'), name='census_child_id_unique_in_council'), models.UniqueConstraint(fields=('council', 'person'), name='census_child_once_per_council')],
            },
        ),
        migrations.CreateModel(
            name='ProtectionPlanReview',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('review_date', models.DateField()),
                ('plan', models.ForeignKey(limit_choices_to={'kind': 'cp_plan'}, on_delete=django.db.models.deletion.CASCADE, related_name='reviews', to='statutory.statutoryinvolvement')),
            ],
            options={
                'ordering': ['review_date'],
                'constraints': [models.UniqueConstraint(fields=('plan', 'review_date'), name='plan_review_once_a_day')],
            },
        ),
        ]

"""The access log's hash chain: each row's position, the previous row's hash and its own
(``audit.chain``), and the chain head that writers lock in turn.

Every change here is made without rebuilding the table on SQLite (nullable columns, a
conditional unique index, a Python-only default), which would drop its append-only trigger.
"""

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_access_log_append_only'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AccessLogChainHead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sequence', models.BigIntegerField()),
                ('last_hash', models.CharField(max_length=64)),
            ],
            options={
                'verbose_name': 'access log chain head',
            },
        ),
        migrations.AddField(
            model_name='accesslogentry',
            name='previous_hash',
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name='accesslogentry',
            name='row_hash',
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name='accesslogentry',
            name='sequence',
            field=models.BigIntegerField(editable=False, null=True),
        ),
        # The time is now set when the row is hashed: a Python default, nothing in the
        # database changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='accesslogentry',
                    name='at',
                    field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddConstraint(
            model_name='accesslogentry',
            constraint=models.UniqueConstraint(condition=models.Q(('sequence__isnull', False)), fields=('sequence',), name='access_log_one_row_per_position'),
        ),
    ]

"""Searches in the access log (issue 10, finding 4): a row kind "search" with its terms and
result count and no single subject, and the records each search showed (``ShownRecord``).

Additive: two nullable fields, ``subject_id`` made nullable, and a new table, append-only
like the log (PostgreSQL and SQLite triggers refuse UPDATE; PostgreSQL also DELETE). On
SQLite, making ``subject_id`` nullable rebuilds the table, which drops its trigger: the
trigger of migration 0002 is created again after the rebuild (and before it, going back).
"""

import django.db.models.deletion
from django.db import migrations, models

SQLITE_LOG_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS audit_accesslogentry_no_update
BEFORE UPDATE ON audit_accesslogentry
BEGIN
    SELECT RAISE(ABORT, 'The access log is append-only: UPDATE is not allowed');
END;
"""
SQLITE_SHOWN_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS audit_shownrecord_no_update
BEFORE UPDATE ON audit_shownrecord
BEGIN
    SELECT RAISE(ABORT, 'The access log is append-only: UPDATE is not allowed');
END;
"""
PG_SHOWN_TRIGGER = """
CREATE TRIGGER audit_shownrecord_append_only
    BEFORE UPDATE OR DELETE ON audit_shownrecord
    FOR EACH ROW EXECUTE FUNCTION continuum_access_log_is_append_only();
"""


def log_trigger_again(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_LOG_TRIGGER)


def shown_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_SHOWN_TRIGGER, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_SHOWN_TRIGGER)


def no_shown_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS audit_shownrecord_append_only ON audit_shownrecord"
        )
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_shownrecord_no_update")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_backfill_access_log_hash_chain"),
    ]

    operations = [
        # Going back, the rebuild below drops the trigger again: this puts it back last.
        migrations.RunPython(migrations.RunPython.noop, log_trigger_again),
        migrations.AddField(
            model_name="accesslogentry",
            name="result_count",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="accesslogentry",
            name="search_terms",
            field=models.CharField(blank=True, max_length=1000, null=True),
        ),
        migrations.AlterField(
            model_name="accesslogentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("view_record", "Viewed the record"),
                    ("view_history", "Viewed the change history"),
                    ("view_chronology", "Viewed the chronology"),
                    ("api_read", "Read the record through the API"),
                    ("search", "Searched for people"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="accesslogentry",
            name="subject_id",
            field=models.UUIDField(blank=True, db_index=True, null=True),
        ),
        migrations.RunPython(log_trigger_again, migrations.RunPython.noop),
        migrations.CreateModel(
            name="ShownRecord",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("subject_id", models.UUIDField(db_index=True)),
                (
                    "entry",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="shown",
                        to="audit.accesslogentry",
                    ),
                ),
            ],
            options={
                "verbose_name": "record shown by a search",
            },
        ),
        migrations.RunPython(shown_trigger, no_shown_trigger),
    ]

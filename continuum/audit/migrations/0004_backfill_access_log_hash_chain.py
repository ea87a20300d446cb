"""Place the rows written before the hash chain existed in it, in the order they were
written, and start the chain head. The append-only trigger is lifted for this migration
only (it runs as the database owner) and put back before it ends.

Reversing it does nothing: reversing 0003 removes the chain's columns.
"""

from django.db import migrations

from continuum.audit.chain import backfill

SQLITE_TRIGGER = """
CREATE TRIGGER audit_accesslogentry_no_update
BEFORE UPDATE ON audit_accesslogentry
BEGIN
    SELECT RAISE(ABORT, 'The access log is append-only: UPDATE is not allowed');
END;
"""


def place_existing_rows(apps, schema_editor):
    entry_model = apps.get_model("audit", "AccessLogEntry")
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE audit_accesslogentry DISABLE TRIGGER audit_accesslogentry_append_only"
        )
        backfill(entry_model)
        schema_editor.execute(
            "ALTER TABLE audit_accesslogentry ENABLE TRIGGER audit_accesslogentry_append_only"
        )
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_accesslogentry_no_update")
        backfill(entry_model)
        schema_editor.execute(SQLITE_TRIGGER)
    else:
        backfill(entry_model)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_access_log_hash_chain")]

    operations = [migrations.RunPython(place_existing_rows, migrations.RunPython.noop)]

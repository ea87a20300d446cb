"""The database refuses to change or delete access-log rows.

PostgreSQL: a trigger refuses UPDATE and DELETE (TRUNCATE stays with the database owner,
for test teardown and retention purges run outside the app). SQLite, the embedded demo
database: a trigger refuses UPDATE; the model and queryset refuse deletion.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION continuum_access_log_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The access log is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_accesslogentry_append_only
    BEFORE UPDATE OR DELETE ON audit_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION continuum_access_log_is_append_only();
"""
PG_REVERSE = """
DROP TRIGGER IF EXISTS audit_accesslogentry_append_only ON audit_accesslogentry;
DROP FUNCTION IF EXISTS continuum_access_log_is_append_only();
"""
SQLITE_FORWARD = """
CREATE TRIGGER audit_accesslogentry_no_update
BEFORE UPDATE ON audit_accesslogentry
BEGIN
    SELECT RAISE(ABORT, 'The access log is append-only: UPDATE is not allowed');
END;
"""
SQLITE_REVERSE = "DROP TRIGGER IF EXISTS audit_accesslogentry_no_update;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # No parameters: the function body's "%" is PL/pgSQL's, not a placeholder.
        schema_editor.execute(PG_FORWARD, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_REVERSE)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forward, reverse)]

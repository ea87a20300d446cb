"""On PostgreSQL the application's role (set up by ``manage.py setup_database_roles``,
docs/database-roles.md) may insert into and read the access log, and nothing else: it
cannot update, delete or truncate it, nor turn its trigger off, however it tries."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REFUSED = {
    "UPDATE": "UPDATE audit_accesslogentry SET username = 'someone.else'",
    "DELETE": "DELETE FROM audit_accesslogentry",
    "TRUNCATE": "TRUNCATE audit_accesslogentry",
    "disable its trigger": (
        "ALTER TABLE audit_accesslogentry DISABLE TRIGGER audit_accesslogentry_append_only"
    ),
    "disable every trigger": "ALTER TABLE audit_accesslogentry DISABLE TRIGGER ALL",
    "drop its trigger": ("DROP TRIGGER audit_accesslogentry_append_only ON audit_accesslogentry"),
    "skip triggers for the session": "SET session_replication_role = replica",
    "drop the table": "DROP TABLE audit_accesslogentry",
    "take over the table": "ALTER TABLE audit_accesslogentry OWNER TO CURRENT_USER",
    "replace the trigger's function": (
        "CREATE OR REPLACE FUNCTION continuum_access_log_is_append_only() RETURNS trigger "
        "AS $$ BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql"
    ),
}


@pytest.fixture
def app_role(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    if connection.vendor != "postgresql":
        pytest.skip("Database roles exist on PostgreSQL only (SQLite has no roles).")
    role = f"continuum_app_test_{uuid.uuid4().hex[:10]}"
    password = secrets.token_urlsafe(24)
    monkeypatch.setenv("CONTINUUM_TEST_APP_PASSWORD", password)
    call_command(
        "setup_database_roles",
        "--app-role",
        role,
        "--password-env",
        "CONTINUUM_TEST_APP_PASSWORD",
        stdout=None,
    )
    try:
        yield role, password
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {connection.ops.quote_name(role)}")
            cursor.execute(f"DROP ROLE {connection.ops.quote_name(role)}")


def connect_as(role: str, password: str) -> Any:
    import psycopg

    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user=role,
        password=password,
    )


def test_the_application_role_may_insert_and_read_the_log(app_role, worker):
    with connect_as(*app_role) as app:
        app.execute(
            "INSERT INTO audit_accesslogentry (at, user_id, username, organisation_name, role, "
            "subject_id, action, request_id, break_glass_reason) VALUES "
            "(now(), %s, 'frontdoor.test', '', '', %s, 'view_record', %s, '')",
            [worker.pk, uuid.uuid4(), uuid.uuid4()],
        )
        count = app.execute("SELECT count(*) FROM audit_accesslogentry").fetchone()
        assert count is not None and count[0] == 1
        # And it keeps the chain head, and the rest of the application's tables, as usual.
        app.execute("UPDATE audit_accesslogchainhead SET sequence = sequence")
        app.execute("UPDATE accounts_user SET job_title = job_title")
        app.rollback()


@pytest.mark.parametrize("attempt", list(REFUSED))
def test_the_application_role_cannot_alter_the_log(app_role, attempt):
    import psycopg

    with connect_as(*app_role) as app:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app.execute(REFUSED[attempt])
        app.rollback()


def test_the_role_must_not_be_the_owner():
    if connection.vendor != "postgresql":
        pytest.skip("Database roles exist on PostgreSQL only.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
    with pytest.raises(CommandError):
        call_command("setup_database_roles", "--app-role", owner)


def test_the_statements_can_be_printed_for_review(capsys):
    if connection.vendor != "postgresql":
        pytest.skip("Database roles exist on PostgreSQL only.")
    call_command("setup_database_roles", "--app-role", "continuum_app", "--print")
    printed = capsys.readouterr().out
    assert "REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_accesslogentry" in printed

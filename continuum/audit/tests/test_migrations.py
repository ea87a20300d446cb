"""The append-only trigger comes with migration 0002 and goes cleanly when it is reversed.

Each test runs in a scratch database of its own (``continuum.testing.database.
scratch_database``), migrated from zero to the audit migrations it tests and then to the
audit app's latest: the test database's every later migration, of every app, need not be
unmade and remade around it."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from continuum.testing.database import scratch_database

INSERT = (
    "INSERT INTO audit_accesslogentry "
    "(at, user_id, username, organisation_name, role, subject_id, action, request_id, "
    "break_glass_reason) VALUES (CURRENT_TIMESTAMP, 1, 'frontdoor.test', '', '', %s, "
    "'view_record', %s, '')"
)
UPDATE = "UPDATE audit_accesslogentry SET username = 'someone.else'"


def _migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _audit_latest() -> list[tuple[str, str]]:
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    return [(app, name) for app, name in leaves if app == "audit"]


def _update_is_refused() -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(UPDATE)
    except DatabaseError:
        return True
    return False


def test_migration_0002_reverses_and_reapplies_cleanly(django_db_blocker: Any) -> None:
    with django_db_blocker.unblock(), scratch_database():
        _migrate(_audit_latest())
        with connection.cursor() as cursor:
            cursor.execute(INSERT, [uuid.uuid4().hex, uuid.uuid4().hex])
        assert _update_is_refused()

        _migrate([("audit", "0001_initial")])
        assert not _update_is_refused(), "reversing 0002 should remove the trigger"
        _migrate(_audit_latest())

        assert _update_is_refused(), "re-applying 0002 should bring the trigger back"


def test_migration_0004_places_rows_written_before_the_chain_in_it(
    django_db_blocker: Any,
) -> None:
    with django_db_blocker.unblock(), scratch_database():
        _rows_written_before_the_chain_are_placed_in_it()


def _rows_written_before_the_chain_are_placed_in_it() -> None:
    from django.core.management import call_command

    from continuum.audit.models import AccessLogEntry

    _migrate([("audit", "0002_access_log_append_only")])
    with connection.cursor() as cursor:
        for _ in range(3):
            cursor.execute(INSERT, [uuid.uuid4().hex, uuid.uuid4().hex])
    _migrate(_audit_latest())

    rows = list(AccessLogEntry.objects.order_by("id"))
    assert [row.sequence for row in rows] == [1, 2, 3]
    assert all(row.row_hash for row in rows)
    call_command("verify_access_log", "--no-progress")  # raises if the chain is broken
    assert _update_is_refused(), "the append-only trigger is back after the migration"

"""The append-only trigger comes with migration 0002 and goes cleanly when it is reversed."""

from __future__ import annotations

import uuid

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

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


def _update_is_refused() -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(UPDATE)
    except DatabaseError:
        return True
    return False


# Every transactional test restores the data migrations seeded (serialized_rollback):
# one that did not would let its flush recreate content types under new ids, and the next
# test restoring the snapshot would then collide with them.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_0002_reverses_and_reapplies_cleanly():
    with connection.cursor() as cursor:
        cursor.execute(INSERT, [uuid.uuid4().hex, uuid.uuid4().hex])
    assert _update_is_refused()

    _migrate([("audit", "0001_initial")])
    try:
        assert not _update_is_refused(), "reversing 0002 should remove the trigger"
    finally:
        leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
        _migrate(leaves)

    assert _update_is_refused(), "re-applying 0002 should bring the trigger back"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_0004_places_rows_written_before_the_chain_in_it():
    from django.core.management import call_command

    from continuum.audit.models import AccessLogEntry

    _migrate([("audit", "0002_access_log_append_only")])
    try:
        with connection.cursor() as cursor:
            for _ in range(3):
                cursor.execute(INSERT, [uuid.uuid4().hex, uuid.uuid4().hex])
    finally:
        leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
        _migrate(leaves)

    rows = list(AccessLogEntry.objects.order_by("id"))
    assert [row.sequence for row in rows] == [1, 2, 3]
    assert all(row.row_hash for row in rows)
    call_command("verify_access_log", "--no-progress")  # raises if the chain is broken
    assert _update_is_refused(), "the append-only trigger is back after the migration"

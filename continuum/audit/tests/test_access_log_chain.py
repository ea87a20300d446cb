"""The access log is tamper-evident: each row carries the hash of the one before, and
``manage.py verify_access_log`` names every changed, deleted or inserted row and exits
non-zero. The tampering here is done as the database's owner would, with the append-only
trigger lifted (inside the test's transaction, so it comes back afterwards)."""

from __future__ import annotations

import datetime as dt
import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import close_old_connections, connection, models

from continuum.accounts.models import Role
from continuum.audit import chain
from continuum.audit.models import AccessAction, AccessLogChainHead, AccessLogEntry
from continuum.testing import factories

pytestmark = pytest.mark.django_db


@contextmanager
def trigger_lifted() -> Iterator[Any]:
    """What only the database owner can do: turn the append-only trigger off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_accesslogentry DISABLE TRIGGER ALL")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_accesslogentry_no_update")
        yield cursor
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_accesslogentry ENABLE TRIGGER ALL")


def verify() -> str:
    """Run the command; the problems it found (it must fail), or "" if it passes."""
    try:
        call_command("verify_access_log", "--no-progress", stdout=_Sink(), stderr=_sink)
    except CommandError as error:
        return _sink.take() + str(error)
    _sink.take()
    return ""


class _Sink:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def flush(self) -> None:
        pass

    def take(self) -> str:
        text, self.parts = "".join(self.parts), []
        return text


_sink = _Sink()


@pytest.fixture
def log(record_read, worker, manager) -> list[AccessLogEntry]:
    """Five reads, by two users."""
    people = [uuid.uuid4() for _ in range(3)]
    rows = [record_read(worker, subject) for subject in people]
    rows.append(record_read(manager, people[0], action=AccessAction.VIEW_HISTORY))
    rows.append(record_read(worker, people[1], break_glass_reason="Urgent call from A&E."))
    return rows


def test_each_row_carries_its_place_and_the_hash_of_the_one_before(log):
    rows = list(AccessLogEntry.objects.order_by("sequence"))
    assert [row.sequence for row in rows] == [1, 2, 3, 4, 5]
    assert rows[0].previous_hash == chain.GENESIS_HASH
    for before, row in zip(rows, rows[1:], strict=False):
        assert row.previous_hash == before.row_hash
        assert row.row_hash == chain.chain_hash(row.previous_hash or "", row)
    head = AccessLogChainHead.objects.get()
    assert (head.sequence, head.last_hash) == (5, rows[-1].row_hash)
    assert verify() == ""


def test_a_row_created_any_other_way_goes_on_the_chain_too(log, worker):
    """Kinds of row added later (searches, say) are chained however they are written."""
    row = AccessLogEntry.objects.create(
        user=worker, username=worker.username, subject_id=uuid.uuid4(), action="view_record"
    )
    assert row.sequence == 6
    assert row.previous_hash == log[-1].row_hash
    assert verify() == ""


def test_a_changed_row_is_found(log):
    target = log[2]
    with trigger_lifted() as cursor:
        cursor.execute(
            "UPDATE audit_accesslogentry SET username = %s WHERE id = %s",
            ["someone.else", target.pk],
        )
    found = verify()
    assert f"row id {target.pk} (position 3): was changed after it was written" in found
    assert "tampered with: 1 problem(s)" in found


def test_a_changed_row_whose_hash_was_recomputed_breaks_the_link_to_the_next(log):
    target = AccessLogEntry.objects.get(pk=log[1].pk)
    target.role = Role.TEAM_MANAGER
    forged = chain.chain_hash(target.previous_hash or "", target)
    with trigger_lifted() as cursor:
        cursor.execute(
            "UPDATE audit_accesslogentry SET role = %s, row_hash = %s WHERE id = %s",
            [Role.TEAM_MANAGER, forged, target.pk],
        )
    found = verify()
    assert f"row id {log[2].pk} (position 3): does not follow the row before it" in found


def test_a_deleted_row_leaves_a_gap_that_is_named(log):
    with trigger_lifted() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry WHERE id = %s", [log[1].pk])
    found = verify()
    assert f"row id {log[2].pk} (position 3): 1 row(s) missing before it (positions 2 to 2" in (
        found
    )


def test_deleting_the_last_rows_is_found(log):
    with trigger_lifted() as cursor:
        cursor.execute(
            "DELETE FROM audit_accesslogentry WHERE id IN (%s, %s)", [log[3].pk, log[4].pk]
        )
    found = verify()
    assert "the chain head: says 5 rows were written but the log ends at position 3" in found


def test_a_row_inserted_outside_the_chain_is_found(log, worker):
    with connection.cursor() as cursor:  # no trigger stops an INSERT: the chain does
        cursor.execute(
            "INSERT INTO audit_accesslogentry (at, user_id, username, organisation_name, role, "
            "subject_id, action, request_id, break_glass_reason) VALUES "
            "(%s, %s, 'made.up', '', '', %s, 'view_record', %s, '')",
            [dt.datetime.now(dt.UTC), worker.pk, uuid.uuid4().hex, uuid.uuid4().hex],
        )
    assert "has no place in the chain (inserted outside it)" in verify()


def test_a_row_forged_onto_the_end_is_found(log, worker):
    forged = AccessLogEntry(
        user=worker,
        username="made.up",
        subject_id=uuid.uuid4(),
        action=AccessAction.VIEW_RECORD,
        sequence=6,
        previous_hash=log[-1].row_hash,
    )
    forged.row_hash = chain.chain_hash(forged.previous_hash or "", forged)
    forged.save()  # without moving the chain head
    assert "rows after it were inserted outside the log" in verify()


def _different(field: models.Field[Any, Any], value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, uuid.UUID):
        return uuid.uuid4()
    if isinstance(value, dt.datetime):
        return value + dt.timedelta(microseconds=1)
    if isinstance(value, str) and field.choices:
        return next(choice for choice, _ in field.choices if choice != value)
    if isinstance(value, str):
        return value + "x"
    if isinstance(value, list):
        return [*value, "x"]
    if isinstance(value, dict):
        return {**value, "x": 1}
    if value is None:
        return 1 if isinstance(field, models.IntegerField | models.ForeignKey) else "x"
    raise AssertionError(f"Teach the test to change a {type(value)} ({field.name})")


def test_every_field_of_a_row_is_in_its_hash_whatever_fields_it_has(log):
    """Built from the model's fields, so a field added later is covered too."""
    row = AccessLogEntry.objects.get(pk=log[4].pk)
    content_fields = [
        field
        for field in AccessLogEntry._meta.concrete_fields
        if field.name not in chain.NOT_CONTENT
    ]
    assert {"at", "user", "username", "subject_id", "action", "sequence"} <= {
        field.name for field in content_fields
    }
    for field in content_fields:
        original = field.value_from_object(row)
        setattr(row, field.attname, _different(field, original))
        assert chain.chain_hash(row.previous_hash or "", row) != row.row_hash, field.name
        setattr(row, field.attname, original)
    assert chain.chain_hash(row.previous_hash or "", row) == row.row_hash


def test_the_same_row_read_back_from_the_database_hashes_the_same(record_read, worker):
    request_id = "8C3D7A0E3A554EF49A2C6A8D1B8F0C11"  # as a header might spell it
    from django.test import RequestFactory

    from continuum.audit.services import log_access

    request = RequestFactory().get("/")
    request.request_id = request_id  # type: ignore[attr-defined]
    written = log_access(
        request=request, user=worker, subject_id=uuid.uuid4(), action=AccessAction.API_READ
    )
    read = AccessLogEntry.objects.get(pk=written.pk)
    assert chain.chain_hash(read.previous_hash or "", read) == written.row_hash


def test_rows_written_before_the_chain_are_placed_in_it(log, worker):
    with connection.cursor() as cursor:
        for _ in range(3):
            cursor.execute(
                "INSERT INTO audit_accesslogentry (at, user_id, username, organisation_name, "
                "role, subject_id, action, request_id, break_glass_reason) VALUES "
                "(%s, %s, 'old.row', '', '', %s, 'view_record', %s, '')",
                [dt.datetime.now(dt.UTC), worker.pk, uuid.uuid4().hex, uuid.uuid4().hex],
            )
    assert "no place in the chain" in verify()
    with trigger_lifted():
        assert chain.backfill(AccessLogEntry) == 3
    assert verify() == ""
    assert list(
        AccessLogEntry.objects.filter(username="old.row").values_list("sequence", flat=True)
    ) == [8, 7, 6]  # newest first, after the five already in the chain


# --- exporting for a council's security monitoring ---------------------------------------


def export(*args: str) -> tuple[list[dict[str, Any]], str]:
    out, err = _Sink(), _Sink()
    call_command("export_access_log", *args, stdout=out, stderr=err)
    lines = [json.loads(line) for line in out.take().splitlines() if line.strip()]
    return lines, err.take()


def test_export_writes_json_lines_after_the_cursor_and_says_where_to_go_on(log):
    lines, said = export("--since", "0", "--limit", "3")
    assert [line["sequence"] for line in lines] == [1, 2, 3]
    assert lines[0]["username"] == "frontdoor.stockton"
    assert {"at", "user_id", "subject_id", "action", "row_hash", "previous_hash"} <= set(lines[0])
    assert "Continue with --since 3" in said
    lines, said = export("--since", "3")
    assert [line["sequence"] for line in lines] == [4, 5]
    assert "Continue with --since 5" in said
    lines, said = export("--since", "5")
    assert lines == []
    assert "Continue with --since 5" in said


def test_export_keeps_a_cursor_file(log, tmp_path):
    cursor_file = tmp_path / "cursor"
    lines, _ = export("--since", "2", "--cursor-file", str(cursor_file))
    assert len(lines) == 3
    assert cursor_file.read_text().strip() == "5"
    lines, _ = export("--cursor-file", str(cursor_file))
    assert lines == []


def test_export_for_one_council_has_its_people_and_its_staff_only(
    record_read, worker, hartlepool_manager, stockton, hartlepool
):
    stockton_child = factories.PersonFactory.create(council=stockton)
    hartlepool_child = factories.PersonFactory.create(council=hartlepool)
    record_read(worker, stockton_child.pk)
    record_read(hartlepool_manager, hartlepool_child.pk)
    record_read(worker, hartlepool_child.pk, break_glass_reason="Child seen at A&E tonight.")
    lines, _ = export("--since", "0", "--council", hartlepool.dfe_la_code)
    assert [(line["username"], line["subject_id"]) for line in lines] == [
        (hartlepool_manager.username, str(hartlepool_child.pk)),
        (worker.username, str(hartlepool_child.pk)),
    ]
    lines, _ = export("--since", "0", "--council", stockton.dfe_la_code)
    assert {line["sequence"] for line in lines} == {1, 3}


def test_export_refuses_an_unknown_council_or_a_bad_cursor(log):
    with pytest.raises(CommandError):
        export("--since", "0", "--council", "999")
    with pytest.raises(CommandError):
        export("--since", "-1")
    with pytest.raises(CommandError):
        export()


# --- concurrent writers --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_never_fork_the_chain(make_user, stockton):
    users = [
        make_user(Role.FRONT_DOOR_WORKER, council=stockton, username=f"fd.{n}") for n in range(6)
    ]
    errors: list[BaseException] = []
    start = threading.Barrier(len(users))

    def reads(user: Any) -> None:
        from django.test import RequestFactory

        from continuum.audit.services import log_access

        try:
            start.wait()
            for _ in range(5):
                log_access(
                    request=RequestFactory().get("/"),
                    user=user,
                    subject_id=uuid.uuid4(),
                    action=AccessAction.VIEW_RECORD,
                )
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=reads, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    positions = AccessLogEntry.objects.order_by("sequence").values_list("sequence", flat=True)
    assert list(positions) == list(range(1, 31))
    assert verify() == ""

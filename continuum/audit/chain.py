"""The access log's hash chain: each row carries the hash of the row before it, so any
change, removal or insertion shows (``manage.py verify_access_log``).

``row_hash = sha256(previous_hash + canonical content)``, where the canonical content is
built from every field of the model, whatever fields it has now or gains later (not the
database id, assigned after hashing, nor the hashes themselves): a JSON object, keys
sorted, values in one spelling (times in UTC, ids as text). A field whose value is empty
(None, "", [], {}) or its field's constant default is left out, so a field added later
with an empty or constant default does not change the content of the rows written before
it. New fields must therefore be nullable, or default to an empty or constant value.

Rows are appended under a lock on the chain head (one row, ``AccessLogChainHead``): the
first statement of ``append`` updates it, which holds its row lock on PostgreSQL (and the
write lock on SQLite) until the transaction ends, so concurrent writers take turns and the
chain never forks; a unique position (``sequence``) makes a fork impossible in any case.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F, Max
from django.utils import timezone

GENESIS_HASH = "0" * 64
HEAD_PK = 1
# Not content: the database id (assigned after the row is hashed) and the chain's own fields.
NOT_CONTENT = frozenset({"id", "previous_hash", "row_hash"})


def canonical_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return value.strftime("%Y-%m-%dT%H:%M:%S.%f")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {str(key): canonical_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [canonical_value(item) for item in value]
    return value


def _is_left_out(field: models.Field[Any, Any], value: Any) -> bool:
    if value is None or value in ("", [], {}):
        return True
    default = field.default
    if field.has_default() and not callable(default):
        return type(value) is type(default) and value == default
    return False


def canonical_content(entry: models.Model) -> str:
    """The row's content as one string: every concrete field but the id and the hashes."""
    content: dict[str, Any] = {}
    for field in entry._meta.concrete_fields:
        if field.name in NOT_CONTENT:
            continue
        value = field.to_python(field.value_from_object(entry))
        if _is_left_out(field, value):
            continue
        content[field.attname] = canonical_value(value)
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(previous_hash: str, entry: models.Model) -> str:
    payload = (previous_hash + canonical_content(entry)).encode("utf-8")
    return hashlib.sha256(payload).hexdigest()


def _head_model(entry_model: type[models.Model]) -> type[models.Model]:
    return entry_model._meta.apps.get_model("audit", "AccessLogChainHead")


def _claim_position(entry_model: type[models.Model]) -> tuple[int, str]:
    """Lock the chain head and take the next position: (sequence, previous hash)."""
    head_model = _head_model(entry_model)
    heads = head_model._default_manager.filter(pk=HEAD_PK)
    if not heads.update(sequence=F("sequence") + 1):
        # No head yet (a new or emptied database): start it from the log's last row.
        last = entry_model._default_manager.exclude(sequence=None).order_by("-sequence").first()
        try:
            with transaction.atomic():
                head_model._default_manager.create(
                    pk=HEAD_PK,
                    sequence=getattr(last, "sequence", 0) or 0,
                    last_hash=getattr(last, "row_hash", None) or GENESIS_HASH,
                )
        except IntegrityError:
            pass  # another writer started it first
        heads.update(sequence=F("sequence") + 1)
    sequence, last_hash = heads.values_list("sequence", "last_hash").get()
    return sequence, last_hash


def append(entry: Any) -> Any:
    """Save a new access-log row at the end of the chain: its position, the previous row's
    hash and its own are set here, the row and the head written in one transaction."""
    entry_model = type(entry)
    with transaction.atomic():
        sequence, previous_hash = _claim_position(entry_model)
        entry.sequence = sequence
        entry.previous_hash = previous_hash
        entry.at = timezone.now()
        entry.row_hash = chain_hash(previous_hash, entry)
        entry.save()
        _head_model(entry_model)._default_manager.filter(pk=HEAD_PK).update(
            last_hash=entry.row_hash
        )
    return entry


# --- checking the chain ----------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    row_id: int | None
    sequence: int | None
    what: str

    def __str__(self) -> str:
        where = f"row id {self.row_id}" if self.row_id is not None else "the chain head"
        if self.sequence is not None:
            where += f" (position {self.sequence})"
        return f"{where}: {self.what}"


def verify(entries: Iterable[Any], head: Any | None) -> Iterator[Problem]:
    """Every problem in the chain: ``entries`` in order of position (rows with no position
    first), ``head`` the chain head (or None)."""
    expected_sequence = 1
    previous_hash = GENESIS_HASH
    for entry in entries:
        if entry.sequence is None or not entry.row_hash:
            yield Problem(entry.pk, None, "has no place in the chain (inserted outside it)")
            continue
        if entry.sequence > expected_sequence:
            missing = entry.sequence - expected_sequence
            yield Problem(
                entry.pk,
                entry.sequence,
                f"{missing} row(s) missing before it (positions {expected_sequence} to "
                f"{entry.sequence - 1}: deleted)",
            )
        elif entry.sequence < expected_sequence:
            yield Problem(entry.pk, entry.sequence, "repeats an earlier position (inserted)")
        if entry.previous_hash != previous_hash and entry.sequence == expected_sequence:
            yield Problem(
                entry.pk,
                entry.sequence,
                "does not follow the row before it (a row before it was changed, removed "
                "or inserted)",
            )
        if chain_hash(entry.previous_hash or "", entry) != entry.row_hash:
            yield Problem(entry.pk, entry.sequence, "was changed after it was written")
        expected_sequence = max(expected_sequence, entry.sequence + 1)
        previous_hash = entry.row_hash
    last = expected_sequence - 1
    if head is None:
        if last:
            yield Problem(None, None, "is missing (the log's chain head was removed)")
    elif head.sequence > last:
        yield Problem(
            None,
            None,
            f"says {head.sequence} rows were written but the log ends at position {last}: "
            f"the last {head.sequence - last} deleted",
        )
    elif head.sequence < last:
        yield Problem(
            None,
            None,
            f"says {head.sequence} rows were written but the log goes on to position {last}: "
            "rows after it were inserted outside the log",
        )
    elif head.last_hash != previous_hash:
        yield Problem(None, None, "does not match the last row (it was replaced)")


def _place(entry_model: type[models.Model], batch: list[Any]) -> None:
    # A plain queryset: the log's own refuses every update (this is the one exception).
    models.QuerySet(model=entry_model).bulk_update(batch, ["sequence", "previous_hash", "row_hash"])


def backfill(entry_model: type[models.Model], batch_size: int = 1000) -> int:
    """Give every row without a place in the chain one, in the order they were written
    (for rows written before the chain existed). Returns how many were placed. The caller
    lifts the append-only trigger around this (a migration)."""
    last = entry_model._default_manager.aggregate(last=Max("sequence"))["last"] or 0
    previous_hash = GENESIS_HASH
    if last:
        previous_hash = (
            entry_model._default_manager.filter(sequence=last)
            .values_list("row_hash", flat=True)
            .get()
        )
    placed = 0
    batch: list[Any] = []
    rows = entry_model._default_manager.filter(sequence=None).order_by("id")
    entry: Any
    for entry in rows.iterator(chunk_size=batch_size):
        last += 1
        entry.sequence = last
        entry.previous_hash = previous_hash
        entry.row_hash = chain_hash(previous_hash, entry)
        previous_hash = entry.row_hash
        batch.append(entry)
        if len(batch) >= batch_size:
            _place(entry_model, batch)
            placed += len(batch)
            batch = []
    if batch:
        _place(entry_model, batch)
        placed += len(batch)
    _head_model(entry_model)._default_manager.update_or_create(
        pk=HEAD_PK, defaults={"sequence": last, "last_hash": previous_hash}
    )
    return placed

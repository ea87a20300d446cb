"""Every table's row count and content checksum, computed the same way on SQLite and
PostgreSQL, so a backup's manifest can prove a restore exact.

A table's checksum is the SHA-256 of its column names (sorted) and then of each row in
primary-key order (text keys compared byte by byte on both engines), each row a JSON list
of its values in the order of those names, each value written one way whatever the engine
returned: times in UTC with microseconds, dates and times of day in ISO 8601, booleans as
``true``/``false`` (SQLite keeps 0 and 1), decimals to their field's places, UUIDs in their
hyphenated form, durations in microseconds, bytes in hex, JSON with its keys sorted. The
model field of each column (where the code has one) says how its value is stored; a column
no model knows (a backup of an older schema) is written by its value's own type.

The connections are plain DB-API ones (``sqlite3``, ``psycopg``) opened by ``engines``,
never Django's, so a snapshot or a scratch database can be read as easily as the
configured one.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.db.migrations.recorder import MigrationRecorder
from django.utils.dateparse import parse_date, parse_datetime, parse_time

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
FETCH_ROWS = 2000
TEXT_TYPES = frozenset({"text", "character varying", "character"})

Normaliser = Callable[[Any], Any]


@dataclass(frozen=True)
class TableSum:
    """One table's rows and the checksum of their content."""

    rows: int
    checksum: str

    def as_json(self) -> dict[str, Any]:
        return {"rows": self.rows, "checksum": self.checksum}


@dataclass(frozen=True)
class Column:
    name: str
    is_text: bool


# --- values written one way -------------------------------------------------------------------


def _utc_text(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)  # Django keeps UTC in SQLite, without a zone
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def by_type(value: Any) -> Any:
    """A value written by its own type (a column no model field describes)."""
    if isinstance(value, dt.datetime):
        return _utc_text(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value // dt.timedelta(microseconds=1)
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)  # addresses (inet), ranges: their text


def _datetime(value: Any) -> Any:
    if isinstance(value, str):
        value = parse_datetime(value) or value
    return _utc_text(value) if isinstance(value, dt.datetime) else by_type(value)


def _date(value: Any) -> Any:
    if isinstance(value, str):
        value = parse_date(value[:10]) or value
    return by_type(value)


def _time(value: Any) -> Any:
    if isinstance(value, str):
        value = parse_time(value) or value
    return by_type(value)


def _duration(value: Any) -> Any:
    return value if isinstance(value, int) else by_type(value)


def _uuid(value: Any) -> Any:
    try:
        return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
    except ValueError:
        return by_type(value)


def _decimal(places: int | None) -> Normaliser:
    def normalise(value: Any) -> Any:
        try:
            number = decimal.Decimal(str(value))
        except decimal.InvalidOperation:
            return by_type(value)
        if places is not None:
            number = number.quantize(decimal.Decimal(1).scaleb(-places))
        return str(number)

    return normalise


def _json(engine: str) -> Normaliser:
    def normalise(value: Any) -> Any:
        # SQLite keeps JSON as text; psycopg hands PostgreSQL's jsonb over decoded.
        if engine == SQLITE and isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return value
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    return normalise


def _boolean(value: Any) -> Any:
    return bool(value)


def normaliser(field: models.Field[Any, Any] | None, engine: str) -> Normaliser:
    """How a column's values are written, from its model field (if the code has one)."""
    if field is None:
        return by_type
    kind = field.get_internal_type()
    if kind in ("BooleanField", "NullBooleanField"):
        return _boolean
    if kind == "DateTimeField":
        return _datetime
    if kind == "DateField":
        return _date
    if kind == "TimeField":
        return _time
    if kind == "DecimalField":
        return _decimal(getattr(field, "decimal_places", None))
    if kind == "UUIDField":
        return _uuid
    if kind == "JSONField":
        return _json(engine)
    if kind == "DurationField":
        return _duration
    return by_type


def model_fields() -> dict[str, dict[str, models.Field[Any, Any]]]:
    """Each table's model fields by column, for every model the code has (many-to-many
    tables and Django's record of migrations included)."""
    tables: dict[str, dict[str, models.Field[Any, Any]]] = {}
    every: list[type[models.Model]] = [
        *apps.get_models(include_auto_created=True),
        MigrationRecorder.Migration,
    ]
    for model in every:
        columns = tables.setdefault(model._meta.db_table, {})
        for field in model._meta.concrete_fields:
            if field.column:
                columns[field.column] = field
    return tables


# --- reading the tables -----------------------------------------------------------------------


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_names(connection: Any, engine: str) -> list[str]:
    """The database's own tables (not SQLite's internal ones), by name."""
    if engine == SQLITE:
        sql = (
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
        )
    else:
        sql = (
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
    return [row[0] for row in connection.execute(sql).fetchall()]


def columns_and_key(connection: Any, engine: str, table: str) -> tuple[list[Column], list[str]]:
    """A table's columns and its primary key's columns (in the key's order)."""
    if engine == SQLITE:
        info = connection.execute(f"PRAGMA table_info({quote(table)})").fetchall()
        columns = [
            Column(row[1], str(row[2]).lower().startswith(("varchar", "text", "char")))
            for row in info
        ]
        key = [row[1] for row in sorted(info, key=lambda row: row[5]) if row[5]]
        return columns, key
    rows = connection.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position",
        [table],
    ).fetchall()
    columns = [Column(name, data_type in TEXT_TYPES) for name, data_type in rows]
    key = [
        row[0]
        for row in connection.execute(
            "SELECT a.attname FROM pg_index i "
            "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
            "WHERE i.indrelid = %s::regclass AND i.indisprimary "
            "ORDER BY array_position(i.indkey, a.attnum)",
            [quote(table)],
        ).fetchall()
    ]
    return columns, key


def count_rows(connection: Any, table: str) -> int:
    # The table's name is quoted: one read from the database's own catalogue.
    sql = f"SELECT count(*) FROM {quote(table)}"  # noqa: S608
    return int(connection.execute(sql).fetchone()[0])


def _order_by(engine: str, columns: list[Column], key: list[str]) -> str:
    by_name = {column.name: column for column in columns}
    names = key or sorted(by_name)
    terms = []
    for name in names:
        # Byte order on both engines: SQLite's BINARY collation and PostgreSQL's "C".
        collate = ' COLLATE "C"' if engine == POSTGRESQL and by_name[name].is_text else ""
        terms.append(f"{quote(name)}{collate}")
    return ", ".join(terms)


def _rows(connection: Any, engine: str, sql: str) -> Iterator[tuple[Any, ...]]:
    if engine == POSTGRESQL:
        # A server-side cursor: the table is read in batches, never held whole in memory.
        with connection.cursor(name="continuum_backup_checksum") as cursor:
            cursor.itersize = FETCH_ROWS
            cursor.execute(sql)
            yield from cursor
        return
    yield from connection.execute(sql)


def table_sum(
    connection: Any,
    engine: str,
    table: str,
    fields: dict[str, models.Field[Any, Any]],
    advance: Callable[[int], None] | None = None,
) -> TableSum:
    columns, key = columns_and_key(connection, engine, table)
    names = sorted(column.name for column in columns)
    normalisers = [normaliser(fields.get(name), engine) for name in names]
    select = ", ".join(quote(name) for name in names)
    order = _order_by(engine, columns, key)
    sql = f"SELECT {select} FROM {quote(table)} ORDER BY {order}"  # noqa: S608 - quoted names
    digest = hashlib.sha256(json.dumps(names).encode("utf-8") + b"\n")
    rows = 0
    for row in _rows(connection, engine, sql):
        values = [
            normalise(value) if value is not None else None
            for normalise, value in zip(normalisers, row, strict=True)
        ]
        digest.update(json.dumps(values, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
        digest.update(b"\n")
        rows += 1
        if advance is not None and rows % FETCH_ROWS == 0:
            advance(FETCH_ROWS)
    if advance is not None:
        advance(rows % FETCH_ROWS)
    return TableSum(rows, digest.hexdigest())


def database_sums(
    connection: Any,
    engine: str,
    progress: Callable[[int], Callable[[int], None]] | None = None,
) -> dict[str, TableSum]:
    """Every table's count and checksum. ``progress`` is given the rows to come and returns
    the function to call as they are read."""
    tables = table_names(connection, engine)
    advance = None
    if progress is not None:
        advance = progress(sum(count_rows(connection, table) for table in tables))
    fields = model_fields()
    return {
        table: table_sum(connection, engine, table, fields.get(table, {}), advance)
        for table in tables
    }


def differences(expected: dict[str, Any], found: dict[str, TableSum]) -> list[str]:
    """What differs between a manifest's tables and a database's, in words."""
    problems = []
    for table in sorted(set(expected) | set(found)):
        want, have = expected.get(table), found.get(table)
        if want is None:
            problems.append(f"{table}: a table the backup does not have")
        elif have is None:
            problems.append(f"{table}: missing ({want['rows']:,} rows expected)")
        elif want["rows"] != have.rows:
            problems.append(f"{table}: {have.rows:,} rows where the backup has {want['rows']:,}")
        elif want["checksum"] != have.checksum:
            problems.append(f"{table}: the rows' content differs from the backup's")
    return problems

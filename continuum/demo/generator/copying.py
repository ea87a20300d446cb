"""Inserting many rows fast: PostgreSQL's COPY, straight from model instances.

``bulk_create`` builds an INSERT per batch, preparing every value through each field; for
the millions of rows of five years' history that is most of the time. On PostgreSQL,
``insert`` streams the rows with COPY instead (ids of auto-numbered rows are drawn from the
table's sequence first, so later rows can point at them); on other databases it falls back
to ``bulk_create``. Values are taken as they are on the instances: no signals, no
``pre_save`` apart from filling empty ``auto_now_add`` times.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import AutoField, BigAutoField, JSONField, Model, SmallAutoField
from django.utils import timezone

AUTO = (AutoField, BigAutoField, SmallAutoField)


def insert(
    model: type[Model], objs: Sequence[Model], *, batch_size: int = 2000, stamp: bool = False
) -> None:
    """``stamp``: ``auto_now``/``auto_now_add`` times are the present moment whatever the
    instances hold (and set on them), as ``bulk_create`` does."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=batch_size)
        return
    meta = model._meta
    fields = list(meta.concrete_fields)
    table = connection.ops.quote_name(meta.db_table)
    pk = meta.pk
    assert pk is not None
    with connection.cursor() as cursor:
        if isinstance(pk, AUTO):
            missing = [o for o in objs if o.pk is None]
            if missing:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [meta.db_table, pk.column, len(missing)],
                )
                for obj, (value,) in zip(missing, cursor.fetchall(), strict=True):
                    obj.pk = value
        columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
        now = timezone.now()
        if stamp:
            for f in fields:
                if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
                    for obj in objs:
                        setattr(obj, f.attname, now)
        getters = [_getter(f, now) for f in fields]
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([get(obj) for get in getters])
        for obj in objs:
            obj._state.adding = False
            obj._state.db = "default"


def _getter(field: Any, now: Any) -> Any:
    attname = field.attname
    if field.is_relation:

        def related(obj: Model) -> Any:
            value = getattr(obj, attname)
            if value is None:
                cached = field.get_cached_value(obj, None)
                if cached is not None:
                    value = cached.pk
            return value

        return related
    if isinstance(field, JSONField):
        return lambda obj: json.dumps(getattr(obj, attname))
    if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
        return lambda obj: getattr(obj, attname) or now
    return lambda obj: getattr(obj, attname)


def update(
    model: type[Model], objs: Sequence[Model], fields: Sequence[str], *, batch_size: int = 2000
) -> None:
    """``bulk_update`` of ``fields`` from the instances, fast on PostgreSQL: the new values
    are copied into a temporary table and the rows updated from it in one statement (Django
    builds a CASE with a branch per row for every field, which grows with the square of the
    batch). The values written are the same."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_update(objs, fields, batch_size=batch_size)
        return
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    chosen = [pk, *(meta.get_field(name) for name in fields)]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = [quote(str(f.column)) for f in chosen]  # type: ignore[union-attr]
    now = timezone.now()
    getters = [_getter(f, now) for f in chosen]
    with connection.cursor() as cursor:
        create = f"CREATE TEMPORARY TABLE continuum_update AS SELECT {', '.join(columns)} FROM"
        cursor.execute(f"{create} {table} WITH NO DATA")
        try:
            raw = cursor.cursor
            with raw.copy(f"COPY continuum_update ({', '.join(columns)}) FROM STDIN") as copy:
                for obj in objs:
                    copy.write_row([get(obj) for get in getters])
            sets = ", ".join(f"{c} = continuum_update.{c}" for c in columns[1:])
            where = f"{table}.{columns[0]} = continuum_update.{columns[0]}"
            sql = f"UPDATE {table} SET {sets} FROM continuum_update WHERE {where}"  # noqa: S608
            cursor.execute(sql)
        finally:
            cursor.execute("DROP TABLE continuum_update")


def insert_history(
    model: type[Model], objs: Sequence[Model], *, reason: str, batch_size: int = 2000
) -> None:
    """The "created" version of each of ``objs`` (already inserted), as django-simple-
    history's ``bulk_history_create`` writes it (the same values: the instance's
    ``_history_user``, ``_history_date`` and change reason where it has them), without
    building a historical instance per row. Falls back to it on other databases."""
    history = model.history.model  # type: ignore[attr-defined]
    if connection.vendor != "postgresql":
        model.history.bulk_history_create(  # type: ignore[attr-defined]
            objs, batch_size=batch_size, default_change_reason=reason
        )
        return
    from simple_history.utils import get_change_reason_from_object

    meta = history._meta
    fields = list(meta.concrete_fields)
    tracked = {f.attname for f in history.tracked_fields}
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    pk = meta.pk
    assert pk is not None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, len(objs)],
        )
        ids = [value for (value,) in cursor.fetchall()]
        raw = cursor.cursor
        with raw.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj, history_id in zip(objs, ids, strict=True):
                user = getattr(obj, "_history_user", None)
                special = {
                    pk.attname: history_id,
                    "history_date": getattr(obj, "_history_date", None) or timezone.now(),
                    "history_change_reason": get_change_reason_from_object(obj) or reason,
                    "history_type": "+",
                    "history_user_id": user.pk if user is not None else None,
                }
                row = []
                for f in fields:
                    if f.attname in special:
                        value = special[f.attname]
                    elif f.attname in tracked:
                        value = getattr(obj, f.attname)
                        if isinstance(f, JSONField):
                            value = json.dumps(value)
                    else:
                        value = None
                    row.append(value)
                copy.write_row(row)

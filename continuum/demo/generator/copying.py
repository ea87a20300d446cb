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


def insert(model: type[Model], objs: Sequence[Model], *, batch_size: int = 2000) -> None:
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

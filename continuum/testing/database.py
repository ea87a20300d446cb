"""One migrated test database per run, cloned for each xdist worker (PostgreSQL only).

Run with ``-n 2``, pytest-django has each worker create its own test database
(``test_<name>_gw0``, ``test_<name>_gw1``) by running every migration from zero: the same
minutes of work, done twice at once on the same two cores. Instead, the first worker to
get there migrates one template database (``test_<name>_template``) while the others wait
behind a file lock; then every worker makes its own database from it with
``CREATE DATABASE ... TEMPLATE`` (a file copy: a second or so). Each worker's database is
therefore exactly what the migrations build, as before -- it is only built once.

The template is tied to one run (xdist's ``testrunuid``, the same in every worker of a
run), so a later run -- with other migrations -- never reuses an old one (it migrates a
fresh template); the controller drops the template when the run ends. Without xdist, with
``--reuse-db``, or on SQLite, nothing changes: Django's own ``create_test_db`` runs.
"""

from __future__ import annotations

import fcntl
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import connections, transaction

TEMPLATE_SUFFIX = "_template"


def template_name(worker_db_name: str, worker_id: str) -> str:
    """``test_x_gw0`` -> ``test_x_template``."""
    base = worker_db_name.removesuffix(f"_{worker_id}")
    return f"{base}{TEMPLATE_SUFFIX}"


def _state_file(template: str) -> Path:
    return Path(tempfile.gettempdir()) / f"continuum-{template}.run"


@contextmanager
def _locked(template: str) -> Iterator[Path]:
    state = _state_file(template)
    with open(state.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield state
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def is_postgresql(alias: str = "default") -> bool:
    return connections[alias].vendor == "postgresql"


def clone_from_template(alias: str, worker_id: str, run_id: str) -> None:
    """Make ``connections[alias].creation.create_test_db`` build this worker's database by
    cloning the run's template (migrating the template first if no worker has yet)."""
    connection: Any = connections[alias]
    creation: Any = connection.creation
    django_create = creation.create_test_db

    def create_test_db(
        verbosity: int = 1, autoclobber: bool = False, serialize: bool = True, keepdb: bool = False
    ) -> str:
        if keepdb:
            return str(django_create(verbosity, autoclobber, serialize, keepdb))
        from django.conf import settings
        from django.core.management import call_command

        worker_db = creation._get_test_db_name()
        template = template_name(worker_db, worker_id)
        original_name = connection.settings_dict["NAME"]
        test_settings = connection.settings_dict["TEST"]
        with _locked(template) as state:
            if not state.exists() or state.read_text() != run_id:
                state.unlink(missing_ok=True)
                # Django's own creation, migrations and all, under the template's name
                # (no serialising: each worker does that from its own copy below).
                test_settings["NAME"] = template
                try:
                    django_create(verbosity, True, False, False)
                finally:
                    test_settings["NAME"] = worker_db
                    connection.close()
                    connection.settings_dict["NAME"] = original_name
                    settings.DATABASES[alias]["NAME"] = original_name
                state.write_text(run_id)
            # CREATE DATABASE ... TEMPLATE needs nobody connected to the template: every
            # worker closed its connection to it before releasing the lock.
            quote = connection.ops.quote_name
            with creation._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(worker_db)}")
                cursor.execute(f"CREATE DATABASE {quote(worker_db)} TEMPLATE {quote(template)}")

        # The rest of Django's create_test_db, for the worker's own database.
        connection.close()
        settings.DATABASES[alias]["NAME"] = worker_db
        connection.settings_dict["NAME"] = worker_db
        if serialize:
            connection._test_serialized_contents = creation.serialize_db_to_string()
        call_command("createcachetable", database=alias)
        connection.ensure_connection()
        return worker_db

    creation.create_test_db = create_test_db


def drop_template(alias: str = "default") -> None:
    """At the end of a run (in the xdist controller): drop the run's template, if one was
    made."""
    connection: Any = connections[alias]
    template = f"{connection.creation._get_test_db_name()}{TEMPLATE_SUFFIX}"
    with _locked(template) as state:
        if not state.exists():
            return
        quote = connection.ops.quote_name
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(template)}")
        state.unlink(missing_ok=True)


def worker_settings(config: Any) -> tuple[str, str] | None:
    """``(worker id, run id)`` in an xdist worker, else None."""
    workerinput = getattr(config, "workerinput", None)
    if not workerinput:
        return None
    return str(workerinput["workerid"]), str(workerinput["testrunuid"])


@contextmanager
def scratch_database(alias: str = "default") -> Iterator[Any]:
    """An empty database of its own, standing in for the test database while the block
    runs: for tests of migrations, which can then migrate just the apps they test from
    zero, forward and back, instead of unmaking and remaking every later migration of the
    whole project in the shared test database. It is dropped afterwards.

    Use it outside any transaction (a test without the ``django_db`` mark, inside
    ``django_db_blocker.unblock()``).
    """
    connection: Any = connections[alias]
    real = connection.settings_dict["NAME"]
    connection.close()
    if connection.vendor == "sqlite":
        scratch_dir = tempfile.TemporaryDirectory()
        connection.settings_dict["NAME"] = str(Path(scratch_dir.name) / "scratch.sqlite3")
        try:
            yield connection
        finally:
            connection.close()
            connection.settings_dict["NAME"] = real
            scratch_dir.cleanup()
        return
    scratch = f"{real}_scratch"
    quote = connection.ops.quote_name
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(scratch)}")
        cursor.execute(f"CREATE DATABASE {quote(scratch)}")
    connection.settings_dict["NAME"] = scratch
    try:
        yield connection
    finally:
        connection.close()
        connection.settings_dict["NAME"] = real
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(scratch)}")


def restore_serialized(connection: Any, data: str) -> None:
    """What ``connection.creation.deserialize_db_from_string`` does -- put back the rows the
    migrations made, before each ``serialized_rollback`` test -- with one ``INSERT`` per
    table instead of an ``UPDATE`` and an ``INSERT`` per row.

    Django saves each row with ``save_base(raw=True)``: an ``UPDATE`` by primary key, then
    an ``INSERT`` when it touched nothing. Into a table that is empty (as every table is
    after the flush ending the previous transactional test) that is exactly a raw
    ``INSERT`` of the same values, which is what this does, many rows at a time, with the
    same ``pre_save``/``post_save`` signals (``raw=True``). A table that still holds rows
    (the first transactional test of a worker comes after tests that only rolled back),
    a proxy model's, or one with many-to-many data takes Django's own row-by-row path.
    """
    from io import StringIO

    from django.core import serializers
    from django.db.models import signals

    alias = connection.alias
    by_model: dict[Any, list[Any]] = {}
    table_names: set[str] = set()
    with transaction.atomic(using=alias), connection.constraint_checks_disabled():
        for deserialized in serializers.deserialize("json", StringIO(data), using=alias):
            by_model.setdefault(type(deserialized.object), []).append(deserialized)
        for model, rows in by_model.items():
            meta = model._meta
            table_names.add(meta.db_table)
            manager = model._base_manager.using(alias)
            if meta.proxy or any(row.m2m_data for row in rows) or manager.exists():
                for row in rows:
                    row.save()
                continue
            objects = [row.object for row in rows]
            send = not meta.auto_created
            if send and signals.pre_save.has_listeners(model):
                for obj in objects:
                    signals.pre_save.send(
                        sender=model, instance=obj, raw=True, using=alias, update_fields=None
                    )
            fields = [f for f in meta.local_concrete_fields if not f.generated]
            size = connection.ops.bulk_batch_size(fields, objects) or len(objects)
            for start in range(0, len(objects), size):
                manager._insert(objects[start : start + size], fields=fields, raw=True)
            for obj in objects:
                obj._state.adding = False
                obj._state.db = alias
            if send and signals.post_save.has_listeners(model):
                for obj in objects:
                    signals.post_save.send(
                        sender=model,
                        instance=obj,
                        created=True,
                        update_fields=None,
                        raw=True,
                        using=alias,
                    )
        connection.check_constraints(table_names=table_names)


def restore_serialized_faster(alias: str = "default") -> None:
    """Have ``connections[alias]`` restore serialized rows with ``restore_serialized``."""
    connection = connections[alias]
    connection.creation.deserialize_db_from_string = (  # type: ignore[method-assign]
        lambda data: restore_serialized(connection, data)
    )


EMPTY_NONEMPTY_TABLES = """
DO $flush$
DECLARE
    name text;
    found boolean;
    nonempty text[] := '{}';
BEGIN
    FOREACH name IN ARRAY %s LOOP
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %%I)', name) INTO found;
        IF found THEN
            nonempty := nonempty || name;
        END IF;
    END LOOP;
    IF cardinality(nonempty) > 0 THEN
        -- No triggers (nor foreign-key checks) while emptying: every table that held
        -- anything is emptied, so nothing is left pointing anywhere.
        SET LOCAL session_replication_role = replica;
        FOREACH name IN ARRAY nonempty LOOP
            EXECUTE format('DELETE FROM %%I', name);
        END LOOP;
        SET LOCAL session_replication_role = origin;
    END IF;
END
$flush$
"""


def empty_tables_faster(alias: str = "default") -> None:
    """After each transactional test Django's ``flush`` empties every table with one
    ``TRUNCATE`` of all ~220 of them: new files for every table and index, seconds each time.
    On PostgreSQL, as a superuser (tests' usual role), empty just the tables that hold rows
    instead, with ``DELETE`` (triggers, such as the access log's append-only one, off while
    it runs, as ``TRUNCATE`` bypasses them). The end is the same: every table empty,
    sequences left as they were. Anything else (``reset_sequences``, another role) takes
    Django's own statements."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return
    ops = connection.ops
    django_sql_flush = ops.sql_flush
    superuser: list[bool] = []

    def sql_flush(
        style: Any, tables: Any, *, reset_sequences: bool = False, allow_cascade: bool = False
    ) -> list[str]:
        if not superuser:
            with connection.cursor() as cursor:
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                row = cursor.fetchone()
            superuser.append(bool(row and row[0]))
        if reset_sequences or not superuser[0] or not tables:
            return list(
                django_sql_flush(
                    style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
                )
            )
        quoted = ", ".join("'" + str(t).replace("'", "''") + "'" for t in tables)
        return [EMPTY_NONEMPTY_TABLES % f"ARRAY[{quoted}]::text[]"]

    ops.sql_flush = sql_flush  # type: ignore[method-assign]

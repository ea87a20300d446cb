"""Dumping and restoring each engine's database, given Django's settings for it.

SQLite: the backup API copies the database page by page into the dump (a consistent copy
even while the application writes), and copies the dump back over the target the same
way (one write transaction: the target is either all the old database or all the new).

PostgreSQL: ``pg_dump --format=custom`` run on a snapshot exported from a repeatable-read
transaction in which the manifest's counts and checksums are computed too, so the two
describe the same moment. Restoring, ``pg_restore`` writes the dump as SQL into ``psql``
running it in one transaction (``--single-transaction``, stopping at the first error);
with ``--replace`` the same transaction first drops and recreates the ``public`` schema.
Either it all happens or none of it does. The access log's append-only trigger comes back
with the tables (the dump creates it after loading the rows, which it does not refuse),
so nothing about it is lifted or weakened.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from continuum.backups import checksums
from continuum.backups.archive import BackupRefused
from continuum.backups.checksums import POSTGRESQL, SQLITE, TableSum

Advance = Callable[[int], None]
# ``progress(label, total)`` starts a bar (total None: no end known) and returns its advance.
Progress = Callable[[str, int | None], Advance]
CHUNK = 1024 * 1024
SQLITE_PAGES_A_STEP = 1024
LOCK_TIMEOUT = "30s"
# libpq's connection options Django's OPTIONS may carry.
LIBPQ_OPTIONS = ("sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout")


def no_progress(label: str, total: int | None) -> Advance:
    return lambda n: None


def engine_of(settings_dict: dict[str, Any]) -> str:
    backend = str(settings_dict["ENGINE"])
    if backend.endswith("sqlite3"):
        return SQLITE
    if "postgresql" in backend:
        return POSTGRESQL
    raise BackupRefused(f"Backups are made of SQLite and PostgreSQL databases, not {backend}.")


@dataclass(frozen=True)
class Dumped:
    engine_version: str
    migrations: list[tuple[str, str]]
    tables: dict[str, TableSum]


@dataclass(frozen=True)
class Contents:
    """What a database holds now: its tables and their rows."""

    rows_by_table: dict[str, int]

    @property
    def empty(self) -> bool:
        return not self.rows_by_table

    @property
    def rows(self) -> int:
        return sum(self.rows_by_table.values())

    def described(self, largest: int = 5) -> str:
        biggest = sorted(self.rows_by_table.items(), key=lambda item: (-item[1], item[0]))
        shown = ", ".join(f"{table} ({rows:,})" for table, rows in biggest[:largest] if rows)
        return f"{len(self.rows_by_table)} tables holding {self.rows:,} rows" + (
            f", the most in {shown}" if shown else ""
        )


# --- connections -------------------------------------------------------------------------------


def sqlite_path(settings_dict: dict[str, Any]) -> Path:
    name = str(settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupRefused("An in-memory SQLite database cannot be backed up or restored.")
    return Path(name)


def _pg_params(settings_dict: dict[str, Any], name: str | None = None) -> dict[str, Any]:
    params: dict[str, Any] = {
        "dbname": name or settings_dict["NAME"],
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
        "options": "-c TimeZone=UTC",
    }
    options = settings_dict.get("OPTIONS") or {}
    params.update({key: options[key] for key in LIBPQ_OPTIONS if key in options})
    return {key: value for key, value in params.items() if value is not None}


def pg_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq's variables for the PostgreSQL programs (the password never on their command
    line)."""
    params = _pg_params(settings_dict)
    names = {
        "dbname": "PGDATABASE",
        "user": "PGUSER",
        "password": "PGPASSWORD",
        "host": "PGHOST",
        "port": "PGPORT",
        "sslmode": "PGSSLMODE",
        "sslrootcert": "PGSSLROOTCERT",
        "sslcert": "PGSSLCERT",
        "sslkey": "PGSSLKEY",
        "connect_timeout": "PGCONNECT_TIMEOUT",
    }
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env.update({names[key]: str(value) for key, value in params.items() if key in names})
    return env


def pg_connect(settings_dict: dict[str, Any], name: str | None = None, **kwargs: Any) -> Any:
    import psycopg

    try:
        return psycopg.connect(**_pg_params(settings_dict, name), **kwargs)
    except psycopg.OperationalError as exc:
        database = name or settings_dict["NAME"]
        raise BackupRefused(f"Cannot connect to the database {database}: {exc}") from exc


@contextmanager
def reading(settings_dict: dict[str, Any]) -> Iterator[Any]:
    """A plain DB-API connection to the database, for reading its tables."""
    if engine_of(settings_dict) == SQLITE:
        path = sqlite_path(settings_dict)
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            yield db
        return
    with pg_connect(settings_dict) as db:
        db.read_only = True
        yield db
        db.rollback()


def contents(settings_dict: dict[str, Any]) -> Contents:
    engine = engine_of(settings_dict)
    if engine == SQLITE:
        path = sqlite_path(settings_dict)
        if not path.exists() or path.stat().st_size == 0:
            return Contents({})
    with reading(settings_dict) as db:
        tables = checksums.table_names(db, engine)
        return Contents({table: checksums.count_rows(db, table) for table in tables})


def _migrations(db: Any, engine: str) -> list[tuple[str, str]]:
    if "django_migrations" not in checksums.table_names(db, engine):
        return []
    rows = db.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
    return [(str(app), str(name)) for app, name in rows]


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupRefused(f"{name} is not installed (PostgreSQL's client programs are needed).")
    return found


def _sums_progress(progress: Progress) -> Callable[[int], Advance]:
    return lambda total: progress("Counting and checksumming the rows", total)


# --- dumping -----------------------------------------------------------------------------------


def dump(settings_dict: dict[str, Any], dump_path: Path, progress: Progress) -> Dumped:
    if engine_of(settings_dict) == SQLITE:
        return _dump_sqlite(settings_dict, dump_path, progress)
    return _dump_postgresql(settings_dict, dump_path, progress)


def _dump_sqlite(settings_dict: dict[str, Any], dump_path: Path, progress: Progress) -> Dumped:
    source_path = sqlite_path(settings_dict)
    if not source_path.exists():
        raise BackupRefused(f"There is no SQLite database at {source_path}.")
    advance: Advance | None = None
    done = 0

    def copied(status: int, remaining: int, total: int) -> None:
        nonlocal advance, done
        if advance is None:
            advance = progress("Copying the database", total)
        advance(total - remaining - done)
        done = total - remaining

    with (
        closing(sqlite3.connect(source_path)) as source,
        closing(sqlite3.connect(dump_path)) as copy,
    ):
        source.backup(copy, pages=SQLITE_PAGES_A_STEP, progress=copied)
    with closing(sqlite3.connect(dump_path)) as copy:
        return Dumped(
            engine_version=sqlite3.sqlite_version,
            migrations=_migrations(copy, SQLITE),
            tables=checksums.database_sums(copy, SQLITE, _sums_progress(progress)),
        )


def _dump_postgresql(settings_dict: dict[str, Any], dump_path: Path, progress: Progress) -> Dumped:
    import psycopg

    pg_dump = _program("pg_dump")
    with pg_connect(settings_dict) as db, tempfile.TemporaryFile() as errors:
        db.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        db.read_only = True
        snapshot = db.execute("SELECT pg_export_snapshot()").fetchone()[0]
        version = db.execute("SHOW server_version").fetchone()[0].split()[0]
        dumping = subprocess.Popen(  # noqa: S603 - PostgreSQL's own program, no shell
            [
                pg_dump,
                "--format=custom",
                "--no-password",
                f"--snapshot={snapshot}",
                f"--file={dump_path}",
            ],
            env=pg_environment(settings_dict),
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        try:
            # The counts and checksums while pg_dump reads the same snapshot.
            migrations = _migrations(db, POSTGRESQL)
            tables = checksums.database_sums(db, POSTGRESQL, _sums_progress(progress))
            progress("Waiting for pg_dump to finish", None)
            code = dumping.wait()
        finally:
            if dumping.poll() is None:
                dumping.kill()
                dumping.wait()
        db.rollback()
        if code != 0:
            errors.seek(0)
            raise BackupRefused(f"pg_dump failed: {errors.read().decode(errors='replace').strip()}")
    return Dumped(version, migrations, tables)


# --- restoring ---------------------------------------------------------------------------------


def restore(
    settings_dict: dict[str, Any], dump_path: Path, *, replace: bool, progress: Progress
) -> None:
    if engine_of(settings_dict) == SQLITE:
        _restore_sqlite(settings_dict, dump_path, progress)
    else:
        _restore_postgresql(settings_dict, dump_path, replace=replace, progress=progress)


def _restore_sqlite(settings_dict: dict[str, Any], dump_path: Path, progress: Progress) -> None:
    target = sqlite_path(settings_dict)
    advance: Advance | None = None
    done = 0

    def copied(status: int, remaining: int, total: int) -> None:
        nonlocal advance, done
        if advance is None:
            advance = progress("Restoring the database", total)
        advance(total - remaining - done)
        done = total - remaining

    dump_uri = f"{dump_path.resolve().as_uri()}?mode=ro"
    with (
        closing(sqlite3.connect(dump_uri, uri=True)) as dump_db,
        closing(sqlite3.connect(target, timeout=20)) as target_db,
    ):
        dump_db.backup(target_db, pages=SQLITE_PAGES_A_STEP, progress=copied)


def _restore_postgresql(
    settings_dict: dict[str, Any], dump_path: Path, *, replace: bool, progress: Progress
) -> None:
    pg_restore, psql = _program("pg_restore"), _program("psql")
    env = pg_environment(settings_dict)
    prelude = f"SET lock_timeout = '{LOCK_TIMEOUT}';\n"
    if replace:
        prelude += "DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n"
    advance = progress("Restoring the database (bytes of SQL)", None)
    with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as psql_errors:
        writing = subprocess.Popen(  # noqa: S603 - PostgreSQL's own programs, no shell
            [pg_restore, "--no-owner", "--no-acl", "--file=-", str(dump_path)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=restore_errors,
        )
        running = subprocess.Popen(  # noqa: S603
            [
                psql,
                "-X",
                "-q",
                "--no-password",
                "-v",
                "ON_ERROR_STOP=1",
                "--single-transaction",
                "-f",
                "-",
            ],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=psql_errors,
        )
        assert writing.stdout is not None and running.stdin is not None
        try:
            running.stdin.write(prelude.encode())
            while chunk := writing.stdout.read(CHUNK):
                running.stdin.write(chunk)
                advance(len(chunk))
        except BrokenPipeError:
            pass  # psql stopped at an error: its message below
        if writing.wait() != 0:
            # Never let psql reach the end of a script cut short: it would commit it.
            running.kill()
            running.wait()
            restore_errors.seek(0)
            raise BackupRefused(
                "pg_restore could not read the dump, so nothing was restored: "
                + restore_errors.read().decode(errors="replace").strip()
            )
        with suppress(BrokenPipeError):
            running.stdin.close()
        if running.wait() != 0:
            psql_errors.seek(0)
            raise BackupRefused(
                "Restoring stopped at an error and was undone, so nothing was restored: "
                + psql_errors.read().decode(errors="replace").strip()[-2000:]
            )


# --- scratch databases -------------------------------------------------------------------------


@contextmanager
def scratch_database(settings_dict: dict[str, Any], suffix: str) -> Iterator[dict[str, Any]]:
    """A new empty database of the same engine (a PostgreSQL database on the same server,
    or a temporary SQLite file), its settings given; dropped afterwards."""
    scratch = dict(settings_dict)
    if engine_of(settings_dict) == SQLITE:
        with tempfile.TemporaryDirectory(prefix="continuum-verify-") as folder:
            scratch["NAME"] = str(Path(folder) / "scratch.sqlite3")
            yield scratch
        return
    name = f"{settings_dict['NAME']}_{suffix}"[:63]
    quoted = checksums.quote(name)
    with pg_connect(settings_dict, "postgres", autocommit=True) as maintenance:
        maintenance.execute(f"CREATE DATABASE {quoted} TEMPLATE template0")
    scratch["NAME"] = name
    try:
        yield scratch
    finally:
        with pg_connect(settings_dict, "postgres", autocommit=True) as maintenance:
            maintenance.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")

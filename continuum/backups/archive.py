"""The backup file: one tar archive holding the manifest (``manifest.json``, first) and the
database's dump beside it (``database.dump``, PostgreSQL's custom format, or
``database.sqlite3``, a copy made with SQLite's backup API).

The manifest says what the dump is: the file format's version, the engine, when it was
made, the migrations applied per app, every table's row count and content checksum
(``checksums``), and the dump's size and SHA-256, so a damaged or cut-short file is found
before anything is restored from it. ``tar tf FILE`` lists it; ``tar xOf FILE
manifest.json`` shows the manifest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from continuum.backups.checksums import POSTGRESQL, SQLITE, TableSum
from continuum.errors import InvalidState

FORMAT = "continuum-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DUMP_NAMES = {POSTGRESQL: "database.dump", SQLITE: "database.sqlite3"}
ENGINE_NAMES = {POSTGRESQL: "PostgreSQL", SQLITE: "SQLite"}
CHUNK = 1024 * 1024


class BackupRefused(InvalidState):
    """The backup file, or the database it would go into, is not fit for this; nothing was
    changed."""


@dataclass(frozen=True)
class Manifest:
    data: dict[str, Any]

    @property
    def engine(self) -> str:
        return str(self.data["engine"])

    @property
    def tables(self) -> dict[str, dict[str, Any]]:
        return dict(self.data["tables"])

    @property
    def migrations(self) -> dict[str, list[str]]:
        return {app: list(names) for app, names in self.data["migrations"].items()}

    @property
    def rows(self) -> int:
        return sum(int(table["rows"]) for table in self.data["tables"].values())

    @property
    def created_at(self) -> str:
        return str(self.data["created_at"])


def build_manifest(
    *,
    engine: str,
    engine_version: str,
    database: str,
    migrations: dict[str, list[str]],
    tables: dict[str, TableSum],
    dump_path: Path,
) -> Manifest:
    size, digest = file_digest(dump_path)
    return Manifest(
        {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "engine": engine,
            "engine_version": engine_version,
            "database": database,
            "created_at": timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds"),
            "migrations": migrations,
            "tables": {name: tables[name].as_json() for name in sorted(tables)},
            "dump": {"name": DUMP_NAMES[engine], "bytes": size, "sha256": digest},
        }
    )


def file_digest(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def applied_migrations(rows: list[tuple[str, str]]) -> dict[str, list[str]]:
    """``django_migrations``' (app, name) rows as each app's names, in the order applied."""
    applied: dict[str, list[str]] = {}
    for app, name in rows:
        applied.setdefault(app, []).append(name)
    return {app: applied[app] for app in sorted(applied)}


# --- writing -----------------------------------------------------------------------------------


def partial_file(output: Path) -> Path:
    """A new empty file beside ``output`` to write the backup into (renamed over it when
    complete), made first so an unwritable place is found before any work is done."""
    if output.is_dir():
        raise BackupRefused(f"{output} is a folder: give the backup file's name.")
    if not output.parent.is_dir():
        raise BackupRefused(
            f"Cannot write the backup to {output}: {output.parent} is not a folder."
        )
    try:
        handle, name = tempfile.mkstemp(
            dir=output.parent, prefix=f".{output.name}.", suffix=".partial"
        )
    except OSError as exc:
        raise BackupRefused(f"Cannot write the backup to {output}: {exc.strerror}.") from exc
    os.close(handle)
    return Path(name)


def write(manifest: Manifest, dump_path: Path, partial: Path, output: Path) -> None:
    """Write the archive into ``partial``, then put it in ``output``'s place."""
    body = json.dumps(manifest.data, indent=2, sort_keys=True).encode("utf-8")
    with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(body)
        info.mtime = int(timezone.now().timestamp())
        info.mode = 0o600
        tar.addfile(info, _bytes_io(body))
        dump_info = tar.gettarinfo(str(dump_path), arcname=manifest.data["dump"]["name"])
        dump_info.mode = 0o600
        dump_info.uid = dump_info.gid = 0
        dump_info.uname = dump_info.gname = ""
        with dump_path.open("rb") as dump:
            tar.addfile(dump_info, dump)
    partial.chmod(0o600)
    os.replace(partial, output)


def _bytes_io(body: bytes) -> IO[bytes]:
    import io

    return io.BytesIO(body)


# --- reading -----------------------------------------------------------------------------------


def _damaged(path: Path, what: str) -> BackupRefused:
    return BackupRefused(
        f"{path} is damaged or incomplete ({what}): nothing was restored. Use another backup."
    )


def read_manifest(path: Path) -> Manifest:
    """The manifest at the start of the file, checked for its format."""
    if not path.is_file():
        raise BackupRefused(f"There is no backup file at {path}.")
    try:
        with tarfile.open(path, "r:") as tar:
            member = tar.next()
            if member is None or member.name != MANIFEST:
                raise _damaged(path, "it does not start with a Continuum backup's manifest")
            source = tar.extractfile(member)
            assert source is not None
            data = json.loads(source.read().decode("utf-8"))
    except PermissionError as exc:
        raise BackupRefused(f"Cannot read {path}: {exc.strerror}.") from exc
    except (tarfile.TarError, EOFError, OSError, UnicodeDecodeError, ValueError) as exc:
        raise _damaged(path, "not a readable Continuum backup") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _damaged(path, "not a Continuum backup's manifest")
    version = data.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupRefused(
            f"{path} was written in backup format {version}, newer than this version of "
            f"Continuum reads ({FORMAT_VERSION}): restore it with the version that made it."
        )
    for key in ("engine", "created_at", "migrations", "tables", "dump"):
        if key not in data:
            raise _damaged(path, f"its manifest has no {key}")
    if data["engine"] not in DUMP_NAMES:
        raise _damaged(path, f"its manifest names an unknown database engine {data['engine']!r}")
    return Manifest(data)


def extract_dump(path: Path, manifest: Manifest, folder: Path) -> Path:
    """The dump, copied out into ``folder`` and proved whole by its size and SHA-256."""
    expected = manifest.data["dump"]
    target = folder / DUMP_NAMES[manifest.engine]
    digest = hashlib.sha256()
    size = 0
    try:
        with tarfile.open(path, "r:") as tar:
            try:
                member = tar.getmember(str(expected["name"]))
            except KeyError as exc:
                raise _damaged(path, "the database's dump is missing") from exc
            source = tar.extractfile(member)
            if source is None:
                raise _damaged(path, "the database's dump is not a file")
            with target.open("wb") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
    except (tarfile.TarError, EOFError) as exc:
        raise _damaged(path, "the file ends before the dump does") from exc
    if size != expected["bytes"] or digest.hexdigest() != expected["sha256"]:
        raise _damaged(path, "the dump's checksum does not match its manifest")
    return target


# --- what the file may be restored into ------------------------------------------------------


def check_engine(manifest: Manifest, engine: str, path: Path) -> None:
    if manifest.engine != engine:
        raise BackupRefused(
            f"{path} is a backup of a {ENGINE_NAMES[manifest.engine]} database; the configured "
            f"database is {ENGINE_NAMES.get(engine, engine)}. Restore it into a "
            f"{ENGINE_NAMES[manifest.engine]} database (set DATABASE_URL)."
        )


def schema_difference(manifest: Manifest) -> tuple[list[str], list[str]]:
    """The file's migrations this code does not know (a newer schema), and this code's
    migrations the file lacks (an older one), each as ``app.name``."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    in_file = {(app, name) for app, names in manifest.migrations.items() for name in names}
    unknown = sorted(f"{app}.{name}" for app, name in in_file - known)
    missing = sorted(f"{app}.{name}" for app, name in known - in_file)
    return unknown, missing


def check_schema(manifest: Manifest, path: Path) -> list[str]:
    """Refuse a file from a newer schema; return this code's migrations it lacks."""
    unknown, missing = schema_difference(manifest)
    if unknown:
        shown = ", ".join(unknown[:5]) + (
            f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        )
        raise BackupRefused(
            f"{path} comes from a newer version of Continuum: its database has migrations this "
            f"code does not know ({shown}). Nothing was restored: restore it with the version "
            "that made it, or a later one."
        )
    return missing

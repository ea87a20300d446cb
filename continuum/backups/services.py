"""Backing up the configured database into one file, restoring it, and proving a backup by
restoring it into a scratch database (``manage.py backup``, ``restore``, ``verify_backup``;
docs/backup-and-restore.md).

Each refusal is a ``BackupRefused`` (an ``InvalidState``) raised before anything is
changed: an unwritable output, a file from a newer schema or the other engine, a damaged
or cut-short file, a database that is not empty without ``replace``.
"""

from __future__ import annotations

import secrets
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connections
from django.db.models import F
from django.db.utils import load_backend

from continuum.audit import chain
from continuum.audit.models import AccessLogChainHead, AccessLogEntry
from continuum.backups import archive, checksums, engines
from continuum.backups.archive import BackupRefused, Manifest
from continuum.backups.engines import Contents, Progress, no_progress

SCRATCH_ALIAS = "backup_scratch"


@dataclass(frozen=True)
class Backup:
    output: Path
    manifest: Manifest
    seconds: float


@dataclass(frozen=True)
class RestorePlan:
    """A backup file checked against the database it would be restored into."""

    path: Path
    manifest: Manifest
    alias: str
    replacing: Contents | None
    missing_migrations: list[str]


@dataclass
class RestoreReport:
    manifest: Manifest
    table_problems: list[str] = field(default_factory=list)
    chain_problems: list[str] = field(default_factory=list)
    chain_rows: int | None = None
    chain_not_checked: str = ""
    missing_migrations: list[str] = field(default_factory=list)
    restore_seconds: float = 0.0
    verify_seconds: float = 0.0

    @property
    def proved(self) -> bool:
        return not self.table_problems and not self.chain_problems

    def lines(self) -> list[str]:
        manifest = self.manifest
        lines = [
            f"Restored the backup made {manifest.created_at} "
            f"({len(manifest.tables)} tables, {manifest.rows:,} rows) in "
            f"{self.restore_seconds:,.1f} s."
        ]
        if self.table_problems:
            lines.append(f"{len(self.table_problems)} table(s) differ from the backup's manifest:")
            lines += [f"  {problem}" for problem in self.table_problems]
        else:
            lines.append(
                f"Every table's row count and checksum matches the manifest "
                f"({len(manifest.tables)} tables)."
            )
        if self.chain_not_checked:
            lines.append(f"The access log's hash chain was not checked: {self.chain_not_checked}")
        elif self.chain_problems:
            lines.append(
                f"The access log's hash chain is broken: {len(self.chain_problems)} problem(s):"
            )
            lines += [f"  {problem}" for problem in self.chain_problems]
        else:
            lines.append(f"The access log's hash chain verifies ({self.chain_rows:,} rows).")
        if self.missing_migrations:
            lines.append(
                f"The backup is from an older version: {len(self.missing_migrations)} "
                "migration(s) to apply. Run manage.py migrate."
            )
        return lines


def _settings(alias: str) -> dict[str, Any]:
    return dict(connections[alias].settings_dict)


# --- backing up --------------------------------------------------------------------------------


def make_backup(
    *, output: Path, alias: str = "default", progress: Progress = no_progress
) -> Backup:
    """Write the database ``alias`` and its manifest into the file ``output``."""
    started = time.perf_counter()
    settings_dict = _settings(alias)
    engine = engines.engine_of(settings_dict)
    partial = archive.partial_file(output)
    try:
        with tempfile.TemporaryDirectory(prefix="continuum-backup-") as folder:
            dump_path = Path(folder) / archive.DUMP_NAMES[engine]
            dumped = engines.dump(settings_dict, dump_path, progress)
            manifest = archive.build_manifest(
                engine=engine,
                engine_version=dumped.engine_version,
                database=Path(str(settings_dict["NAME"])).name,
                migrations=archive.applied_migrations(dumped.migrations),
                tables=dumped.tables,
                dump_path=dump_path,
            )
            progress("Writing the backup file", None)
            archive.write(manifest, dump_path, partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return Backup(output, manifest, time.perf_counter() - started)


# --- restoring ---------------------------------------------------------------------------------


def plan_restore(*, path: Path, alias: str = "default", replace: bool = False) -> RestorePlan:
    """Check the file and the database it would go into; refuse before anything changes."""
    settings_dict = _settings(alias)
    engine = engines.engine_of(settings_dict)
    manifest = archive.read_manifest(path)
    archive.check_engine(manifest, engine, path)
    missing = archive.check_schema(manifest, path)
    now = engines.contents(settings_dict)
    if not now.empty and not replace:
        raise BackupRefused(
            f"The database {settings_dict['NAME']} is not empty ({now.described()}). Nothing "
            "was restored. Restore into a new, empty database, or give --replace to replace "
            "everything in it."
        )
    return RestorePlan(path, manifest, alias, None if now.empty else now, missing)


def run_restore(plan: RestorePlan, *, progress: Progress = no_progress) -> RestoreReport:
    """Restore the planned file, then prove the database equal to the manifest and the
    access log's chain whole."""
    settings_dict = _settings(plan.alias)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="continuum-restore-") as folder:
        progress("Checking the backup file", None)
        dump_path = archive.extract_dump(plan.path, plan.manifest, Path(folder))
        connections[plan.alias].close()
        engines.restore(
            settings_dict, dump_path, replace=plan.replacing is not None, progress=progress
        )
    report = RestoreReport(plan.manifest, missing_migrations=plan.missing_migrations)
    report.restore_seconds = time.perf_counter() - started
    started = time.perf_counter()
    verify_restored(report, plan.alias, progress)
    report.verify_seconds = time.perf_counter() - started
    return report


def verify_restored(report: RestoreReport, alias: str, progress: Progress) -> None:
    settings_dict = _settings(alias)
    engine = engines.engine_of(settings_dict)
    with engines.reading(settings_dict) as db:
        found = checksums.database_sums(
            db, engine, lambda total: progress("Proving every table against the manifest", total)
        )
    report.table_problems = checksums.differences(report.manifest.tables, found)
    if any(name.startswith("audit.") for name in report.missing_migrations):
        report.chain_not_checked = (
            "the backup's access log predates this version's; run manage.py migrate, then "
            "manage.py verify_access_log."
        )
        return
    entries = AccessLogEntry.objects.using(alias)
    rows = entries.order_by(F("sequence").asc(nulls_first=True), "id")
    head = AccessLogChainHead.objects.using(alias).filter(pk=chain.HEAD_PK).first()
    advance = progress("Checking the access log's hash chain", entries.count())

    def counted() -> Iterator[AccessLogEntry]:
        for entry in rows.iterator(chunk_size=2000):
            advance(1)
            yield entry

    report.chain_problems = [str(problem) for problem in chain.verify(counted(), head)]
    report.chain_rows = found.get(AccessLogEntry._meta.db_table, checksums.TableSum(0, "")).rows


# --- the monthly restore test ------------------------------------------------------------------


@contextmanager
def _alias_for(settings_dict: dict[str, Any]) -> Iterator[str]:
    """``settings_dict`` as a Django database alias while the block runs (in this thread:
    a connection made for the purpose, never added to the project's settings)."""
    alias = f"{SCRATCH_ALIAS}_{secrets.token_hex(4)}"
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    connections[alias] = wrapper
    try:
        yield alias
    finally:
        wrapper.close()
        del connections[alias]


def verify_backup(
    *, path: Path, alias: str = "default", progress: Progress = no_progress
) -> RestoreReport:
    """Restore ``path`` into a scratch database beside ``alias``'s (a new PostgreSQL
    database, or a temporary SQLite file), prove it, and drop the scratch."""
    settings_dict = _settings(alias)
    engine = engines.engine_of(settings_dict)
    manifest = archive.read_manifest(path)
    archive.check_engine(manifest, engine, path)
    archive.check_schema(manifest, path)
    suffix = f"verify_{secrets.token_hex(4)}"
    with engines.scratch_database(settings_dict, suffix) as scratch, _alias_for(scratch) as name:
        plan = plan_restore(path=path, alias=name)
        return run_restore(plan, progress=progress)

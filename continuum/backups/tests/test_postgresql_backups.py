"""Backing up the PostgreSQL database the suite runs on and restoring it into a fresh
database with a name of its own (dropped afterwards): every table's row count and checksum
equal to the source's, the access log's hash chain whole and its append-only trigger back.
Bad inputs are refused with the database unchanged. Skipped unless the configured database
is PostgreSQL (CI's is)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from continuum.backups import archive, engines
from continuum.backups.tests.helpers import (
    fill,
    manage,
    read_manifest,
    sums,
    truncated,
    with_manifest_changed,
)

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="The configured database is not PostgreSQL."
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def database_url(settings_dict: dict[str, Any]) -> str:
    user = settings_dict.get("USER") or ""
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    at = f"{user}{password}@" if user else ""
    return f"postgres://{at}{settings_dict.get('HOST') or ''}{port}/{settings_dict['NAME']}"


@pytest.fixture
def source() -> dict[str, Any]:
    fill()
    return dict(connection.settings_dict)


@pytest.fixture
def backup_file(source: dict[str, Any], tmp_path: Path) -> Path:
    output = tmp_path / "continuum.backup"
    out = StringIO()
    call_command("backup", output=output, no_progress=True, stdout=out)
    assert "Backed up the PostgreSQL database" in out.getvalue()
    return output


@pytest.fixture
def fresh_database(source: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A new, empty database on the same server, dropped afterwards."""
    with engines.scratch_database(source, f"fresh_{secrets.token_hex(4)}") as fresh:
        yield fresh


def test_a_backup_restores_into_a_fresh_database_table_for_table(
    source: dict[str, Any], backup_file: Path, fresh_database: dict[str, Any]
) -> None:
    result = manage(["restore", str(backup_file), "--no-progress"], database_url(fresh_database))

    assert result.returncode == 0, result.stderr
    expected = sums(source)
    assert sums(fresh_database) == expected
    assert expected["audit_accesslogentry"].rows == 3
    assert expected["people_person"].rows >= 3
    assert "Every table's row count and checksum matches the manifest" in result.stdout
    assert "The access log's hash chain verifies (3 rows)" in result.stdout
    chain = manage(["verify_access_log", "--no-progress"], database_url(fresh_database))
    assert chain.returncode == 0, chain.stderr
    assert "The access log is intact: 3 rows checked." in chain.stdout
    # The append-only trigger came back with the tables: nobody may change a row.
    import psycopg

    with (
        engines.pg_connect(fresh_database) as db,
        pytest.raises(psycopg.errors.RaiseException, match="append-only"),
    ):
        db.execute("UPDATE audit_accesslogentry SET username = 'someone else'")


def test_the_manifest_describes_the_database(source: dict[str, Any], backup_file: Path) -> None:
    manifest = read_manifest(backup_file)

    assert manifest["engine"] == "postgresql"
    assert manifest["tables"] == {name: s.as_json() for name, s in sums(source).items()}
    assert "0001_initial" in manifest["migrations"]["audit"]


def test_verify_backup_restores_into_a_scratch_database_and_drops_it(
    backup_file: Path,
) -> None:
    out = StringIO()

    call_command("verify_backup", backup_file, no_progress=True, stdout=out)

    assert "restores and proves" in out.getvalue()
    assert "The access log's hash chain verifies (3 rows)" in out.getvalue()
    with engines.pg_connect(connection.settings_dict, "postgres") as db:
        left = db.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s",
            [f"{connection.settings_dict['NAME']}_verify_%"],
        ).fetchall()
    assert left == []


def test_replace_says_what_it_replaces_and_restores_the_backup(
    source: dict[str, Any], backup_file: Path, fresh_database: dict[str, Any]
) -> None:
    url = database_url(fresh_database)
    assert manage(["migrate", "--no-input", "-v", "0"], url).returncode == 0

    result = manage(["restore", str(backup_file), "--replace", "--no-input", "--no-progress"], url)

    assert result.returncode == 0, result.stderr
    assert "This will replace everything in the database: " in result.stdout
    assert sums(fresh_database) == sums(source)


# --- refused, nothing changed ------------------------------------------------------------------


def refused(file: Path, message: str, **options: Any) -> None:
    before = sums(dict(connection.settings_dict))
    with pytest.raises(CommandError, match=message):
        call_command("restore", file, no_progress=True, interactive=False, **options)
    assert sums(dict(connection.settings_dict)) == before


def test_the_database_that_is_not_empty_is_refused_without_replace(backup_file: Path) -> None:
    refused(backup_file, r"is not empty \(.*\)\. Nothing was restored.*give --replace")


def test_a_backup_from_a_newer_schema_is_refused(backup_file: Path, tmp_path: Path) -> None:
    newer = with_manifest_changed(
        backup_file,
        tmp_path / "newer.backup",
        lambda manifest: manifest["migrations"]["people"].append("0999_from_a_later_version"),
    )

    refused(newer, r"comes from a newer version.*people\.0999_from_a_later_version", replace=True)


def test_a_backup_of_the_other_engine_is_refused(backup_file: Path, tmp_path: Path) -> None:
    def sqlite(manifest: dict[str, Any]) -> None:
        manifest["engine"] = "sqlite"
        manifest["dump"]["name"] = "database.sqlite3"

    other = with_manifest_changed(backup_file, tmp_path / "other.backup", sqlite)

    refused(
        other,
        "is a backup of a SQLite database; the configured database is PostgreSQL",
        replace=True,
    )


def test_a_truncated_backup_is_refused(backup_file: Path, tmp_path: Path) -> None:
    cut = truncated(backup_file, tmp_path / "cut.backup")

    refused(cut, r"is damaged or incomplete \(the file ends before the dump does\)", replace=True)


def test_a_backup_whose_dump_was_changed_is_refused(backup_file: Path, tmp_path: Path) -> None:
    def other_dump(manifest: dict[str, Any]) -> None:
        manifest["dump"]["sha256"] = "0" * 64

    changed = with_manifest_changed(backup_file, tmp_path / "changed.backup", other_dump)

    refused(changed, "the dump's checksum does not match its manifest", replace=True)


def test_an_unwritable_output_is_refused_before_any_work(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="is a folder: give the backup file's name"):
        call_command("backup", output=tmp_path, no_progress=True)
    with pytest.raises(CommandError, match="missing is not a folder"):
        call_command("backup", output=tmp_path / "missing" / "x.backup", no_progress=True)
    assert list(tmp_path.iterdir()) == []


def test_archive_refuses_an_output_that_is_a_folder(tmp_path: Path) -> None:
    with pytest.raises(archive.BackupRefused, match="is a folder"):
        archive.partial_file(tmp_path)

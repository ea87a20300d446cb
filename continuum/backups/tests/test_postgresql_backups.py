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

from continuum.backups import engines
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
    source: dict[str, Any], backup_file: Path
) -> None:
    fill()  # records made after the backup, which the restore takes away
    assert sums(source)["audit_accesslogentry"].rows == 6
    out = StringIO()

    call_command(
        "restore", backup_file, replace=True, interactive=False, no_progress=True, stdout=out
    )

    assert "This will replace everything in the database: " in out.getvalue()
    restored = {name: s.as_json() for name, s in sums(dict(connection.settings_dict)).items()}
    assert restored == read_manifest(backup_file)["tables"]
    assert "Restored and proved." in out.getvalue()


# --- refused, nothing changed ------------------------------------------------------------------


def test_bad_files_and_a_database_that_is_not_empty_are_refused_with_nothing_changed(
    backup_file: Path, tmp_path: Path
) -> None:
    def newer(manifest: dict[str, Any]) -> None:
        manifest["migrations"]["people"].append("0999_from_a_later_version")

    def sqlite(manifest: dict[str, Any]) -> None:
        manifest["engine"] = "sqlite"
        manifest["dump"]["name"] = "database.sqlite3"

    def other_dump(manifest: dict[str, Any]) -> None:
        manifest["dump"]["sha256"] = "0" * 64

    cases = [
        (backup_file, False, r"is not empty \(.*\)\. Nothing was restored.*give --replace"),
        (
            with_manifest_changed(backup_file, tmp_path / "newer.backup", newer),
            True,
            r"comes from a newer version.*people\.0999_from_a_later_version",
        ),
        (
            with_manifest_changed(backup_file, tmp_path / "other.backup", sqlite),
            True,
            "is a backup of a SQLite database; the configured database is PostgreSQL",
        ),
        (
            truncated(backup_file, tmp_path / "cut.backup"),
            True,
            r"is damaged or incomplete \(the file ends before the dump does\)",
        ),
        (
            with_manifest_changed(backup_file, tmp_path / "changed.backup", other_dump),
            True,
            "the dump's checksum does not match its manifest",
        ),
    ]
    before = sums(dict(connection.settings_dict))
    for file, replace, message in cases:
        with pytest.raises(CommandError, match=message):
            call_command("restore", file, replace=replace, interactive=False, no_progress=True)
        assert sums(dict(connection.settings_dict)) == before, message

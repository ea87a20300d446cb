"""Backing up and restoring SQLite databases: temporary files, migrated and filled by the
commands an operator runs (each in its own process), whatever database the suite itself
is configured with. A restore proves every table equal to the source and the access log's
chain whole; every bad input is refused with a clear message and the target unchanged."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from django.db import connection

from continuum.backups.tests.helpers import (
    manage,
    read_manifest,
    sqlite_settings,
    sums,
    truncated,
    with_manifest_changed,
)

FILL = "from continuum.backups.tests.helpers import fill; print(fill())"


def url(path: Path) -> str:
    return f"sqlite:///{path}"


def ok(result: object) -> str:
    assert getattr(result, "returncode", None) == 0, getattr(result, "stderr", "")
    return str(getattr(result, "stdout", ""))


@pytest.fixture(scope="module")
def source_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database with the factories' records in it (made once)."""
    path = tmp_path_factory.mktemp("sqlite-source") / "source.sqlite3"
    ok(manage(["migrate", "--no-input", "-v", "0"], url(path)))
    ok(manage(["shell", "--no-imports", "-c", FILL], url(path)))
    return path


@pytest.fixture(scope="module")
def backup_file(source_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("sqlite-backup") / "continuum.backup"
    out = ok(manage(["backup", "--output", str(output), "--no-progress"], url(source_template)))
    assert "Backed up the SQLite database" in out
    return output


@pytest.fixture
def source(source_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "source.sqlite3"
    shutil.copy(source_template, path)
    return path


def test_a_backup_restores_into_a_new_database_table_for_table(
    source_template: Path, backup_file: Path, tmp_path: Path
) -> None:
    target = tmp_path / "restored.sqlite3"

    out = ok(manage(["restore", str(backup_file), "--no-progress"], url(target)))

    expected = sums(sqlite_settings(source_template))
    restored = sums(sqlite_settings(target))
    assert restored == expected
    assert expected["audit_accesslogentry"].rows == 3
    assert expected["people_person"].rows >= 3
    assert "Every table's row count and checksum matches the manifest" in out
    assert "The access log's hash chain verifies (3 rows)" in out
    chain = ok(manage(["verify_access_log", "--no-progress"], url(target)))
    assert "The access log is intact: 3 rows checked." in chain
    # The append-only trigger came back with the tables.
    with sqlite3.connect(target) as db, pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE audit_accesslogentry SET username = 'someone else'")


def test_the_manifest_describes_the_database(source_template: Path, backup_file: Path) -> None:
    manifest = read_manifest(backup_file)

    assert manifest["engine"] == "sqlite"
    assert manifest["format_version"] == 1
    assert "0001_initial" in manifest["migrations"]["audit"]
    expected = sums(sqlite_settings(source_template))
    assert manifest["tables"] == {name: s.as_json() for name, s in expected.items()}


def test_verify_backup_restores_into_a_scratch_file_and_proves_it(backup_file: Path) -> None:
    out = ok(
        manage(["verify_backup", str(backup_file), "--no-progress"], "sqlite:////nowhere.sqlite3")
    )

    assert "restores and proves" in out
    assert "The access log's hash chain verifies (3 rows)" in out


def test_verify_backup_finds_a_table_that_differs_from_its_manifest(
    backup_file: Path, tmp_path: Path
) -> None:
    def wrong_checksum(manifest: dict) -> None:
        manifest["tables"]["people_person"]["checksum"] = "0" * 64

    changed = with_manifest_changed(backup_file, tmp_path / "changed.backup", wrong_checksum)

    result = manage(["verify_backup", str(changed), "--no-progress"], url(tmp_path / "x.sqlite3"))

    assert result.returncode != 0
    assert "people_person: the rows' content differs from the backup's" in result.stdout
    assert "did not restore exactly" in result.stderr


def test_replace_says_what_it_replaces_and_restores_the_backup(
    source: Path, backup_file: Path, tmp_path: Path
) -> None:
    with sqlite3.connect(source) as db:
        db.execute("DELETE FROM people_personalias")
        db.execute("UPDATE people_person SET given_name = 'Changed since the backup'")

    out = ok(
        manage(
            ["restore", str(backup_file), "--replace", "--no-input", "--no-progress"], url(source)
        )
    )

    assert "This will replace everything in the database: " in out
    restored = {name: s.as_json() for name, s in sums(sqlite_settings(source)).items()}
    assert restored == read_manifest(backup_file)["tables"]


def test_a_backup_from_an_older_version_is_restored_and_says_to_migrate(
    backup_file: Path, tmp_path: Path
) -> None:
    def older(manifest: dict) -> None:
        manifest["migrations"]["people"].pop()

    old = with_manifest_changed(backup_file, tmp_path / "older.backup", older)

    out = ok(manage(["restore", str(old), "--no-progress"], url(tmp_path / "new.sqlite3")))

    assert "The backup is from an older version: 1 migration(s) to apply" in out
    assert "Run manage.py migrate." in out


# --- refused, nothing changed ------------------------------------------------------------------


def refused(result: object, message: str) -> None:
    assert getattr(result, "returncode", 0) != 0
    assert message in str(getattr(result, "stderr", ""))


def test_a_database_that_is_not_empty_is_refused_without_replace(
    source: Path, backup_file: Path
) -> None:
    before = sums(sqlite_settings(source))

    result = manage(["restore", str(backup_file), "--no-progress"], url(source))

    refused(result, "is not empty (")
    refused(result, "give --replace to replace everything in it")
    assert sums(sqlite_settings(source)) == before


def test_a_backup_from_a_newer_schema_is_refused(
    source: Path, backup_file: Path, tmp_path: Path
) -> None:
    newer = with_manifest_changed(
        backup_file,
        tmp_path / "newer.backup",
        lambda manifest: manifest["migrations"]["audit"].append("0999_from_a_later_version"),
    )
    before = sums(sqlite_settings(source))

    result = manage(["restore", str(newer), "--replace", "--no-progress"], url(source))

    refused(result, "comes from a newer version of Continuum")
    refused(result, "audit.0999_from_a_later_version")
    assert sums(sqlite_settings(source)) == before


def test_a_backup_of_the_other_engine_is_refused(backup_file: Path, tmp_path: Path) -> None:
    def postgresql(manifest: dict) -> None:
        manifest["engine"] = "postgresql"
        manifest["dump"]["name"] = "database.dump"

    other = with_manifest_changed(backup_file, tmp_path / "other.backup", postgresql)

    result = manage(["restore", str(other), "--no-progress"], url(tmp_path / "new.sqlite3"))

    refused(result, "is a backup of a PostgreSQL database; the configured database is SQLite")
    assert not (tmp_path / "new.sqlite3").exists()


def test_a_truncated_backup_is_refused(source: Path, backup_file: Path, tmp_path: Path) -> None:
    cut = truncated(backup_file, tmp_path / "cut.backup")
    before = sums(sqlite_settings(source))

    result = manage(["restore", str(cut), "--replace", "--no-progress"], url(source))

    refused(result, "is damaged or incomplete (the file ends before the dump does)")
    assert sums(sqlite_settings(source)) == before


def test_a_file_that_is_not_a_backup_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("Not a backup.")

    result = manage(["restore", str(other), "--no-progress"], url(tmp_path / "new.sqlite3"))

    refused(result, "is damaged or incomplete (not a readable Continuum backup)")


def test_an_unwritable_output_is_refused_before_any_work(source: Path, tmp_path: Path) -> None:
    in_a_file = tmp_path / "a-file"
    in_a_file.write_text("")

    result = manage(
        ["backup", "--output", str(in_a_file / "continuum.backup"), "--no-progress"], url(source)
    )

    refused(
        result,
        f"Cannot write the backup to {in_a_file}/continuum.backup: {in_a_file} is not a folder.",
    )
    # No partial file left behind.
    assert sorted(tmp_path.iterdir()) == sorted([in_a_file, source])


@pytest.mark.django_db
def test_a_table_has_the_same_checksum_on_either_engine(source_template: Path) -> None:
    """The reference data the migrations write, checksummed in the suite's own database
    (PostgreSQL on CI) and in the SQLite file: one way of writing every value."""
    here = sums(dict(connection.settings_dict))
    there = sums(sqlite_settings(source_template))

    for table in (
        "thresholds_indicator",
        "thresholds_domain",
        "early_help_supportingfamiliesoutcome",
        "django_content_type",
    ):
        assert here[table].rows > 0, table
        assert here[table] == there[table], table

"""A backup refused before any work: where it cannot be written. No database is touched."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from continuum.backups import archive


def test_an_output_that_is_a_folder_or_in_no_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="is a folder: give the backup file's name"):
        call_command("backup", output=tmp_path, no_progress=True)
    with pytest.raises(CommandError, match="missing is not a folder"):
        call_command("backup", output=tmp_path / "missing" / "x.backup", no_progress=True)
    assert list(tmp_path.iterdir()) == []


def test_a_partial_file_is_made_beside_the_output_first(tmp_path: Path) -> None:
    partial = archive.partial_file(tmp_path / "continuum.backup")

    assert partial.parent == tmp_path
    assert partial.name.startswith(".continuum.backup.")
    assert partial.name.endswith(".partial")


def test_a_file_that_is_not_there_is_refused(tmp_path: Path) -> None:
    with pytest.raises(archive.BackupRefused, match="There is no backup file at"):
        archive.read_manifest(tmp_path / "missing.backup")

"""The documents' system check: their folder is never one served as files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from continuum.documents.system_checks import documents_folder_is_private


def _folder(settings: Any, location: Path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "continuum.documents.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": location},
        },
    }


def test_a_private_folder_passes(settings: Any, tmp_path: Path) -> None:
    _folder(settings, tmp_path / "documents")
    assert documents_folder_is_private(None) == []


def test_a_folder_inside_the_static_files_is_an_error(settings: Any) -> None:
    _folder(settings, Path(settings.STATIC_ROOT) / "documents")
    assert [message.id for message in documents_folder_is_private(None)] == ["continuum.E021"]

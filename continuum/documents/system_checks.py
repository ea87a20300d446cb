"""The documents' system check: their private folder must not be one the web server
serves. (A malware scanner is optional: an unscanned document says so, docs/documents.md.)"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

from continuum.documents.storage import STORAGE_ALIAS


def _served_folders() -> list[Path]:
    folders = [settings.STATIC_ROOT, settings.MEDIA_ROOT]
    for entry in settings.STATICFILES_DIRS:
        folders.append(entry[1] if isinstance(entry, tuple) else entry)
    return [Path(str(folder)).resolve() for folder in folders if folder]


def _overlaps(one: Path, other: Path) -> bool:
    return one.is_relative_to(other) or other.is_relative_to(one)


@register(Tags.security)
def documents_folder_is_private(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    """The documents' folder may not be, hold or sit inside a folder served as files."""
    configured: dict[str, Any] = settings.STORAGES[STORAGE_ALIAS]
    options: dict[str, Any] = configured.get("OPTIONS") or {}
    location = options.get("location")
    if not location or "s3" in str(configured["BACKEND"]).lower():
        return []
    root = Path(str(location)).resolve()
    served = [folder for folder in _served_folders() if _overlaps(root, folder)]
    if not served:
        return []
    return [
        Error(
            f"DOCUMENTS_ROOT ({root}) overlaps a folder served as files ({served[0]}).",
            hint="Keep documents in a folder of their own that no web server serves.",
            id="continuum.E021",
        )
    ]

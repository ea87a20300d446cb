"""The common classification of early help spending, version 1, and the section 251 lines
(loaded by migration 0002). Filled in by the returns part."""

from typing import Any


def load(apps: Any, schema_editor: Any) -> None:
    """Create the section 251 lines and version 1 of the classification if absent."""


def unload(apps: Any, schema_editor: Any) -> None:
    """Remove what ``load`` created (when nothing refers to it)."""

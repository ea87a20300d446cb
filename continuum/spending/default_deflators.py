"""The GDP deflator series the comparison uses (loaded by migration 0002). Filled in by the
comparison part."""

from typing import Any


def load(apps: Any, schema_editor: Any) -> None:
    """Create the current deflator series and its values if absent."""


def unload(apps: Any, schema_editor: Any) -> None:
    """Remove what ``load`` created."""

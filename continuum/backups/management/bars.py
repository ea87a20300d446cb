"""The progress bar the backup commands show on standard error: ``continuum.progress``'s,
none with ``--no-progress`` or ``--verbosity 0``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from continuum.backups.engines import Progress as ProgressFunction
from continuum.progress import bars as progress_bars
from continuum.progress import enabled_by


@contextmanager
def bars(options: dict[str, Any]) -> Iterator[ProgressFunction]:
    with progress_bars(enabled=enabled_by(options)) as step:
        yield step

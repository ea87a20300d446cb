"""The progress bar the backup commands show on standard error, as ``verify_access_log`` and
``import_file`` do: one bar a step (a total where one is known, a running count where not),
none with ``--no-progress`` or ``--verbosity 0``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from continuum.backups.engines import Advance
from continuum.backups.engines import Progress as ProgressFunction


@contextmanager
def bars(options: dict[str, Any]) -> Iterator[ProgressFunction]:
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=options.get("no_progress", False) or options.get("verbosity", 1) == 0,
        transient=True,
    )

    def step(label: str, total: int | None) -> Advance:
        for earlier in progress.tasks:
            if not earlier.finished:  # the steps before are done: show them complete
                done = earlier.total if earlier.total is not None else earlier.completed
                progress.update(earlier.id, total=done, completed=done)
        task = progress.add_task(label, total=total)
        return lambda n: progress.advance(task, n)

    with progress:
        yield step

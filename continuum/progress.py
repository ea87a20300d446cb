"""The progress bar every long command shows on standard error (seeding, the benchmark,
imports, backups, rebuilding the figures): one bar a step, each with its count, the time
taken and the time left where a total is known; none with ``--no-progress`` or
``--verbosity 0``, or when ``enabled`` is false.

    with bars(enabled=options["verbosity"] > 0) as step:
        advance = step("Contacts", total=len(rows))
        for row in rows:
            ...
            advance(1)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
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

# Moves a step's bar on by n.
Advance = Callable[[int], None]
# Starts a step: its label and its total (None: a running count), giving its Advance.
Step = Callable[[str, int | None], Advance]


def enabled_by(options: dict[str, Any]) -> bool:
    """Whether a management command's options ask for progress bars."""
    return not options.get("no_progress", False) and options.get("verbosity", 1) != 0


@contextmanager
def bars(*, enabled: bool = True, transient: bool = True) -> Iterator[Step]:
    """A ``step(label, total)`` function: each call marks the steps before it complete and
    starts a new bar. ``transient``: the bars disappear when done (the command prints its
    own summary)."""
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not enabled,
        transient=transient,
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

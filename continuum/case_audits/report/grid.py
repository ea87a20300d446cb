"""Tables of counts through disclosure control (decision 0010, ``performance.disclosure``):
counts of 1 to 4 are shown as ``[c]``, and so are the cells that would give them away
through a total beside them (``disclosure.suppress_counts``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from continuum.performance import disclosure
from continuum.performance.tables import Cell, Table

# What ``[c]`` means in an audit report: its counts are of audited cases and contacts (each
# a family), not of children.
MEANING = (
    "[c] fewer than 5 cases or contacts, or a number that would let one be worked out: not "
    "shown, so that no family's case can be recognised"
)


@dataclass
class CaseTable(Table):
    """A table of the audit report: counts of cases and contacts, suppressed as children's
    are, and saying so."""

    @property
    def disclosure_meaning(self) -> str:
        return MEANING

    def download_notes(self) -> list[str]:
        return [*self.notes, MEANING]


TOTAL = "Total"
ALL = "All councils"

Key = tuple[Any, Any]


def protected_rows(
    rows: Sequence[str],
    columns: int,
    counts: Mapping[tuple[int, int], int],
    *,
    total_column: bool,
    total_row: bool,
) -> list[Sequence[Cell]]:
    """``rows`` (labels) by ``columns`` counts (``counts[(row, column)]``, missing: 0) as
    table rows, with a total of each row (``total_column``: the columns add up) and a row
    of all councils (``total_row``: the rows add up), each count ``[c]`` if it is small or
    would give a small one away."""
    values: dict[Key, int] = {
        (i, j): counts.get((i, j), 0) for i in range(len(rows)) for j in range(columns)
    }
    groups: list[tuple[Key, list[Key]]] = []
    if total_column:
        for i in range(len(rows)):
            values[(i, TOTAL)] = sum(values[(i, j)] for j in range(columns))
            groups.append(((i, TOTAL), [(i, j) for j in range(columns)]))
    if total_row:
        for j in [*range(columns), *([TOTAL] if total_column else [])]:
            values[(ALL, j)] = sum(values[(i, j)] for i in range(len(rows)))
            groups.append(((ALL, j), [(i, j) for i in range(len(rows))]))
        if total_column:
            groups.append(((ALL, TOTAL), [(ALL, j) for j in range(columns)]))
    hidden = disclosure.suppress_counts({k: (v,) for k, v in values.items()}, groups)
    shown_columns: list[Any] = [*range(columns), *([TOTAL] if total_column else [])]
    labelled: list[tuple[Any, str]] = list(enumerate(rows))
    if total_row:
        labelled.append((ALL, ALL))
    return [
        [label, *(disclosure.MARKER if (i, j) in hidden else values[(i, j)] for j in shown_columns)]
        for i, label in labelled
    ]


def number(value: Cell) -> int | None:
    """A shown count (``None`` where suppressed)."""
    return value if isinstance(value, int) else None


def percentage(part: Cell, whole: Cell) -> Cell:
    """``part`` of ``whole`` as a percentage to one decimal place; ``[c]`` if either is
    suppressed."""
    if part == disclosure.MARKER or whole == disclosure.MARKER:
        return disclosure.MARKER
    if not isinstance(part, int) or not isinstance(whole, int) or not whole:
        return None
    return round(100 * part / whole, 1)

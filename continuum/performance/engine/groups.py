"""Groups of councils that change from month to month (a hub running several councils'
front doors under a data-sharing agreement, issue 15): the engine's council x month cells
regrouped, without another query and without a second way of computing an indicator.

A group's figure for a month adds the numerators and the denominators of the councils in
it that month and divides again with the indicator's own formula (``results.make_cell``):
a rate is recomputed, never averaged. Each council's own cell comes back too, under its
group's label as the category, so the councils of a group add up to it exactly as a
dimension's categories add up to their total, and disclosure control
(``disclosure.publish``) protects them the same way (decision 0017).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from continuum.performance import catalogue
from continuum.performance.engine.indicators import follow_up_running
from continuum.performance.engine.results import (
    COUNTED,
    FORMULAS,
    Cell,
    Result,
    make_cell,
    scale_of,
)
from continuum.performance.periods import Period, PeriodKind

# A council's month's group: its label, or None to leave the month out.
GroupOf = Callable[[int, date], str | None]


def regroup(monthly: Result, group_of: GroupOf, *, dimension: str, as_of: date) -> Result:
    """``monthly`` (the engine's per-council cells for months, no dimension) as groups:
    for each indicator, month and group, the group's cell (``council_id`` None, the
    group's label as ``category``) and each council's cell under the same label."""
    grouped = Result(dimension=dimension)
    members: dict[tuple[str, Period, str], list[Cell]] = defaultdict(list)
    for cell in monthly.cells:
        if cell.council_id is None or cell.category is not None:
            continue
        if cell.period.kind != PeriodKind.MONTH:
            raise ValueError("Groups change from month to month: regroup monthly cells only.")
        label = group_of(cell.council_id, cell.period.start)
        if label is None:
            continue
        own = replace(cell, category=label)
        grouped.add(own)
        members[(cell.indicator, cell.period, label)].append(own)
    for (code, period, label), cells in members.items():
        definition = catalogue.get(code)
        counted = FORMULAS[code][1] == COUNTED
        numerator = sum(c.numerator or 0.0 for c in cells)
        denominator: float | None = None
        if not counted and all(c.denominator is not None for c in cells):
            denominator = sum(c.denominator or 0.0 for c in cells)
        grouped.add(
            make_cell(
                code,
                None,
                period,
                label,
                numerator,
                denominator,
                scale_of(definition.unit),
                follow_up_running(definition, period, as_of),
                counted=counted,
            )
        )
    return grouped

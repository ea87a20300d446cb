"""Disclosure control: no published figure lets anyone work out a count of one to four
children (the Government Statistical Service's guidance on statistical disclosure control,
decision record 0010).

Every figure the performance app publishes - the dashboards, their CSV and XLSX downloads,
the indicators API, the partnership report and its PDF - comes from ``compute`` or
``compute_many`` here, never from the engine directly (a test holds every module to it), so
each passes through ``protect``:

1. **Primary suppression**: a cell whose numerator, or whose denominator when that is a
   count of children or records (not a population estimate), is 1 to 4 is suppressed:
   numerator, value (a rate or percentage built on it) and that denominator become None,
   and the cell says ``suppressed``. Zeros are shown: a true zero discloses nothing about a
   child (the guidance leaves zeros to judgement; no category here is one whose emptiness is
   itself sensitive).
2. **Secondary suppression**: the cells of a published table add up - the categories of a
   dimension to the council's total, the councils to the councils combined. Wherever
   exactly one member of such a group (the total or one of its cells) is suppressed, the
   next smallest shown cell is suppressed too (the smallest that is not zero, if there is
   one), or, if there is none, the total. This repeats until no group has exactly one, so
   no total less its shown cells equals a suppressed cell. Last, an exact check (linear
   algebra over the published sums) that no small count can be worked out by combining
   several totals; where one could, one more cell beside it is suppressed.

Tables of counts built elsewhere (the continuum flow) use ``suppress_counts`` with their own
groups. ``MARKER`` is what a page or download shows in place of a suppressed figure, and
``MEANING`` says what it means, on each page and in each download.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from continuum.organisations.models import Council
    from continuum.performance.engine import Cell, Result

# The smallest count shown (other than zero).
THRESHOLD = 5
MARKER = "[c]"
MEANING = "[c] fewer than 5 children, not shown to protect their privacy"

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def is_small(count: float | None) -> bool:
    """A count of one to four: too few to publish."""
    return count is not None and 0 < count < THRESHOLD


def suppress_counts(
    counts: Mapping[K, Sequence[float | None]],
    groups: Iterable[tuple[K, Sequence[K]]],
) -> set[K]:
    """Which cells to suppress, given each cell's counts and the groups of cells that add up
    to a shown total (``(total, parts)``).

    A cell is suppressed if any of its counts is 1 to 4 (primary), and then, group by group
    until nothing changes, so that no group (a total and its parts) has exactly one
    suppressed member, which the others would give away (secondary): the smallest shown
    part that is not zero (else the smallest, else the total itself) is suppressed with it.
    """
    suppressed = {key for key, values in counts.items() if any(is_small(v) for v in values)}
    groups = [(total, [p for p in parts if p in counts]) for total, parts in groups]
    groups = [(total, parts) for total, parts in groups if total in counts and parts]

    def size(key: K) -> tuple[bool, tuple[float, ...], str]:
        values = tuple(v or 0.0 for v in counts[key])
        return (all(v == 0 for v in values), values, repr(key))

    primary = frozenset(suppressed)
    # Groups that share no cell are independent: each set is protected on its own (an
    # indicator's period, say), which keeps the exact check small.
    for together in _components(groups):
        _protect(together, suppressed, primary, size)
    return suppressed


def _protect(
    groups: Sequence[tuple[K, Sequence[K]]],
    suppressed: set[K],
    primary: frozenset[K],
    size: Callable[[K], tuple[bool, tuple[float, ...], str]],
) -> None:
    """Secondary suppression for one set of groups that share cells (adds to
    ``suppressed``)."""
    members = {m for total, parts in groups for m in (total, *parts)}
    small = sorted(members & primary, key=repr)
    if not small:
        return
    while True:
        changed = True
        while changed:
            changed = False
            for total, parts in groups:
                if (total in suppressed) + sum(1 for p in parts if p in suppressed) != 1:
                    continue
                shown = [p for p in parts if p not in suppressed]
                suppressed.add(min(shown, key=size) if shown else total)
                changed = True
        # Rows and columns each with two or more suppressed cells can still, together, pin
        # one down (a pattern joined to the rest by a single cell): check exactly, and
        # suppress one more cell beside each small count the shown figures would fix.
        fixed = _fixed_in(suppressed, groups)
        exposed = [k for k in small if k in fixed]
        if not exposed:
            return
        added = False
        for key in exposed:
            around = [(t, ps) for t, ps in groups if key == t or key in ps]
            candidates = [p for _, ps in around for p in ps if p not in suppressed]
            candidates += [t for t, _ in around if t not in suppressed]
            if candidates:
                suppressed.add(min(candidates, key=size))
                added = True
        if not added:  # cannot happen: a fixed cell has a shown neighbour
            return


def _components(groups: Sequence[tuple[K, Sequence[K]]]) -> list[list[tuple[K, Sequence[K]]]]:
    """The groups, in sets that share cells."""
    parent: dict[K, K] = {}

    def root(key: K) -> K:
        while parent.get(key, key) != key:
            key = parent[key]
        return key

    for total, parts in groups:
        for part in parts:
            a, b = root(total), root(part)
            if a != b:
                parent[a] = b
    components: dict[K, list[tuple[K, Sequence[K]]]] = defaultdict(list)
    for group in groups:
        components[root(group[0])].append(group)
    return list(components.values())


def _fixed_in(suppressed: set[K], groups: Sequence[tuple[K, Sequence[K]]]) -> set[K]:
    members = {m for total, parts in groups for m in (total, *parts)}
    unknowns = sorted(members & suppressed, key=repr)
    position = {k: i for i, k in enumerate(unknowns)}
    basis: dict[int, dict[int, Fraction]] = {}  # pivot column -> its row, fully reduced
    for total, parts in groups:
        row: dict[int, Fraction] = defaultdict(Fraction)
        if total in position:
            row[position[total]] += 1
        for part in parts:
            if part in position:
                row[position[part]] -= 1
        _add_row(basis, row)
    return {unknowns[next(iter(b))] for b in basis.values() if len(b) == 1}


def _add_row(basis: dict[int, dict[int, Fraction]], row: dict[int, Fraction]) -> None:
    """Gauss-Jordan: reduce ``row`` by the basis and, if anything is left, add it, keeping
    every pivot column zero in the other rows."""
    for pivot, b in basis.items():
        factor = row.get(pivot)
        if factor:
            for i, x in b.items():
                row[i] = row.get(i, Fraction(0)) - factor * x
    left = {i: x for i, x in row.items() if x}
    if not left:
        return
    lead = min(left)
    normal = {i: x / left[lead] for i, x in left.items()}
    for b in basis.values():
        factor = b.get(lead)
        if factor:
            for i, x in normal.items():
                b[i] = b.get(i, Fraction(0)) - factor * x
            for i in [i for i, x in b.items() if not x]:
                del b[i]
    basis[lead] = normal


def _counts_of(cell: Cell) -> tuple[float | None, ...]:
    from continuum.performance.engine import COUNTED, FORMULAS, POPULATION
    from continuum.performance.engine.results import MEAN_MEASURES

    numerator, denominator = FORMULAS[cell.indicator]
    if denominator in (POPULATION, COUNTED):
        return (cell.numerator,)
    if numerator in MEAN_MEASURES:
        # A mean of children's rates: the children counted are what must not be small.
        return (cell.denominator,)
    return (cell.numerator, cell.denominator)


def _groups(cells: Sequence[Cell]) -> list[tuple[Cell, list[Cell]]]:
    """The additive groups of a result: each council's categories add to its total, and the
    councils add to the councils combined (for the total and for each category)."""
    by_council: dict[tuple[str, int | None, object], list[Cell]] = defaultdict(list)
    by_category: dict[tuple[str, object, str | None], list[Cell]] = defaultdict(list)
    totals: dict[tuple[str, int | None, object], Cell] = {}
    combined: dict[tuple[str, object, str | None], Cell] = {}
    for cell in cells:
        if cell.category is None:
            totals[(cell.indicator, cell.council_id, cell.period)] = cell
        else:
            by_council[(cell.indicator, cell.council_id, cell.period)].append(cell)
        if cell.council_id is None:
            combined[(cell.indicator, cell.period, cell.category)] = cell
        else:
            by_category[(cell.indicator, cell.period, cell.category)].append(cell)
    groups = [(totals[key], parts) for key, parts in by_council.items() if key in totals]
    groups += [(combined[key], parts) for key, parts in by_category.items() if key in combined]
    return groups


def protect(result: Result) -> Result:
    """The result as it may be published: small counts, the rates built on them and the
    cells that would give them away suppressed."""
    return publish(result)[0]


def publish(*results: Result) -> list[Result]:
    """Results shown together (on one page, in one report), protected together: a cell in
    two of them (a council's total, say) is suppressed in both or neither, and the sums
    across all of them are checked as one table."""
    from continuum.performance.engine import FORMULAS, POPULATION
    from continuum.performance.engine import Result as ResultType

    Key = tuple[str, int | None, object, str | None]
    by_key: dict[Key, Cell] = {}
    for result in results:
        for cell in result.cells:
            by_key.setdefault((cell.indicator, cell.council_id, cell.period, cell.category), cell)
    cells = list(by_key.values())
    index = {id(cell): i for i, cell in enumerate(cells)}
    hidden_cells = suppress_counts(
        {i: _counts_of(c) for i, c in enumerate(cells)},
        [(index[id(total)], [index[id(p)] for p in parts]) for total, parts in _groups(cells)],
    )
    hidden = {
        (c.indicator, c.council_id, c.period, c.category)
        for i, c in enumerate(cells)
        if i in hidden_cells
    }
    published = []
    for result in results:
        protected = ResultType(dimension=result.dimension)
        for cell in result.cells:
            if (cell.indicator, cell.council_id, cell.period, cell.category) in hidden:
                keeps_denominator = FORMULAS[cell.indicator][1] == POPULATION
                cell = dataclasses.replace(
                    cell,
                    numerator=None,
                    denominator=cell.denominator if keeps_denominator else None,
                    value=None,
                    suppressed=True,
                )
            protected.add(cell)
        published.append(protected)
    return published


@dataclass(frozen=True)
class Ask:
    """What to ask the engine for (``engine.compute``'s arguments)."""

    councils: Sequence[Council]
    period_kind: str
    first: date
    last: date
    indicators: Sequence[str] | None = None
    dimension: str | None = None
    combined: bool = False
    as_of: date | None = None


def compute_together(*asks: Ask) -> list[Result]:
    """Each ask's result, protected together (``publish``): for the figures of one page or
    report."""
    from continuum.performance import engine

    return publish(
        *(
            engine.compute(
                councils=ask.councils,
                period_kind=ask.period_kind,
                first=ask.first,
                last=ask.last,
                indicators=ask.indicators,
                dimension=ask.dimension,
                combined=ask.combined,
                as_of=ask.as_of,
            )
            for ask in asks
        )
    )


def compute(
    *,
    councils: Sequence[Council],
    period_kind: str,
    first: date,
    last: date,
    indicators: Sequence[str] | None = None,
    dimension: str | None = None,
    combined: bool = False,
    as_of: date | None = None,
) -> Result:
    """``engine.compute``, protected: what every page, download, report and API answer
    publishes."""
    ask = Ask(councils, period_kind, first, last, indicators, dimension, combined, as_of)
    return compute_together(ask)[0]


def compute_grouped(
    *,
    councils: Sequence[Council],
    first: date,
    last: date,
    group_of: Callable[[int, date], str | None],
    dimension: str,
    indicators: Sequence[str] | None = None,
    as_of: date | None = None,
) -> Result:
    """The engine's monthly cells for each council regrouped by ``group_of`` (a council's
    group in a month, e.g. the hub running its front door: ``engine.regroup``), protected:
    the groups' cells and their councils' cells beneath them."""
    from django.utils import timezone

    from continuum.performance import engine
    from continuum.performance.periods import PeriodKind

    as_of = as_of or timezone.localdate()
    monthly = engine.compute(
        councils=councils,
        period_kind=PeriodKind.MONTH,
        first=first,
        last=last,
        indicators=indicators,
        as_of=as_of,
    )
    return protect(engine.regroup(monthly, group_of, dimension=dimension, as_of=as_of))


T = TypeVar("T")


def shown(cell: Cell | None, figure: Callable[[Cell], T]) -> T | str | None:
    """A figure of a cell for a table: the marker if the cell is suppressed."""
    if cell is None:
        return None
    if cell.suppressed:
        return MARKER
    return figure(cell)


def figures(suppressed: bool, *values: V) -> list[V | str]:
    """A row's figures for a table or download: each the marker if the cell is suppressed."""
    return [MARKER] * len(values) if suppressed else list(values)

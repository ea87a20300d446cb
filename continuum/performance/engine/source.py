"""A source table described as data, and the one way the engine reads one.

A ``Source`` says which rows to read (``rows``: the model's queryset for the councils and
months asked for), where a row's council is, what else to group by (``keys``: the dates a
row is counted on), the conditional counts (``counts``: one aggregate per measure), what
to group by for each dimension it can be split by (``dimensions``), and how a grouped row
becomes monthly numbers (``monthly``: a ``Flow`` adds counts to the month of one of the
keys, a ``Stock`` counts records open at the end of each month between two of them).
``read`` runs one grouped query for it: grouped by council, the keys and the dimension
(when one is asked for), with every count as a conditional aggregate.

Where a source needs logic of its own, its description names it: a ``timeliness`` (a due
date in working days, see ``timeliness``) adds grouping keys, counts and measures of its
own; a ``reader`` replaces the grouped query altogether (reviews, paired in Python).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Protocol

from django.db.models import F, Q, QuerySet

from continuum.early_help.models import EarlyHelpSettings
from continuum.front_door.overdue import start_of_local_day
from continuum.organisations.models import Council
from continuum.performance.engine.dimensions import (
    Children,
    Dimension,
    Youngest,
    YoungestChild,
    youngest,
)
from continuum.performance.engine.store import MonthlyStore
from continuum.timescales.working_days import WorkingCalendar, calendar_covering

# A grouped row: the council ("c"), the keys, the dimension ("dim") and the counts.
Row = dict[str, Any]

DEFAULT_ALLOCATION_TARGET = 10  # working days, for a council without early help settings
DEFAULT_REVIEW_INTERVAL = 6  # weeks


@dataclass
class Context:
    """One source's reading within a ``compute`` call."""

    councils: list[Council]
    first: date  # first day of the first month of data
    last: date  # last day of the last month of data
    dimension: str | None  # the dimension this source groups by; None: totals only
    as_of: date
    store: MonthlyStore
    # Read once per compute call and shared by its sources: the youngest children of
    # records, by their ``Children.name``, and the councils' early help settings.
    shared: dict[str, Any] = field(default_factory=dict)

    @property
    def council_ids(self) -> list[int]:
        return [c.pk for c in self.councils]

    def youngest(self, children: Children) -> Youngest:
        if children.name not in self.shared:
            self.shared[children.name] = youngest(children.rows(self))
        found: Youngest = self.shared[children.name]
        return found

    def translate_by(self, found: Youngest) -> None:
        """Let the store read a record id as its youngest child's birth month or ethnicity."""
        position = 0 if self.dimension == "age_band" else 1

        def translate(record: Any) -> Any:
            child = found.get(record)
            return child[position] if child is not None else None

        self.store.translate = translate

    def in_range(self, field_name: str, *, datetime_field: bool = False) -> Q:
        """``field_name`` within the months of data (a datetime: by local day)."""
        if datetime_field:
            return Q(
                **{
                    f"{field_name}__gte": start_of_local_day(self.first),
                    f"{field_name}__lt": start_of_local_day(self.last + timedelta(days=1)),
                }
            )
        return Q(**{f"{field_name}__gte": self.first, f"{field_name}__lte": self.last})

    def _early_help_settings(self) -> dict[int, tuple[int, int]]:
        """Each council's (allocation target in working days, review interval in weeks)."""
        if "early_help_settings" not in self.shared:
            self.shared["early_help_settings"] = {
                c: (a, r)
                for c, a, r in EarlyHelpSettings.objects.filter(
                    council__in=self.council_ids
                ).values_list(
                    "council_id", "allocation_target_working_days", "review_interval_weeks"
                )
            }
        found: dict[int, tuple[int, int]] = self.shared["early_help_settings"]
        return found

    def allocation_targets(self) -> dict[int, int]:
        """Each council's early help allocation target in working days."""
        return {c: a for c, (a, _) in self._early_help_settings().items()}

    def review_intervals(self) -> dict[int, int]:
        """Each council's interval between early help reviews in weeks."""
        return {c: r for c, (_, r) in self._early_help_settings().items()}

    def calendar(self, longest: int = 10) -> WorkingCalendar:
        """A working calendar wide enough for due dates, up to ``longest`` working days,
        of anything received in the months of data or waiting on ``as_of``."""
        return calendar_covering(
            min(self.first, self.as_of) - timedelta(days=45),
            max(self.last, self.as_of) + timedelta(days=2 * longest + 30),
        )


class Timeliness(Protocol):
    """A source's due dates in working days: grouping keys, counts and measures of its own."""

    def keys(self) -> dict[str, Any]: ...

    def counts(self, ctx: Context) -> dict[str, Any]: ...

    def measures(self, ctx: Context) -> Callable[[Row], dict[str, float]]: ...


@dataclass(frozen=True)
class Flow:
    """The ``measures`` of a grouped row, counted in the month of its key ``at`` (a row
    without one adds nothing)."""

    at: str
    measures: tuple[str, ...]

    def add(self, store: MonthlyStore, row: Row, raw: Any) -> None:
        month = row[self.at]
        if month is not None:
            store.flow(row["c"], month, raw, {m: row[m] for m in self.measures})


@dataclass(frozen=True)
class Stock:
    """The ``count`` records of a grouped row, open at the end of each month from the month
    of its key ``start`` to the month before its key ``end`` (None: still open)."""

    measure: str
    start: str
    end: str
    count: str

    def add(self, store: MonthlyStore, row: Row, raw: Any) -> None:
        n = row[self.count]
        if n:
            store.stock(self.measure, row["c"], row[self.start], row[self.end], raw, n)


def no_counts(ctx: Context) -> dict[str, Any]:
    return {}


@dataclass(frozen=True, kw_only=True)
class Source:
    """One table the engine reads, described as data (see the module docstring)."""

    name: str
    feeds: tuple[str, ...]  # the prefixes of the measures it feeds
    rows: Callable[[Context], QuerySet[Any]]
    council: str  # the path from a row to its council id
    keys: Mapping[str, Any] = field(default_factory=dict)
    counts: Callable[[Context], dict[str, Any]] = no_counts
    dimensions: Mapping[str, Dimension]
    monthly: tuple[Flow | Stock, ...]
    timeliness: Timeliness | None = None
    # Reads grouped rows (council "c", the keys, "dim" and the counts) itself.
    reader: Callable[[Source, Context], Iterable[Row]] | None = None

    def feeds_measure(self, measure: str) -> bool:
        return measure.startswith(self.feeds)


def dimension_expression(source: Source, ctx: Context) -> Any:
    """What ``source`` groups by for the context's dimension (None: totals only). For the
    youngest child's age band or ethnicity: the record, translated by the store."""
    if ctx.dimension is None:
        return None
    described = source.dimensions.get(ctx.dimension)
    if isinstance(described, YoungestChild):
        ctx.translate_by(ctx.youngest(described.children))
        return F(described.record)
    return described


def read(source: Source, ctx: Context) -> None:
    """Read ``source`` into the context's store, from its reader or one grouped query."""
    timeliness = source.timeliness
    measures = timeliness.measures(ctx) if timeliness is not None else None
    rows = source.reader(source, ctx) if source.reader is not None else _grouped(source, ctx)
    for row in rows:
        if measures is not None:
            row.update(measures(row))
        raw = row.get("dim")
        for part in source.monthly:
            part.add(ctx.store, row, raw)


def _grouped(source: Source, ctx: Context) -> QuerySet[Any, Row]:
    """The source's rows grouped by council, its keys and the dimension, with its counts."""
    keys: dict[str, Any] = {"c": F(source.council), **source.keys}
    counts = source.counts(ctx)
    if source.timeliness is not None:
        keys.update(source.timeliness.keys())
        counts.update(source.timeliness.counts(ctx))
    dimension = dimension_expression(source, ctx)
    if dimension is not None:
        keys["dim"] = dimension
    return source.rows(ctx).annotate(**keys).values(*keys).annotate(**counts)

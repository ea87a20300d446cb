"""``compute`` and ``compute_many``: the indicators asked for, for each council (and the
councils combined), period and category, from one grouped query per source they need."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from continuum.organisations.models import Council
from continuum.performance import catalogue
from continuum.performance.catalogue import DIMENSIONS
from continuum.performance.engine.population import Population
from continuum.performance.engine.results import (
    COUNTED,
    FORMULAS,
    POPULATION,
    STOCK_MEASURES,
    Result,
    category_sort_key,
    make_cell,
    scale_of,
)
from continuum.performance.engine.source import Context, read
from continuum.performance.engine.sources import SOURCES, source_of
from continuum.performance.engine.store import MonthlyStore
from continuum.performance.periods import Period, month_start, months_in, periods_between


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
    use_facts: bool | None = None,
) -> Result:
    """Every requested indicator (default: the whole catalogue) for each council and each
    period of ``period_kind`` ending in the months ``first`` to ``last``.

    With ``dimension``, the indicators that support it also get a cell per category (the
    totals always come back). With ``combined``, cells with ``council_id=None`` add the
    councils' numerators and denominators together. ``as_of`` (default today) decides
    what is not yet due and which 12-month follow-ups have finished.
    """
    return compute_many(
        councils=councils,
        period_kinds=[period_kind],
        first=first,
        last=last,
        indicators=indicators,
        dimension=dimension,
        combined=combined,
        as_of=as_of,
        use_facts=use_facts,
    )[period_kind]


def compute_many(
    *,
    councils: Sequence[Council],
    period_kinds: Sequence[str],
    first: date,
    last: date,
    indicators: Sequence[str] | None = None,
    dimension: str | None = None,
    combined: bool = False,
    as_of: date | None = None,
    use_facts: bool | None = None,
) -> dict[str, Result]:
    """``compute`` for several period kinds at once, from the same monthly numbers: still
    one query per source table in all (a dashboard showing months and quarters, or the
    benchmark's four kinds, pays for the database once).

    ``use_facts``: None reads the maintained figures (``facts``) when they are for
    ``as_of`` and hold the months asked for, else the source tables; True or False forces
    one or the other. The results are the same either way."""
    if dimension is not None and dimension not in DIMENSIONS:
        raise ValueError(f"Unknown dimension {dimension!r}.")
    as_of = as_of or timezone.localdate()
    definitions = [catalogue.get(code) for code in (indicators or catalogue.codes())]
    periods_of = {kind: periods_between(kind, first, last) for kind in period_kinds}
    results = {kind: Result(dimension=dimension) for kind in period_kinds}
    every_period = [p for periods in periods_of.values() for p in periods]
    if not every_period or not councils or not definitions:
        return results
    councils = list(councils)
    data_first = min(p.start for p in every_period)
    data_last = max(p.end for p in every_period)
    months = months_in(data_first, data_last)

    measures: set[str] = set()
    for d in definitions:
        num, den = FORMULAS[d.code]
        measures.add(num)
        if den not in (POPULATION, COUNTED):
            measures.add(den)
    sources = {source_of(m) for m in measures}
    # Which indicators get category cells: a source only groups by the dimension if one of
    # its indicators supports it (otherwise it runs its cheaper total-only query).
    split_codes = {
        d.code for d in definitions if dimension is not None and dimension in d.dimensions
    }
    split_sources = {
        source_of(m)
        for code in split_codes
        for m in FORMULAS[code]
        if m not in (POPULATION, COUNTED)
    }

    from continuum.performance.engine import facts

    wanted = {s: (dimension if s in split_sources else None) for s in sorted(sources)}
    if use_facts is None:
        use_facts = facts.current(councils, as_of, months)
    stores: dict[str, MonthlyStore] = {}
    if use_facts:
        stores = facts.stores(councils, wanted, months)
    else:
        stores = _read_sources(councils, wanted, months, data_first, data_last, as_of)

    population = (
        Population(councils) if any(POPULATION in FORMULAS[d.code] for d in definitions) else None
    )
    month_index = {m: i for i, m in enumerate(months)}
    for kind, periods in periods_of.items():
        for d in definitions:
            _indicator_cells(
                results[kind],
                d,
                stores,
                periods,
                month_index,
                councils,
                population,
                as_of,
                split=d.code in split_codes,
                combined=combined,
            )
    return results


def _read_sources(
    councils: list[Council],
    wanted: dict[str, str | None],
    months: list[date],
    data_first: date,
    data_last: date,
    as_of: date,
) -> dict[str, MonthlyStore]:
    """The finished monthly stores of the ``wanted`` sources (name -> dimension or None),
    one query each."""
    stores: dict[str, MonthlyStore] = {}
    shared: dict[str, Any] = {}
    # PostgreSQL's SET LOCAL needs a transaction: the caller's, or one of our own.
    outer: AbstractContextManager[Any] = (
        nullcontext() if connection.in_atomic_block else transaction.atomic()
    )
    with outer:
        _without_jit()
        for source, source_dimension in wanted.items():
            store = MonthlyStore(months, source_dimension)
            ctx = Context(councils, data_first, data_last, source_dimension, as_of, store, shared)
            read(SOURCES[source], ctx)
            store.finish()
            stores[source] = store
    return stores


def _without_jit() -> None:
    """On PostgreSQL, for the rest of this transaction: no just-in-time compilation, and
    enough memory to sort and group in memory.

    The source queries' correlated subqueries make the planner's cost estimates large, so
    PostgreSQL compiles them with LLVM, which costs more (over a second) than the queries
    themselves (milliseconds to a few hundred); and the default 4 MB of work memory spills
    the grouping of five years of contacts to disk. One statement per ``compute`` call.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'")


def follow_up_running(d: catalogue.IndicatorDefinition, period: Period, as_of: date) -> bool:
    """Whether the indicator's follow-up (12 months for the impact measures) of the
    period's records is still running on ``as_of``: no value until it has finished."""
    return bool(d.follow_up_days) and period.end + timedelta(days=d.follow_up_days) >= as_of


def _indicator_cells(
    result: Result,
    d: catalogue.IndicatorDefinition,
    stores: dict[str, MonthlyStore],
    periods: list[Period],
    month_index: dict[date, int],
    councils: list[Council],
    population: Population | None,
    as_of: date,
    *,
    split: bool,
    combined: bool,
) -> None:
    """Add the cells of one indicator: each council (and combined) x period x category."""
    num_measure, den_measure = FORMULAS[d.code]
    store = stores[source_of(num_measure)]
    stock = num_measure in STOCK_MEASURES
    counted = den_measure == COUNTED
    categories: list[str | None] = [None]
    if split:
        found = {
            k[2] for k in store.values if k[2] is not None and k[0] in (num_measure, den_measure)
        }
        categories += sorted(found, key=lambda c: category_sort_key(c or ""))
    scale = scale_of(d.unit)
    pop_cache: dict[tuple[int, int, str | None], float | None] = {}

    def amount(measure: str, council: int, category: str | None, lo: int, hi: int) -> float:
        if stock:
            series = store.values.get((measure, council, category))
            return series[hi - 1] if series is not None else 0.0
        running = store.prefix((measure, council, category))
        return running[hi] - running[lo] if running is not None else 0.0

    def people(council: int, year: int, category: str | None) -> float | None:
        band = category if store.dimension == "age_band" else None
        key = (council, year, band)
        if key not in pop_cache:
            assert population is not None
            pop_cache[key] = population.of(council, year, band)
        return pop_cache[key]

    for period in periods:
        lo = month_index[period.start]
        hi = month_index[month_start(period.end)] + 1
        follow_up_open = follow_up_running(d, period, as_of)
        for category in categories:
            totals_num = 0.0
            totals_den: float | None = 0.0
            for council in councils:
                num = amount(num_measure, council.pk, category, lo, hi)
                den: float | None
                if den_measure == POPULATION:
                    den = people(council.pk, period.end.year, category)
                elif counted:
                    den = None
                else:
                    den = amount(den_measure, council.pk, category, lo, hi)
                result.add(
                    make_cell(
                        d.code,
                        council.pk,
                        period,
                        category,
                        num,
                        den,
                        scale,
                        follow_up_open,
                        counted=counted,
                    )
                )
                totals_num += num
                totals_den = None if den is None or totals_den is None else totals_den + den
            if combined:
                result.add(
                    make_cell(
                        d.code,
                        None,
                        period,
                        category,
                        totals_num,
                        totals_den,
                        scale,
                        follow_up_open,
                        counted=counted,
                    )
                )

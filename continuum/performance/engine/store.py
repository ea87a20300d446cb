"""The monthly numbers a source's query is turned into: flows (counted in a month) and
stocks (open at the end of a month, kept as differences and accumulated at the end)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from continuum.performance.engine.dimensions import AGE_BAND_STARTS, as_month, label
from continuum.timescales.months import add_months


class MonthlyStore:
    """Monthly measures by (measure, council, category); category None is the total."""

    def __init__(self, months: list[date], dimension: str | None) -> None:
        self.months = months
        self.index = {m: i for i, m in enumerate(months)}
        self.dimension = dimension
        self.values: dict[tuple[str, int, str | None], list[float]] = {}
        self.prefixes: dict[tuple[str, int, str | None], list[float]] = {}
        self.labels: dict[tuple[Any, date | None], str] = {}
        self.pending: dict[tuple[int, int, str | None], dict[str, float]] = {}
        # Reads a grouped value (e.g. an episode id) as the dimension's raw value.
        self.translate: Callable[[Any], Any] | None = None

    def _series(self, measure: str, council: int, category: str | None) -> list[float]:
        key = (measure, council, category)
        series = self.values.get(key)
        if series is None:
            series = self.values[key] = [0.0] * len(self.months)
        return series

    def flow(
        self, council: int, month: Any, raw: Any, counts: dict[str, float | int | None]
    ) -> None:
        """Add a grouped row's counts to the month ``month`` (total and its category)."""
        m = month.replace(day=1) if type(month) is date else as_month(month)
        i = self.index.get(m)
        if i is None:
            return
        category = self._category(raw, m) if self.dimension else None
        # Buffered by (council, month, category): one grouped row per record (a dimension
        # read through a record id) would otherwise touch every series for every row.
        key = (council, i, category)
        bucket = self.pending.get(key)
        if bucket is None:
            bucket = self.pending[key] = {}
        for measure, n in counts.items():
            if n:
                bucket[measure] = bucket.get(measure, 0) + n

    def _flush(self) -> None:
        series = self._series
        for (council, i, category), bucket in self.pending.items():
            for measure, n in bucket.items():
                series(measure, council, None)[i] += n
                if category is not None:
                    series(measure, council, category)[i] += n
        self.pending.clear()

    def _category(self, raw: Any, month: date) -> str:
        if self.translate is not None:
            raw = self.translate(raw)
        key = (raw, month) if self.dimension == "age_band" else (raw, None)
        found = self.labels.get(key)
        if found is None:
            found = self.labels[key] = label(self.dimension or "", raw, month)
        return found

    def prefix(self, key: tuple[str, int, str | None]) -> list[float] | None:
        """Running totals of a series (``prefix[j] - prefix[i]`` sums months i to j-1)."""
        found = self.prefixes.get(key)
        if found is None:
            series = self.values.get(key)
            if series is None:
                return None
            found = [0.0]
            running = 0.0
            for v in series:
                running += v
                found.append(running)
            self.prefixes[key] = found
        return found

    def stock(
        self,
        measure: str,
        council: int,
        start: Any,
        end: Any,
        raw: Any,
        n: float,
    ) -> None:
        """Count ``n`` records open at the end of each month from ``start``'s month to the
        month before ``end``'s (``end`` None: still open). Kept as differences; ``finish``
        accumulates them."""
        first = as_month(start)
        stop = as_month(end) if end is not None else None
        if self.translate is not None:
            raw = self.translate(raw)
        if self.dimension == "age_band" and raw is not None:
            born = as_month(raw)
            for k, (from_months, band) in enumerate(AGE_BAND_STARTS):
                band_start = add_months(born, from_months)
                band_stop = (
                    add_months(born, AGE_BAND_STARTS[k + 1][0])
                    if k + 1 < len(AGE_BAND_STARTS)
                    else None
                )
                lo = max(first, band_start)
                hi = _min_month(stop, band_stop)
                if hi is None or lo < hi:
                    self._stock_span(measure, council, lo, hi, str(band.label), n)
            return
        category = label(self.dimension, raw, first) if self.dimension else None
        self._stock_span(measure, council, first, stop, category, n)

    def _stock_span(
        self,
        measure: str,
        council: int,
        first: date,
        stop: date | None,
        category: str | None,
        n: float,
    ) -> None:
        if stop is not None and stop <= self.months[0]:
            return
        if first > self.months[-1]:
            return
        i = self.index[first] if first >= self.months[0] else 0
        j = self.index.get(stop) if stop is not None else None
        keys = [None] if category is None else [None, category]
        for cat in keys:
            series = self._series("~" + measure, council, cat)
            series[i] += n
            if j is not None:
                series[j] -= n

    def finish(self) -> None:
        """Add the buffered flows; turn stock differences into month-end stocks."""
        self._flush()
        for key in [k for k in self.values if k[0].startswith("~")]:
            diffs = self.values.pop(key)
            running = 0.0
            stocks = []
            for d in diffs:
                running += d
                stocks.append(running)
            self.values[(key[0][1:], key[1], key[2])] = stocks


def _min_month(a: date | None, b: date | None) -> date | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)

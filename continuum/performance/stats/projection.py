"""Next quarter's demand, projected from the last 12 months by a straight-line trend.

The method, in plain English (the capacity page says the same):

1. Take the monthly counts for the last 12 complete months.
2. Draw the straight line that fits them best (least squares): where the months were
   heading, on average, and how fast.
3. Carry the line on to the three months of the next quarter and add them up. A month the
   line would put below zero counts as zero.
4. The range: how far the months actually strayed from the line over the year (the
   standard deviation of those differences), spread over three months, either side of the
   projection (1.96 times, so that about 19 quarters in 20 would land inside it if the
   coming months stray as much as the last year's did). It does not allow for the trend
   itself changing.

Alongside it, the same three months a year earlier: a plain check on seasonality, which a
straight line cannot see.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Z_95 = 1.96


@dataclass(frozen=True)
class Projection:
    months_used: int
    per_month_change: float  # the line's slope: the average change from one month to the next
    monthly: tuple[float, ...]  # the line's value for each month of the quarter (at least 0)
    expected: float  # the quarter's total
    low: float
    high: float
    same_quarter_last_year: float | None  # None when the series does not reach back that far


def project_quarter(series: Sequence[float], first_month_ahead: int = 1) -> Projection:
    """Project the three months starting ``first_month_ahead`` months after the last month
    of ``series`` (1 = the month straight after it) from the straight-line trend of
    ``series`` (oldest month first). Needs at least three months."""
    n = len(series)
    if n < 3:
        raise ValueError("A projection needs at least three months of history.")
    if first_month_ahead < 1:
        raise ValueError("The projected quarter must start after the last month.")
    values = [float(v) for v in series]
    mean_t = (n - 1) / 2
    mean_y = sum(values) / n
    spread = sum((t - mean_t) ** 2 for t in range(n))
    slope = sum((t - mean_t) * (y - mean_y) for t, y in enumerate(values)) / spread
    intercept = mean_y - slope * mean_t
    residuals = [y - (intercept + slope * t) for t, y in enumerate(values)]
    deviation = math.sqrt(sum(r * r for r in residuals) / (n - 2))

    offsets = [first_month_ahead + i for i in range(3)]
    monthly = tuple(max(0.0, intercept + slope * (n - 1 + h)) for h in offsets)
    expected = sum(monthly)
    half_range = Z_95 * deviation * math.sqrt(3)

    earlier = [n - 1 + h - 12 for h in offsets]
    same_quarter = sum(values[i] for i in earlier) if all(0 <= i < n for i in earlier) else None
    return Projection(
        months_used=n,
        per_month_change=slope,
        monthly=monthly,
        expected=expected,
        low=max(0.0, expected - half_range),
        high=expected + half_range,
        same_quarter_last_year=same_quarter,
    )

"""The indicator engine: every indicator in the catalogue, for any councils, periods and
dimension, from one aggregate query per source table.

How it works, and why it is fast:

1. Each *source* (contacts, domestic-abuse notifications, episodes, assessments, reviews,
   TAF attendance, needs at closure, sustained-outcome checks, children of closed
   episodes, statutory involvement) is described once as data (``source.Source``, the
   descriptions in ``sources/``, by app) and runs ONE query, grouped by council and month
   (or day, where a working-day timescale needs it) and the dimension, if one is asked
   for, with conditional aggregates for every measure it feeds. It never queries per
   cell, per period or per council. Two sources read rows rather than groups, because
   pairing them in Python is cheaper than a correlated subquery per row: reviews (each
   against the one before) and, for the age band or ethnicity of a record's youngest
   child, one read of the contacts' or episodes' children (``dimensions``).
2. The monthly numbers are kept as *measures* (``store``): flows (counted in a month) and
   stocks (open at the end of a month, accumulated in Python from start and end months).
3. Periods (month, quarter, financial year, rolling 12 months) and the combined cells are
   built in Python (``indicators``): a flow sums its months, a stock takes the period's
   last month. ``compute_many`` builds several period kinds from the same monthly numbers.
4. An indicator is a numerator measure over a denominator measure, or over the child
   population for rates per 10,000 (``results.FORMULAS``, ``population``), or a count
   with no denominator (``results.COUNTED``).

Working-day timescales (a decision within one working day, allocation within the
council's target) come from ``timescales.working_days.WorkingCalendar`` (``timeliness``):
contacts and notifications are grouped by local day of receipt and days taken, and Python
applies the due date; episodes' allocation passes, for each weekday, the usual number of
calendar days allowed plus the dates around bank holidays that differ.

On PostgreSQL each call turns off JIT compilation and raises work_mem for its own
transaction (``SET LOCAL``): compiling these queries cost more than running them.
"""

from __future__ import annotations

from continuum.performance.engine.groups import regroup
from continuum.performance.engine.indicators import compute, compute_many
from continuum.performance.engine.results import (
    COUNTED,
    FORMULAS,
    POPULATION,
    STOCK_MEASURES,
    Cell,
    Result,
)

__all__ = [
    "COUNTED",
    "FORMULAS",
    "POPULATION",
    "STOCK_MEASURES",
    "Cell",
    "Result",
    "compute",
    "compute_many",
    "regroup",
]

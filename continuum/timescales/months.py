"""Calendar months: a date some months before or after another.

Plain Python, no Django. The reporting periods (``performance.periods``) step from month
to month with it, and early help dates a sustained-outcome check six months after a
closure with it.
"""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` calendar months after ``day`` (negative goes
    back), or that month's last day when it is shorter: 31 August plus six months is 28 or
    29 February. The first of a month gives the first of a month."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))

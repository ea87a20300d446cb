"""Reporting periods: months, financial quarters, financial years and rolling 12 months.

English councils report by financial year, April to March, so quarters are financial
quarters: Q1 is April to June, Q4 January to March. Every period is a whole number of
calendar months, which lets the indicator engine build any period from monthly figures.
Months step with ``timescales.months.add_months`` from the first of a month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.utils import timezone

from continuum.timescales.months import add_months
from continuum.ui.dates import govuk_month


class PeriodKind(models.TextChoices):
    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"
    FINANCIAL_YEAR = "financial_year", "Financial year"
    ROLLING_12_MONTHS = "rolling_12_months", "Rolling 12 months"


# How many calendar months each kind of period spans.
MONTHS_IN: dict[str, int] = {
    PeriodKind.MONTH: 1,
    PeriodKind.QUARTER: 3,
    PeriodKind.FINANCIAL_YEAR: 12,
    PeriodKind.ROLLING_12_MONTHS: 12,
}


def month_start(day: date) -> date:
    return day.replace(day=1)


def last_complete_month(today: date | None = None) -> date:
    """The first day of the last month that has finished (dashboards' default month)."""
    return add_months(month_start(today or timezone.localdate()), -1)


def month_end(day: date) -> date:
    return add_months(month_start(day), 1) - timedelta(days=1)


def months_in(start: date, end: date) -> list[date]:
    """The first day of every month from ``start``'s month to ``end``'s month inclusive."""
    months = []
    month = month_start(start)
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


def financial_year_of(day: date) -> int:
    """The calendar year a financial year starts in: 2026 for April 2026 to March 2027."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period; ``end`` is its last day (inclusive)."""

    kind: str
    start: date
    end: date

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{govuk_month(self.start)}"
        if self.kind == PeriodKind.QUARTER:
            quarter = (self.start.month - 4) % 12 // 3 + 1
            return f"Q{quarter} {financial_year_label(financial_year_of(self.start))}"
        if self.kind == PeriodKind.FINANCIAL_YEAR:
            return financial_year_label(financial_year_of(self.start))
        return f"12 months to {govuk_month(self.end)}"

    @property
    def months(self) -> list[date]:
        """The first day of each month in the period."""
        return months_in(self.start, self.end)

    def __str__(self) -> str:
        return self.label


def period_ending(kind: str, last_month: date) -> Period | None:
    """The period of ``kind`` that ends with ``last_month``, or None if none does.

    Months end every month; rolling 12 months too; quarters end in June, September,
    December and March; financial years in March.
    """
    last_month = month_start(last_month)
    if kind not in MONTHS_IN:
        raise ValueError(f"Unknown period kind {kind!r}.")
    if kind == PeriodKind.QUARTER and last_month.month not in (3, 6, 9, 12):
        return None
    if kind == PeriodKind.FINANCIAL_YEAR and last_month.month != 3:
        return None
    start = add_months(last_month, 1 - MONTHS_IN[kind])
    return Period(kind, start, month_end(last_month))


def periods_between(kind: str, first: date, last: date) -> list[Period]:
    """Every period of ``kind`` whose last month is between ``first``'s month and
    ``last``'s month inclusive, oldest first. (Days within the months are ignored, so
    ``periods_between("month", date(2026, 4, 1), date(2026, 6, 1))`` is April to June.)
    """
    if kind not in MONTHS_IN:
        raise ValueError(f"Unknown period kind {kind!r}.")
    periods = []
    for month in months_in(first, last):
        period = period_ending(kind, month)
        if period is not None:
            periods.append(period)
    return periods


_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def parse_month(text: str) -> date:
    """``"2026-10"`` -> ``date(2026, 10, 1)``; ValueError with a message a person can act on."""
    match = _MONTH.match(text or "")
    if match is None:
        raise ValueError(f"{text!r} is not a month: use the form YYYY-MM, for example 2026-10.")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueError(f"{text!r} is not a month: the month must be 01 to 12.")
    if year < 1900:
        raise ValueError(f"{text!r} is not a month: the year must be 1900 or later.")
    return date(year, month, 1)

"""A working-day calendar for England, and the Working Together timescales built on it.

Plain Python, no Django. Working days are Monday to Friday except bank holidays in England
(the ``holidays`` package: country GB, subdivision ENG, observed days included). Dates are
local dates in England; callers convert datetimes with the council's time zone first.

Counting convention: the day something arrives is day 0. "Within N working days" means by
the end of the Nth working day strictly after that day. A contact's decision is due within
one working day, counted from the first working day on or after receipt, so a contact
received on a Saturday is due on Tuesday (Monday is its day 0).

``WorkingCalendar`` is the one implementation of the counting: the working days between two
dates as a sorted list, so a due date is a bisect rather than a day-by-day walk. The
functions below answer for any date from a shared calendar of whole years around it; the
indicator engine asks a calendar for a due date for every day of five years.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from datetime import MAXYEAR, date, timedelta
from functools import lru_cache

import holidays

DECISION_WORKING_DAYS = 1
ASSESSMENT_WORKING_DAYS = 45
TRIAGE_WORKING_DAYS = 1

DueFn = Callable[[date], date]


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: date) -> bool:
    return day in _bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


class WorkingCalendar:
    """The working days from ``first`` to ``last`` as a sorted list. Its answers are for
    days in that range whose answer is in it too (``calendar_covering`` gives one that is
    wide enough); outside it they are wrong or raise ``IndexError``."""

    def __init__(self, first: date, last: date) -> None:
        self.first = first
        self.last = last
        self.days: list[date] = []
        day = first
        while day <= last:
            if is_working_day(day):
                self.days.append(day)
            day += timedelta(days=1)

    def first_on_or_after(self, day: date) -> date:
        """The first working day on or after ``day`` (``day`` itself if it is one)."""
        return self.days[bisect_left(self.days, day)]

    def after(self, day: date, count: int) -> date:
        """The ``count``-th working day strictly after ``day`` (``count`` >= 0; 0 ->
        ``day``, working day or not)."""
        if count < 0:
            raise ValueError("count must not be negative")
        if count == 0:
            return day
        return self.days[bisect_right(self.days, day) + count - 1]

    def between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
        if end <= start:
            return 0
        return bisect_right(self.days, end) - bisect_right(self.days, start)

    def from_receipt(self, received: date, count: int) -> date:
        """The ``count``-th working day (``count`` >= 0) after the first working day on or
        after ``received``: something received on a non-working day counts from the next
        working day."""
        return self.days[bisect_left(self.days, received) + count]

    def decision_due(self, received: date) -> date:
        """``decision_due_date``."""
        return self.from_receipt(received, DECISION_WORKING_DAYS)

    def triage_due(self, received: date) -> date:
        """``triage_due_date``."""
        return self.from_receipt(received, TRIAGE_WORKING_DAYS)

    def allocation_due(self, target: int) -> DueFn:
        """The last day on which something waiting since a day has waited no more than
        ``target`` working days (``between(day, due) <= target``), as the early help
        waiting list counts them."""

        def due(day: date) -> date:
            return self.after(day, target + 1) - timedelta(days=1)

        return due


@lru_cache(maxsize=32)
def _calendar_of_years(first_year: int, last_year: int) -> WorkingCalendar:
    return WorkingCalendar(date(first_year, 1, 1), date(last_year, 12, 31))


def calendar_covering(first: date, last: date) -> WorkingCalendar:
    """A calendar that answers for every day from ``first`` to ``last``: whole years, and
    the year after ``last`` so that a due date just past it is there too. Built once for
    each span of years and shared."""
    return _calendar_of_years(first.year, min(max(first, last).year + 1, MAXYEAR))


def first_working_day_on_or_after(day: date) -> date:
    return calendar_covering(day, day).first_on_or_after(day)


def next_working_day(day: date) -> date:
    """The first working day strictly after ``day``."""
    return add_working_days(day, 1)


def add_working_days(day: date, count: int) -> date:
    """The ``count``-th working day strictly after ``day`` (``count`` >= 0; 0 -> ``day``)."""
    if count < 0:
        raise ValueError("count must not be negative")
    # Any 2 * count calendar days and a year after them hold ``count`` working days.
    return calendar_covering(day, day + timedelta(days=2 * count)).after(day, count)


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start).

    This is how old something received on ``start`` is on ``end``, in working days.
    """
    if end <= start:
        return 0
    return calendar_covering(start, end).between(start, end)


def decision_due_date(received_on: date) -> date:
    """When the front door's decision on a contact received on ``received_on`` is due.

    The first working day strictly after the first working day on or after receipt.
    Received Friday 28 August 2026 -> due Tuesday 1 September 2026 (31 August is a bank
    holiday).
    """
    return calendar_covering(received_on, received_on).decision_due(received_on)


def assessment_due_date(referral_on: date) -> date:
    """A social care assessment is due within 45 working days of the referral date."""
    return add_working_days(referral_on, ASSESSMENT_WORKING_DAYS)


def triage_due_date(received_on: date) -> date:
    """A domestic-abuse notification is due for joint triage within one working day."""
    return calendar_covering(received_on, received_on).triage_due(received_on)


def latest_overdue_receipt(today: date, due: DueFn) -> date:
    """The latest date of receipt whose due date (by ``due``, which never decreases as the
    date of receipt moves later and is never before it) is before ``today``. Everything
    received after it is not yet due on ``today``."""
    day = today
    while due(day) >= today:
        day -= timedelta(days=1)
    return day

"""A working-day calendar for England, and the Working Together timescales built on it.

Plain Python, no Django. Working days are Monday to Friday except bank holidays in England
(the ``holidays`` package: country GB, subdivision ENG, observed days included). Dates are
local dates in England; callers convert datetimes with the council's time zone first.

Counting convention: the day something arrives is day 0. "Within N working days" means by
the end of the Nth working day strictly after that day. A contact's decision is due within
one working day, counted from the first working day on or after receipt, so a contact
received on a Saturday is due on Tuesday (Monday is its day 0).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

DECISION_WORKING_DAYS = 1
ASSESSMENT_WORKING_DAYS = 45
TRIAGE_WORKING_DAYS = 1


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: date) -> bool:
    return day in _bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def first_working_day_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def next_working_day(day: date) -> date:
    """The first working day strictly after ``day``."""
    return first_working_day_on_or_after(day + timedelta(days=1))


def add_working_days(day: date, count: int) -> date:
    """The ``count``-th working day strictly after ``day`` (``count`` >= 0; 0 -> ``day``)."""
    if count < 0:
        raise ValueError("count must not be negative")
    for _ in range(count):
        day = next_working_day(day)
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start).

    This is how old something received on ``start`` is on ``end``, in working days.
    """
    if end <= start:
        return 0
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def decision_due_date(received_on: date) -> date:
    """When the front door's decision on a contact received on ``received_on`` is due.

    The first working day strictly after the first working day on or after receipt.
    Received Friday 28 August 2026 -> due Tuesday 1 September 2026 (31 August is a bank
    holiday).
    """
    return add_working_days(first_working_day_on_or_after(received_on), DECISION_WORKING_DAYS)


def assessment_due_date(referral_on: date) -> date:
    """A social care assessment is due within 45 working days of the referral date."""
    return add_working_days(referral_on, ASSESSMENT_WORKING_DAYS)


def triage_due_date(received_on: date) -> date:
    """A domestic-abuse notification is due for joint triage within one working day."""
    return add_working_days(first_working_day_on_or_after(received_on), TRIAGE_WORKING_DAYS)

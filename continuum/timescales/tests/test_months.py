from __future__ import annotations

import calendar
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from continuum.timescales.months import add_months

days = st.dates(min_value=date(1950, 1, 1), max_value=date(2080, 12, 31))
months = st.integers(min_value=-600, max_value=600)


def test_the_same_day_of_a_later_or_earlier_month() -> None:
    assert add_months(date(2026, 3, 15), 1) == date(2026, 4, 15)
    assert add_months(date(2026, 3, 15), -3) == date(2025, 12, 15)
    assert add_months(date(2026, 11, 1), 2) == date(2027, 1, 1)
    assert add_months(date(2026, 11, 1), 0) == date(2026, 11, 1)


def test_a_shorter_month_gives_its_last_day() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)  # a leap year
    assert add_months(date(2026, 5, 31), -1) == date(2026, 4, 30)


@given(days, months)
def test_moves_by_whole_calendar_months(day: date, n: int) -> None:
    moved = add_months(day, n)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == n
    assert moved.day == min(day.day, calendar.monthrange(moved.year, moved.month)[1])


@given(days, months)
def test_the_first_of_a_month_round_trips(day: date, n: int) -> None:
    first = day.replace(day=1)
    assert add_months(first, n).day == 1
    assert add_months(add_months(first, n), -n) == first

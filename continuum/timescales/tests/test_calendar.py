"""The bisecting working calendar agrees with the day-by-day definitions of the working-day
timescales (``working_days``' module docstring), for any date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from continuum.timescales.working_days import (
    WorkingCalendar,
    add_working_days,
    calendar_covering,
    decision_due_date,
    first_working_day_on_or_after,
    is_working_day,
    latest_overdue_receipt,
    next_working_day,
    triage_due_date,
    working_days_between,
)

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
counts = st.integers(min_value=0, max_value=60)
CALENDAR = WorkingCalendar(date(2019, 12, 1), date(2031, 6, 30))


# --- the definitions, day by day -----------------------------------------------------------------


def first_on_or_after_by_walking(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def after_by_walking(day: date, count: int) -> date:
    for _ in range(count):
        day = first_on_or_after_by_walking(day + timedelta(days=1))
    return day


def between_by_walking(start: date, end: date) -> int:
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count


def decision_due_by_walking(received: date) -> date:
    return after_by_walking(first_on_or_after_by_walking(received), 1)


# --- the calendar and the module's functions against them ------------------------------------


@given(days)
def test_first_working_day_on_or_after(day: date) -> None:
    expected = first_on_or_after_by_walking(day)
    assert CALENDAR.first_on_or_after(day) == expected
    assert first_working_day_on_or_after(day) == expected
    assert next_working_day(day) == first_on_or_after_by_walking(day + timedelta(days=1))


@given(days, counts)
def test_adding_working_days(day: date, count: int) -> None:
    expected = after_by_walking(day, count)
    assert CALENDAR.after(day, count) == expected
    assert add_working_days(day, count) == expected


@given(days, days)
def test_counting_working_days_between(start: date, end: date) -> None:
    expected = between_by_walking(start, end)
    assert CALENDAR.between(start, end) == expected
    assert working_days_between(start, end) == expected


@given(days)
def test_decision_and_triage_due(received: date) -> None:
    expected = decision_due_by_walking(received)
    assert CALENDAR.decision_due(received) == expected
    assert CALENDAR.triage_due(received) == expected
    assert decision_due_date(received) == expected
    assert triage_due_date(received) == expected


@given(days, st.integers(min_value=1, max_value=60))
def test_allocation_due_is_the_last_day_within_the_target(day: date, target: int) -> None:
    due = CALENDAR.allocation_due(target)(day)
    assert between_by_walking(day, due) <= target
    assert between_by_walking(day, due + timedelta(days=1)) > target


@given(days)
def test_latest_overdue_receipt(today: date) -> None:
    latest = latest_overdue_receipt(today, decision_due_date)
    assert decision_due_by_walking(latest) < today
    day = latest + timedelta(days=1)
    while day <= today:
        assert decision_due_by_walking(day) >= today, day
        day += timedelta(days=1)


def test_adding_no_working_days_is_the_day_itself_even_at_the_weekend() -> None:
    saturday = date(2026, 11, 28)
    assert CALENDAR.after(saturday, 0) == saturday
    assert add_working_days(saturday, 0) == saturday


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError):
        CALENDAR.after(date(2026, 11, 25), -1)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 11, 25), -1)


def test_long_spans_and_distant_years() -> None:
    assert working_days_between(date(1999, 6, 1), date(2031, 2, 1)) == between_by_walking(
        date(1999, 6, 1), date(2031, 2, 1)
    )
    assert add_working_days(date(2035, 12, 24), 300) == after_by_walking(date(2035, 12, 24), 300)


def test_a_covering_calendar_is_shared_and_reaches_a_year_past_its_last_day() -> None:
    calendar = calendar_covering(date(2026, 3, 1), date(2026, 12, 31))
    assert calendar is calendar_covering(date(2026, 1, 1), date(2026, 6, 30))
    assert calendar.first == date(2026, 1, 1)
    assert calendar.last == date(2027, 12, 31)
    assert calendar.decision_due(date(2026, 12, 31)) == date(2027, 1, 4)


def test_the_working_calendar_agrees_with_the_timescales() -> None:
    """The engine's bisecting calendar gives the same due dates as
    ``timescales.working_days`` on every day of 2025 and 2026 (Easter, Christmas, the
    2025 and 2026 bank holidays)."""
    first, last = date(2025, 1, 1), date(2026, 12, 31)
    calendar = WorkingCalendar(first - timedelta(days=10), last + timedelta(days=60))
    day = first
    while day <= last:
        assert calendar.decision_due(day) == decision_due_date(day), day
        assert calendar.decision_due(day) == triage_due_date(day), day
        for target in (1, 5, 10, 20):
            due = calendar.allocation_due(target)(day)
            assert working_days_between(day, due) <= target, (day, target)
            assert working_days_between(day, due + timedelta(days=1)) > target, (day, target)
            assert calendar.after(day, target) == add_working_days(day, target)
        day += timedelta(days=1)

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from continuum.timescales.working_days import (
    add_working_days,
    assessment_due_date,
    decision_due_date,
    first_working_day_on_or_after,
    is_working_day,
    triage_due_date,
    working_days_between,
)

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


def test_weekends_are_not_working_days() -> None:
    assert not is_working_day(date(2026, 11, 28))  # Saturday
    assert not is_working_day(date(2026, 11, 29))  # Sunday
    assert is_working_day(date(2026, 11, 30))  # Monday


def test_english_bank_holidays_are_not_working_days() -> None:
    assert not is_working_day(date(2026, 8, 31))  # Summer bank holiday
    assert not is_working_day(date(2026, 12, 25))
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day, observed on the Monday
    assert not is_working_day(date(2026, 4, 3))  # Good Friday
    assert not is_working_day(date(2026, 4, 6))  # Easter Monday


def test_scottish_only_holidays_are_working_days_in_england() -> None:
    assert is_working_day(date(2026, 1, 2))  # 2 January is a holiday in Scotland only
    assert is_working_day(date(2026, 8, 3))  # Scotland's summer holiday


def test_decision_due_example_from_the_issue() -> None:
    # Friday 28 August 2026 -> Tuesday 1 September 2026 (31 August is a bank holiday).
    assert decision_due_date(date(2026, 8, 28)) == date(2026, 9, 1)


def test_decision_due_next_working_day_midweek() -> None:
    assert decision_due_date(date(2026, 11, 25)) == date(2026, 11, 26)  # Wed -> Thu


def test_contact_received_at_the_weekend_counts_from_monday() -> None:
    assert decision_due_date(date(2026, 11, 28)) == date(2026, 12, 1)  # Sat -> Tue
    assert decision_due_date(date(2026, 11, 29)) == date(2026, 12, 1)  # Sun -> Tue


def test_christmas_and_new_year() -> None:
    # Thu 24 Dec 2026: next working days are Tue 29 Dec (25, 26-27 weekend, 28 observed).
    assert decision_due_date(date(2026, 12, 24)) == date(2026, 12, 29)
    assert decision_due_date(date(2026, 12, 25)) == date(2026, 12, 30)
    assert decision_due_date(date(2026, 12, 31)) == date(2027, 1, 4)


def test_easter() -> None:
    # Thu 2 April 2026, then Good Friday and Easter Monday.
    assert decision_due_date(date(2026, 4, 2)) == date(2026, 4, 7)


def test_assessment_due_in_45_working_days() -> None:
    # 45 working days from Mon 2 Nov 2026: 9 weeks = 45 weekdays (to Mon 4 Jan 2027), but
    # 25 Dec, 28 Dec (Boxing Day observed) and 1 Jan fall inside: three more working days.
    assert assessment_due_date(date(2026, 11, 2)) == date(2027, 1, 7)


def test_triage_due_like_a_decision() -> None:
    assert triage_due_date(date(2026, 8, 28)) == date(2026, 9, 1)


def test_age_in_working_days() -> None:
    assert working_days_between(date(2026, 8, 28), date(2026, 9, 1)) == 1
    assert working_days_between(date(2026, 8, 28), date(2026, 8, 28)) == 0
    assert working_days_between(date(2026, 9, 1), date(2026, 8, 28)) == 0


@given(days)
def test_decision_due_is_a_working_day_after_receipt(received: date) -> None:
    due = decision_due_date(received)
    assert is_working_day(due)
    assert due > received
    # never more than a bank-holiday-laden week away
    assert due - received <= timedelta(days=7)
    assert working_days_between(first_working_day_on_or_after(received), due) == 1


@given(days, st.integers(min_value=0, max_value=60))
def test_add_then_count_round_trips(start: date, n: int) -> None:
    assert working_days_between(start, add_working_days(start, n)) == n

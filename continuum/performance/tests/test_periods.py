"""Reporting periods: labels, boundaries, financial quarters and years, rolling 12 months."""

from __future__ import annotations

from datetime import date

import pytest

from continuum.performance.periods import Period, PeriodKind, parse_month, periods_between


def test_month_labels_and_boundaries() -> None:
    [october] = periods_between(PeriodKind.MONTH, date(2026, 10, 1), date(2026, 10, 1))
    assert october == Period(PeriodKind.MONTH, date(2026, 10, 1), date(2026, 10, 31))
    assert october.label == "October 2026"
    [february] = periods_between(PeriodKind.MONTH, date(2028, 2, 1), date(2028, 2, 1))
    assert february.end == date(2028, 2, 29)


def test_financial_quarters_start_in_april() -> None:
    quarters = periods_between(PeriodKind.QUARTER, date(2026, 4, 1), date(2027, 3, 1))
    assert [q.label for q in quarters] == ["Q1 2026-27", "Q2 2026-27", "Q3 2026-27", "Q4 2026-27"]
    assert (quarters[0].start, quarters[0].end) == (date(2026, 4, 1), date(2026, 6, 30))
    assert (quarters[3].start, quarters[3].end) == (date(2027, 1, 1), date(2027, 3, 31))


def test_periods_are_those_ending_in_the_range() -> None:
    """Q3 2026-27 ends in December: asking for November to January gives only it."""
    quarters = periods_between(PeriodKind.QUARTER, date(2026, 11, 1), date(2027, 1, 1))
    assert [q.label for q in quarters] == ["Q3 2026-27"]
    assert quarters[0].start == date(2026, 10, 1)
    assert periods_between(PeriodKind.QUARTER, date(2026, 11, 1), date(2026, 11, 30)) == []


def test_financial_years() -> None:
    years = periods_between(PeriodKind.FINANCIAL_YEAR, date(2025, 1, 1), date(2027, 3, 1))
    assert [y.label for y in years] == ["2024-25", "2025-26", "2026-27"]
    assert (years[-1].start, years[-1].end) == (date(2026, 4, 1), date(2027, 3, 31))
    [century] = periods_between(PeriodKind.FINANCIAL_YEAR, date(2100, 3, 1), date(2100, 3, 1))
    assert century.label == "2099-00"


def test_rolling_12_months_one_per_month_end() -> None:
    rolling = periods_between(PeriodKind.ROLLING_12_MONTHS, date(2026, 9, 1), date(2026, 10, 1))
    assert [r.label for r in rolling] == [
        "12 months to September 2026",
        "12 months to October 2026",
    ]
    assert (rolling[1].start, rolling[1].end) == (date(2025, 11, 1), date(2026, 10, 31))
    assert len(rolling[1].months) == 12


def test_days_within_months_are_ignored() -> None:
    assert periods_between(PeriodKind.MONTH, date(2026, 4, 15), date(2026, 6, 3)) == (
        periods_between(PeriodKind.MONTH, date(2026, 4, 1), date(2026, 6, 1))
    )


def test_periods_order_by_start() -> None:
    months = periods_between(PeriodKind.MONTH, date(2026, 1, 1), date(2026, 3, 1))
    assert sorted(reversed(months)) == months


def test_unknown_kind() -> None:
    with pytest.raises(ValueError, match="Unknown period kind"):
        periods_between("fortnight", date(2026, 1, 1), date(2026, 3, 1))


def test_parse_month() -> None:
    assert parse_month("2026-10") == date(2026, 10, 1)
    assert parse_month(" 2026-1 ") == date(2026, 1, 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-13", "the month must be 01 to 12"),
        ("2026-00", "the month must be 01 to 12"),
        ("October 2026", "use the form YYYY-MM"),
        ("2026/10", "use the form YYYY-MM"),
        ("", "use the form YYYY-MM"),
        ("0999-01", "the year must be 1900 or later"),
    ],
)
def test_parse_month_explains_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_month(text)

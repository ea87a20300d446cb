"""Next quarter's demand from a straight-line trend, checked against series worked by hand."""

from __future__ import annotations

import pytest

from continuum.performance.stats.projection import project_quarter


def test_a_flat_series_projects_itself_with_no_range() -> None:
    p = project_quarter([10] * 12)
    assert p.per_month_change == 0
    assert p.monthly == (10, 10, 10)
    assert (p.expected, p.low, p.high) == (30, 30, 30)
    assert p.same_quarter_last_year == 30


def test_a_straight_line_carries_on() -> None:
    # 1, 2, ..., 12: one more each month; the next three months are 13, 14 and 15.
    p = project_quarter(list(range(1, 13)))
    assert p.per_month_change == pytest.approx(1)
    assert p.monthly == pytest.approx((13, 14, 15))
    assert p.expected == pytest.approx(42)
    assert (p.low, p.high) == (pytest.approx(42), pytest.approx(42))
    # A year before months 13-15 are months 1-3.
    assert p.same_quarter_last_year == 6


def test_a_noisy_series_worked_by_hand() -> None:
    """Months 2, 4, 3, 5. Mean month 1.5, mean count 3.5; slope = sum((t - 1.5)(y - 3.5)) /
    sum((t - 1.5)^2) = 4 / 5 = 0.8; intercept 3.5 - 0.8 * 1.5 = 2.3. The line gives 2.3,
    3.1, 3.9, 4.7; the months differ from it by -0.3, 0.9, -0.9, 0.3, squares summing to 1.8,
    so the spread is sqrt(1.8 / 2) = 0.9487. The next three months on the line: 5.5, 6.3,
    7.1, total 18.9; the range 18.9 +/- 1.96 * 0.9487 * sqrt(3) = 18.9 +/- 3.2206."""
    p = project_quarter([2, 4, 3, 5])
    assert p.per_month_change == pytest.approx(0.8)
    assert p.monthly == pytest.approx((5.5, 6.3, 7.1))
    assert p.expected == pytest.approx(18.9)
    assert p.low == pytest.approx(15.6794, abs=1e-3)
    assert p.high == pytest.approx(22.1206, abs=1e-3)
    assert p.same_quarter_last_year is None  # four months do not reach back a year


def test_a_later_quarter_and_the_same_months_a_year_before() -> None:
    # The quarter starting three months after the last: months 15, 16 and 17 of 1..12.
    p = project_quarter(list(range(1, 13)), first_month_ahead=3)
    assert p.monthly == pytest.approx((15, 16, 17))
    assert p.same_quarter_last_year == 3 + 4 + 5


def test_a_falling_series_stops_at_zero() -> None:
    p = project_quarter(list(range(12, 0, -1)))
    assert p.monthly == pytest.approx((0, 0, 0))
    assert p.expected == 0 and p.low == 0


@pytest.mark.parametrize(("series", "ahead"), [([1, 2], 1), ([1, 2, 3], 0)])
def test_too_little_history_or_a_quarter_in_the_past_is_refused(
    series: list[int], ahead: int
) -> None:
    with pytest.raises(ValueError):
        project_quarter(series, ahead)

"""Funnel plot limits: hand-worked values, and the properties every funnel must have."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from continuum.performance.stats import funnel


def test_binomial_limits_for_a_large_volume_agree_with_the_normal_approximation() -> None:
    # 1,000 cases at 30%: the normal approximation gives 30 ± 1.96 × sqrt(0.3 × 0.7 / 1000)
    # = 27.16-32.84% and, at 99.8% (z = 3.09), 25.52-34.48%. Exact limits are close.
    (limits,) = funnel.funnel_limits(funnel.PROPORTION, 30.0, [1000])
    sd = math.sqrt(0.3 * 0.7 / 1000) * 100
    assert limits.lower95 == pytest.approx(30 - 1.96 * sd, abs=0.1)
    assert limits.upper95 == pytest.approx(30 + 1.96 * sd, abs=0.1)
    assert limits.lower998 == pytest.approx(30 - 3.09 * sd, abs=0.15)
    assert limits.upper998 == pytest.approx(30 + 3.09 * sd, abs=0.15)


def test_binomial_limits_for_one_case_by_hand() -> None:
    # One case at 50%: P(X=0) = P(X=1) = 0.5. Upper 97.5% quantile: r = 1 (F(1) = 1),
    # alpha = (1 - 0.975) / 0.5 = 0.05, limit = 0.95 -> 95%. Lower 2.5%: r = 0,
    # alpha = (0.5 - 0.025) / 0.5 = 0.95, r - alpha < 0 -> 0%.
    (limits,) = funnel.funnel_limits(funnel.PROPORTION, 50.0, [1])
    assert limits.upper95 == pytest.approx(95.0)
    assert limits.upper998 == pytest.approx(99.8)
    assert limits.lower95 == 0.0
    assert limits.lower998 == 0.0


def test_poisson_limits_for_a_rate_per_10000_by_hand() -> None:
    # 40,000 children at 100 per 10,000: 400 expected, sd 20 -> 95% about 90.2-109.8.
    (limits,) = funnel.funnel_limits(funnel.RATE, 100.0, [40_000])
    assert limits.lower95 == pytest.approx(90.2, abs=0.15)
    assert limits.upper95 == pytest.approx(109.8, abs=0.15)
    # Poisson is skewed: the upper limit is further from the target than the lower.
    assert (limits.upper998 - 100) > (100 - limits.lower998)


def test_poisson_limits_for_a_tiny_expected_count_by_hand() -> None:
    # 10,000 children at 1 per 10,000: one expected. P(0) = e^-1 = 0.3679 >= 0.025, so
    # the lower limits are 0; P(X <= 3) = 0.981 is the first cumulative above 0.975:
    # alpha = (0.981012 - 0.975) / P(3) (0.061313) = 0.0981 -> 2.902 per 10,000.
    (limits,) = funnel.funnel_limits(funnel.RATE, 1.0, [10_000])
    assert limits.lower95 == 0.0
    assert limits.upper95 == pytest.approx(2.902, abs=0.001)


def test_the_target_is_all_councils_together_not_the_average_of_their_values() -> None:
    # 10/100 and 90/900: each 10%... and 1/10 with 500/1000: 501/1010, not (10 + 50) / 2.
    assert funnel.combined_target([1, 500], [10, 1000], funnel.PROPORTION) == pytest.approx(
        501 / 1010 * 100
    )
    assert funnel.combined_target([30], [60_000], funnel.RATE) == pytest.approx(5.0)
    with pytest.raises(ValueError, match="denominator"):
        funnel.combined_target([0], [0], funnel.RATE)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (30.0, funnel.WITHIN),
        (33.5, funnel.ABOVE_95),
        (35.0, funnel.ABOVE_998),
        (26.5, funnel.BELOW_95),
        (25.0, funnel.BELOW_998),
        (None, funnel.NO_DATA),
    ],
)
def test_classify_a_council_of_1000_cases_against_30_percent(
    value: float | None, expected: str
) -> None:
    assert funnel.classify(value, 1000, 30.0, funnel.PROPORTION) == expected


def test_the_same_difference_is_noise_for_a_small_council_and_real_for_a_large_one() -> None:
    assert funnel.classify(40.0, 30, 30.0, funnel.PROPORTION) == funnel.WITHIN
    assert funnel.classify(40.0, 3000, 30.0, funnel.PROPORTION) == funnel.ABOVE_998


def test_bad_kind_or_impossible_target_is_refused() -> None:
    with pytest.raises(ValueError, match="proportion or rate"):
        funnel.funnel_limits("count", 10.0, [10])
    with pytest.raises(ValueError, match="outside"):
        funnel.funnel_limits(funnel.PROPORTION, 120.0, [10])
    assert funnel.funnel_limits(funnel.RATE, 10.0, [0, -5]) == []
    assert funnel.classify(10.0, 0, 10.0, funnel.RATE) == funnel.NO_DATA


def test_curve_volumes_span_the_observed_volumes() -> None:
    volumes = funnel.curve_volumes([50, 5000])
    assert volumes[0] <= 50 and volumes[-1] >= 5000
    assert volumes == sorted(volumes)
    assert funnel.curve_volumes([]) == []


@settings(max_examples=60, deadline=None)
@given(
    target=st.floats(min_value=0.5, max_value=99.5),
    volume=st.integers(min_value=1, max_value=20_000),
)
def test_proportion_limits_are_ordered_and_inside_0_to_100(target: float, volume: int) -> None:
    (limits,) = funnel.funnel_limits(funnel.PROPORTION, target, [volume])
    assert 0 <= limits.lower998 <= limits.lower95 <= target <= limits.upper95
    assert limits.upper95 <= limits.upper998 <= 100


@settings(max_examples=40, deadline=None)
@given(
    target=st.floats(min_value=1, max_value=99),
    small=st.integers(min_value=20, max_value=500),
    factor=st.integers(min_value=4, max_value=50),
)
def test_limits_narrow_as_volume_grows(target: float, small: int, factor: int) -> None:
    a, b = funnel.funnel_limits(funnel.PROPORTION, target, [small, small * factor])
    assert b.upper998 - b.lower998 < a.upper998 - a.lower998
    assert b.upper95 - b.lower95 < a.upper95 - a.lower95


@settings(max_examples=40, deadline=None)
@given(
    rate=st.floats(min_value=0.5, max_value=2000),
    children=st.integers(min_value=1_000, max_value=200_000),
)
def test_rate_limits_are_ordered_and_never_negative(rate: float, children: int) -> None:
    (limits,) = funnel.funnel_limits(funnel.RATE, rate, [children])
    assert 0 <= limits.lower998 <= limits.lower95 <= rate <= limits.upper95 <= limits.upper998


@settings(max_examples=40, deadline=None)
@given(
    target=st.floats(min_value=1, max_value=99),
    volume=st.integers(min_value=1, max_value=5_000),
)
def test_the_target_itself_is_always_within(target: float, volume: int) -> None:
    assert funnel.classify(target, volume, target, funnel.PROPORTION) == funnel.WITHIN

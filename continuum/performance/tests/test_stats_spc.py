"""XmR charts and the Making Data Count rules: worked examples and properties."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from continuum.performance.stats import spc

MONTH_NAMES = [f"{month:%B}" for month in (date(2024, m, 1) for m in range(1, 13))]
MONTHS = [f"{m} {y}" for y in (2024, 2025, 2026) for m in MONTH_NAMES]


def test_mean_moving_range_and_limits_by_hand() -> None:
    values = [10, 12, 11, 13, 12, 11, 10, 12]
    chart = spc.xmr(values)
    # Mean 91 / 8 = 11.375; moving ranges 2,1,2,1,1,1,2 -> 10 / 7 = 1.4286.
    assert chart.mean == pytest.approx(11.375)
    assert chart.mean_moving_range == pytest.approx(10 / 7)
    assert chart.upper_limit == pytest.approx(11.375 + 2.66 * 10 / 7)
    assert chart.lower_limit == pytest.approx(11.375 - 2.66 * 10 / 7)
    assert chart.upper_two_sigma == pytest.approx(11.375 + 1.7733 * 10 / 7, abs=1e-3)
    assert chart.points[0].moving_range is None
    assert [p.moving_range for p in chart.points[1:]] == [2, 1, 2, 1, 1, 1, 2]
    assert chart.signals == ()
    assert chart.variation == spc.COMMON_CAUSE


def test_a_known_shift_is_found_against_limits_fixed_on_the_baseline() -> None:
    # A year around 20, then eight months around 24: a step change after a new service.
    before = [20, 21, 19, 20, 22, 19, 20, 21, 20, 19, 21, 20]
    after = [23, 24, 23, 25, 24, 23, 24, 25]
    chart = spc.xmr(before + after, polarity=spc.UP, baseline=12)
    assert chart.mean == pytest.approx(242 / 12)
    shifts = [s for s in chart.signals if s.rule == spc.SHIFT]
    assert shifts == [spc.Signal(spc.SHIFT, 12, 19, 1)]
    assert all(spc.SHIFT in p.rules for p in chart.points[12:])
    assert all(not p.rules for p in chart.points[:12])
    assert chart.variation == spc.IMPROVEMENT
    text = spc.summary(chart, MONTHS[:20])
    assert text[0].startswith("Special cause variation of an improving nature (higher values):")
    assert "8 months in a row above the average since January 2025" in text[0]
    assert "fixed on the first 12 months (January 2024 to December 2024)" in " ".join(text)


def test_the_same_shift_is_a_concern_when_lower_is_better() -> None:
    before = [20, 21, 19, 20, 22, 19, 20, 21, 20, 19, 21, 20]
    chart = spc.xmr(before + [23, 24, 23, 25, 24, 23, 24, 25], polarity=spc.DOWN, baseline=12)
    assert chart.variation == spc.CONCERN
    neutral = spc.xmr(before + [23, 24, 23, 25, 24, 23, 24, 25], baseline=12)
    assert neutral.variation == spc.NEITHER


def test_six_points_above_the_mean_are_not_a_shift_but_seven_are() -> None:
    base = [12, 10, 12, 10, 12, 10, 12, 10, 12, 10]  # mean 11
    six = spc.xmr(base + [11.5] * 6 + [10], baseline=10)
    seven = spc.xmr(base + [11.5] * 7 + [10], baseline=10)
    assert not [s for s in six.signals if s.rule == spc.SHIFT]
    assert [s for s in seven.signals if s.rule == spc.SHIFT] == [spc.Signal(spc.SHIFT, 10, 16, 1)]


def test_a_point_on_the_mean_breaks_a_run() -> None:
    base = [12, 10, 12, 10, 12, 10, 12, 10, 12, 10]
    chart = spc.xmr(base + [11.5] * 4 + [11] + [11.5] * 4, baseline=10)
    assert not [s for s in chart.signals if s.rule == spc.SHIFT]


def test_seven_rising_points_are_a_trend_six_are_not() -> None:
    noise = [50, 40, 60, 45, 55, 50, 40, 60, 45, 55]
    rising7 = [44, 46, 48, 50, 52, 54, 56]
    chart = spc.xmr(noise + rising7 + [50], baseline=10)
    trends = [s for s in chart.signals if s.rule == spc.TREND]
    assert trends == [spc.Signal(spc.TREND, 10, 16, 1)]
    six = spc.xmr(noise + rising7[:6] + [40], baseline=10)
    assert not [s for s in six.signals if s.rule == spc.TREND]
    # A tie breaks the trend.
    flat = spc.xmr(noise + [44, 46, 48, 48, 50, 52, 54] + [50], baseline=10)
    assert not [s for s in flat.signals if s.rule == spc.TREND]
    # Six is available for those who follow the MDC material that uses it.
    assert [s.rule for s in spc.xmr(noise + rising7[:6] + [40], trend_length=6).signals].count(
        spc.TREND
    ) == 1


def test_a_falling_trend_is_improvement_when_lower_is_better() -> None:
    noise = [50, 40, 60, 45, 55, 50, 40, 60, 45, 55]
    chart = spc.xmr(noise + [56, 54, 52, 50, 48, 46, 44], polarity=spc.DOWN, baseline=10)
    assert chart.variation == spc.IMPROVEMENT
    assert "7 months in a row falling since November 2024" in spc.summary(chart, MONTHS[:17])[0]


def test_a_point_outside_the_limits() -> None:
    values = [10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 30]
    chart = spc.xmr(values, polarity=spc.UP, baseline=10)
    assert chart.points[-1].rules == frozenset({spc.OUTSIDE_LIMITS})
    assert chart.variation == spc.IMPROVEMENT
    assert spc.summary(chart, MONTHS[:11])[0].startswith(
        "Special cause variation of an improving nature (higher values): November 2024 was "
        "above the upper limit"
    )


def test_two_of_three_close_to_the_lower_limit() -> None:
    # Mean 10, mean moving range 2 -> two sigma at 10 - 3.55 = 6.45, limit at 4.68.
    base = [9, 11, 9, 11, 9, 11, 9, 11, 9, 11]
    chart = spc.xmr([*base, 6, 10, 6, 10], polarity=spc.UP, baseline=10)
    assert chart.lower_two_sigma == pytest.approx(10 - 2.66 * 2 * 2 / 3)
    found = [s for s in chart.signals if s.rule == spc.TWO_OF_THREE]
    assert found == [spc.Signal(spc.TWO_OF_THREE, 10, 12, -1, (10, 12))]
    assert spc.TWO_OF_THREE in chart.points[10].rules
    assert spc.TWO_OF_THREE in chart.points[12].rules
    assert not chart.points[11].rules  # the point between is not close to a limit
    assert chart.points[12].variation == spc.CONCERN
    # One point close to the limit alone is nothing.
    assert not spc.xmr([*base, 6, 10, 10, 10], baseline=10).signals


@pytest.mark.parametrize(
    ("polarity", "target", "expected"),
    [
        (spc.UP, 5.0, spc.CONSISTENTLY_PASS),
        (spc.UP, 20.0, spc.CONSISTENTLY_FAIL),
        (spc.UP, 10.5, spc.HIT_AND_MISS),
        (spc.DOWN, 20.0, spc.CONSISTENTLY_PASS),
        (spc.DOWN, 5.0, spc.CONSISTENTLY_FAIL),
        (spc.NEUTRAL, 5.0, None),
        (spc.UP, None, None),
    ],
)
def test_assurance_against_a_target(polarity: str, target: float | None, expected: str) -> None:
    chart = spc.xmr([10, 11, 9, 10, 11, 9, 10, 11, 9, 10], polarity=polarity, target=target)
    assert chart.lower_limit > 5 and chart.upper_limit < 20
    assert chart.assurance == expected


def test_assurance_is_explained_in_the_summary() -> None:
    chart = spc.xmr([10, 11, 9, 10, 11, 9, 10, 11, 9, 10], polarity=spc.UP, target=20)
    assert "will not meet it" in spc.summary(chart, MONTHS[:10])[-1]


def test_few_points_and_bad_arguments() -> None:
    text = spc.summary(spc.xmr([1, 2, 3]), MONTHS[:3])
    assert any("provisional" in sentence for sentence in text)
    with pytest.raises(ValueError, match="at least two"):
        spc.xmr([1])
    with pytest.raises(ValueError, match="baseline"):
        spc.xmr([1, 2, 3], baseline=1)
    with pytest.raises(ValueError, match="baseline"):
        spc.xmr([1, 2, 3], baseline=4)
    with pytest.raises(ValueError, match="Polarity"):
        spc.xmr([1, 2, 3], polarity="sideways")
    with pytest.raises(ValueError, match="label"):
        spc.summary(spc.xmr([1, 2, 3]), MONTHS[:2])


series = st.lists(st.integers(min_value=0, max_value=1000), min_size=2, max_size=60)


@settings(max_examples=100, deadline=None)
@given(values=series)
def test_limits_are_symmetric_around_the_mean(values: list[int]) -> None:
    chart = spc.xmr(values)
    assert chart.lower_limit <= chart.lower_two_sigma <= chart.mean
    assert chart.mean <= chart.upper_two_sigma <= chart.upper_limit
    assert chart.upper_limit - chart.mean == pytest.approx(chart.mean - chart.lower_limit)


@settings(max_examples=100, deadline=None)
@given(values=series)
def test_every_point_outside_the_limits_is_special_and_every_pattern_is_long_enough(
    values: list[int],
) -> None:
    chart = spc.xmr(values)
    for point in chart.points:
        outside = not chart.lower_limit <= point.value <= chart.upper_limit
        assert (spc.OUTSIDE_LIMITS in point.rules) == outside
        assert (point.variation == spc.COMMON_CAUSE) == (not point.rules)
    for signal in chart.signals:
        if signal.rule == spc.SHIFT:
            assert signal.length >= spc.SHIFT_LENGTH
        if signal.rule == spc.TREND:
            assert signal.length >= spc.TREND_LENGTH
            steps = zip(
                values[signal.start : signal.end],
                values[signal.start + 1 : signal.end + 1],
                strict=True,
            )
            assert all((b - a) * signal.direction > 0 for a, b in steps)


@settings(max_examples=100, deadline=None)
@given(values=series)
def test_swapping_polarity_swaps_improvement_and_concern(values: list[int]) -> None:
    up = spc.xmr(values, polarity=spc.UP)
    down = spc.xmr(values, polarity=spc.DOWN)
    swap = {spc.IMPROVEMENT: spc.CONCERN, spc.CONCERN: spc.IMPROVEMENT}
    for a, b in zip(up.points, down.points, strict=True):
        assert b.variation == swap.get(a.variation, a.variation)


@settings(max_examples=50, deadline=None)
@given(value=st.integers(min_value=0, max_value=100), length=st.integers(min_value=2, max_value=40))
def test_a_constant_series_is_common_cause(value: int, length: int) -> None:
    chart = spc.xmr([value] * length)
    assert chart.signals == ()
    assert chart.upper_limit == chart.lower_limit == value
    assert spc.summary(chart, [str(i) for i in range(length)])[0].startswith("Common cause")


# --- the reading, in plain English, for every case -------------------------------------------

STEADY = [10, 11, 9, 10, 11, 9, 10, 11, 9, 10]


@pytest.mark.parametrize(
    ("last", "polarity", "variation", "expected"),
    [
        (10, spc.UP, spc.COMMON_CAUSE, "Common cause variation: no significant change"),
        (
            30,
            spc.UP,
            spc.IMPROVEMENT,
            "Special cause variation of an improving nature (higher values)",
        ),
        (
            -10,
            spc.DOWN,
            spc.IMPROVEMENT,
            "Special cause variation of an improving nature (lower values)",
        ),
        (
            30,
            spc.DOWN,
            spc.CONCERN,
            "Special cause variation of a concerning nature (higher values)",
        ),
        (-10, spc.UP, spc.CONCERN, "Special cause variation of a concerning nature (lower values)"),
        (
            30,
            spc.NEUTRAL,
            spc.NEITHER,
            "Special cause variation of an increasing nature, neither an improvement nor a "
            "concern (neither higher nor lower is better)",
        ),
        (
            -10,
            spc.NEUTRAL,
            spc.NEITHER,
            "Special cause variation of a decreasing nature, neither an improvement nor a "
            "concern (neither higher nor lower is better)",
        ),
    ],
)
def test_every_variation_is_read_in_plain_english_with_its_direction(
    last: float, polarity: str, variation: str, expected: str
) -> None:
    chart = spc.xmr([*STEADY, last], polarity=polarity, baseline=10)
    assert chart.variation == variation
    assert chart.reading == expected
    summary = spc.summary(chart, MONTHS[:11])[0]
    # The summary leads with the reading (common cause has a sentence of its own).
    assert summary.startswith(expected.split(":")[0])
    assert "special cause neither" not in summary.lower()
    assert "special cause improvement" not in summary.lower()


def test_patterns_both_ways_at_a_point_on_the_mean_are_read_as_such() -> None:
    assert (
        spc.reading(spc.NEITHER, 0)
        == "Special cause variation, with patterns both higher and lower"
    )

"""XmR (individuals) charts with NHS England's "Making Data Count" (MDC) rules: has
something changed, or is this month's number just the usual up and down?

- Centre line: the mean of the baseline points (all points unless ``baseline`` fixes the
  limits on the first N).
- Process limits: mean ± 2.66 × the mean moving range (the average absolute difference
  between consecutive baseline points). 2.66 = 3 / 1.128, so the limits sit three
  estimated standard deviations from the mean; "close to a limit" means beyond two
  (mean ± 1.773 × the mean moving range).
- Special cause, any of:
  1. a point outside the process limits;
  2. a shift: 7 or more consecutive points all above, or all below, the mean (a point on
     the mean breaks the run), as MDC uses;
  3. a trend: 7 or more consecutive points each higher (or each lower) than the one
     before (a tie breaks the run). MDC material has used 6 or 7; we use 7, as the NHS-R
     community's implementation of the MDC rules (NHSRplotthedots, "seven point trend")
     does, because with six the rule fires by chance about twice as often. ``trend_length``
     changes it;
  4. two out of three consecutive points close to a limit (beyond two sigma), same side.
  Every point of a pattern is marked, as MDC charts colour the whole run.
- Variation, per point and for the chart (from the latest point, as MDC's icon is):
  common cause; special cause improvement or concern (by the indicator's polarity);
  special cause neither (no preferred direction). These are categories, not words for
  people: ``reading`` says each in plain English, as MDC's icons do, with the direction
  ("Special cause variation of a concerning nature (higher values)").
- Assurance against a target: the limits are the range the process will produce, so a
  target outside them is consistently passed or failed; inside them it is hit and miss.

Pure functions, no Django; values with gaps (not computable) are for the caller to drop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

LIMIT_FACTOR = 2.66  # 3 / d2, d2 = 1.128 for moving ranges of two points
TWO_SIGMA_FACTOR = LIMIT_FACTOR * 2 / 3
SHIFT_LENGTH = 7
TREND_LENGTH = 7
# MDC advises at least 15-20 points before limits are relied on.
FEW_POINTS = 15

UP, DOWN, NEUTRAL = "up", "down", "neutral"

OUTSIDE_LIMITS = "outside limits"
SHIFT = "shift"
TREND = "trend"
TWO_OF_THREE = "two of three close to a limit"

COMMON_CAUSE = "common cause"
IMPROVEMENT = "special cause improvement"
CONCERN = "special cause concern"
NEITHER = "special cause neither"

CONSISTENTLY_PASS = "consistently pass"  # noqa: S105 (not a password)
CONSISTENTLY_FAIL = "consistently fail"
HIT_AND_MISS = "hit and miss"


@dataclass(frozen=True)
class Signal:
    """One special-cause pattern: points ``start``..``end`` (inclusive), high (+1) or
    low (-1); for a trend, rising (+1) or falling (-1)."""

    rule: str
    start: int
    end: int
    direction: int
    # The points the pattern marks, when not all of start..end (two of three marks only
    # the points close to the limit, not the one between them).
    only: tuple[int, ...] = ()

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def marks(self, index: int) -> bool:
        if self.only:
            return index in self.only
        return self.start <= index <= self.end


@dataclass(frozen=True)
class Point:
    index: int
    value: float
    moving_range: float | None
    rules: frozenset[str]
    variation: str
    # Which way the special cause points: +1 higher, -1 lower, 0 none (or both ways).
    direction: int = 0

    @property
    def reading(self) -> str:
        return reading(self.variation, self.direction)


@dataclass(frozen=True)
class XmR:
    values: tuple[float, ...]
    baseline: int
    mean: float
    mean_moving_range: float
    upper_limit: float
    lower_limit: float
    upper_two_sigma: float
    lower_two_sigma: float
    polarity: str
    target: float | None
    points: tuple[Point, ...]
    signals: tuple[Signal, ...]

    @property
    def variation(self) -> str:
        """The chart's variation category: the latest point's, as MDC's icon shows."""
        return self.points[-1].variation

    @property
    def reading(self) -> str:
        """The latest point's variation in plain English."""
        return self.points[-1].reading

    @property
    def assurance(self) -> str | None:
        return assurance(self.lower_limit, self.upper_limit, self.target, self.polarity)

    @property
    def special_points(self) -> list[Point]:
        return [p for p in self.points if p.rules]


def moving_ranges(values: Sequence[float]) -> list[float]:
    return [abs(b - a) for a, b in zip(values, values[1:], strict=False)]


def xmr(
    values: Sequence[float],
    *,
    polarity: str = NEUTRAL,
    target: float | None = None,
    baseline: int | None = None,
    shift_length: int = SHIFT_LENGTH,
    trend_length: int = TREND_LENGTH,
) -> XmR:
    """The XmR chart of ``values`` (in time order) with the special-cause rules applied.

    ``baseline``: fix the mean and limits on the first N points (default: all points);
    the rules are then applied to every point against those limits.
    """
    if polarity not in (UP, DOWN, NEUTRAL):
        raise ValueError(f"Polarity is up, down or neutral, not {polarity!r}.")
    values = tuple(float(v) for v in values)
    if len(values) < 2:
        raise ValueError("An XmR chart needs at least two points.")
    n_base = len(values) if baseline is None else baseline
    if not 2 <= n_base <= len(values):
        raise ValueError(f"The baseline must be between 2 and {len(values)} points.")
    base = values[:n_base]
    mean = sum(base) / n_base
    base_ranges = moving_ranges(base)
    mr_bar = sum(base_ranges) / len(base_ranges)
    upper, lower = mean + LIMIT_FACTOR * mr_bar, mean - LIMIT_FACTOR * mr_bar
    upper2, lower2 = mean + TWO_SIGMA_FACTOR * mr_bar, mean - TWO_SIGMA_FACTOR * mr_bar

    signals = (
        _outside(values, lower, upper)
        + _shifts(values, mean, shift_length)
        + _trends(values, trend_length)
        + _two_of_three(values, lower2, upper2)
    )
    signals.sort(key=lambda s: (s.start, s.end, s.rule))
    ranges = [None, *moving_ranges(values)]
    points = tuple(
        _point(i, value, ranges[i], mean, polarity, [s for s in signals if s.marks(i)])
        for i, value in enumerate(values)
    )
    return XmR(
        values=values,
        baseline=n_base,
        mean=mean,
        mean_moving_range=mr_bar,
        upper_limit=upper,
        lower_limit=lower,
        upper_two_sigma=upper2,
        lower_two_sigma=lower2,
        polarity=polarity,
        target=target,
        points=points,
        signals=tuple(signals),
    )


def assurance(lower: float, upper: float, target: float | None, polarity: str) -> str | None:
    """Will the process meet the target? None without a target or a preferred direction."""
    if target is None or polarity == NEUTRAL:
        return None
    passes_all, fails_all = (lower > target, upper < target)
    if polarity == DOWN:
        passes_all, fails_all = (upper < target, lower > target)
    if passes_all:
        return CONSISTENTLY_PASS
    if fails_all:
        return CONSISTENTLY_FAIL
    return HIT_AND_MISS


def reading(variation: str, direction: int) -> str:
    """A variation category in plain English, as Making Data Count's icons say it: the
    nature of a special cause (improving, concerning, or neither where no direction is
    better) and whether the values are higher or lower."""
    if variation == COMMON_CAUSE:
        return "Common cause variation: no significant change"
    way = {1: "higher", -1: "lower"}.get(direction)
    values = f" ({way} values)" if way else ""
    if variation == IMPROVEMENT:
        return f"Special cause variation of an improving nature{values}"
    if variation == CONCERN:
        return f"Special cause variation of a concerning nature{values}"
    if way is None:
        return "Special cause variation, with patterns both higher and lower"
    nature = "an increasing" if direction > 0 else "a decreasing"
    return (
        f"Special cause variation of {nature} nature, neither an improvement nor a concern "
        "(neither higher nor lower is better)"
    )


def variation_for(direction: int, polarity: str) -> str:
    """A special cause's category: improvement if it moves the preferred way."""
    if polarity == NEUTRAL or direction == 0:
        return NEITHER
    better = 1 if polarity == UP else -1
    return IMPROVEMENT if direction == better else CONCERN


def _point(
    index: int,
    value: float,
    moving_range: float | None,
    mean: float,
    polarity: str,
    signals: list[Signal],
) -> Point:
    if not signals:
        return Point(index, value, moving_range, frozenset(), COMMON_CAUSE)
    directions = {s.direction for s in signals}
    # Patterns that disagree (say a rising trend that starts below the mean) leave it to
    # the point's side of the mean.
    side = (value > mean) - (value < mean)
    direction = directions.pop() if len(directions) == 1 else side
    return Point(
        index,
        value,
        moving_range,
        frozenset(s.rule for s in signals),
        variation_for(direction, polarity),
        direction,
    )


def _outside(values: Sequence[float], lower: float, upper: float) -> list[Signal]:
    found = []
    for i, value in enumerate(values):
        if value > upper:
            found.append(Signal(OUTSIDE_LIMITS, i, i, 1))
        elif value < lower:
            found.append(Signal(OUTSIDE_LIMITS, i, i, -1))
    return found


def _runs(keys: Sequence[int], rule: str, minimum: int, offset: int = 0) -> list[Signal]:
    """Maximal runs of equal non-zero keys at least ``minimum`` long."""
    found = []
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            if keys[start] != 0 and i - start >= minimum:
                found.append(Signal(rule, start + offset, i - 1 + offset, keys[start]))
            start = i
    return found


def _shifts(values: Sequence[float], mean: float, length: int) -> list[Signal]:
    sides = [(v > mean) - (v < mean) for v in values]
    return _runs(sides, SHIFT, length)


def _trends(values: Sequence[float], length: int) -> list[Signal]:
    # steps[i] compares point i+1 with point i; a run of k equal steps spans k+1 points.
    steps = [(b > a) - (b < a) for a, b in zip(values, values[1:], strict=False)]
    runs = _runs(steps, TREND, length - 1)
    return [Signal(TREND, r.start, r.end + 1, r.direction) for r in runs]


def _two_of_three(values: Sequence[float], lower2: float, upper2: float) -> list[Signal]:
    """Points beyond two sigma that, with another on the same side, make two of three
    consecutive points; overlapping finds on one side merge into one pattern."""
    near = [(v > upper2) - (v < lower2) for v in values]
    found: list[Signal] = []
    for side in (1, -1):
        groups: list[list[int]] = []
        for start in range(len(values) - 2):
            hits = [start + k for k in range(3) if near[start + k] == side]
            if len(hits) < 2:
                continue
            if groups and hits[0] <= groups[-1][-1]:
                groups[-1].extend(h for h in hits if h > groups[-1][-1])
            else:
                groups.append(hits)
        found += [Signal(TWO_OF_THREE, g[0], g[-1], side, tuple(g)) for g in groups]
    return found


def _describe_signal(signal: Signal, labels: Sequence[str], plural: str) -> str:
    since = labels[signal.start]
    if signal.rule == SHIFT:
        side = "above" if signal.direction > 0 else "below"
        return f"{signal.length} {plural} in a row {side} the average since {since}"
    if signal.rule == TREND:
        way = "rising" if signal.direction > 0 else "falling"
        return f"{signal.length} {plural} in a row {way} since {since}"
    if signal.rule == OUTSIDE_LIMITS:
        side = "above the upper" if signal.direction > 0 else "below the lower"
        return f"{since} was {side} limit"
    side = "upper" if signal.direction > 0 else "lower"
    last = labels[signal.end]
    if signal.length <= 3:
        return f"2 of 3 {plural} close to the {side} limit ({since} to {last})"
    return f"2 of 3 {plural} close to the {side} limit, again and again from {since} to {last}"


def summary(
    chart: XmR,
    labels: Sequence[str],
    *,
    noun: str = "month",
    plural: str = "months",
    fmt: Callable[[float], str] = lambda v: f"{v:,.1f}",
) -> list[str]:
    """What the chart shows, in plain English, one sentence per item: the latest
    variation and the pattern behind it, earlier special causes, assurance."""
    if len(labels) != len(chart.values):
        raise ValueError("One label per point.")
    latest = chart.points[-1]
    sentences = []
    range_text = (
        f"the average is {fmt(chart.mean)} and values from {fmt(chart.lower_limit)} to "
        f"{fmt(chart.upper_limit)} are to be expected"
    )
    if latest.variation == COMMON_CAUSE:
        sentences.append(
            f"Common cause variation: the latest {noun} ({labels[-1]}) is within the "
            f"limits and part of no special-cause pattern; {range_text}."
        )
    else:
        current = [s for s in chart.signals if s.marks(latest.index)]
        described = "; ".join(_describe_signal(s, labels, plural) for s in _prioritised(current))
        sentences.append(f"{latest.reading}: {described}.")
        over = "the baseline" if chart.baseline < len(chart.values) else f"these {plural}"
        sentences.append(f"Over {over}, {range_text}.")
    current_start = min(
        (s.start for s in chart.signals if s.marks(latest.index)),
        default=latest.index + 1,
    )
    earlier = sorted((s for s in chart.signals if s.end < current_start), key=lambda s: s.end)
    if earlier:
        shown = earlier[-3:]
        text = "; ".join(_describe_signal(s, labels, plural) for s in shown)
        which = f" (the latest {len(shown)} of {len(earlier)})" if len(earlier) > len(shown) else ""
        sentences.append(f"Earlier special causes{which}: {text}.")
    if chart.baseline < len(chart.values):
        sentences.append(
            f"The average and limits are fixed on the first {chart.baseline} {plural} "
            f"({labels[0]} to {labels[chart.baseline - 1]})."
        )
    if len(chart.values) < FEW_POINTS:
        sentences.append(
            f"With fewer than {FEW_POINTS} {plural} the limits are provisional: read the "
            "chart with care."
        )
    if chart.target is not None:
        verdict = chart.assurance
        if verdict == CONSISTENTLY_PASS:
            sentences.append(
                f"Against the target of {fmt(chart.target)}: the process can be expected "
                "to meet it consistently."
            )
        elif verdict == CONSISTENTLY_FAIL:
            sentences.append(
                f"Against the target of {fmt(chart.target)}: the process will not meet it "
                "without a change to how the work is done."
            )
        elif verdict is None:
            sentences.append(
                f"Against the target of {fmt(chart.target)}: neither higher nor lower is "
                "better for this indicator, so the chart gives no assurance either way."
            )
        elif verdict == HIT_AND_MISS:
            sentences.append(
                f"Against the target of {fmt(chart.target)}: the target lies within the "
                "limits, so it will be met in some periods and missed in others by chance."
            )
    return sentences


_PRIORITY = {OUTSIDE_LIMITS: 0, SHIFT: 1, TREND: 2, TWO_OF_THREE: 3}


def _prioritised(signals: Sequence[Signal]) -> list[Signal]:
    """One description per kind of pattern, most telling first, longest of each kind."""
    best: dict[str, Signal] = {}
    for s in signals:
        if s.rule not in best or s.length > best[s.rule].length or s.end > best[s.rule].end:
            best[s.rule] = s
    return sorted(best.values(), key=lambda s: _PRIORITY[s.rule])

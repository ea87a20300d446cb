"""Funnel plot control limits: is a council's value different from the partnership's, or
just noise from its size?

A council with few cases swings widely by chance; one with many should sit close to the
target. The limits say how far from the target a council of a given volume may land by
chance alone, at 95% (about 1 in 20 by chance: "look") and 99.8% (about 1 in 500: "act").

Method - exact, not the normal approximation (Spiegelhalter, "Funnel plots for comparing
institutional performance", Statistics in Medicine 2005, 24:1185-1202):

- proportions: the count of "yes" among ``n`` cases is Binomial(n, p) with ``p`` the target;
- rates per 10,000: the count among ``n`` children is Poisson(n * target / 10,000).

For each probability ``q`` (0.001, 0.025, 0.975, 0.999) we take the smallest count ``r``
whose cumulative probability reaches ``q`` and interpolate between ``r - 1`` and ``r``
(Spiegelhalter's appendix) so the lines are smooth rather than steps, then divide by the
volume. The exact limits stay inside 0-100% and are not symmetric for small volumes or
values near 0 or 100%, where the normal approximation goes wrong.

Values and targets are in the indicator's own units: percent (0-100) for proportions,
per 10,000 children for rates. The volume is the denominator: cases for a proportion,
children for a rate. Only the standard library is used (``math.lgamma``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

PROPORTION = "proportion"
RATE = "rate"
KINDS = (PROPORTION, RATE)

SCALES = {PROPORTION: 100.0, RATE: 10_000.0}

# Two-sided: 95% limits leave 2.5% in each tail, 99.8% limits 0.1%.
Q_LOWER_998, Q_LOWER_95, Q_UPPER_95, Q_UPPER_998 = 0.001, 0.025, 0.975, 0.999

WITHIN = "within"
ABOVE_95 = "above 95%"
ABOVE_998 = "above 99.8%"
BELOW_95 = "below 95%"
BELOW_998 = "below 99.8%"
NO_DATA = "no data"

# How far either side of the mean the probability window reaches: beyond 8 standard
# deviations the remaining probability (under 1e-15) is far below what the limits resolve.
_WINDOW_SDS = 8.0


@dataclass(frozen=True)
class Limits:
    volume: float
    lower95: float
    upper95: float
    lower998: float
    upper998: float


def scale_for(kind: str) -> float:
    if kind not in SCALES:
        raise ValueError(f"Funnel limits are for {' or '.join(KINDS)}, not {kind!r}.")
    return SCALES[kind]


def combined_target(numerators: Iterable[float], denominators: Iterable[float], kind: str) -> float:
    """The target: all the councils together (sum of numerators over sum of denominators),
    in the indicator's units. Not the average of the councils' values, which would let a
    small council count as much as a large one."""
    total_n = sum(numerators)
    total_d = sum(denominators)
    if total_d <= 0:
        raise ValueError("The combined figure needs a denominator above zero.")
    return total_n / total_d * scale_for(kind)


def funnel_limits(kind: str, target: float, volumes: Iterable[float]) -> list[Limits]:
    """The 95% and 99.8% limits around ``target`` at each volume (volumes of 0 or less
    are skipped: no limits exist there)."""
    scale = scale_for(kind)
    p = target / scale
    if p < 0 or (kind == PROPORTION and p > 1):
        raise ValueError(f"A target of {target} is outside the possible range.")
    limits = []
    for volume in volumes:
        if volume <= 0:
            continue
        quantiles = _interpolated_quantiles(kind, p, volume)
        lo998, lo95, up95, up998 = (q / volume * scale for q in quantiles)
        # With an expected count far below one, interpolation can put a limit on the
        # wrong side of the target (one case at 1%: the 97.5% point interpolates to 0).
        # The target itself is never "unusual": keep it inside the limits.
        lo998, lo95 = min(lo998, target), min(lo95, target)
        up95, up998 = max(up95, target), max(up998, target)
        limits.append(Limits(volume, lo95, up95, lo998, up998))
    return limits


def limits_at(kind: str, target: float, volume: float) -> Limits | None:
    found = funnel_limits(kind, target, [volume])
    return found[0] if found else None


def classify(value: float | None, volume: float | None, target: float, kind: str) -> str:
    """Where a value of the given volume lies against the limits around ``target``."""
    if value is None or volume is None or volume <= 0:
        return NO_DATA
    limits = limits_at(kind, target, volume)
    assert limits is not None
    return classify_against(value, limits)


def classify_against(value: float, limits: Limits) -> str:
    # A hair of tolerance so a value exactly on a limit (common for tiny volumes, where
    # both are the same fraction) counts as within.
    eps = 1e-9 * max(1.0, abs(value))
    if value > limits.upper998 + eps:
        return ABOVE_998
    if value > limits.upper95 + eps:
        return ABOVE_95
    if value < limits.lower998 - eps:
        return BELOW_998
    if value < limits.lower95 - eps:
        return BELOW_95
    return WITHIN


def curve_volumes(observed: Sequence[float], points: int = 60) -> list[float]:
    """Volumes at which to draw the funnel lines: from a little below the smallest
    observed volume to a little beyond the largest, spaced evenly on a log scale so the
    narrow end of the funnel is drawn smoothly."""
    positive = [v for v in observed if v > 0]
    if not positive:
        return []
    low = max(1.0, min(positive) * 0.5)
    high = max(positive) * 1.15
    if high <= low:
        high = low * 2
    ratio = (high / low) ** (1 / (points - 1))
    return [low * ratio**i for i in range(points)]


@lru_cache(maxsize=4096)
def _interpolated_quantiles(kind: str, p: float, volume: float) -> tuple[float, ...]:
    """Spiegelhalter's interpolated quantiles of the count for the four tail
    probabilities, lowest first."""
    probs = (Q_LOWER_998, Q_LOWER_95, Q_UPPER_95, Q_UPPER_998)
    if kind == PROPORTION:
        n = max(1, round(volume))
        if p <= 0:
            return (0.0, 0.0, 0.0, 0.0)
        if p >= 1:
            return (float(volume),) * 4
        first, pmf = _binomial_window(n, p)
        # Interpolated quantiles are counts out of the rounded n; rescale to the volume.
        factor = volume / n
    else:
        mu = p * volume
        if mu <= 0:
            return (0.0, 0.0, 0.0, 0.0)
        first, pmf = _poisson_window(mu)
        factor = 1.0
    return tuple(_interpolated_quantile(first, pmf, q) * factor for q in probs)


def _interpolated_quantile(first: int, pmf: list[float], q: float) -> float:
    """r - alpha, where r is the smallest count with F(r) >= q and
    alpha = (F(r) - q) / (F(r) - F(r - 1)) = (F(r) - q) / P(r)."""
    cumulative = 0.0
    for offset, mass in enumerate(pmf):
        cumulative += mass
        if cumulative >= q:
            r = first + offset
            alpha = (cumulative - q) / mass if mass > 0 else 0.0
            return max(0.0, r - alpha)
    return float(first + len(pmf) - 1)


def _window(mean: float, sd: float, upper: int | None) -> tuple[int, int]:
    lo = max(0, math.floor(mean - _WINDOW_SDS * sd - 10))
    hi = math.ceil(mean + _WINDOW_SDS * sd + 10)
    if upper is not None:
        hi = min(upper, hi)
    return lo, hi


def _binomial_window(n: int, p: float) -> tuple[int, list[float]]:
    """P(X = k) for k in the window, X ~ Binomial(n, p): the first term from log-gamma,
    the rest by the recurrence P(k + 1) = P(k) (n - k) / (k + 1) p / (1 - p)."""
    lo, hi = _window(n * p, math.sqrt(n * p * (1 - p)), n)
    odds = p / (1 - p)
    mass = math.exp(
        math.lgamma(n + 1)
        - math.lgamma(lo + 1)
        - math.lgamma(n - lo + 1)
        + lo * math.log(p)
        + (n - lo) * math.log1p(-p)
    )
    pmf = [mass]
    for k in range(lo, hi):
        mass *= (n - k) / (k + 1) * odds
        pmf.append(mass)
    return lo, _renormalised(pmf)


def _poisson_window(mu: float) -> tuple[int, list[float]]:
    """P(X = k) for k in the window, X ~ Poisson(mu), by P(k + 1) = P(k) mu / (k + 1)."""
    lo, hi = _window(mu, math.sqrt(mu), None)
    mass = math.exp(lo * math.log(mu) - mu - math.lgamma(lo + 1))
    pmf = [mass]
    for k in range(lo, hi):
        mass *= mu / (k + 1)
        pmf.append(mass)
    return lo, _renormalised(pmf)


def _renormalised(pmf: list[float]) -> list[float]:
    """Rescale the window to sum to exactly 1: the tails outside it are negligible, and
    rounding in the sum would otherwise leave the 99.9% quantile a hair out of reach."""
    total = math.fsum(pmf)
    if total <= 0:
        return pmf
    return [m / total for m in pmf]

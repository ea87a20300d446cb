"""How consistently the front doors apply the threshold: an auditor's blind level for a
sampled contact against the front door's decision (issue 14).

Levels are ordered (universal, early help single agency, targeted early help, specialist),
so a disagreement of one level counts less than one of three: the agreement beyond chance
is Cohen's kappa with linear weights (1 - |i - j| / (k - 1) for levels i and j of k), with
its asymptotic 95% confidence interval, computed by statsmodels
(``statsmodels.stats.inter_rater.cohens_kappa``). Percentage agreement is the share of
pairs on exactly the same level. With no pairs, or when every pair sits on one level (so
chance agreement is certain), kappa is not defined and is ``None``. When the asymptotic
standard error comes out as zero (perfect agreement, or a handful of pairs such as two),
the interval would be a single point, claiming a certainty two contacts cannot give: the
interval is then ``None`` (not estimable) while kappa itself is kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from statsmodels.stats.inter_rater import cohens_kappa

from continuum.thresholds.models import Level

LEVELS: tuple[int, ...] = tuple(int(level) for level in Level.values)


@dataclass(frozen=True)
class Agreement:
    """Agreement between the front door (rows) and the auditor (columns)."""

    pairs: int
    agreed: int
    # ``matrix[i][j]``: contacts the front door put at ``LEVELS[i]`` and the auditor at
    # ``LEVELS[j]``.
    matrix: tuple[tuple[int, ...], ...]
    kappa: float | None
    kappa_low: float | None
    kappa_high: float | None

    @property
    def percentage(self) -> float | None:
        return 100.0 * self.agreed / self.pairs if self.pairs else None


def confusion_matrix(pairs: Iterable[tuple[int, int]]) -> tuple[tuple[int, ...], ...]:
    """Count ``(front door level, auditor level)`` pairs into a levels × levels table."""
    index = {level: n for n, level in enumerate(LEVELS)}
    table = [[0] * len(LEVELS) for _ in LEVELS]
    for decided, regraded in pairs:
        table[index[decided]][index[regraded]] += 1
    return tuple(tuple(row) for row in table)


def agreement(pairs: Iterable[tuple[int, int]]) -> Agreement:
    """Percentage agreement and linearly weighted kappa with its 95% interval for
    ``(front door level, auditor level)`` pairs."""
    matrix = confusion_matrix(pairs)
    return agreement_of_matrix(matrix)


def agreement_of_matrix(matrix: tuple[tuple[int, ...], ...]) -> Agreement:
    table = np.array(matrix, dtype=float)
    total = int(table.sum())
    agreed = int(np.trace(table))
    kappa = low = high = None
    expected = (table.sum(axis=1) @ table.sum(axis=0)) / total**2 if total else 1.0
    if total and expected < 1.0:
        # With very few contacts the standard errors come out as 0 or NaN (and numpy
        # warns): kappa still stands, its interval does not (below).
        with np.errstate(invalid="ignore", divide="ignore"):
            result = cohens_kappa(table, wt="linear")
        kappa = float(result.kappa)
        if np.isfinite(result.std_kappa) and result.std_kappa > 0:
            low, high = float(result.kappa_low), float(result.kappa_upp)
    return Agreement(
        pairs=total, agreed=agreed, matrix=matrix, kappa=kappa, kappa_low=low, kappa_high=high
    )

"""Agreement statistics checked against worked examples with known answers."""

from __future__ import annotations

from fractions import Fraction

import pytest

from continuum.case_audits.consistency import agreement, agreement_of_matrix

# SAS/STAT's PROC FREQ "getting started" example of agreement: two dermatologists grading
# 88 patients' skin condition as terrible, poor, marginal or clear. SAS publishes the
# simple kappa as 0.3449 with the 95% confidence limits 0.2030 and 0.4868.
SKIN = ((10, 4, 1, 0), (5, 10, 12, 2), (2, 4, 12, 5), (0, 2, 6, 13))


def _weighted_kappa_by_hand(matrix: tuple[tuple[int, ...], ...]) -> Fraction:
    """Linear-weight kappa from its definition, in exact fractions:
    1 - sum(w_ij o_ij) / sum(w_ij e_ij) with disagreement weights |i - j|."""
    k = len(matrix)
    n = sum(map(sum, matrix))
    rows = [sum(row) for row in matrix]
    cols = [sum(matrix[i][j] for i in range(k)) for j in range(k)]
    observed = sum(abs(i - j) * matrix[i][j] for i in range(k) for j in range(k))
    expected = sum(abs(i - j) * Fraction(rows[i] * cols[j], n) for i in range(k) for j in range(k))
    return Fraction(1) - Fraction(observed) / expected


def test_the_weighted_kappa_is_the_definitions_on_the_published_example() -> None:
    result = agreement_of_matrix(SKIN)
    assert result.pairs == 88
    assert result.agreed == 45
    assert result.percentage == pytest.approx(100 * 45 / 88)
    assert result.kappa == pytest.approx(float(_weighted_kappa_by_hand(SKIN)), abs=1e-12)
    assert result.kappa == pytest.approx(0.5082, abs=5e-5)
    kappa, low, high = result.kappa, result.kappa_low, result.kappa_high
    assert kappa is not None and low is not None and high is not None
    assert low < kappa < high
    # The asymptotic interval is symmetric: kappa ± 1.96 standard errors.
    assert kappa - low == pytest.approx(high - kappa)


def test_the_simple_kappa_of_the_same_library_call_matches_sas() -> None:
    """The library (the weighted kappa's source) reproduces SAS's published simple kappa
    and confidence limits for the same table."""
    import numpy as np
    from statsmodels.stats.inter_rater import cohens_kappa

    simple = cohens_kappa(np.array(SKIN, dtype=float))
    assert round(simple.kappa, 4) == 0.3449
    assert round(simple.kappa_low, 4) == 0.2030
    assert round(simple.kappa_upp, 4) == 0.4868


def test_pairs_are_counted_into_the_levels_matrix() -> None:
    result = agreement([(1, 1), (2, 3), (3, 3), (4, 2), (3, 3)])
    assert result.matrix == ((1, 0, 0, 0), (0, 0, 1, 0), (0, 0, 2, 0), (0, 1, 0, 0))
    assert result.agreed == 3 and result.pairs == 5
    assert result.kappa == pytest.approx(float(_weighted_kappa_by_hand(result.matrix)), abs=1e-12)


def test_perfect_agreement_is_one_and_no_pairs_have_no_kappa() -> None:
    perfect = agreement([(1, 1), (2, 2), (3, 3), (4, 4), (2, 2)])
    assert perfect.kappa == pytest.approx(1.0)
    assert perfect.percentage == 100.0
    empty = agreement([])
    assert empty.pairs == 0 and empty.kappa is None and empty.percentage is None
    one_level = agreement([(3, 3), (3, 3)])
    assert one_level.kappa is None and one_level.percentage == 100.0


@pytest.mark.parametrize(
    ("pairs", "kappa"),
    [([(2, 2), (3, 3)], 1.0), ([(2, 3), (3, 4)], 0.0)],
)
def test_no_interval_is_claimed_where_its_standard_error_comes_out_as_zero(
    pairs: list[tuple[int, int]], kappa: float
) -> None:
    """Two contacts: statsmodels' asymptotic standard error is zero, which would make the
    95% interval a single point (1.00 to 1.00). Kappa is kept; the interval is not given."""
    result = agreement(pairs)
    assert result.kappa == pytest.approx(kappa)
    assert result.kappa_low is None
    assert result.kappa_high is None

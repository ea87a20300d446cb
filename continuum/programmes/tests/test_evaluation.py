"""The evaluation's computation on rows made here (no database): matching removes built-in
confounding, recovers a known effect within its interval, and refuses too few families
with the numbers."""

from __future__ import annotations

import random

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from continuum.programmes.evaluation import Row, evaluate, match, smd


def _rows(n: int, *, effect: float, seed: int, took_part: float = 0.35) -> list[Row]:
    """Families whose older children and level 3 make both taking part and coming back
    more likely (confounding), and taking part lowers coming back by ``effect``."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        age = rng.randint(0, 15)
        level_3 = rng.random() < 0.5
        joins = rng.random() < took_part * (0.4 + age / 15) * (1.3 if level_3 else 0.7)
        chance = 0.15 + age / 60 + (0.1 if level_3 else 0) - (effect if joins else 0)
        rows.append(
            Row(
                episode_id=i,
                took_part=joins,
                covariates={
                    "youngest_age": float(age),
                    "children": float(rng.randint(1, 4)),
                    "level_3": float(level_3),
                    "needs": float(rng.randint(1, 5)),
                    "previous_contacts": float(rng.randint(0, 3)),
                },
                back=rng.random() < chance,
                stepped_up=rng.random() < 0.1,
                sustained=None if rng.random() < 0.3 else rng.random() < 0.7,
            )
        )
    return rows


def test_it_recovers_a_known_effect_and_balances_the_confounders() -> None:
    result = evaluate(_rows(3000, effect=0.15, seed=7))
    back = result.effect("back")
    assert back.low <= -0.15 <= back.high and back.high < 0
    age = next(b for b in result.balance if b.key == "youngest_age")
    assert abs(age.before) > 0.2 and age.balanced
    assert result.pairs + result.unmatched == result.participants


def test_where_there_is_nothing_its_interval_holds_zero_about_95_times_in_100() -> None:
    """Over 20 worlds without an effect, at most 3 intervals miss zero (1 expected; 3 or
    more has a chance of 8%, 4 or more of 1.6%)."""
    missed = 0
    for seed in range(100, 120):
        back = evaluate(_rows(1500, effect=0.0, seed=seed)).effect("back")
        missed += not back.low <= 0 <= back.high
    assert missed <= 3


def test_too_few_families_who_took_part_is_refused_with_the_numbers() -> None:
    rows = [r for r in _rows(400, effect=0, seed=1) if not r.took_part]
    rows += [r for r in _rows(400, effect=0, seed=2) if r.took_part][:12]
    with pytest.raises(ValidationError) as refused:
        evaluate(rows)
    assert refused.value.message_dict["programme"] == [
        "12 families took part and had a full year after closure; an evaluation needs at least 30."
    ]


def test_too_few_to_compare_with_is_refused() -> None:
    rows = [r for r in _rows(400, effect=0, seed=1) if r.took_part][:40]
    rows += [r for r in _rows(400, effect=0, seed=2) if not r.took_part][:10]
    with pytest.raises(ValidationError, match="10 families did not take part"):
        evaluate(rows)


def test_matching_is_one_to_one_within_the_caliper() -> None:
    logit = np.array([0.0, 0.05, 1.0, 0.02, 0.9, 5.0])
    treated = np.array([True, True, True, False, False, False])
    pairs = match(logit, treated, caliper=0.2)
    assert pairs == [(2, 4), (1, 3)]  # 0 finds no control left within the caliper


def test_smd_is_the_difference_over_the_pooled_sd() -> None:
    assert smd(np.array([1.0, 3.0]), np.array([0.0, 2.0])) == pytest.approx(1 / np.sqrt(2))

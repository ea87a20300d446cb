"""The generator's built-in programme effect, recovered by the evaluation (issue 14).

The shared small world has too few families (two years of a 2% slice: a handful of
episodes a council closed a year before the as-of date) for matching to find an effect of
this size, so this module builds its own world: five years of a larger slice of every
council, as ``test_five_years_effect`` does for the effect of early help.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from django.db import transaction

from continuum.demo.generator import PRESETS, World, build
from continuum.demo.generator.steps.five_years.programmes import (
    EFFECT_AFTER,
    EFFECTS,
    TEAM_AROUND_THE_SCHOOL_EFFECT,
)
from continuum.early_help.models import Closure
from continuum.programmes.evaluation import Evaluation, evaluate, rows_for
from continuum.programmes.models import Programme

pytestmark = pytest.mark.django_db

HISTORY_SHARE = 0.1


@pytest.fixture(scope="module")
def programme_world(django_db_setup: Any, django_db_blocker: Any) -> Any:
    preset = dataclasses.replace(PRESETS["small"], history_share=HISTORY_SHARE, years=5)
    with django_db_blocker.unblock(), transaction.atomic():
        yield build(preset=preset, seed=5)
        transaction.set_rollback(True)


def well_matched(result: Evaluation) -> None:
    """Matching removed the confounding the generator built in: no covariate is left
    more than a quarter of an SD apart (Stuart 2010), and the worst is better than before."""
    assert all(abs(b.after) < 0.25 for b in result.balance), result.balance
    assert max(abs(b.after) for b in result.balance) < max(abs(b.before) for b in result.balance)


def test_the_evaluation_recovers_team_around_the_schools_built_in_effect(
    programme_world: World,
) -> None:
    programme = Programme.objects.get(name="Team Around the School")
    assert EFFECTS[programme.name] == TEAM_AROUND_THE_SCHOOL_EFFECT > 0
    result = evaluate(rows_for(programme, programme_world.as_of))
    back = result.effect("back")
    assert result.pairs >= 150, result  # power: 192 pairs on seed 5
    # The effect on the matched participants: the built-in fall for those whose early help
    # ended a way it can show after (see ``five_years.programmes``), none for the rest.
    reasons = dict(
        Closure.objects.filter(episode__in=[t for t, _ in result.matched]).values_list(
            "episode_id", "reason"
        )
    )
    share = sum(reasons[t] in EFFECT_AFTER for t, _ in result.matched) / result.pairs
    true_effect = -TEAM_AROUND_THE_SCHOOL_EFFECT * share
    assert back.low <= true_effect <= back.high
    assert back.high < 0
    well_matched(result)


def test_the_evaluation_finds_nothing_for_encompass(programme_world: World) -> None:
    programme = Programme.objects.get(name="Encompass")
    assert EFFECTS[programme.name] == 0
    result = evaluate(rows_for(programme, programme_world.as_of))
    back = result.effect("back")
    assert back.low <= 0 <= back.high
    well_matched(result)

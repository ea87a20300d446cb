"""The pure rule that suggests a level from selected indicators."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from continuum.thresholds.models import Level
from continuum.thresholds.rules import LEVEL_NAMES, IndicatorFacts, suggest_level

DEV, PAR, FAM = (
    "The child's developmental needs",
    "Parenting capacity",
    "Family and environmental factors",
)


def facts(code: str, level: int, domain: str = DEV, title: str = "") -> IndicatorFacts:
    return IndicatorFacts(code=code, title=title or f"Indicator {code}", level=level, domain=domain)


def test_level_names_agree_with_the_model() -> None:
    assert dict(Level.choices) == LEVEL_NAMES


def test_nothing_selected_suggests_no_level_and_says_why() -> None:
    suggestion = suggest_level([])
    assert suggestion.level is None
    assert "No indicators were selected" in suggestion.reasons[0]


def test_one_universal_indicator_suggests_level_1() -> None:
    suggestion = suggest_level([facts("DEV-1-01", 1)])
    assert suggestion.level == 1
    assert "universal services" in " ".join(suggestion.reasons)


def test_the_highest_level_sets_the_floor_and_is_named() -> None:
    suggestion = suggest_level([facts("DEV-1-01", 1), facts("DEV-3-01", 3, title="Absence")])
    assert suggestion.level == 3
    assert "DEV-3-01 Absence" in suggestion.reasons[0]


def test_two_level_2_needs_stay_at_level_2() -> None:
    suggestion = suggest_level([facts("DEV-2-01", 2), facts("PAR-2-01", 2, PAR)])
    assert suggestion.level == 2


def test_three_level_2_needs_in_one_domain_stay_at_level_2() -> None:
    chosen = [facts("DEV-2-01", 2), facts("DEV-2-02", 2), facts("DEV-2-03", 2)]
    assert suggest_level(chosen).level == 2


def test_three_level_2_needs_across_two_domains_suggest_multi_agency_level_3() -> None:
    chosen = [facts("DEV-2-01", 2), facts("DEV-2-02", 2), facts("FAM-2-01", 2, FAM)]
    suggestion = suggest_level(chosen)
    assert suggestion.level == 3
    explained = " ".join(suggestion.reasons)
    assert "3 level 2 indicators span 2 domains" in explained
    assert "multi-agency response" in explained
    assert FAM in explained and DEV in explained


def test_any_level_4_indicator_suggests_level_4_and_a_strategy_discussion() -> None:
    suggestion = suggest_level([facts("DEV-1-01", 1), facts("DEV-4-01", 4)])
    assert suggestion.level == 4
    explained = " ".join(suggestion.reasons)
    assert "strategy discussion" in explained
    assert "children's social care" in explained


def test_the_same_indicator_twice_counts_once() -> None:
    twice = [facts("DEV-2-01", 2)] * 3 + [facts("FAM-2-01", 2, FAM)]
    assert suggest_level(twice).level == 2


def test_a_level_outside_1_to_4_is_refused() -> None:
    with pytest.raises(ValueError, match="levels are 1 to 4"):
        facts("DEV-5-01", 5)


# --- properties ---------------------------------------------------------------------------

indicator_facts = st.builds(
    IndicatorFacts,
    code=st.sampled_from([f"{p}-{n:02d}" for p in ("DEV", "PAR", "FAM") for n in range(1, 9)]),
    title=st.sampled_from(["A need", "Another need"]),
    level=st.integers(min_value=1, max_value=4),
    domain=st.sampled_from([DEV, PAR, FAM]),
)
selections = st.lists(indicator_facts, max_size=12)


@given(selections)
def test_never_below_the_highest_selected_level(chosen: list[IndicatorFacts]) -> None:
    suggestion = suggest_level(chosen)
    if not chosen:
        assert suggestion.level is None
    else:
        assert suggestion.level is not None
        assert suggestion.level >= max(i.level for i in chosen)
        assert suggestion.reasons


@given(selections, indicator_facts)
def test_adding_an_indicator_never_lowers_the_suggestion(
    chosen: list[IndicatorFacts], extra: IndicatorFacts
) -> None:
    before = suggest_level(chosen).level or 0
    after = suggest_level([*chosen, extra]).level or 0
    assert after >= before


@given(
    st.lists(indicator_facts, max_size=12).flatmap(
        lambda xs: st.tuples(st.just(xs), st.permutations(xs))
    )
)
def test_order_never_matters(pair: tuple[list[IndicatorFacts], list[IndicatorFacts]]) -> None:
    original, shuffled = pair
    assert suggest_level(original) == suggest_level(shuffled)


@given(selections)
def test_level_4_exactly_when_a_level_4_indicator_is_selected(chosen: list[IndicatorFacts]) -> None:
    assert (suggest_level(chosen).level == 4) == any(i.level == 4 for i in chosen)

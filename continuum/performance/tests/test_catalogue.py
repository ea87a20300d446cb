"""The catalogue: complete, consistent, and every indicator computable by the engine."""

from __future__ import annotations

import pytest

from continuum.early_help.choices import AgencyKind, ClosureReason
from continuum.front_door.choices import Outcome
from continuum.performance import catalogue, engine
from continuum.performance.catalogue import DIMENSIONS, Area, Polarity, Unit


def test_codes_are_unique_and_every_indicator_has_a_formula() -> None:
    codes = catalogue.codes()
    assert len(codes) == len(set(codes))
    assert set(codes) == set(engine.FORMULAS)


def test_definitions_are_well_formed() -> None:
    for d in catalogue.CATALOGUE:
        assert d.area in Area.values, d.code
        assert d.unit in Unit.values, d.code
        assert d.polarity in Polarity.values, d.code
        assert set(d.dimensions) <= set(DIMENSIONS), d.code
        assert d.funnel in (None, "proportion", "rate"), d.code
        assert d.measure in ("flow", "stock"), d.code
        assert d.name and d.description and d.numerator and d.denominator, d.code
        numerator, denominator = engine.FORMULAS[d.code]
        assert (numerator in engine.STOCK_MEASURES) == (d.measure == "stock"), d.code
        assert (denominator == engine.POPULATION) == (d.unit == Unit.PER_10K), d.code
        assert (denominator == engine.COUNTED) == (d.unit == Unit.COUNT), d.code
        assert not (d.unit == Unit.COUNT and d.funnel), d.code


def test_mix_indicators_are_one_per_category() -> None:
    groups: dict[str, list[str]] = {}
    for d in catalogue.CATALOGUE:
        groups.setdefault(d.group, []).append(d.code)
    assert len(groups["Outcome mix"]) == len(Outcome)
    assert len(groups["Closures by reason"]) == len(ClosureReason)
    assert len(groups["TAF attendance by agency"]) == len(AgencyKind)
    assert "fd_outcome_eh_multi_pct" in groups["Outcome mix"]


@pytest.mark.parametrize(
    "code",
    [
        "fd_contacts_per_10k",
        "fd_decided_within_1wd_pct",
        "fd_consent_recorded_pct",
        "fd_repeat_contacts_pct",
        "fd_da_triaged_within_1wd_pct",
        "fd_da_high_risk_marac_pct",
        "eh_started_per_10k",
        "eh_open_per_10k",
        "eh_allocated_within_target_pct",
        "eh_assessment_on_time_pct",
        "eh_assessment_child_voice_pct",
        "eh_review_on_time_pct",
        "eh_led_by_partner_pct",
        "eh_needs_achieved_pct",
        "eh_sf_sustained_pct",
        "im_stepped_up_within_12m_pct",
        "im_back_at_front_door_within_12m_pct",
        "im_cin_per_10k",
        "im_cp_per_10k",
        "im_looked_after_per_10k",
    ],
)
def test_the_issues_indicators_are_all_there(code: str) -> None:
    assert catalogue.get(code).code == code


def test_unknown_code() -> None:
    with pytest.raises(KeyError):
        catalogue.get("no_such_indicator")


def test_headline_indicators_cover_each_area() -> None:
    areas = {d.area for d in catalogue.CATALOGUE if d.headline}
    assert areas == set(Area.values)

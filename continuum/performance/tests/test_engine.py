"""The engine's shape: periods built from months, combined cells, categories adding up to
totals for every indicator, and a number of queries that does not grow with the cells."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.utils import timezone

from continuum.early_help.choices import ClosureReason
from continuum.organisations.models import Council
from continuum.performance import catalogue, engine
from continuum.performance.catalogue import DIMENSIONS
from continuum.performance.periods import Period, PeriodKind
from continuum.performance.tests import engine_helpers as h

# On PostgreSQL the engine sets jit and work_mem for its transaction: one statement.
SETTINGS_QUERY = 1 if connection.vendor == "postgresql" else 0
# Whether the maintained figures are current (issue 16): one read of their state.
FACTS_QUERY = 1


def _contacts_in(council: Council, months: dict[date, int]) -> None:
    someone = h.child(council, date(2018, 6, 1))
    for month, n in months.items():
        for day in range(1, n + 1):
            h.contact(council, h.at(month.replace(day=day)), children=[someone])


@pytest.mark.django_db
def test_quarters_years_and_rolling_periods_sum_their_months(stockton: Council) -> None:
    h.population(stockton, 2026, 2500)
    h.population(stockton, 2027, 2500)
    _contacts_in(
        stockton,
        {date(2026, 4, 1): 1, date(2026, 6, 1): 2, date(2026, 10, 1): 3, date(2027, 3, 1): 4},
    )
    code = "fd_contacts_per_10k"
    quarters = engine.compute(
        councils=[stockton],
        period_kind=PeriodKind.QUARTER,
        first=date(2026, 4, 1),
        last=date(2027, 3, 1),
        indicators=[code],
    )
    assert [c.numerator for c in quarters.series(code, stockton.pk)] == [3, 0, 3, 4]
    assert [p.label for p in quarters.periods()] == [
        "Q1 2026-27",
        "Q2 2026-27",
        "Q3 2026-27",
        "Q4 2026-27",
    ]
    year = engine.compute(
        councils=[stockton],
        period_kind=PeriodKind.FINANCIAL_YEAR,
        first=date(2027, 3, 1),
        last=date(2027, 3, 1),
        indicators=[code],
    )
    [cell] = year.cells
    # A year's rate divides by the population of the year it ends in (mid-2027).
    assert (cell.period.label, cell.numerator, cell.denominator) == ("2026-27", 10, 10000)
    rolling = engine.compute(
        councils=[stockton],
        period_kind=PeriodKind.ROLLING_12_MONTHS,
        first=date(2026, 10, 1),
        last=date(2027, 4, 1),
        indicators=[code],
    )
    assert [c.numerator for c in rolling.series(code, stockton.pk)] == [6, 6, 6, 6, 6, 10, 9]


@pytest.mark.django_db
def test_combined_cells_add_numerators_and_denominators(
    stockton: Council, hartlepool: Council
) -> None:
    h.population(stockton, 2026, 2500)
    h.population(hartlepool, 2026, 5000)
    _contacts_in(stockton, {date(2026, 10, 1): 3})
    _contacts_in(hartlepool, {date(2026, 10, 1): 1})
    result = engine.compute(
        councils=[stockton, hartlepool],
        period_kind=PeriodKind.MONTH,
        first=date(2026, 10, 1),
        last=date(2026, 10, 1),
        indicators=["fd_contacts_per_10k"],
        combined=True,
    )
    october = Period(PeriodKind.MONTH, date(2026, 10, 1), date(2026, 10, 31))
    both = result.get("fd_contacts_per_10k", None, october)
    assert both is not None
    assert (both.numerator, both.denominator) == (4, 30000)
    assert both.value == pytest.approx(4 / 3)
    alone = result.get("fd_contacts_per_10k", hartlepool.pk, october)
    assert alone is not None and alone.value == pytest.approx(0.5)


@pytest.mark.django_db
def test_without_estimates_rates_use_the_councils_own_population(hartlepool: Council) -> None:
    _contacts_in(hartlepool, {date(2026, 10, 1): 2})
    result = engine.compute(
        councils=[hartlepool],
        period_kind=PeriodKind.MONTH,
        first=date(2026, 10, 1),
        last=date(2026, 10, 1),
        indicators=["fd_contacts_per_10k"],
    )
    [cell] = result.cells
    assert cell.denominator == hartlepool.child_population
    assert cell.value == pytest.approx(2 / hartlepool.child_population * 10000)


def _small_world(council: Council) -> None:
    """A little of everything, in October 2026, for the shape tests."""
    h.population(council, 2026, 2500)
    north = h.team(council, f"{council.name} North", f"{council.name} North")
    south = h.team(council, f"{council.name} South", f"{council.name} South")
    kids = [h.child(council, date(2010 + 3 * i, 5, 1)) for i in range(4)]
    for i, kid in enumerate(kids):
        h.contact(
            council,
            h.at(date(2026, 10, 1 + i)),
            children=[kid],
            decided=h.at(date(2026, 10, 2 + i)),
            outcome="nfa" if i % 2 else "eh_single",
            team=north if i % 2 else south,
        )
        made = h.episode(
            council,
            date(2026, 9, 1 + i),
            children=[kid],
            team_=north if i % 2 else None,
            allocated=date(2026, 9, 3 + i) if i != 3 else None,
            end=date(2026, 10, 20) if i == 0 else None,
            closure_reason=ClosureReason.NEEDS_MET,
        )
        h.assessment(made, date(2026, 10, 1 + i), date(2026, 10, 1 + 2 * i), voice="Hello")
        h.referral(council, kid, date(2026, 8, 1 + i))


@pytest.mark.django_db
@pytest.mark.parametrize("dimension", sorted(DIMENSIONS))
def test_categories_add_up_to_the_total_for_every_indicator(
    stockton: Council, dimension: str
) -> None:
    _small_world(stockton)
    result = engine.compute(
        councils=[stockton],
        period_kind=PeriodKind.QUARTER,
        first=date(2026, 12, 1),
        last=date(2026, 12, 1),
        dimension=dimension,
        as_of=date(2028, 1, 1),
    )
    checked = 0
    for definition in catalogue.CATALOGUE:
        for period in result.periods():
            total = result.get(definition.code, stockton.pk, period)
            assert total is not None
            parts = [
                c
                for c in result.cells
                if c.indicator == definition.code and c.period == period and c.category
            ]
            if dimension not in definition.dimensions:
                assert parts == [], definition.code
                continue
            assert sum(c.numerator or 0 for c in parts) == total.numerator, definition.code
            if definition.unit != catalogue.Unit.PER_10K:
                assert sum(c.denominator or 0 for c in parts) == total.denominator
            checked += total.numerator > 0
    assert checked >= 3


@pytest.mark.django_db
@pytest.mark.parametrize("dimension", [None, "age_band", "ethnicity", "team"])
@pytest.mark.parametrize(
    ("both_councils", "first"),
    [(False, date(2026, 10, 1)), (True, date(2022, 1, 1))],
    ids=["one-council-3-months", "two-councils-5-years"],
)
def test_query_count_does_not_grow_with_councils_or_months(
    stockton: Council,
    hartlepool: Council,
    django_assert_max_num_queries: object,
    both_councils: bool,
    first: date,
    dimension: str | None,
) -> None:
    _small_world(stockton)
    _small_world(hartlepool)
    councils = [stockton, hartlepool] if both_councils else [stockton]
    # Fourteen sources (issue 11 added the statutory timescales and school attendance, which
    # reads its closed episodes' children and then their attendance: two queries; issue 13
    # the episodes started with the family's agreement and the withdrawals of consent), the
    # settings, the population; for a child's age band or ethnicity, one read of the
    # contacts' and one of the episodes' children.
    with django_assert_max_num_queries(19 + SETTINGS_QUERY + FACTS_QUERY):  # type: ignore[operator]
        result = engine.compute(
            councils=councils,
            period_kind=PeriodKind.ROLLING_12_MONTHS,
            first=first,
            last=date(2026, 12, 1),
            dimension=dimension,
            combined=True,
        )
    assert result.cells


@pytest.mark.django_db
def test_only_the_sources_asked_for_are_queried(
    stockton: Council, django_assert_num_queries: object
) -> None:
    with django_assert_num_queries(2 + SETTINGS_QUERY + FACTS_QUERY):  # type: ignore[operator]
        engine.compute(
            councils=[stockton],
            period_kind=PeriodKind.MONTH,
            first=date(2026, 10, 1),
            last=date(2026, 10, 1),
            indicators=["fd_contacts_per_10k", "fd_repeat_contacts_pct"],
        )


@pytest.mark.django_db
def test_unknown_dimension_is_refused(stockton: Council) -> None:
    with pytest.raises(ValueError, match="Unknown dimension"):
        engine.compute(
            councils=[stockton],
            period_kind=PeriodKind.MONTH,
            first=date(2026, 10, 1),
            last=date(2026, 10, 1),
            dimension="shoe_size",
        )


@pytest.mark.django_db
def test_nothing_asked_nothing_computed(stockton: Council) -> None:
    result = engine.compute(
        councils=[],
        period_kind=PeriodKind.MONTH,
        first=timezone.localdate(),
        last=timezone.localdate(),
    )
    assert result.cells == []


@pytest.mark.django_db
@pytest.mark.parametrize("kind", PeriodKind.values)
def test_several_period_kinds_from_one_pass(
    stockton: Council, django_assert_max_num_queries: object, kind: str
) -> None:
    _small_world(stockton)
    kinds = list(PeriodKind.values)
    # One query per source (fourteen; school attendance reads two), the settings and the
    # population, for every kind.
    with django_assert_max_num_queries(17 + SETTINGS_QUERY + FACTS_QUERY):  # type: ignore[operator]
        many = engine.compute_many(
            councils=[stockton],
            period_kinds=kinds,
            first=date(2026, 1, 1),
            last=date(2026, 12, 1),
            as_of=date(2028, 1, 1),
        )
    alone = engine.compute(
        councils=[stockton],
        period_kind=kind,
        first=date(2026, 1, 1),
        last=date(2026, 12, 1),
        as_of=date(2028, 1, 1),
    )
    assert many[kind].cells == alone.cells

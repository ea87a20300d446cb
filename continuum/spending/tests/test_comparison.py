"""The comparison's arithmetic against figures worked out by hand: shares, outside early
help, unmapped headings, the voluntary sector's own resources, funding sources, real terms,
the denominators and disclosure control."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from continuum.organisations.models import Council
from continuum.performance import disclosure
from continuum.spending.choices import FundingSource
from continuum.spending.comparison import (
    PER_CHILD,
    PER_FAMILY,
    PER_SUSTAINED,
    TOTAL,
    Comparison,
    Query,
    compare,
    parse_query,
)
from continuum.spending.comparison_tables import category_table, denominators_table
from continuum.spending.tests import cmp_world as w
from continuum.spending.tests.cmp_world import spending_reference_data  # noqa: F401
from continuum.testing import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("spending_reference_data")]

YEAR = 2023  # 2023-24: the demonstration series' base year (index 100)


@pytest.fixture
def stockton_2023(stockton: Council) -> Council:
    """Stockton's 2023-24 return (worked by hand):

    - FS01 family support (100% family_support): council 300,000 + Supporting Families 100,000
    - MIX hubs and parenting (60% family_hubs, 40% parenting): council 200,000
    - YOT youth justice (outside early help): council 50,000
    - GR voluntary grants (voluntary_grants): council 30,000
    - VCS voluntary contribution (voluntary_grants): in kind 40,000
    - MISC not mapped: council 10,000

    early help total 630,000 (family_support 400,000, family_hubs 120,000, parenting 80,000,
    voluntary_grants 30,000); outside 50,000; unmapped 10,000; in kind 40,000.
    Children 36,000 (mid-2023 estimate) -> 17.50 per child.
    """
    ret = w.a_return(stockton, YEAR)
    fs = factories.council_category(stockton, "FS01", "Family support", "family_support")
    w.spend(ret, fs, 300_000)
    w.spend(ret, fs, 100_000, FundingSource.SUPPORTING_FAMILIES)
    mix = w.split_heading(
        stockton, "MIX", "Hubs and parenting", {"family_hubs": 60, "parenting": 40}
    )
    w.spend(ret, mix, 200_000)
    w.spend(ret, factories.council_category(stockton, "YOT", "Youth justice", None), 50_000)
    w.spend(ret, factories.council_category(stockton, "GR", "Grants", "voluntary_grants"), 30_000)
    vcs = factories.council_category(stockton, "VCS", "Voluntary contribution", "voluntary_grants")
    w.spend(ret, vcs, 40_000, FundingSource.VOLUNTARY_IN_KIND)
    w.spend(ret, w.unmapped_heading(stockton, "MISC", "Miscellaneous"), 10_000)
    w.population(stockton, YEAR, {"0-4": 10_000, "5-9": 11_000, "10-15": 12_000, "16-17": 3_000})
    return stockton


def _compare(councils: list[Council], years: list[int], **kw: str) -> Comparison:
    return compare(Query(councils=councils, years=years, **kw))


def test_headings_count_under_common_categories_by_their_shares(stockton_2023: Council) -> None:
    cell = _compare([stockton_2023], [YEAR]).cell(stockton_2023, YEAR)
    assert cell.categories["family_support"] == Decimal("400000")
    assert cell.categories["family_hubs"] == Decimal("120000")
    assert cell.categories["parenting"] == Decimal("80000")
    assert cell.categories["voluntary_grants"] == Decimal("30000")
    assert cell.categories["youth"] == 0
    assert cell.total == Decimal("630000")
    assert cell.outside == Decimal("50000")
    assert cell.unmapped == Decimal("10000")
    assert cell.unmapped_headings == {"Miscellaneous"}


def test_the_voluntary_sectors_own_resources_are_shown_beside_not_added(
    stockton_2023: Council,
) -> None:
    cell = _compare([stockton_2023], [YEAR]).cell(stockton_2023, YEAR)
    assert cell.in_kind == Decimal("40000")
    assert cell.sources == {
        FundingSource.COUNCIL: Decimal("530000"),
        FundingSource.SUPPORTING_FAMILIES: Decimal("100000"),
        FundingSource.VOLUNTARY_IN_KIND: Decimal("40000"),
    }
    assert cell.total == Decimal("630000")  # in kind not in it


def test_spend_per_child_uses_the_years_population_estimate(stockton_2023: Council) -> None:
    result = _compare([stockton_2023], [YEAR], measure=PER_CHILD, prices="cash")
    assert result.cell(stockton_2023, YEAR).children == 36_000
    assert result.value(stockton_2023, YEAR) == 17.5
    # 120,000 / 36,000 = 3.33 on family hubs
    assert result.value(stockton_2023, YEAR, "family_hubs") == 3.33


def test_without_an_estimate_the_councils_own_child_population_is_used(
    hartlepool: Council,
) -> None:
    Council.objects.filter(pk=hartlepool.pk).update(child_population=20_000)
    hartlepool.refresh_from_db()
    ret = w.a_return(hartlepool, YEAR)
    w.spend(
        ret, factories.council_category(hartlepool, "A", "Early help", "family_support"), 50_000
    )
    result = _compare([hartlepool], [YEAR], measure=PER_CHILD, prices="cash")
    assert result.value(hartlepool, YEAR) == 2.5


def test_real_terms_deflate_to_the_base_year(stockton: Council) -> None:
    # The demonstration series: 2021-22 = 89.3, 2023-24 = 100.
    ret = w.a_return(stockton, 2021)
    w.spend(ret, factories.council_category(stockton, "A", "Early help", "family_support"), 89_300)
    real = _compare([stockton], [2021], measure=TOTAL, prices="real")
    cash = _compare([stockton], [2021], measure=TOTAL, prices="cash")
    assert cash.value(stockton, 2021) == 89_300.0
    assert real.value(stockton, 2021) == 100_000.0
    assert "2023-24 prices" in real.prices_text and "HM Treasury" in real.prices_text


def test_families_helped_are_episodes_open_at_any_time_in_the_year(
    stockton_2023: Council,
) -> None:
    # Open in 2023-24: started before and still open; started before, ended in the year;
    # started on the last day. Not: ended the day before it began; started the day after.
    w.episode(stockton_2023, date(2022, 6, 1))
    w.episode(stockton_2023, date(2022, 6, 1), end=date(2023, 4, 1))
    w.episode(stockton_2023, date(2024, 3, 31))
    w.episode(stockton_2023, date(2023, 9, 1), end=date(2023, 12, 1))
    w.episode(stockton_2023, date(2023, 5, 1))
    w.episode(stockton_2023, date(2022, 1, 1), end=date(2023, 3, 31))
    w.episode(stockton_2023, date(2024, 4, 1))
    result = _compare([stockton_2023], [YEAR], measure=PER_FAMILY, prices="cash")
    cell = result.cell(stockton_2023, YEAR)
    assert cell.families == 5
    assert result.value(stockton_2023, YEAR) == 126_000.0  # 630,000 / 5


def test_fewer_than_five_families_are_not_shown_nor_the_spend_per_family(
    stockton_2023: Council,
) -> None:
    for month in (5, 6, 7, 8):
        w.episode(stockton_2023, date(2023, month, 1))
    result = _compare([stockton_2023], [YEAR], measure=PER_FAMILY, prices="cash")
    cell = result.cell(stockton_2023, YEAR)
    assert cell.count(PER_FAMILY) == disclosure.MARKER
    assert result.value(stockton_2023, YEAR) == disclosure.MARKER
    assert result.value(stockton_2023, YEAR, "family_support") == disclosure.MARKER
    table = denominators_table(result)
    assert table.rows[0][2] == disclosure.MARKER and table.rows[0][6] == disclosure.MARKER
    # The total and per child are money and a population: shown.
    assert table.rows[0][4] == 630_000.0 and table.rows[0][5] == 17.5


def test_sustained_outcomes_count_episodes_whose_check_found_it_sustained_in_the_year(
    stockton_2023: Council,
) -> None:
    for n in range(6):
        made = w.episode(stockton_2023, date(2022, 4, 1))
        w.sustained(made, date(2023, 1, 1), date(2023, 7 + n % 3, 1), ["sustained", "sustained"])
    # Not sustained, unknown, or due outside the year: not counted.
    w.sustained(
        w.episode(stockton_2023, date(2022, 4, 1)),
        date(2023, 1, 1),
        date(2023, 7, 1),
        ["not_sustained"],
    )
    w.sustained(w.episode(stockton_2023, date(2022, 4, 1)), date(2022, 9, 1), date(2023, 3, 1))
    result = _compare([stockton_2023], [YEAR], measure=PER_SUSTAINED, prices="cash")
    assert result.cell(stockton_2023, YEAR).sustained == 6
    assert result.value(stockton_2023, YEAR) == 105_000.0


def test_no_families_means_no_figure_per_family(stockton_2023: Council) -> None:
    result = _compare([stockton_2023], [YEAR], measure=PER_SUSTAINED)
    assert result.value(stockton_2023, YEAR) is None


def test_a_council_without_a_return_shows_nothing(stockton: Council, hartlepool: Council) -> None:
    w.a_return(stockton, YEAR)
    result = _compare([stockton, hartlepool], [YEAR], measure=TOTAL)
    assert result.value(hartlepool, YEAR) is None
    assert result.value(stockton, YEAR) == 0.0


def test_the_category_table_lists_what_is_left_out(stockton_2023: Council) -> None:
    table = category_table(_compare([stockton_2023], [YEAR], measure=TOTAL, prices="cash"), YEAR)
    rows = {row[0]: row[1] for row in table.rows}
    assert rows["Early help total"] == 630_000.0
    assert rows["Outside early help (not counted)"] == 50_000.0
    assert rows["Under headings not mapped (not counted)"] == 10_000.0
    assert "HM Treasury" not in " ".join(table.notes)  # cash: no deflator named


def test_a_comparison_reads_in_a_handful_of_queries(
    stockton_2023: Council, hartlepool: Council
) -> None:
    with CaptureQueriesContext(connection) as queries:
        _compare([stockton_2023, hartlepool], [2021, 2022, YEAR])
    assert len(queries) <= 10


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("councils", {"councils": ["999999"]}),
        ("councils", {"councils": ["x"]}),
        ("years", {"years": ["twenty"]}),
        ("years", {"years": ["2023-25"]}),
        ("years", {"years": ["2999"]}),
        ("years", {"years": [str(y) for y in range(2000, 2012)]}),
        ("measure", {"measure": "per_teacher"}),
        ("prices", {"prices": "nominal"}),
    ],
)
def test_a_query_it_cannot_answer_is_refused_at_its_field(
    stockton: Council, field: str, kwargs: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_query([stockton], **kwargs)
    assert field in raised.value.message_dict


def test_a_query_reads_years_either_way_and_defaults_to_years_with_returns(
    stockton: Council, hartlepool: Council
) -> None:
    query = parse_query(
        [stockton, hartlepool], councils=[str(hartlepool.pk)], years=["2022-23", "2021"]
    )
    assert query.councils == [hartlepool] and query.years == [2021, 2022]
    w.a_return(stockton, 2019)
    w.a_return(stockton, 2020)
    assert parse_query([stockton, hartlepool]).years == [2019, 2020]

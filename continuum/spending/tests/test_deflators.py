"""The deflator series: the demonstration series loaded by the migration, and loading a new
one (whole or not at all)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from continuum.accounts.models import Role, User
from continuum.errors import NotPermitted
from continuum.spending import default_deflators
from continuum.spending.deflators import current_table, parse_rows, parse_year, publish_series
from continuum.spending.models import Deflator, DeflatorSeries
from continuum.spending.tests.cmp_world import spending_reference_data  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("spending_reference_data")]

MakeUser = Callable[..., Any]


def test_the_migration_loads_the_demonstration_series_as_current() -> None:
    table = current_table()
    assert table is not None
    assert table.series.source.startswith("HM Treasury")
    assert table.series.base_year == 2023 and table.index[2023] == Decimal("100")
    assert set(table.index) == set(range(2015, 2027))
    assert "demonstration" in table.series.note and "Replace" in table.series.note
    assert table.factor(2023) == 1
    assert table.factor(2014) is None


def test_loading_twice_changes_nothing() -> None:
    before = (DeflatorSeries.objects.count(), Deflator.objects.count())
    default_deflators.load(apps, None)
    default_deflators.load(apps, None)
    assert (DeflatorSeries.objects.count(), Deflator.objects.count()) == before


def test_unload_removes_the_series_and_load_brings_it_back() -> None:
    default_deflators.unload(apps, None)
    assert not DeflatorSeries.objects.filter(name=default_deflators.NAME).exists()
    default_deflators.load(apps, None)
    assert current_table() is not None


@pytest.mark.parametrize(
    ("text", "year"), [("2024", 2024), ("2024-25", 2024), ("2024/25", 2024), ("1999-2000", 1999)]
)
def test_years_are_read_either_way(text: str, year: int) -> None:
    assert parse_year(text) == year


@pytest.mark.parametrize("text", ["2024-26", "24-25", "two", "", "3000", "2024-25-26"])
def test_other_years_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_year(text)


def test_rows_are_read_with_a_header() -> None:
    assert parse_rows("year,index\n2023-24,100\n2024-25, 103.62\n") == [
        (2023, Decimal("100.000")),
        (2024, Decimal("103.620")),
    ]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2023,100\n2024", "Line 2: give a year and an index"),
        ("2023,100\nlast year,101", "not a financial year"),
        ("2023,100\n2024,lots", "not a number"),
        ("2023,100\n2024,-3", "positive number"),
        ("2023,100\n2024,0", "positive number"),
        ("2023,100\n2023-24,101", "given twice"),
        ("2023,100", "at least two"),
        ("2023,100\n2024,NaN", "positive number"),
    ],
)
def test_bad_rows_are_refused_naming_the_line(text: str, says: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_rows(text)
    assert says in " ".join(raised.value.message_dict["rows"])


def _publish(user: User, **kw: Any) -> DeflatorSeries:
    args = {
        "name": "GDP deflators at market prices",
        "source": "HM Treasury (test release)",
        "base_year": 2024,
        "rows": [(2023, Decimal("96.5")), (2024, Decimal("100"))],
        "published_on": date(2026, 1, 15),
    }
    return publish_series(by=user, **{**args, **kw})


def test_the_partnership_lead_loads_a_new_current_series(make_user: MakeUser) -> None:
    lead = make_user(Role.SAFEGUARDING_PARTNERSHIP_LEAD)
    old = current_table()
    assert old is not None
    series = _publish(lead)
    table = current_table()
    assert table is not None and table.series == series
    assert table.factor(2023) == Decimal("100") / Decimal("96.5")
    old.series.refresh_from_db()
    assert not old.series.is_current  # kept, no longer current


def test_a_series_whose_base_year_is_not_given_is_refused_and_nothing_saved(
    make_user: MakeUser,
) -> None:
    lead = make_user(Role.SAFEGUARDING_PARTNERSHIP_LEAD)
    before = current_table()
    with pytest.raises(ValidationError) as raised:
        _publish(lead, base_year=2020, name="")
    assert set(raised.value.message_dict) == {"base_year", "name"}
    assert current_table() == before
    assert DeflatorSeries.objects.count() == 1


@pytest.mark.parametrize("role", [Role.PERFORMANCE_ANALYST, Role.STRATEGIC_LEAD, Role.TEAM_MANAGER])
def test_only_those_who_manage_the_classification_load_a_series(
    make_user: MakeUser, role: str
) -> None:
    with pytest.raises(NotPermitted):
        _publish(make_user(role))
    assert DeflatorSeries.objects.count() == 1

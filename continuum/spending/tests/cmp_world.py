"""Test data for the comparison: returns in councils' own headings, population estimates,
episodes and sustained outcomes, with figures small enough to check by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import cast

import pytest
from django.apps import apps as django_apps

from continuum.early_help.choices import EpisodeStatus, SustainedResult
from continuum.early_help.models import (
    Closure,
    Episode,
    SupportingFamiliesOutcome,
    SustainedOutcomeCheck,
)
from continuum.organisations.models import Council
from continuum.performance.models import AgeBand, ChildPopulation
from continuum.spending import default_classification, default_deflators
from continuum.spending.choices import FundingSource, ReturnStatus
from continuum.spending.models import (
    CategoryMapping,
    CouncilCategory,
    SpendingReturn,
)
from continuum.testing import factories


def a_return(council: Council, year: int, status: str = ReturnStatus.SIGNED_OFF) -> SpendingReturn:
    made = factories.SpendingReturnFactory(council=council, financial_year=year, status=status)
    return cast(SpendingReturn, made)


def spend(
    spending_return: SpendingReturn,
    heading: CouncilCategory,
    amount: int | str,
    source: str = FundingSource.COUNCIL,
) -> None:
    factories.SpendAmountFactory(
        spending_return=spending_return,
        council_category=heading,
        funding_source=source,
        amount=Decimal(str(amount)),
    )


def split_heading(
    council: Council, code: str, name: str, shares: dict[str, int]
) -> CouncilCategory:
    """A council's heading split across common categories by ``shares`` (percent)."""
    heading = CouncilCategory.objects.create(council=council, code=code, name=name)
    classification = factories.spending_classification()
    for category, share in shares.items():
        CategoryMapping.objects.create(
            classification=classification,
            council_category=heading,
            category=factories.spending_category(category),
            share=Decimal(share),
        )
    return heading


def unmapped_heading(council: Council, code: str, name: str) -> CouncilCategory:
    return CouncilCategory.objects.create(council=council, code=code, name=name)


def population(council: Council, mid_year: int, per_band: dict[str, int]) -> None:
    for band in AgeBand:
        ChildPopulation.objects.create(
            council=council,
            mid_year=mid_year,
            age_band=band,
            children=per_band.get(band.value, 0),
            source="test",
        )


def episode(council: Council, start: date, end: date | None = None) -> Episode:
    made = cast(Episode, factories.EpisodeFactory(council=council, start_date=start))
    if end is not None:
        made.end_date = end
        made.status = EpisodeStatus.CLOSED
        made.save(update_fields=["end_date", "status"])
    return made


def sustained(made: Episode, closed: date, due: date, results: list[str] | None = None) -> None:
    """Close ``made`` on ``closed`` with six-month checks due on ``due``."""
    made.end_date = closed
    made.status = EpisodeStatus.CLOSED
    made.save(update_fields=["end_date", "status"])
    closure = Closure.objects.create(
        episode=made, closed_on=closed, reason="needs_met", closed_by=made.opened_by
    )
    for i, result in enumerate(results or [SustainedResult.SUSTAINED]):
        area, _ = SupportingFamiliesOutcome.objects.get_or_create(
            code=f"T{i}", defaults={"name": f"Test outcome {i}"}
        )
        SustainedOutcomeCheck.objects.create(
            closure=closure, outcome_area=area, follow_up_due=due, result=result
        )


@pytest.fixture
def spending_reference_data(db: None) -> None:
    """Version 1 of the classification and the demonstration deflator series, as migration
    0002 loads them (a transactional test elsewhere may have emptied the tables)."""
    default_classification.load(django_apps, None)
    default_deflators.load(django_apps, None)

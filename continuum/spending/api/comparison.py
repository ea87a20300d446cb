"""/api/v1/spending/comparison and /api/v1/spending/deflators (the comparison part).

- ``GET /spending/comparison?councils=&years=&measure=&prices=``: the comparison as the page
  shows it (councils by id, years like 2024-25; measure total, per_child, per_family or
  per_sustained; prices cash or real), with the deflator named and the flags; 422 naming the
  query field on bad input.
- ``GET /spending/deflators``: the deflator series, the current one first.
- ``POST /spending/deflators``: load a new series (``MANAGE_CLASSIFICATION``); 422 naming the
  field, nothing saved, on any bad row.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.spending.comparison import (
    MEASURES,
    PER_CHILD,
    PER_FAMILY,
    PER_SUSTAINED,
    TOTAL,
    QueryError,
    compare,
    councils_for,
    parse_query,
)
from continuum.spending.deflators import parse_rows, parse_year, publish_series
from continuum.spending.flags import flags_for
from continuum.spending.models import DeflatorSeries, financial_year_label
from continuum.spending.policies import SpendingAction
from continuum.ui.api import fields_at

router = Router(tags=["spending"])

Figure = float | str | None


class SpendingDeflatorValueOut(Schema):
    year: str
    index: float


class SpendingDeflatorSeriesOut(Schema):
    id: int
    name: str
    source: str
    source_url: str
    base_year: str
    published_on: date
    note: str
    is_current: bool
    values: list[SpendingDeflatorValueOut]


class SpendingCouncilOut(Schema):
    id: int
    name: str


class SpendingCouncilYearOut(Schema):
    council_id: int
    council: str
    year: str
    return_status: str | None = Field(description="draft, submitted, signed_off; null: none")
    value: Figure = Field(description="The chosen measure of the early help total.")
    total: Figure
    per_child: Figure
    per_family: Figure
    per_sustained: Figure
    children: float | None
    families_helped: int | str
    families_sustained: int | str
    voluntary_own_resources: Figure
    voluntary_grants: Figure
    outside_early_help: Figure
    unmapped: Figure
    categories: dict[str, Figure]
    sources: dict[str, Figure]


class SpendingFlagOut(Schema):
    kind: str
    council: str
    year: str
    category: str
    sentence: str


class SpendingComparisonOut(Schema):
    measure: str
    measure_label: str
    prices: str
    prices_text: str
    deflator: SpendingDeflatorSeriesOut | None
    years: list[str]
    councils: list[SpendingCouncilOut]
    categories: dict[str, str]
    rows: list[SpendingCouncilYearOut]
    flags: list[SpendingFlagOut]


class SpendingComparisonQuery(Schema):
    councils: list[str] = Field(default_factory=list, description="Council ids (default all)")
    years: list[str] = Field(
        default_factory=list, description="Financial years like 2024-25 (default the latest five)"
    )
    measure: str = Field(PER_CHILD, max_length=30, description=", ".join(MEASURES))
    prices: str = Field("real", max_length=10, description="cash or real")


class SpendingDeflatorRowIn(Schema):
    year: str = Field(max_length=20, description="A financial year, like 2024-25")
    index: str = Field(max_length=30, description="The index, a positive number")


class SpendingDeflatorSeriesIn(Schema):
    name: str = Field(max_length=150)
    source: str = Field(max_length=250)
    source_url: str = Field("", max_length=200)
    base_year: str = Field(max_length=20, description="The year whose index is 100: 2023-24")
    published_on: date
    note: str = Field("", max_length=2000)
    rows: list[SpendingDeflatorRowIn] = Field(max_length=200)


def _series_out(series: DeflatorSeries) -> dict[str, Any]:
    return {
        "id": series.pk,
        "name": series.name,
        "source": series.source,
        "source_url": series.source_url,
        "base_year": financial_year_label(series.base_year),
        "published_on": series.published_on,
        "note": series.note,
        "is_current": series.is_current,
        "values": [
            {"year": financial_year_label(v.financial_year), "index": float(v.index)}
            for v in series.values.all()
        ],
    }


@router.get(
    "/comparison",
    response=SpendingComparisonOut,
    summary="Early help spending compared across councils and years",
)
@fields_at(under=("query",))
def comparison(request: HttpRequest, filters: Query[SpendingComparisonQuery]) -> dict[str, Any]:
    user = user_of(request)
    policy.require(user, SpendingAction.VIEW_COMPARISON)
    try:
        query = parse_query(
            councils_for(user),
            councils=filters.councils,
            years=filters.years,
            measure=filters.measure,
            prices=filters.prices,
        )
    except QueryError as exc:
        raise ValidationError(exc.message_dict) from exc
    result = compare(query)
    rows = []
    for council in result.councils:
        for year in result.years:
            cell = result.cell(council, year)
            rows.append(
                {
                    "council_id": council.pk,
                    "council": council.name,
                    "year": financial_year_label(year),
                    "return_status": cell.status,
                    "value": result.value(council, year),
                    **{
                        name: cell.figure(cell.total, m, result.prices)
                        for name, m in (
                            ("total", TOTAL),
                            ("per_child", PER_CHILD),
                            ("per_family", PER_FAMILY),
                            ("per_sustained", PER_SUSTAINED),
                        )
                    },
                    "children": cell.children,
                    "families_helped": cell.count(PER_FAMILY),
                    "families_sustained": cell.count(PER_SUSTAINED),
                    "voluntary_own_resources": cell.figure(cell.in_kind, TOTAL, result.prices),
                    "voluntary_grants": cell.figure(
                        cell.categories.get("voluntary_grants", Decimal(0)), TOTAL, result.prices
                    ),
                    "outside_early_help": cell.figure(cell.outside, TOTAL, result.prices),
                    "unmapped": cell.figure(cell.unmapped, TOTAL, result.prices),
                    "categories": {
                        code: result.value(council, year, code) for code, _ in result.categories
                    },
                    "sources": {
                        source: cell.figure(amount, result.measure, result.prices)
                        for source, amount in sorted(cell.sources.items())
                    },
                }
            )
    return {
        "measure": result.measure,
        "measure_label": MEASURES[result.measure],
        "prices": result.prices,
        "prices_text": result.prices_text,
        "deflator": _series_out(result.deflators.series) if result.deflators else None,
        "years": result.year_labels,
        "councils": [{"id": c.pk, "name": c.name} for c in result.councils],
        "categories": dict(result.categories),
        "rows": rows,
        "flags": [
            {
                "kind": f.kind,
                "council": f.council,
                "year": f.year_label,
                "category": f.category,
                "sentence": f.sentence,
            }
            for f in flags_for(result)
        ],
    }


@router.get(
    "/deflators",
    response=list[SpendingDeflatorSeriesOut],
    summary="The deflator series for real terms, the current one first",
)
def deflators(request: HttpRequest) -> list[dict[str, Any]]:
    policy.require(user_of(request), SpendingAction.VIEW_COMPARISON)
    series = DeflatorSeries.objects.order_by("-is_current", "-published_on", "-pk")
    return [_series_out(s) for s in series.prefetch_related("values")]


@router.post(
    "/deflators",
    response={201: SpendingDeflatorSeriesOut},
    summary="Load a new deflator series (it becomes the current one)",
)
def new_deflators(request: HttpRequest, body: SpendingDeflatorSeriesIn) -> Any:
    user = user_of(request)
    policy.require(user, SpendingAction.MANAGE_CLASSIFICATION)
    try:
        base_year = parse_year(body.base_year)
    except ValueError as exc:
        raise ValidationError({"base_year": "Give the base year like 2023-24."}) from exc
    buffer = io.StringIO()
    csv.writer(buffer).writerows([[row.year, row.index] for row in body.rows])
    series = publish_series(
        by=user,
        name=body.name,
        source=body.source,
        source_url=body.source_url,
        base_year=base_year,
        published_on=body.published_on,
        rows=parse_rows(buffer.getvalue()),
        note=body.note,
    )
    return Status(201, _series_out(series))

"""The outcomes framework over JSON: the catalogue of indicators, and their values.

Mounted at /api/v1/indicators:

- ``GET /api/v1/indicators`` - every indicator's definition (code, name, description,
  numerator, denominator, unit, polarity, the dimensions it splits by).
- ``GET /api/v1/indicators/{code}/values`` - its values for councils x periods
  (x a dimension's categories), computed by ``engine.compute`` and published through
  ``disclosure.compute``: a count of 1 to 4 children (and any cell that would give one
  away) comes back with ``numerator`` and ``value`` null, ``suppressed`` true and
  ``marker`` "[c]". Query parameters:
  ``council`` (DfE LA code or id, repeatable; default every council the user may
  compare), ``period`` (month, quarter, financial_year, rolling_12_months; default
  month), ``from`` and ``to`` (YYYY-MM, the months the periods end in; default the 12
  months to the last complete month), ``dimension`` (a key of the catalogue's
  dimensions) and ``combined`` (true adds the councils asked for, together).

Who: anyone the policy lets see the performance dashboards
(``PerformanceAction.VIEW_DASHBOARDS``; 403 otherwise). A breakdown by a dimension only
for councils whose detail the user may see (``PerformanceAction.VIEW_DETAIL``; 403 naming
the councils otherwise). Aggregates only: never a child's name.

Errors: an unknown indicator answers 404; bad parameters answer 422 in django-ninja's
shape, each entry naming its parameter in ``loc`` with a message a person can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.accounts.models import User
from continuum.errors import NotPermitted
from continuum.organisations.models import Council
from continuum.performance import catalogue, disclosure
from continuum.performance.catalogue import DIMENSIONS, IndicatorDefinition
from continuum.performance.engine import Cell, facts
from continuum.performance.periods import PeriodKind, last_complete_month, parse_month
from continuum.performance.policies import PerformanceAction, councils_compared
from continuum.timescales.months import add_months
from continuum.ui.api import invalid

router = Router(tags=["indicators"])

MAX_MONTHS = 120


class DimensionOut(Schema):
    """A dimension an indicator splits by, from its key."""

    key: str
    name: str

    @staticmethod
    def resolve_key(key: str) -> str:
        return key

    @staticmethod
    def resolve_name(key: str) -> str:
        return DIMENSIONS[key]


class IndicatorOut(Schema):
    code: str
    name: str
    description: str
    area: str
    area_name: str
    group: str
    numerator: str
    denominator: str
    unit: str
    unit_name: str
    polarity: str = Field(description="up: higher is better; down: lower is better; neutral.")
    measure: str = Field(description="flow: counted over the period; stock: on its last day.")
    dimensions: list[DimensionOut]
    headline: bool
    funnel: str | None

    @staticmethod
    def resolve_area_name(definition: IndicatorDefinition) -> str:
        return definition.area_label

    @staticmethod
    def resolve_unit_name(definition: IndicatorDefinition) -> str:
        return definition.unit_label

    @staticmethod
    def resolve_dimensions(definition: IndicatorDefinition) -> list[str]:
        return list(definition.dimensions)


class CatalogueOut(Schema):
    items: list[IndicatorOut]
    count: int
    dimensions: list[DimensionOut]
    period_kinds: list[str]


class CouncilOut(Schema):
    id: int
    name: str
    dfe_la_code: str


@dataclass(frozen=True)
class CouncilCell:
    """One computed cell, with the council it is for (None for the councils combined)."""

    cell: Cell
    council: Council | None


class ValueOut(Schema):
    council: str | None = Field(description="DfE LA code; null for the councils combined.")
    council_name: str
    period: str = Field(description="The period's label, e.g. 'Q3 2026-27'.")
    period_start: date
    period_end: date
    category: str | None = Field(description="The dimension's category; null for the total.")
    numerator: float | None = Field(
        description="null when suppressed: a count of 1 to 4 children, or one that would "
        "give such a count away (see suppressed)."
    )
    denominator: float | None
    value: float | None = Field(
        description="null when it cannot be computed: no denominator, or a 12-month "
        "follow-up that has not finished; or when the cell is suppressed."
    )
    suppressed: bool = Field(
        description="true when disclosure control hid this cell's numerator, value and (if "
        "a count) denominator: fewer than 5 children, or a cell that would reveal one."
    )
    marker: str | None = Field(
        description=f"{disclosure.MARKER!r} for a suppressed cell (null otherwise): "
        f"{disclosure.MEANING}."
    )

    @staticmethod
    def resolve_council(value: CouncilCell) -> str | None:
        return value.council.dfe_la_code if value.council else None

    @staticmethod
    def resolve_council_name(value: CouncilCell) -> str:
        return value.council.name if value.council else "Councils combined"

    @staticmethod
    def resolve_period(value: CouncilCell) -> str:
        return value.cell.period.label

    @staticmethod
    def resolve_period_start(value: CouncilCell) -> date:
        return value.cell.period.start

    @staticmethod
    def resolve_period_end(value: CouncilCell) -> date:
        return value.cell.period.end

    @staticmethod
    def resolve_category(value: CouncilCell) -> str | None:
        return value.cell.category

    @staticmethod
    def resolve_numerator(value: CouncilCell) -> float | None:
        return value.cell.numerator

    @staticmethod
    def resolve_suppressed(value: CouncilCell) -> bool:
        return value.cell.suppressed

    @staticmethod
    def resolve_marker(value: CouncilCell) -> str | None:
        return disclosure.MARKER if value.cell.suppressed else None

    @staticmethod
    def resolve_denominator(value: CouncilCell) -> float | None:
        return value.cell.denominator

    @staticmethod
    def resolve_value(value: CouncilCell) -> float | None:
        return None if value.cell.value is None else round(value.cell.value, 4)


class ValuesOut(Schema):
    indicator: IndicatorOut
    period_kind: str
    from_month: str = Field(alias="from")
    to_month: str = Field(alias="to")
    dimension: str | None
    combined: bool
    councils: list[CouncilOut]
    values: list[ValueOut]
    disclosure: str = Field(
        description="What a suppressed value means: counts of 1 to 4 children are not "
        "published, nor any figure that would let one be worked out."
    )
    # The maintained figures (issue 16, decision 0019).
    figures_as_of: datetime | None = Field(
        description="When the figures were last brought up to date (null: read from the "
        "records themselves, so current)."
    )
    figures_changes_waiting: bool = Field(
        description="True when changes since figures_as_of are still being added."
    )


def _require_dashboards(request: HttpRequest) -> User:
    user = user_of(request)
    policy.require(
        user,
        PerformanceAction.VIEW_DASHBOARDS,
        message="Only performance analysts, strategic leads and managers may.",
    )
    return user


@router.get("", response=CatalogueOut, summary="The catalogue of indicators")
def list_indicators(request: HttpRequest) -> dict[str, Any]:
    """Every indicator the partnership reports, with its definition."""
    _require_dashboards(request)
    return {
        "items": catalogue.CATALOGUE,
        "count": len(catalogue.CATALOGUE),
        "dimensions": list(DIMENSIONS),
        "period_kinds": list(PeriodKind.values),
    }


def _problem(parameter: str, message: str) -> tuple[list[str], str]:
    return (["query", parameter], message)


def _councils(
    request: HttpRequest, user: User, problems: list[tuple[list[str], str]]
) -> list[Council]:
    allowed = list(councils_compared(user))
    asked = [v.strip() for v in request.GET.getlist("council") if v.strip()]
    if not asked:
        return allowed
    by_code = {c.dfe_la_code: c for c in allowed}
    by_id = {str(c.pk): c for c in allowed}
    chosen: list[Council] = []
    for value in asked:
        council = by_code.get(value) or by_id.get(value)
        if council is None:
            problems.append(
                _problem(
                    "council",
                    f"No council you may compare has the DfE LA code or id {value!r}. "
                    f"Choose from {', '.join(sorted(by_code))}.",
                )
            )
        elif council not in chosen:
            chosen.append(council)
    return chosen


def _month(request: HttpRequest, name: str, problems: list[tuple[list[str], str]]) -> date | None:
    text = request.GET.get(name)
    if text is None or not text.strip():
        return None
    try:
        return parse_month(text)
    except ValueError as exc:
        problems.append(_problem(name, f"The '{name}' month: {exc}"))
        return None


def _range(
    request: HttpRequest, problems: list[tuple[list[str], str]]
) -> tuple[date | None, date | None]:
    """The months asked for (default: the 12 months to the last complete month)."""
    first = _month(request, "from", problems)
    last = _month(request, "to", problems)
    bad = {p[0][1] for p in problems}
    if last is None and "to" not in bad:
        last = last_complete_month()
    if first is None and "from" not in bad and last is not None:
        first = add_months(last, -11)
    if first is not None and last is not None:
        if first > last:
            problems.append(_problem("from", "The 'from' month must not be after the 'to' month."))
        elif (last.year - first.year) * 12 + last.month - first.month + 1 > MAX_MONTHS:
            problems.append(
                _problem("to", f"Ask for at most {MAX_MONTHS} months (10 years) at a time.")
            )
    return first, last


def _dimension(
    request: HttpRequest, definition: IndicatorDefinition, problems: list[tuple[list[str], str]]
) -> str | None:
    dimension = request.GET.get("dimension") or None
    if dimension is None:
        return None
    if dimension not in DIMENSIONS:
        problems.append(
            _problem("dimension", f"Unknown dimension {dimension!r}: use {', '.join(DIMENSIONS)}.")
        )
    elif dimension not in definition.dimensions:
        splits = ", ".join(definition.dimensions) or "no dimension"
        problems.append(
            _problem(
                "dimension",
                f"{definition.name} cannot be split by {DIMENSIONS[dimension].lower()}; "
                f"it splits by {splits}.",
            )
        )
    return dimension


@router.get(
    "/{code}/values",
    response=ValuesOut,
    summary="An indicator's values for councils, periods and a dimension",
    by_alias=True,
)
def indicator_values(request: HttpRequest, code: str) -> dict[str, Any]:
    """The indicator for each council asked (and combined, with ``combined=true``) and each
    period of the kind asked whose last month is between ``from`` and ``to``. With
    ``dimension``, each category as well as the total."""
    user = _require_dashboards(request)
    try:
        definition = catalogue.get(code)
    except KeyError:
        raise Http404(f"There is no indicator {code!r}.") from None
    problems: list[tuple[list[str], str]] = []
    councils = _councils(request, user, problems)
    kind = request.GET.get("period") or PeriodKind.MONTH
    if kind not in PeriodKind.values:
        problems.append(
            _problem("period", f"Unknown period {kind!r}: use {', '.join(PeriodKind.values)}.")
        )
    first, last = _range(request, problems)
    dimension = _dimension(request, definition, problems)
    combined_text = (request.GET.get("combined") or "false").strip().lower()
    if combined_text not in ("true", "false", "1", "0", "yes", "no"):
        problems.append(_problem("combined", "Use combined=true or combined=false."))
    combined = combined_text in ("true", "1", "yes")
    if problems:
        raise invalid(problems)
    assert first is not None and last is not None
    if dimension is not None:
        hidden = [
            c.name for c in councils if not policy.can(user, PerformanceAction.VIEW_DETAIL, c)
        ]
        if hidden:
            raise NotPermitted(
                f"You may see breakdowns only for the councils you work for; not for "
                f"{', '.join(hidden)}. Ask for those councils without a dimension."
            )
    facts.request_refresh()
    result = disclosure.compute(
        councils=councils,
        period_kind=kind,
        first=first,
        last=last,
        indicators=[code],
        dimension=dimension,
        combined=combined,
    )
    names: dict[int | None, Council] = {c.pk: c for c in councils}
    return {
        "indicator": definition,
        "period_kind": kind,
        "from": f"{first:%Y-%m}",
        "to": f"{last:%Y-%m}",
        "dimension": dimension,
        "combined": combined,
        "councils": councils,
        "values": [CouncilCell(cell, names.get(cell.council_id)) for cell in result.cells],
        "disclosure": disclosure.MEANING,
        "figures_as_of": facts.figures_as_of(councils),
        "figures_changes_waiting": facts.changes_waiting(councils),
    }

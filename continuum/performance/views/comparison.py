"""Council comparison: one indicator for every council side by side, the combined figure,
and a funnel plot that separates real differences from noise.

``?indicator=<code>&period_kind=<kind>&period=YYYY-MM`` (the period's last month; default
the latest complete period) ``&dimension=<key>`` (a breakdown, only for the councils the
user sees in detail) ``&format=csv|xlsx`` (``&table=breakdown`` for the breakdown).
Bad parameters show the page with the GOV.UK error summary and a 400 status.

The query helpers here (indicator, period kind, month and council choices) serve the
trends page too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone

from continuum.access.requests import AuthenticatedRequest, requires
from continuum.organisations.models import Council
from continuum.performance import catalogue, charts, disclosure, engine
from continuum.performance.catalogue import IndicatorDefinition, Polarity, Unit
from continuum.performance.navigation import tabs
from continuum.performance.periods import (
    Period,
    PeriodKind,
    last_complete_month,
    month_start,
    parse_month,
    period_ending,
    periods_between,
)
from continuum.performance.policies import (
    PerformanceAction,
    councils_compared,
    councils_in_detail,
)
from continuum.performance.stats import funnel
from continuum.performance.tables import DOWNLOAD_FORMATS, Table, download_response
from continuum.performance.tables import Cell as TableCell
from continuum.timescales.months import add_months
from continuum.ui.dates import govuk_date, govuk_month

ALL = "all"
PERIOD_CHOICES = 60  # how many months back the period list reaches

# --- query helpers shared with the trends page -------------------------------------------


def indicator_from(code: str | None, errors: dict[str, str]) -> IndicatorDefinition:
    """The chosen indicator (the catalogue's first when none is chosen)."""
    if not code:
        return catalogue.CATALOGUE[0]
    try:
        return catalogue.get(code)
    except KeyError:
        errors["indicator"] = "Choose an indicator from the list"
        return catalogue.CATALOGUE[0]


def period_kind_from(text: str | None, errors: dict[str, str]) -> str:
    if not text:
        return str(PeriodKind.MONTH)
    if text not in PeriodKind.values:
        errors["period_kind"] = "Choose month, quarter, financial year or rolling 12 months"
        return str(PeriodKind.MONTH)
    return text


def month_from(text: str, field_id: str, errors: dict[str, str]) -> date | None:
    try:
        return parse_month(text)
    except ValueError as exc:
        errors[field_id] = str(exc)
        return None


def indicator_options(selected: str) -> list[dict[str, object]]:
    """The indicator select's option groups, one per area, in catalogue order."""
    groups: dict[str, list[dict[str, object]]] = {}
    for definition in catalogue.CATALOGUE:
        groups.setdefault(definition.area_label, []).append(
            {
                "value": definition.code,
                "text": definition.name,
                "selected": definition.code == selected,
            }
        )
    return [{"label": label, "options": options} for label, options in groups.items()]


def period_kind_options(selected: str) -> list[dict[str, object]]:
    return [
        {"value": value, "text": label, "selected": value == selected}
        for value, label in PeriodKind.choices
    ]


def unit_suffix(definition: IndicatorDefinition) -> str:
    suffixes: dict[str, str] = {
        Unit.PERCENT: "%",
        Unit.PER_10K: "per 10,000 children",
        Unit.DAYS: "days",
    }
    return suffixes.get(definition.unit, "")


def value_label(definition: IndicatorDefinition) -> str:
    labels: dict[str, str] = {
        Unit.PERCENT: "Per cent",
        Unit.PER_10K: "Per 10,000 children",
        Unit.DAYS: "Days",
    }
    return labels.get(definition.unit, "Number")


def whole(number: float | None) -> int | float | None:
    """Counts as whole numbers in tables and downloads (the engine sums floats)."""
    if number is None:
        return None
    return int(number) if float(number).is_integer() else round(number, 1)


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def value_of(definition: IndicatorDefinition, value: float | None) -> int | float | None:
    """An indicator's value as tables and downloads hold it: a count whole, anything else
    to one decimal place."""
    return whole(value) if definition.unit == Unit.COUNT else rounded(value)


def download_format(query: QueryDict, errors: dict[str, str]) -> str | None:
    fmt = query.get("format") or None
    if fmt is not None and fmt not in DOWNLOAD_FORMATS:
        errors["format"] = "Download as CSV or XLSX"
        return None
    return fmt


# --- the comparison ------------------------------------------------------------------------


@dataclass
class ComparisonQuery:
    definition: IndicatorDefinition
    period_kind: str
    period: Period | None
    dimension: str | None
    fmt: str | None
    table: str
    errors: dict[str, str] = field(default_factory=dict)

    def query_string(self, **extra: str) -> str:
        values = {
            "indicator": self.definition.code,
            "period_kind": self.period_kind,
            "period": f"{self.period.end:%Y-%m}" if self.period else "",
        }
        if self.dimension:
            values["dimension"] = self.dimension
        return urlencode(values | extra)


def parse_comparison(query: QueryDict, detail: list[Council], latest: date) -> ComparisonQuery:
    errors: dict[str, str] = {}
    definition = indicator_from(query.get("indicator"), errors)
    kind = period_kind_from(query.get("period_kind"), errors)
    period = _period_from(query.get("period") or "", kind, latest, errors)
    dimension = query.get("dimension") or None
    if dimension is not None:
        if dimension not in catalogue.DIMENSIONS:
            errors["dimension"] = "Choose a breakdown from the list"
        elif not detail:
            errors["dimension"] = (
                "Breakdowns are only for the councils you work for; you can compare "
                "every council's totals"
            )
        elif dimension not in definition.dimensions:
            errors["dimension"] = (
                f"{definition.name} cannot be broken down by "
                f"{catalogue.DIMENSIONS[dimension].lower()}"
            )
        if "dimension" in errors:
            dimension = None
    fmt = download_format(query, errors)
    table = query.get("table") or "comparison"
    if table not in ("comparison", "breakdown") or (table == "breakdown" and not dimension):
        errors.setdefault("table", "Download the comparison table, or choose a breakdown first")
    return ComparisonQuery(definition, kind, period, dimension, fmt, table, errors)


def _period_from(text: str, kind: str, latest: date, errors: dict[str, str]) -> Period | None:
    """The period of ``kind`` ending in the given month; a month that ends no period of
    that kind (say a quarter chosen with a month in the middle of one) means the latest
    such period ending on or before it, so switching the kind keeps a sensible choice."""
    month = latest
    if text:
        found = month_from(text, "period", errors)
        if found is None:
            return None
        month = found
    if month > latest:
        errors["period"] = (
            f"{govuk_month(month)} has not finished yet: choose {govuk_month(latest)} or an "
            "earlier period"
        )
        return None
    exact = period_ending(kind, month)
    if exact is not None:
        return exact
    earlier = periods_between(kind, add_months(month, -12), month)
    return earlier[-1] if earlier else None


def period_options(kind: str, latest: date, selected: Period | None) -> list[dict[str, object]]:
    periods = periods_between(kind, add_months(latest, 1 - PERIOD_CHOICES), latest)
    return [
        {"value": f"{p.end:%Y-%m}", "text": p.label, "selected": p == selected}
        for p in reversed(periods)
    ]


@dataclass
class Row:
    council: str
    numerator: float | None
    denominator: float | None
    value: float | None
    classification: str | None
    suppressed: bool = False


FUNNEL_TEXT = {
    funnel.WITHIN: "Within the limits",
    funnel.ABOVE_95: "Above the 95% limit",
    funnel.ABOVE_998: "Above the 99.8% limit",
    funnel.BELOW_95: "Below the 95% limit",
    funnel.BELOW_998: "Below the 99.8% limit",
    funnel.NO_DATA: "Not enough data",
}


def funnel_reading(classification: str | None, polarity: str) -> str:
    """The classification in words, with whether that is better or worse."""
    if classification is None:
        return "–"
    text = FUNNEL_TEXT[classification]
    if classification in (funnel.WITHIN, funnel.NO_DATA) or polarity == Polarity.NEUTRAL:
        return text
    higher = classification.startswith("above")
    better = higher == (polarity == Polarity.UP)
    return f"{text}: {'better' if better else 'worse'} than all councils"


def comparison_rows(
    result: engine.Result,
    definition: IndicatorDefinition,
    period: Period,
    councils: list[Council],
) -> tuple[list[Row], Row | None, float | None]:
    """Each council's row, the combined row, and the funnel's target (None if no funnel)."""
    combined_cell = result.get(definition.code, None, period)
    target = None
    if definition.funnel and combined_cell is not None and combined_cell.value is not None:
        target = combined_cell.value
    rows = []
    for council in councils:
        cell = result.get(definition.code, council.pk, period)
        if cell is None:
            rows.append(Row(council.name, 0, None, None, None))
            continue
        classification = None
        if target is not None and definition.funnel:
            classification = funnel.classify(
                cell.value, cell.denominator, target, definition.funnel
            )
        rows.append(
            Row(
                council.name,
                cell.numerator,
                cell.denominator,
                cell.value,
                classification,
                cell.suppressed,
            )
        )
    combined = None
    if combined_cell is not None:
        combined = Row(
            "All councils",
            combined_cell.numerator,
            combined_cell.denominator,
            combined_cell.value,
            None,
            combined_cell.suppressed,
        )
    return rows, combined, target


def comparison_table(
    definition: IndicatorDefinition,
    period: Period,
    rows: list[Row],
    combined: Row | None,
) -> Table:
    body: list[Sequence[TableCell]] = [
        [
            row.council,
            *disclosure.figures(
                row.suppressed,
                whole(row.numerator),
                whole(row.denominator),
                value_of(definition, row.value),
            ),
            funnel_reading(row.classification, definition.polarity) if definition.funnel else "–",
        ]
        for row in rows
    ]
    if combined is not None:
        body.append(
            [
                combined.council,
                *disclosure.figures(
                    combined.suppressed,
                    whole(combined.numerator),
                    whole(combined.denominator),
                    value_of(definition, combined.value),
                ),
                "The target the funnel is drawn around" if definition.funnel else "–",
            ]
        )
    return Table(
        caption=f"{definition.name}, {period.label}: each council and all councils",
        columns=[
            "Council",
            "Numerator",
            "Denominator",
            f"Value ({value_label(definition).lower()})",
            "Compared with all councils (funnel plot)",
        ],
        rows=body,
        numeric=[False, True, True, True, False],
        notes=_notes(definition, period),
    )


def _notes(definition: IndicatorDefinition, period: Period) -> list[str]:
    notes = [
        f"{definition.name}: {definition.description}",
        f"Numerator: {definition.numerator}",
        f"Denominator: {definition.denominator}",
        f"Period: {period.label} ({govuk_date(period.start)} to {govuk_date(period.end)}).",
    ]
    if definition.funnel == funnel.PROPORTION:
        notes.append(
            "Funnel limits: exact binomial 95% and 99.8% limits around the figure for all "
            "councils together (Spiegelhalter 2005)."
        )
    elif definition.funnel == funnel.RATE:
        notes.append(
            "Funnel limits: exact Poisson 95% and 99.8% limits around the rate for all "
            "councils together (Spiegelhalter 2005)."
        )
    notes.append(f"Made {govuk_date(timezone.localdate())} by Continuum; aggregates only.")
    return notes


def funnel_image(
    definition: IndicatorDefinition, period: Period, rows: list[Row], target: float
) -> str | None:
    """The funnel plot as an ``<img>`` (None when no council has a value and volume)."""
    assert definition.funnel is not None
    points = [
        charts.FunnelPoint(r.council, r.denominator, r.value, r.classification or funnel.WITHIN)
        for r in rows
        if r.value is not None and r.denominator and r.classification != funnel.NO_DATA
    ]
    if not points:
        return None
    title = f"{definition.name}, {period.label}"
    x_label = "Children (population)" if definition.funnel == funnel.RATE else "Denominator"
    kind = definition.funnel
    data = {
        "title": title,
        "points": [(p.label, p.volume, p.value, p.classification) for p in points],
        "target": target,
        "kind": kind,
        "unit": definition.unit,
    }

    def render_svg() -> str:
        return charts.funnel_chart(
            title=title,
            points=points,
            target=target,
            kind=kind,
            y_label=value_label(definition),
            x_label=x_label,
            unit=definition.unit,
        )

    svg = charts.cached_svg("funnel", data, render_svg)
    outside = [p.label for p in points if p.classification != funnel.WITHIN]
    alt = (
        f"Funnel plot of {definition.name.lower()} for {period.label}: each council's value "
        f"against its {x_label.lower()}, with 95% and 99.8% limits around the figure for "
        "all councils. "
        + (
            f"Outside the 95% limits: {', '.join(outside)}."
            if outside
            else "Every council is within the 95% limits."
        )
        + " The table below gives the numbers."
    )
    return str(charts.svg_img(svg, alt))


@dataclass
class Breakdown:
    council: Council
    rows: list[tuple[str, float | None, float | None, float | None, bool]]
    total: float | None
    image: str | None
    total_suppressed: bool = False


def breakdowns(
    definition: IndicatorDefinition,
    period: Period,
    detail: list[Council],
    result: engine.Result,
) -> list[Breakdown]:
    """The indicator split by the dimension, for the councils the user sees in detail
    only, from ``result`` (one engine call for just those councils, protected together with
    the comparison's own figures)."""
    dimension = result.dimension
    assert dimension is not None
    out = []
    for council in detail:
        rows = []
        for category in result.categories(definition.code):
            cell = result.get(definition.code, council.pk, period, category)
            if cell is not None:
                rows.append(
                    (category, cell.numerator, cell.denominator, cell.value, cell.suppressed)
                )
        total_cell = result.get(definition.code, council.pk, period)
        total = total_cell.value if total_cell is not None else None
        out.append(
            Breakdown(
                council,
                rows,
                total,
                _breakdown_image(definition, period, dimension, council, rows, total),
                total_cell.suppressed if total_cell is not None else False,
            )
        )
    return out


def _breakdown_image(
    definition: IndicatorDefinition,
    period: Period,
    dimension: str,
    council: Council,
    rows: list[tuple[str, float | None, float | None, float | None, bool]],
    total: float | None,
) -> str | None:
    if not rows:
        return None
    dimension_label = catalogue.DIMENSIONS[dimension].lower()
    title = f"{council.name}: {definition.name} by {dimension_label}, {period.label}"
    categories = [r[0] for r in rows]
    values = [r[3] for r in rows]
    data = {"title": title, "categories": categories, "values": values, "total": total}

    def render_svg() -> str:
        return charts.bar_chart(
            title=title,
            categories=categories,
            values=values,
            x_label=value_label(definition),
            unit=definition.unit,
            reference=total,
            reference_label=f"{council.name} overall",
        )

    svg = charts.cached_svg("breakdown", data, render_svg)
    alt = (
        f"Bar chart of {definition.name.lower()} in {council.name} by {dimension_label} for "
        f"{period.label}, with a line at the council's overall figure. The table below gives "
        "the numbers."
    )
    return str(charts.svg_img(svg, alt))


def breakdown_table(
    definition: IndicatorDefinition, period: Period, dimension: str, found: list[Breakdown]
) -> Table:
    dimension_label = catalogue.DIMENSIONS[dimension]
    body: list[Sequence[TableCell]] = []
    for item in found:
        for category, numerator, denominator, value, suppressed in item.rows:
            body.append(
                [
                    item.council.name,
                    category,
                    *disclosure.figures(
                        suppressed,
                        whole(numerator),
                        whole(denominator),
                        value_of(definition, value),
                    ),
                ]
            )
        total = disclosure.MARKER if item.total_suppressed else value_of(definition, item.total)
        body.append([item.council.name, "All", None, None, total])
    names = ", ".join(b.council.name for b in found)
    return Table(
        caption=f"{definition.name} by {dimension_label.lower()}, {names}, {period.label}",
        columns=[
            "Council",
            dimension_label,
            "Numerator",
            "Denominator",
            f"Value ({value_label(definition).lower()})",
        ],
        rows=body,
        numeric=[False, False, True, True, True],
        notes=_notes(definition, period),
    )


@requires(PerformanceAction.VIEW_DASHBOARDS)
def comparison(request: AuthenticatedRequest) -> HttpResponse:
    compared = list(councils_compared(request.user))
    detail = list(councils_in_detail(request.user))
    latest = last_complete_month()
    q = parse_comparison(request.GET, detail, latest)
    definition = q.definition
    context: dict[str, object] = {
        "tabs": tabs(request.path),
        "errors": q.errors,
        "query": q,
        "definition": definition,
        "indicator_groups": indicator_options(definition.code),
        "period_kind_options": period_kind_options(q.period_kind),
        "period_options": period_options(q.period_kind, latest, q.period),
        "dimension_options": [
            {"value": key, "text": catalogue.DIMENSIONS[key], "selected": key == q.dimension}
            for key in definition.dimensions
        ]
        if detail
        else [],
        "detail_councils": detail,
    }
    if q.errors or q.period is None:
        return render(request, "performance/comparison.html", context, status=400)
    period = q.period
    month = month_start(period.end)
    asks = [disclosure.Ask(compared, period.kind, month, month, [definition.code], combined=True)]
    if q.dimension:
        asks.append(
            disclosure.Ask(detail, period.kind, month, month, [definition.code], q.dimension)
        )
    # One protection for the whole page: a council total hidden to protect another council
    # cannot be added back up from its breakdown.
    result, *split = disclosure.compute_together(*asks)
    rows, combined, target = comparison_rows(result, definition, period, compared)
    table = comparison_table(definition, period, rows, combined)
    found = breakdowns(definition, period, detail, split[0]) if split else []
    extra = breakdown_table(definition, period, q.dimension, found) if q.dimension else None
    if q.fmt:
        chosen = extra if q.table == "breakdown" and extra is not None else table
        return download_response(chosen, chosen.caption, q.fmt)
    context |= {
        "period": period,
        "table": table,
        "download_query": q.query_string(),
        "funnel_image": funnel_image(definition, period, rows, target)
        if target is not None
        else None,
        "combined": combined,
        "unit_suffix": unit_suffix(definition),
        "breakdowns": found,
        "breakdown_table": extra,
        "breakdown_query": q.query_string(table="breakdown"),
        "dimension_label": catalogue.DIMENSIONS[q.dimension] if q.dimension else None,
    }
    return render(request, "performance/comparison.html", context)

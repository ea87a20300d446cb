"""Trends: one indicator over time for a council (or all councils together) on an XmR
chart with the Making Data Count rules, a plain-English reading and the table.

``?indicator=<code>&council=<DfE code>|all&period_kind=<kind>&from=YYYY-MM&to=YYYY-MM``
(default: months, the 36 months to the last complete month; 60 months for longer periods)
``&target=<number>`` (optional: assurance against it) ``&baseline=<N>`` (optional: fix the
average and limits on the first N periods) ``&format=csv|xlsx``. Bad parameters show the
page with the GOV.UK error summary and a 400 status.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.db.models import Min
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone

from continuum.access.requests import AuthenticatedRequest, requires
from continuum.front_door.models import Contact
from continuum.organisations.models import Council
from continuum.performance import charts, disclosure, engine
from continuum.performance.catalogue import IndicatorDefinition
from continuum.performance.navigation import tabs
from continuum.performance.periods import (
    Period,
    PeriodKind,
    last_complete_month,
    months_in,
)
from continuum.performance.policies import PerformanceAction, councils_compared
from continuum.performance.stats import spc
from continuum.performance.tables import Cell as TableCell
from continuum.performance.tables import Table, download_response
from continuum.performance.views.comparison import (
    ALL,
    download_format,
    indicator_from,
    indicator_options,
    month_from,
    period_kind_from,
    period_kind_options,
    value_label,
    value_of,
    whole,
)
from continuum.timescales.months import add_months
from continuum.ui.dates import govuk_date, govuk_month

MAX_MONTHS = 120
DEFAULT_MONTHS: dict[str, int] = {PeriodKind.MONTH: 36}
LONG_DEFAULT_MONTHS = 60

NOUNS = {
    PeriodKind.MONTH: ("month", "months"),
    PeriodKind.QUARTER: ("quarter", "quarters"),
    PeriodKind.FINANCIAL_YEAR: ("financial year", "financial years"),
    PeriodKind.ROLLING_12_MONTHS: ("rolling 12 months", "rolling 12-month periods"),
}


@dataclass
class TrendsQuery:
    definition: IndicatorDefinition
    council: Council | None  # None = all councils together
    council_code: str
    period_kind: str
    first: date | None
    last: date | None
    first_text: str
    last_text: str
    target: float | None
    target_text: str
    baseline: int | None
    baseline_text: str
    fmt: str | None
    errors: dict[str, str] = field(default_factory=dict)

    def query_string(self) -> str:
        values = {
            "indicator": self.definition.code,
            "council": self.council_code,
            "period_kind": self.period_kind,
            "from": self.first_text,
            "to": self.last_text,
        }
        if self.target_text:
            values["target"] = self.target_text
        if self.baseline_text:
            values["baseline"] = self.baseline_text
        return urlencode(values)


def month_range(
    query: QueryDict, latest: date, earliest: date | None, span: int, errors: dict[str, str]
) -> tuple[date | None, date | None, str, str]:
    """The months ``?from=`` and ``?to=`` name (their text kept for the form), by default the
    ``span`` months to ``latest`` but none before the records begin (``earliest``); a month
    not yet finished, the wrong way round or too long a range is an error at its field."""
    last_text = query.get("to") or f"{latest:%Y-%m}"
    last = month_from(last_text, "to", errors)
    default_first = add_months(last or latest, 1 - span)
    if earliest is not None and earliest > default_first:
        default_first = earliest  # no empty months before the records begin
    first_text = query.get("from") or f"{default_first:%Y-%m}"
    first = month_from(first_text, "from", errors)
    if last is not None and last > latest:
        errors["to"] = (
            f"{govuk_month(last)} has not finished yet: choose {govuk_month(latest)} or earlier"
        )
    if first is not None and last is not None:
        if first > last:
            errors["from"] = "The first month must be before the last month"
        elif len(months_in(first, last)) > MAX_MONTHS:
            errors["from"] = f"Choose at most {MAX_MONTHS} months ({MAX_MONTHS // 12} years)"
    return first, last, first_text, last_text


def parse_trends(
    query: QueryDict,
    compared: list[Council],
    default_council: str,
    latest: date,
    earliest: date | None = None,
) -> TrendsQuery:
    errors: dict[str, str] = {}
    definition = indicator_from(query.get("indicator"), errors)
    code = query.get("council") or default_council
    council = None
    if code != ALL:
        council = next((c for c in compared if c.dfe_la_code == code), None)
        if council is None:
            errors["council"] = "Choose a council from the list, or all councils"
            code = ALL
    kind = period_kind_from(query.get("period_kind"), errors)
    span = DEFAULT_MONTHS.get(kind, LONG_DEFAULT_MONTHS)
    first, last, first_text, last_text = month_range(query, latest, earliest, span, errors)
    target_text = (query.get("target") or "").strip()
    target = _target(target_text, errors)
    baseline_text = (query.get("baseline") or "").strip()
    baseline = _baseline(baseline_text, errors)
    fmt = download_format(query, errors)
    return TrendsQuery(
        definition,
        council,
        code,
        kind,
        first,
        last,
        first_text,
        last_text,
        target,
        target_text,
        baseline,
        baseline_text,
        fmt,
        errors,
    )


def _target(text: str, errors: dict[str, str]) -> float | None:
    if not text:
        return None
    try:
        target = float(text)
    except ValueError:
        target = math.nan
    if not math.isfinite(target):
        errors["target"] = "The target must be a number, for example 85 or 12.5"
        return None
    return target


def _baseline(text: str, errors: dict[str, str]) -> int | None:
    if not text:
        return None
    if not text.isdigit() or int(text) < 2:
        errors["baseline"] = "The baseline must be a whole number of periods, 2 or more"
        return None
    return int(text)


def short_label(period: Period) -> str:
    """A label short enough for a chart axis."""
    if period.kind == PeriodKind.MONTH:
        return f"{govuk_month(period.start, 'short')}"
    if period.kind == PeriodKind.ROLLING_12_MONTHS:
        return f"to {govuk_month(period.end, 'short')}"
    return period.label


@dataclass
class Trend:
    cells: list[engine.Cell]
    points: list[engine.Cell]  # the cells with a value: what the chart plots
    chart: spc.XmR | None
    summary: list[str]
    image: str | None
    table: Table
    left_out: int


def build_trend(q: TrendsQuery, compared: list[Council]) -> Trend:
    assert q.first is not None and q.last is not None
    definition = q.definition
    councils = [q.council] if q.council is not None else compared
    result = disclosure.compute(
        councils=councils,
        period_kind=q.period_kind,
        first=q.first,
        last=q.last,
        indicators=[definition.code],
        combined=q.council is None,
    )
    council_id = q.council.pk if q.council is not None else None
    cells = result.series(definition.code, council_id)
    points = [c for c in cells if c.value is not None]
    where = q.council.name if q.council is not None else "all councils together"
    noun, plural = NOUNS[PeriodKind(q.period_kind)]
    chart = None
    summary: list[str] = []
    image = None
    baseline_error = None
    if len(points) >= 2:
        baseline = q.baseline
        if baseline is not None and baseline > len(points):
            baseline_error = (
                f"The baseline of {baseline} {plural} is longer than the {len(points)} "
                f"{plural} with a value; the limits use them all."
            )
            baseline = None
        values = [float(c.value) for c in points if c.value is not None]
        chart = spc.xmr(values, polarity=definition.polarity, target=q.target, baseline=baseline)
        labels = [c.period.label for c in points]
        summary = spc.summary(
            chart, labels, noun=noun, plural=plural, fmt=charts.number_formatter(definition.unit)
        )
        if baseline_error:
            summary.append(baseline_error)
        if q.period_kind == PeriodKind.ROLLING_12_MONTHS:
            summary.append(
                "Rolling 12-month figures share 11 of their 12 months with the next one, so "
                "runs and trends appear more often than chance would make them: read special "
                "causes here with care, or choose months or quarters."
            )
        image = _image(definition, where, points, chart)
    table = _table(definition, where, cells, chart, points)
    return Trend(cells, points, chart, summary, image, table, len(cells) - len(points))


def _image(
    definition: IndicatorDefinition, where: str, points: list[engine.Cell], chart: spc.XmR
) -> str:
    first, last = points[0].period.label, points[-1].period.label
    title = f"{definition.name}, {where}"
    labels = [short_label(c.period) for c in points]
    data = {
        "title": title,
        "labels": labels,
        "values": chart.values,
        "polarity": chart.polarity,
        "target": chart.target,
        "baseline": chart.baseline,
        "unit": definition.unit,
    }

    def render_svg() -> str:
        return charts.spc_chart(
            title=title,
            labels=labels,
            chart=chart,
            y_label=value_label(definition),
            unit=definition.unit,
        )

    svg = charts.cached_svg("spc", data, render_svg)
    special = len(chart.special_points)
    alt = (
        f"Statistical process control chart of {definition.name.lower()} for {where} from "
        f"{first} to {last}: the values, their average and the process limits. "
        f"{special} of {len(points)} points show special cause variation; the latest point "
        f"shows {chart.reading[:1].lower()}{chart.reading[1:]}. The summary and the table "
        "below describe it."
    )
    return str(charts.svg_img(svg, alt))


def _table(
    definition: IndicatorDefinition,
    where: str,
    cells: list[engine.Cell],
    chart: spc.XmR | None,
    points: list[engine.Cell],
) -> Table:
    by_period = {}
    if chart is not None:
        by_period = {cell.period: point for cell, point in zip(points, chart.points, strict=True)}
    rows: list[Sequence[TableCell]] = []
    for cell in cells:
        point = by_period.get(cell.period)
        rows.append(
            [
                cell.period.label,
                *disclosure.figures(
                    cell.suppressed,
                    whole(cell.numerator),
                    whole(cell.denominator),
                    value_of(definition, cell.value),
                ),
                point.reading if point else "–",
                "; ".join(sorted(point.rules)).capitalize() if point and point.rules else "–",
            ]
        )
    notes = [
        f"{definition.name}: {definition.description}",
        f"Numerator: {definition.numerator}",
        f"Denominator: {definition.denominator}",
    ]
    if chart is not None:
        fmt = charts.number_formatter(definition.unit)
        notes.append(
            f"Average {fmt(chart.mean)}; process limits {fmt(chart.lower_limit)} to "
            f"{fmt(chart.upper_limit)} (average ± 2.66 × mean moving range of "
            f"{fmt(chart.mean_moving_range)}, over the first {chart.baseline} periods)."
        )
        notes.append(
            "Special cause rules (NHS England, Making Data Count): a point outside the "
            "limits; 7 or more in a row above or below the average; 7 or more in a row "
            "rising or falling; 2 of 3 beyond two sigma on the same side."
        )
    notes.append(f"Made {govuk_date(timezone.localdate())} by Continuum; aggregates only.")
    return Table(
        caption=f"{definition.name}, {where}",
        columns=[
            "Period",
            "Numerator",
            "Denominator",
            f"Value ({value_label(definition).lower()})",
            "Variation",
            "Special cause rules",
        ],
        rows=rows,
        numeric=[False, True, True, True, False, False],
        notes=notes,
    )


def council_options(compared: list[Council], selected: str) -> list[dict[str, object]]:
    options: list[dict[str, object]] = [
        {"value": ALL, "text": "All councils together", "selected": selected == ALL}
    ]
    options += [
        {"value": c.dfe_la_code, "text": c.name, "selected": selected == c.dfe_la_code}
        for c in compared
    ]
    return options


def first_month_of_records() -> date | None:
    """The month the front door's first submitted contact arrived in, if any."""
    first = Contact.objects.filter(submitted_at__isnull=False).aggregate(first=Min("received_at"))
    if first["first"] is None:
        return None
    return timezone.localtime(first["first"]).date().replace(day=1)


@requires(PerformanceAction.VIEW_DASHBOARDS)
def trends(request: AuthenticatedRequest) -> HttpResponse:
    compared = list(councils_compared(request.user))
    own = request.user.council
    default_council = own.dfe_la_code if own is not None and own in compared else ALL
    latest = last_complete_month()
    q = parse_trends(request.GET, compared, default_council, latest, first_month_of_records())
    context: dict[str, object] = {
        "tabs": tabs(request.path),
        "errors": q.errors,
        "query": q,
        "definition": q.definition,
        "indicator_groups": indicator_options(q.definition.code),
        "period_kind_options": period_kind_options(q.period_kind),
        "council_options": council_options(compared, q.council_code),
        "latest": latest,
    }
    if q.errors:
        return render(request, "performance/trends.html", context, status=400)
    trend = build_trend(q, compared)
    if q.fmt:
        return download_response(trend.table, trend.table.caption, q.fmt)
    noun, plural = NOUNS[PeriodKind(q.period_kind)]
    context |= {
        "trend": trend,
        "where": q.council.name if q.council is not None else "all councils together",
        "download_query": q.query_string(),
        "plural": plural,
    }
    return render(request, "performance/trends.html", context)

"""Joint front doors: the front door's headline indicators for each hub month by month, with
its councils beneath, and, for each council that joined a hub part way through, the months
before and after it joined on a control chart (``hub_figures``).

``?from=YYYY-MM&to=YYYY-MM`` (default: the 60 months to the last complete month, from the
first contact on) ``&months=N`` (months before and after joining, default 12)
``&table=<key>&format=csv|xlsx`` downloads one of the page's tables. Bad parameters show
the page with the GOV.UK error summary and a 400 status.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify

from continuum.access.requests import AuthenticatedRequest, requires
from continuum.organisations.models import Council
from continuum.performance import catalogue, charts
from continuum.performance.catalogue import IndicatorDefinition, Unit
from continuum.performance.disclosure import MARKER, figures
from continuum.performance.engine import Cell
from continuum.performance.hub_figures import (
    BEFORE_AFTER_MONTHS,
    INDICATORS,
    BeforeAfter,
    HubFigures,
    Joining,
    before_after,
    hub_figures,
)
from continuum.performance.navigation import tabs
from continuum.performance.periods import last_complete_month
from continuum.performance.policies import PerformanceAction, councils_compared
from continuum.performance.tables import Cell as TableCell
from continuum.performance.tables import Table, download_response
from continuum.performance.views.comparison import (
    download_format,
    value_label,
    value_of,
    whole,
)
from continuum.performance.views.trends import first_month_of_records, month_range
from continuum.ui.dates import govuk_date, govuk_month

DEFAULT_MONTHS = 60
CONTACTS = "fd_contacts_per_10k"
CHARTED = "fd_decided_within_1wd_pct"


@dataclass
class HubsQuery:
    first: date | None
    last: date | None
    first_text: str
    last_text: str
    months: int
    months_text: str
    table: str | None
    fmt: str | None
    errors: dict[str, str] = field(default_factory=dict)

    def query_string(self, table: str) -> str:
        values = {"from": self.first_text, "to": self.last_text, "table": table}
        if self.months_text:
            values["months"] = self.months_text
        return urlencode(values)


def parse_hubs(query: QueryDict, latest: date, earliest: date | None) -> HubsQuery:
    errors: dict[str, str] = {}
    first, last, first_text, last_text = month_range(
        query, latest, earliest, DEFAULT_MONTHS, errors
    )
    months_text = (query.get("months") or "").strip()
    months = BEFORE_AFTER_MONTHS
    if months_text:
        if not months_text.isdigit() or not 2 <= int(months_text) <= 36:
            errors["months"] = "Months before and after joining must be a whole number, 2 to 36"
        else:
            months = int(months_text)
    fmt = download_format(query, errors)
    table = query.get("table") or None
    if fmt is not None and table is None:
        errors["format"] = "Choose which table to download"
    return HubsQuery(first, last, first_text, last_text, months, months_text, table, fmt, errors)


# --- the page's parts ------------------------------------------------------------------------


@dataclass
class HubPart:
    name: str
    councils: list[Council]
    table: Table
    breakdown: Table
    image: str | None
    key: str


@dataclass
class JoiningPart:
    joining: Joining
    summary: Table
    comparisons: list[tuple[BeforeAfter, str | None, Table, str]]
    key: str


def _columns() -> list[str]:
    columns = ["Contacts"]
    for code in INDICATORS:
        definition = catalogue.get(code)
        columns.append(f"{definition.name} ({value_label(definition).lower()})")
    return columns


def _figures_of(cells: Sequence[Cell | None]) -> list[TableCell]:
    """A row's figures: the contacts counted, then each indicator's value; [c] where
    suppressed, a dash where there is nothing (the council was not in the hub)."""
    contacts = cells[0]
    row: list[TableCell] = [
        None if contacts is None else figures(contacts.suppressed, whole(contacts.numerator))[0]
    ]
    for code, cell in zip(INDICATORS, cells, strict=True):
        if cell is None:
            row.append(None)
        else:
            row.append(figures(cell.suppressed, value_of(catalogue.get(code), cell.value))[0])
    return row


def _notes() -> list[str]:
    notes = [
        "A hub's figure for a month adds the numerators and denominators of the councils "
        "whose front door it ran under a data-sharing agreement in force that month (from "
        "the month a council joined) and divides again: rates are never averaged."
    ]
    for code in INDICATORS:
        d = catalogue.get(code)
        notes.append(f"{d.name}: {d.numerator} over {d.denominator.lower()}.")
    notes.append(f"Made {govuk_date(timezone.localdate())} by Continuum; aggregates only.")
    return notes


def hub_part(figures_: HubFigures, hub: str) -> HubPart:
    key = f"hub-{slugify(hub)}"
    councils = figures_.councils_of(hub)
    numeric = [False, True, *[True for _ in INDICATORS]]
    rows: list[Sequence[TableCell]] = []
    for month in figures_.months:
        cells = [figures_.hub_cell(code, hub, month) for code in INDICATORS]
        if all(c is None for c in cells):
            continue
        rows.append([govuk_month(month), *_figures_of(cells)])
    table = Table(
        caption=f"{hub}: the front door month by month",
        columns=["Month", *_columns()],
        rows=rows,
        numeric=numeric,
        notes=_notes(),
    )
    breakdown_rows: list[Sequence[TableCell]] = []
    for month in figures_.months:
        for council in councils:
            if figures_.membership.get((council.pk, month)) != hub:
                continue
            cells = [figures_.council_cell(code, council, month) for code in INDICATORS]
            breakdown_rows.append([f"{govuk_month(month)}: {council.name}", *_figures_of(cells)])
    breakdown = Table(
        caption=f"{hub}: each council's front door in the months the hub ran it",
        columns=["Month and council", *_columns()],
        rows=breakdown_rows,
        numeric=numeric,
        notes=_notes(),
    )
    return HubPart(hub, councils, table, breakdown, _hub_image(figures_, hub, councils), key)


def _hub_image(figures_: HubFigures, hub: str, councils: list[Council]) -> str | None:
    definition = catalogue.get(CHARTED)
    months = figures_.months
    series: dict[str, list[float | None]] = {hub: []}
    for council in councils:
        series[council.name] = []
    for month in months:
        cell = figures_.hub_cell(CHARTED, hub, month)
        series[hub].append(cell.value if cell is not None else None)
        for council in councils:
            own = (
                figures_.council_cell(CHARTED, council, month)
                if figures_.membership.get((council.pk, month)) == hub
                else None
            )
            series[council.name].append(own.value if own is not None else None)
    if not any(v is not None for v in series[hub]):
        return None
    labels = [govuk_month(m, "short") for m in months]
    title = f"{definition.name}, {hub}"
    data = {"title": title, "labels": labels, "series": series}

    def render_svg() -> str:
        return charts.line_chart(
            title=title,
            x_labels=labels,
            series=series,
            y_label=value_label(definition),
            unit=definition.unit,
        )

    svg = charts.cached_svg("line", data, render_svg)
    alt = (
        f"Line chart of {definition.name.lower()} for {hub} and each of its councils, month "
        f"by month from {govuk_month(months[0])} to {govuk_month(months[-1])}. The tables "
        "below give the figures."
    )
    return str(charts.svg_img(svg, alt))


def _fmt(definition: IndicatorDefinition, value: float | None) -> TableCell:
    return None if value is None else value_of(definition, value)


def joining_part(figures_: HubFigures, joining: Joining, months: int) -> JoiningPart:
    key = f"joined-{slugify(joining.council.name)}"
    comparisons = []
    rows: list[Sequence[TableCell]] = []
    for code in INDICATORS:
        ba = before_after(figures_, joining, code, months=months)
        d = ba.definition
        rows.append(
            [
                d.name,
                f"{len(ba.before)} of {ba.before_months}",
                _fmt(d, ba.before_mean),
                f"{len(ba.after)} of {ba.after_months}",
                _fmt(d, ba.after_mean),
                _fmt(d, ba.difference),
            ]
        )
        chart_key = f"{key}-{code}"
        comparisons.append((ba, _before_after_image(ba), _before_after_table(ba), chart_key))
    summary = Table(
        caption=(
            f"{joining.council.name} before and after joining {joining.hub} in "
            f"{govuk_month(joining.month)}"
        ),
        columns=[
            "Indicator",
            "Months before with a value",
            "Average before",
            "Months after with a value",
            "Average after",
            "Difference (after less before)",
        ],
        rows=rows,
        numeric=[False, True, True, True, True, True],
        notes=[
            f"Averages of the monthly values over up to {months} months before the month "
            "the council joined and up to as many from that month on (fewer where the "
            "period starts later or ends sooner; months with no value or [c] are left out).",
            f"Made {govuk_date(timezone.localdate())} by Continuum; aggregates only.",
        ],
    )
    return JoiningPart(joining, summary, comparisons, key)


def _before_after_image(ba: BeforeAfter) -> str | None:
    chart = ba.chart
    if chart is None:
        return None
    d = ba.definition
    points = [*ba.before, *ba.after]
    labels = [govuk_month(c.period.start, "short") for c in points]
    title = f"{d.name}, {ba.joining.council.name}"
    marker = f"Joined {ba.joining.hub} ({govuk_month(ba.joining.month, 'short')})"
    data = {
        "title": title,
        "labels": labels,
        "values": chart.values,
        "baseline": chart.baseline,
        "polarity": chart.polarity,
        "marker": marker,
        "unit": d.unit,
    }

    def render_svg() -> str:
        return charts.spc_chart(
            title=title,
            labels=labels,
            chart=chart,
            y_label=value_label(d),
            unit=d.unit,
            baseline_label=marker,
        )

    svg = charts.cached_svg("spc", data, render_svg)
    alt = (
        f"Statistical process control chart of {d.name.lower()} for "
        f"{ba.joining.council.name}, {len(ba.before)} months before joining {ba.joining.hub} "
        f"in {govuk_month(ba.joining.month)} and {len(ba.after)} months from then, with the "
        "average and process limits of the months before and a dotted line at joining. "
        f"{len(chart.special_points)} points show special cause variation. The table below "
        "gives the figures."
    )
    return str(charts.svg_img(svg, alt))


def _before_after_table(ba: BeforeAfter) -> Table:
    d = ba.definition
    readings = {}
    if ba.chart is not None:
        points = [*ba.before, *ba.after]
        readings = {c.period: p for c, p in zip(points, ba.chart.points, strict=True)}
    rows: list[Sequence[TableCell]] = []
    for cell in ba.cells:
        point = readings.get(cell.period)
        rows.append(
            [
                govuk_month(cell.period.start),
                "Before" if cell.period.start < ba.joining.month else "After",
                *figures(
                    cell.suppressed,
                    whole(cell.numerator),
                    whole(cell.denominator),
                    value_of(d, cell.value),
                ),
                point.reading if point else "–",
            ]
        )
    return Table(
        caption=f"{d.name}, {ba.joining.council.name}, before and after joining {ba.joining.hub}",
        columns=[
            "Month",
            "Before or after joining",
            "Numerator",
            "Denominator",
            f"Value ({value_label(d).lower()})",
            "Variation",
        ],
        rows=rows,
        numeric=[False, False, True, True, True, False],
        notes=[
            f"{d.name}: {d.description}",
            "The average and process limits are those of the months before joining.",
            f"Made {govuk_date(timezone.localdate())} by Continuum; aggregates only.",
        ],
    )


@requires(PerformanceAction.VIEW_DASHBOARDS)
def hubs(request: AuthenticatedRequest) -> HttpResponse:
    compared = list(councils_compared(request.user))
    latest = last_complete_month()
    q = parse_hubs(request.GET, latest, first_month_of_records())
    context: dict[str, object] = {
        "tabs": tabs(request.path),
        "errors": q.errors,
        "query": q,
        "latest": latest,
        "marker": MARKER,
    }
    if q.errors:
        return render(request, "performance/hubs.html", context, status=400)
    assert q.first is not None and q.last is not None
    found = hub_figures(councils=compared, first=q.first, last=q.last)
    hub_parts = [hub_part(found, hub.label) for hub in found.hubs]
    joining_parts = [joining_part(found, j, q.months) for j in found.joinings]
    if q.fmt:
        tables: dict[str, Table] = {}
        for part in hub_parts:
            tables[part.key] = part.table
            tables[f"{part.key}-councils"] = part.breakdown
        for joined in joining_parts:
            tables[joined.key] = joined.summary
            for _, _, table, chart_key in joined.comparisons:
                tables[chart_key] = table
        chosen = tables.get(q.table or "")
        if chosen is None:
            raise Http404("There is no such table on this page.")
        return download_response(chosen, chosen.caption, q.fmt)
    context |= {
        "hub_parts": [
            {
                "part": part,
                "query": q.query_string(part.key),
                "breakdown_query": q.query_string(f"{part.key}-councils"),
            }
            for part in hub_parts
        ],
        "joining_parts": [
            {
                "part": joined,
                "query": q.query_string(joined.key),
                "comparisons": [
                    {"ba": ba, "image": image, "table": table, "query": q.query_string(k)}
                    for ba, image, table, k in joined.comparisons
                ],
            }
            for joined in joining_parts
        ],
        "months": q.months,
        "contacts_unit": Unit.COUNT,
    }
    return render(request, "performance/hubs.html", context)

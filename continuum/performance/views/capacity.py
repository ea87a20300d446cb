"""The capacity page: caseloads against the norm, the waiting list, time to allocation and
next quarter's projected demand. Workers and teams only for councils in detail."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from continuum.access.requests import AuthenticatedRequest, requires
from continuum.performance import charts
from continuum.performance.capacity import (
    WAIT_BANDS,
    Capacity,
    CouncilCapacity,
    Demand,
    combined_demand,
    compute_capacity,
)
from continuum.performance.navigation import tabs
from continuum.performance.policies import PerformanceAction
from continuum.performance.tables import Cell, Table, download_response, one_decimal
from continuum.performance.views.params import cached, parse_choice
from continuum.timescales.months import add_months
from continuum.ui.dates import govuk_date, govuk_month

TABLES = ("caseloads", "teams", "workers", "waiting", "allocation", "demand")


def caseload_table(capacity: Capacity) -> Table:
    return Table(
        caption="Caseloads against each council's norm",
        columns=[
            "Council",
            "Caseload norm (families)",
            "Open allocated episodes",
            "Lead professionals",
            "Average caseload",
            "Lead professionals over the norm",
            "% over the norm",
        ],
        numeric=[False, True, True, True, True, True, True],
        rows=[
            [
                row.council.name,
                row.norm,
                row.open_episodes,
                row.workers,
                one_decimal(row.average),
                row.workers_over_norm,
                one_decimal(row.percent_over_norm),
            ]
            for row in capacity.councils
        ],
        notes=[
            f"Open early help episodes with a lead professional on {govuk_date(capacity.as_of)}."
        ],
    )


def team_table(rows: list[CouncilCapacity]) -> Table:
    return Table(
        caption="Caseloads by team",
        columns=[
            "Council",
            "Team",
            "Caseload norm",
            "Lead professionals",
            "Open episodes",
            "Average",
            "Over the norm",
        ],
        numeric=[False, False, True, True, True, True, True],
        rows=[
            [
                row.council.name,
                t.name,
                row.norm,
                t.workers,
                t.open_episodes,
                one_decimal(t.average),
                t.workers_over_norm,
            ]
            for row in rows
            for t in row.teams
        ],
    )


def worker_table(rows: list[CouncilCapacity]) -> Table:
    return Table(
        caption="Caseloads by lead professional",
        columns=[
            "Council",
            "Lead professional",
            "Organisation",
            "Teams",
            "Open episodes",
            "Caseload norm",
            "Over the norm by",
        ],
        numeric=[False, False, False, False, True, True, True],
        rows=[
            [
                row.council.name,
                w.name,
                w.organisation,
                w.teams,
                w.open_episodes,
                w.norm,
                w.over_norm,
            ]
            for row in rows
            for w in row.worker_rows
        ],
    )


def waiting_table(capacity: Capacity) -> Table:
    rows: list[Sequence[Cell]] = []
    for row in capacity.councils:
        lines = [("All teams", row.waiting)] + row.waiting_by_team
        for team, waiting in lines:
            rows.append(
                [
                    row.council.name,
                    team,
                    waiting.families,
                    one_decimal(waiting.median_days),
                    waiting.longest_days,
                    *waiting.bands,
                ]
            )
    return Table(
        caption="Families waiting for a lead professional",
        columns=[
            "Council",
            "Team",
            "Families waiting",
            "Median wait (days)",
            "Longest wait (days)",
            *(label for label, _, _ in WAIT_BANDS),
        ],
        numeric=[False, False] + [True] * (3 + len(WAIT_BANDS)),
        rows=rows,
        notes=[
            "Episodes awaiting allocation; calendar days since the front door's decision "
            f"(or the episode's start), on {govuk_date(capacity.as_of)}."
        ],
    )


def allocation_table(capacity: Capacity) -> Table:
    rows: list[Sequence[Cell]] = []
    for row in capacity.councils:
        for month in row.allocation:
            rows.append(
                [
                    row.council.name,
                    f"{govuk_month(month.month)}",
                    month.allocated,
                    one_decimal(month.median_days),
                    one_decimal(month.p90_days),
                ]
            )
        overall = row.allocation_overall
        if overall is not None:
            rows.append(
                [
                    row.council.name,
                    "All 12 months",
                    overall.allocated,
                    one_decimal(overall.median_days),
                    one_decimal(overall.p90_days),
                ]
            )
    return Table(
        caption="Days from the front door's decision to allocation, by month of allocation",
        columns=[
            "Council",
            "Month",
            "Episodes allocated",
            "Median (days)",
            "90th percentile (days)",
        ],
        numeric=[False, False, True, True, True],
        rows=rows,
        notes=[
            "Episodes opened from a front-door decision; calendar days. The 90th percentile "
            "is the wait that 9 in 10 families did not exceed."
        ],
    )


def _demand_row(council: str, demand: Demand) -> list[Cell]:
    p = demand.projection
    return [
        council,
        demand.what,
        sum(demand.counts),
        one_decimal(p.per_month_change),
        round(p.expected),
        round(p.low),
        round(p.high),
        None if p.same_quarter_last_year is None else round(p.same_quarter_last_year),
    ]


def demand_table(capacity: Capacity) -> Table:
    rows: list[Sequence[Cell]] = [
        _demand_row(r.council.name, d) for r in capacity.councils for d in r.demand
    ]
    if len(capacity.councils) > 1:
        rows += [_demand_row("All councils together", d) for d in combined_demand(capacity)]
    first, last = capacity.quarter
    return Table(
        caption=f"Demand projected for {govuk_month(first, 'name')} to {govuk_month(last)}",
        columns=[
            "Council",
            "Measure",
            "Last 12 months",
            "Trend (change per month)",
            "Projected",
            "Range from",
            "Range to",
            "Same months a year earlier",
        ],
        numeric=[False, False, True, True, True, True, True, True],
        rows=rows,
        notes=[
            f"From the 12 months {govuk_month(capacity.months[0])} to "
            f"{govuk_month(capacity.months[-1])}: "
            "a straight-line trend carried forward; the range is 1.96 times the months' "
            "spread around the line over three months."
        ],
    )


def caseload_chart(capacity: Capacity, detail_rows: list[CouncilCapacity]) -> str:
    """Average caseload by council, and by team for the councils in detail, against the norm
    (a line when every bar shares one norm); bars over their norm drawn hatched."""
    bars: list[tuple[str, float | None, int]] = [
        (row.council.name, row.average, row.norm) for row in capacity.councils
    ]
    for row in detail_rows:
        bars += [(f"{row.council.name}: {t.name}", t.average, row.norm) for t in row.teams]
    if not any(value is not None for _, value, _ in bars):
        return ""
    norms = {norm for _, _, norm in bars}
    data = [(name, None if value is None else round(value, 2), norm) for name, value, norm in bars]

    def render() -> str:
        return charts.bar_chart(
            title="Average caseload (families per lead professional)",
            categories=[name for name, _, _ in bars],
            values=[value for _, value, _ in bars],
            x_label="Families per lead professional",
            reference=norms.pop() if len(norms) == 1 else None,
            reference_label="Caseload norm",
            highlight=[value is not None and value > norm for _, value, norm in bars],
        )

    svg = charts.cached_svg("caseloads", data, render)
    alt = (
        "Bar chart of the average caseload by council"
        + (" and team" if detail_rows else "")
        + "; bars over the council's norm are hatched. The tables below give every number."
    )
    return str(charts.svg_img(svg, alt))


def demand_chart(capacity: Capacity) -> str:
    """Each month's contacts and episode starts (all the councils shown, together) and the
    projected months of next quarter, as lines."""
    totals = (
        combined_demand(capacity) if len(capacity.councils) > 1 else capacity.councils[0].demand
    )
    months = [f"{govuk_month(m, 'short')}" for m in capacity.months]
    first, _ = capacity.quarter
    ahead = [add_months(first, i) for i in range(3)]
    labels = months + [f"{govuk_month(m, 'short')}" for m in ahead]
    series: dict[str, list[float | None]] = {}
    for demand in totals:
        history: list[float | None] = [float(c) for c in demand.counts]
        series[demand.what] = history + [None, None, None]
        series[f"{demand.what}: projected"] = [None] * len(history) + [
            round(v, 1) for v in demand.projection.monthly
        ]
    data = {"labels": labels, "series": series}

    def render() -> str:
        return charts.line_chart(
            title="Demand each month, and next quarter's projection",
            x_labels=labels,
            series=series,
            y_label="Each month",
        )

    svg = charts.cached_svg("demand", data, render)
    alt = (
        "Line chart of contacts received and early help episodes started each month for the "
        "last 12 months, and the projection for each month of next quarter. The table below "
        "gives every number."
    )
    return str(charts.svg_img(svg, alt))


@requires(PerformanceAction.VIEW_DASHBOARDS)
def capacity(request: AuthenticatedRequest) -> HttpResponse:
    choice = parse_choice(request.user, request.GET, today=timezone.localdate(), months=False)
    which = request.GET.get("table", "").strip()
    if choice.download and which not in TABLES:
        choice.errors["format"] = "Choose which table to download."
    context: dict[str, object] = {
        "tabs": tabs(request.path),
        "choice": choice,
        "errors": choice.errors,
    }
    if choice.errors:
        return render(request, "performance/capacity.html", context, status=400)
    today = timezone.localdate()
    result = cached(
        "capacity",
        ([c.pk for c in choice.councils], [c.pk for c in choice.detail], today),
        lambda: compute_capacity(councils=choice.councils, detail=choice.detail, as_of=today),
    )
    detail_rows = [row for row in result.councils if row.detail]
    tables = {
        "caseloads": caseload_table(result),
        "teams": team_table(detail_rows),
        "workers": worker_table(detail_rows),
        "waiting": waiting_table(result),
        "allocation": allocation_table(result),
        "demand": demand_table(result),
    }
    if choice.download:
        return download_response(tables[which], f"Capacity {which}", choice.download)
    context |= {
        "capacity": result,
        "tables": tables,
        "detail_rows": detail_rows,
        "caseload_chart": caseload_chart(result, detail_rows),
        "demand_chart": demand_chart(result) if result.councils else "",
        "queries": {name: f"{choice.query(months=False)}&table={name}" for name in TABLES},
    }
    return render(request, "performance/capacity.html", context)

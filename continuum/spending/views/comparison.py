"""The comparison page (``spending:comparison``): councils side by side across financial
years, the measure and prices chosen, its chart with its table, the tables by category,
funding source and the voluntary sector, the flags, and each table as CSV or XLSX
(``?table=<name>&format=csv|xlsx``). A query it cannot answer shows the error summary with
a 400 status."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from continuum.access.requests import AuthenticatedRequest, requires
from continuum.performance import disclosure
from continuum.performance.tables import DOWNLOAD_FORMATS, Table, download_response
from continuum.spending import comparison_tables as tables
from continuum.spending.comparison import (
    MEASURES,
    PRICES,
    Comparison,
    QueryError,
    compare,
    councils_for,
    default_years,
    parse_query,
)
from continuum.spending.flags import Flag, flags_for
from continuum.spending.models import SpendingReturn, financial_year_label
from continuum.spending.policies import SpendingAction
from continuum.ui.errors import errors_by_field

QUERY_KEYS = ("councils", "years", "measure", "prices")


def _year_options(councils: list, chosen: list[int]) -> list[dict[str, object]]:
    years = sorted(
        set(
            SpendingReturn.objects.filter(council__in=councils).values_list(
                "financial_year", flat=True
            )
        )
        | set(default_years(councils))
        | set(chosen)
    )
    return [
        {"value": financial_year_label(y), "text": financial_year_label(y), "checked": y in chosen}
        for y in years
    ]


def _download_queries(request: AuthenticatedRequest) -> dict[str, str]:
    """Each table's query string for its download links (the page's, and which table)."""
    out = {}
    for name in tables.TABLES:
        query = request.GET.copy()
        query.pop("format", None)
        query["table"] = name
        out[name] = query.urlencode()
    return out


def _tables(comparison: Comparison, flags: list[Flag]) -> dict[str, list[Table]]:
    latest = comparison.years[-1]
    return {
        "measure": [tables.measure_table(comparison)],
        "categories": [tables.category_table(comparison, latest)],
        "sources": [tables.source_table(comparison, latest)],
        "voluntary": [tables.voluntary_table(comparison)],
        "denominators": [tables.denominators_table(comparison)],
        "flags": [tables.flags_table(flags)],
    }


@requires(SpendingAction.VIEW_COMPARISON)
@require_http_methods(["GET"])
def comparison_page(request: AuthenticatedRequest) -> HttpResponse:
    available = councils_for(request.user)
    errors: dict[str, str] = {}
    try:
        query = parse_query(
            available,
            councils=request.GET.getlist("councils"),
            years=request.GET.getlist("years"),
            measure=request.GET.get("measure"),
            prices=request.GET.get("prices"),
        )
    except QueryError as exc:
        errors = {k: " ".join(v) for k, v in errors_by_field(exc).items()}
        query = None
    fmt, which = request.GET.get("format"), request.GET.get("table") or "measure"
    if (
        query is not None
        and fmt is not None
        and (fmt not in DOWNLOAD_FORMATS or which not in tables.TABLES)
    ):
        errors["format"] = "Download a table as CSV or XLSX from the links under it."
    context: dict[str, object] = {
        "errors": errors,
        "measures": [
            {"value": k, "text": v, "checked": query is not None and query.measure == k}
            for k, v in MEASURES.items()
        ],
        "prices": [
            {"value": k, "text": v, "checked": query is not None and query.prices == k}
            for k, v in PRICES.items()
        ],
        "council_options": [
            {"value": c.pk, "text": c.name, "checked": query is not None and c in query.councils}
            for c in available
        ],
        "year_options": _year_options(available, query.years if query else []),
        "disclosure_meaning": disclosure.MEANING,
    }
    if errors or query is None:
        return render(request, "spending/comparison.html", context, status=400)
    comparison = compare(query)
    flags = flags_for(comparison)
    built = _tables(comparison, flags)
    if fmt is not None:
        return download_response(built[which][0], built[which][0].caption, fmt)
    title, image, chart_table = tables.chart(comparison)
    context.update(
        comparison=comparison,
        flags=flags,
        chart={"title": title, "image": image, "table": chart_table},
        tables=built,
        latest_label=financial_year_label(comparison.years[-1]),
        downloads=_download_queries(request),
    )
    return render(request, "spending/comparison.html", context)

"""The continuum flow page: a Sankey diagram of where a cohort's children went next."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from continuum.access.requests import AuthenticatedRequest, requires
from continuum.performance.charts import svg_img
from continuum.performance.flow import FOLLOW_UP_DAYS, STAGES, compute_flow
from continuum.performance.flow_chart import sankey_svg
from continuum.performance.navigation import tabs
from continuum.performance.policies import PerformanceAction
from continuum.performance.tables import download_response
from continuum.performance.views.params import cached, parse_choice
from continuum.ui.dates import govuk_month


@requires(PerformanceAction.VIEW_DASHBOARDS)
def flow(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    choice = parse_choice(request.user, request.GET, today=today)
    context: dict[str, object] = {
        "tabs": tabs(request.path),
        "choice": choice,
        "errors": choice.errors,
        "follow_up_days": FOLLOW_UP_DAYS,
        "stages": STAGES,
    }
    if choice.errors:
        return render(request, "performance/flow.html", context, status=400)
    assert choice.first is not None and choice.last is not None
    first, last = choice.first, choice.last
    result = cached(
        "flow",
        ([c.pk for c in choice.councils], first, last, today),
        lambda: compute_flow(
            councils=choice.councils, first=first, last=last, as_of=today
        ).protected(),
    )
    table = result.table()
    if choice.download:
        return download_response(table, "Continuum flow", choice.download)
    where = choice.councils[0].name if len(choice.councils) == 1 else "all councils together"
    alt = (
        f"Sankey diagram: where the {result.children_text} children with a contact, or on "
        f"early help opened by a partner, in {where} "
        f"from {govuk_month(result.first)} to {govuk_month(result.last)} went next. "
        "The table below the diagram gives every number."
    )
    svg = sankey_svg(result.shown())
    context |= {
        "flow": result,
        "where": where,
        "chart": svg_img(svg, alt) if svg else "",
        "table": table,
        "download_query": choice.query(),
    }
    return render(request, "performance/flow.html", context)

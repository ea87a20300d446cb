"""The data-quality page: missing or invalid values that affect indicators, by council and
(for the councils the user works for) by team. Counts only."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from continuum.access.requests import AuthenticatedRequest, requires
from continuum.performance.data_quality import CHECKS, compute_data_quality
from continuum.performance.navigation import tabs
from continuum.performance.policies import PerformanceAction
from continuum.performance.tables import download_response
from continuum.performance.views.params import cached, parse_choice


@requires(PerformanceAction.VIEW_DASHBOARDS)
def data_quality(request: AuthenticatedRequest) -> HttpResponse:
    choice = parse_choice(request.user, request.GET, today=timezone.localdate())
    context: dict[str, object] = {
        "tabs": tabs(request.path),
        "choice": choice,
        "errors": choice.errors,
        "checks": CHECKS,
    }
    if choice.errors:
        return render(request, "performance/data_quality.html", context, status=400)
    assert choice.first is not None and choice.last is not None
    first, last = choice.first, choice.last
    result = cached(
        "data_quality",
        ([c.pk for c in choice.councils], [c.pk for c in choice.detail], first, last),
        lambda: compute_data_quality(
            councils=choice.councils, detail=choice.detail, first=first, last=last
        ),
    )
    if choice.download:
        return download_response(result.download_table(), "Data quality", choice.download)
    context |= {
        "quality": result,
        "summary": result.summary_table(),
        "team_tables": [result.team_table(council) for council in result.detail],
        "download_query": choice.query(),
    }
    return render(request, "performance/data_quality.html", context)

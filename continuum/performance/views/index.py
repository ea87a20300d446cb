"""The performance section's front page: what each dashboard answers."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from continuum.access.requests import AuthenticatedRequest, requires
from continuum.performance.navigation import DASHBOARDS, tabs
from continuum.performance.policies import PerformanceAction, councils_in_detail


@requires(PerformanceAction.VIEW_DASHBOARDS)
def index(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "performance/index.html",
        {
            "tabs": tabs(request.path),
            "dashboards": DASHBOARDS,
            "detail_councils": list(councils_in_detail(request.user)),
        },
    )

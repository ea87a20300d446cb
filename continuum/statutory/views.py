"""The statutory pages: the council's CIN census findings to work through, and resolving
what a census import found (a finding worked through, a child's ambiguous match)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.imports.policies import import_council
from continuum.statutory.census import services
from continuum.statutory.models import CensusFinding, CensusMatch
from continuum.statutory.policies import CensusImportAction
from continuum.ui.errors import Refused, errors_by_field
from continuum.ui.pagination import govuk_pagination

PER_PAGE = 50


@requires(CensusImportAction.WORK_ON_FINDINGS)
def census_findings(request: AuthenticatedRequest) -> HttpResponse:
    """The council's findings not yet resolved, errors first, by child."""
    council = import_council(request.user)
    show_resolved = request.GET.get("resolved") == "yes"
    findings = CensusFinding.objects.filter(council=council, resolved_at__isnull=not show_resolved)
    page = Paginator(
        findings.order_by("-year", "severity", "la_child_id", "code"), PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "statutory/census/findings.html",
        {
            "council": council,
            "page": page,
            "pagination": govuk_pagination(page),
            "show_resolved": show_resolved,
        },
    )


@require_POST
@requires(CensusImportAction.WORK_ON_FINDINGS)
def resolve_finding(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    finding = get_object_or_404(CensusFinding, pk=pk, council=import_council(request.user))
    try:
        services.resolve_finding(user=request.user, finding=finding)
    except Refused as refused:
        for problems in errors_by_field(refused).values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(
            request, f"Finding {finding.code} for {finding.la_child_id or 'the return'} resolved."
        )
    return HttpResponseRedirect(reverse("statutory:census-findings"), status=303)


@require_POST
@requires()
def resolve_match(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    council = policy.council_of(request.user)
    match = get_object_or_404(CensusMatch, pk=pk, council=council)
    policy.require(request.user, CensusImportAction.RESOLVE_MATCHES, match.council)
    back = reverse("imports:detail", args=[match.import_run_id])
    try:
        services.resolve_match(
            user=request.user, match=match, choice=request.POST.get("choice", "")
        )
    except Refused as refused:
        for problems in errors_by_field(refused).values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(request, f"LA child ID {match.la_child_id} imported.")
    return HttpResponseRedirect(back, status=303)

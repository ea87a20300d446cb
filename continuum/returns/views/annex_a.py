"""The Annex A pages: choose the period (which starts a build in the background), follow
the build while it runs, then download the council's lists 1 to 7."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.errors import InvalidState
from continuum.returns.annex_a import HEADINGS, TITLES
from continuum.returns.builds import download_annex_a_build, start_annex_a_build
from continuum.returns.forms import AnnexAForm
from continuum.returns.models import DOWNLOADABLE_FOR, AnnexABuild
from continuum.returns.policies import ReturnsAction
from continuum.returns.workbook import XLSX_TYPE
from continuum.statutory.policies import council_of_returns
from continuum.timescales.months import add_months
from continuum.ui.errors import attempt

REFRESH_SECONDS = 3
RECENT_BUILDS = 10
KEPT_HOURS = int(DOWNLOADABLE_FOR.total_seconds() // 3600)


@requires(ReturnsAction.EXPORT_ANNEX_A)
def annex_a(request: AuthenticatedRequest) -> HttpResponse:
    council = council_of_returns(request.user)
    assert council is not None  # the policy let them in
    today = timezone.localdate()
    # Ofsted asks for the year to the inspection: the 12 months to today, to start from.
    initial = {"first": add_months(today, -12) + timedelta(days=1), "last": today}
    form = AnnexAForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        build = attempt(
            form,
            lambda: start_annex_a_build(
                user=request.user,
                council=council,
                first=form.cleaned_data["first"],
                last=form.cleaned_data["last"],
            ),
        )
        if build is not None:
            return redirect("returns:annex-a-build", pk=build.pk)
    lists = [(number, TITLES[number], len(HEADINGS[number])) for number in HEADINGS]
    status = 400 if form.is_bound else 200
    builds = policy.visible(request.user, AnnexABuild).filter(council=council)
    context = {
        "form": form,
        "council": council,
        "lists": lists,
        "builds": builds.select_related("requested_by").defer("workbook", "person_ids")[
            :RECENT_BUILDS
        ],
        "kept_hours": KEPT_HOURS,
    }
    return render(request, "returns/annex_a.html", context, status=status)


def _build_page(
    request: AuthenticatedRequest, build: AnnexABuild, refusal: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "build": build,
        "lists": [(n, TITLES[n], build.row_counts.get(str(n))) for n in HEADINGS],
        "refresh_seconds": REFRESH_SECONDS if build.running else None,
        "kept_hours": KEPT_HOURS,
        "refusal": refusal,
    }
    response = render(request, "returns/annex_a_build.html", context, status=status)
    if build.running:
        # Looks again while it runs (an HTTP Refresh header: no script, and the strict
        # Content Security Policy allows it).
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@requires()
def annex_a_build(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    """A build's progress while it runs; then its row counts and the download."""
    build = policy.get_visible_or_404(request.user, AnnexABuild, pk)
    return _build_page(request, build)


@requires()
def annex_a_download(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    """The finished workbook; each download is one access-log row."""
    build = policy.get_visible_or_404(request.user, AnnexABuild, pk)
    try:
        content = download_annex_a_build(user=request.user, build=build, request=request)
    except InvalidState as refused:
        return _build_page(request, build, refusal=refused.message, status=409)
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{build.filename}"'
    response["Cache-Control"] = "no-store"
    return response

"""The monthly partnership report, as a page and as a PDF made in the background.

``?month=YYYY-MM`` chooses the month (default: the last complete month). A malformed month
or one that has not ended shows the page with the GOV.UK error summary and a 400 status; a
month without data (before the councils' first records) the same with a 404.

The PDF (decision records 0010 and 0013): ``report.pdf?month=`` offers to build it (GET)
and starts building it on the task queue (POST), then the build's progress page follows it
with a progress bar and links the PDF when it is ready; each download is written to the
access log. A user has one build at a time: asking again while one runs shows that one.
"""

from __future__ import annotations

from datetime import date
from typing import cast

from django.core.cache import cache
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.performance import build_responses, disclosure, report_builds
from continuum.performance import report as partnership_report
from continuum.performance.models import PARTNERSHIP_REPORT, ReportBuild
from continuum.performance.navigation import tabs
from continuum.performance.policies import PerformanceAction
from continuum.ui.dates import govuk_month

# The progress page asks again this often (seconds) while the PDF is being made.
REFRESH_SECONDS = 3


def _month_options(months: list[date], chosen: str) -> list[dict[str, object]]:
    return [
        {"value": f"{m:%Y-%m}", "text": f"{govuk_month(m)}", "selected": f"{m:%Y-%m}" == chosen}
        for m in months
    ]


@requires(PerformanceAction.VIEW_DASHBOARDS)
def report(request: AuthenticatedRequest) -> HttpResponse:
    month_text = request.GET.get("month")
    months = partnership_report.months_with_data(request.user)
    if not months and not (month_text or "").strip():
        return _page(request, None, "", months, status=200)
    try:
        month = partnership_report.month_with_data(request.user, month_text)
    except partnership_report.MonthError as exc:
        return _error_page(request, month_text, str(exc), exc)
    built = partnership_report.cached_build(request.user, month)
    # The report's body (a few dozen tables and charts) is kept with the report too.
    key = f"{partnership_report.cache_key(request.user, month)}:html:{built.made_at.isoformat()}"
    body = cache.get_or_set(
        key,
        lambda: render_to_string("performance/_report_body.html", {"report": built}, request),
        partnership_report.CACHE_SECONDS,
    )
    return _page(request, built, f"{month:%Y-%m}", months, body=cast(str, body))


def _page(
    request: AuthenticatedRequest,
    built: partnership_report.PartnershipReport | None,
    month_value: str,
    months: list[date],
    *,
    status: int = 200,
    body: str = "",
    errors: dict[str, str] | None = None,
) -> HttpResponse:
    return render(
        request,
        "performance/report.html",
        {
            "tabs": tabs(request.path),
            "report": built,
            "body": body,
            "errors": errors or {},
            "month_value": month_value,
            "month_options": _month_options(months, month_value),
            "latest": partnership_report.last_complete_month(),
            "disclosure_meaning": disclosure.MEANING,
        },
        status=status,
    )


def _error_page(
    request: AuthenticatedRequest,
    month_text: str | None,
    message: str,
    error: Exception,
) -> HttpResponse:
    status = 404 if isinstance(error, partnership_report.NoData) else 400
    months = partnership_report.months_with_data(request.user)
    return _page(request, None, month_text or "", months, status=status, errors={"month": message})


def _unavailable(request: AuthenticatedRequest, month_value: str) -> HttpResponse:
    return render(
        request,
        "performance/report_unavailable.html",
        {"tabs": tabs(request.path), "month_value": month_value},
        status=503,
    )


def _progress_url(build: ReportBuild) -> str:
    kind = report_builds.KINDS.get(build.kind)  # another report's build, running
    if kind is not None:
        return kind.progress_url(build)
    return reverse("performance:report-build", args=[build.pk])


@requires(PerformanceAction.VIEW_DASHBOARDS)
def report_pdf(request: AuthenticatedRequest) -> HttpResponse:
    """GET: the month's PDF if the user had it made in the last hour, else an offer to make
    it (or the build already running). POST: make it."""
    month_text = request.POST.get("month") if request.method == "POST" else None
    month_text = month_text or request.GET.get("month")
    try:
        month = partnership_report.month_from_query(month_text)
    except partnership_report.MonthError as exc:
        return _error_page(request, month_text, str(exc), exc)
    if not report_builds.pdf_available():
        return _unavailable(request, f"{month:%Y-%m}")
    try:
        month = partnership_report.month_with_data(request.user, month_text)
    except partnership_report.MonthError as exc:
        return _error_page(request, month_text, str(exc), exc)
    if request.method == "POST":
        build, _ = report_builds.request_pdf(request.user, month)
        return HttpResponseRedirect(_progress_url(build), status=303)
    running = report_builds.running_build(request.user)
    if running is not None:
        return HttpResponseRedirect(_progress_url(running), status=303)
    ready = report_builds.ready_build(request.user, month)
    if ready is not None and policy.can(request.user, PerformanceAction.VIEW_REPORT_BUILD, ready):
        return _download(request, ready)
    return render(
        request,
        "performance/report_pdf_request.html",
        {"tabs": tabs(request.path), "month": month, "month_value": f"{month:%Y-%m}"},
    )


def _own_build(request: AuthenticatedRequest, build_id: int) -> ReportBuild:
    return build_responses.followed_build(request.user, build_id, kind=PARTNERSHIP_REPORT)


@requires(PerformanceAction.VIEW_DASHBOARDS)
def report_build(request: AuthenticatedRequest, build_id: int) -> HttpResponse:
    """How the making of a PDF is going; the link to it when it is ready."""
    build = build_responses.brought_up_to_date(request.user, _own_build(request, build_id))
    response = render(
        request,
        "performance/report_build.html",
        {
            "tabs": tabs(request.path),
            "build": build,
            "refresh_seconds": REFRESH_SECONDS if build.running else None,
            "month_value": f"{build.month:%Y-%m}",
            "kept": report_builds.kept(build),
        },
    )
    if build.running:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@requires(PerformanceAction.VIEW_DASHBOARDS)
def report_build_pdf(request: AuthenticatedRequest, build_id: int) -> HttpResponse:
    """The finished PDF, for the user who asked for it; its progress page until then, or
    when it is no longer kept."""
    build = _own_build(request, build_id)
    if build.state != "done" or not report_builds.kept(build):
        return HttpResponseRedirect(_progress_url(build), status=303)
    return _download(request, build)


def _download(request: AuthenticatedRequest, build: ReportBuild) -> HttpResponse:
    return build_responses.pdf_attachment(user=request.user, build=build, request=request)

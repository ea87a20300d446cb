"""The monthly partnership report, as a page and as a PDF (WeasyPrint).

``?month=YYYY-MM`` chooses the month (default: the last complete month). A malformed month
or one that has not ended shows the page with the GOV.UK error summary and a 400 status.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from continuum.access.requests import AuthenticatedRequest, requires
from continuum.performance import report as partnership_report
from continuum.performance.navigation import tabs
from continuum.performance.policies import PerformanceAction

STYLESHEET = "performance/report.css"


@requires(PerformanceAction.VIEW_DASHBOARDS)
def report(request: AuthenticatedRequest) -> HttpResponse:
    month_text = request.GET.get("month")
    try:
        month = partnership_report.month_from_query(month_text)
    except partnership_report.MonthError as exc:
        return _error_page(request, month_text, str(exc))
    built = partnership_report.cached_build(request.user, month)
    # The report's body (a few dozen tables and charts) is kept with the report too.
    key = f"{partnership_report.cache_key(request.user, month)}:html:{built.made_at.isoformat()}"
    body = cache.get_or_set(
        key,
        lambda: render_to_string("performance/_report_body.html", {"report": built}, request),
        partnership_report.CACHE_SECONDS,
    )
    return render(
        request,
        "performance/report.html",
        {
            "tabs": tabs(request.path),
            "report": built,
            "body": body,
            "month_value": f"{month:%Y-%m}",
            "latest": partnership_report.last_complete_month(),
        },
    )


@requires(PerformanceAction.VIEW_DASHBOARDS)
def report_pdf(request: AuthenticatedRequest) -> HttpResponse:
    month_text = request.GET.get("month")
    try:
        month = partnership_report.month_from_query(month_text)
    except partnership_report.MonthError as exc:
        return _error_page(request, month_text, str(exc))
    try:
        # Imported here: WeasyPrint loads Pango when imported, and only this page needs it.
        import weasyprint
    except (ImportError, OSError):  # not installed, or its system libraries are missing
        return render(
            request,
            "performance/report_unavailable.html",
            {"tabs": tabs(request.path), "month_value": f"{month:%Y-%m}"},
            status=503,
        )
    built = partnership_report.cached_build(request.user, month)
    # The PDF of a kept report is kept with it: laying out the pages takes seconds.
    key = f"{partnership_report.cache_key(request.user, month)}:pdf:{built.made_at.isoformat()}"

    def lay_out() -> bytes:
        html = render_to_string("performance/report_pdf.html", {"report": built}, request)
        stylesheet = finders.find(STYLESHEET)
        assert isinstance(stylesheet, str), f"{STYLESHEET} is missing from the static files"
        return bytes(
            weasyprint.HTML(string=html, base_url=str(Path(stylesheet).parent)).write_pdf(
                stylesheets=[weasyprint.CSS(filename=stylesheet)]
            )
        )

    pdf = cache.get_or_set(key, lay_out, partnership_report.CACHE_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{built.filename}"'
    return response


def _error_page(
    request: AuthenticatedRequest, month_text: str | None, message: str
) -> HttpResponse:
    return render(
        request,
        "performance/report.html",
        {
            "tabs": tabs(request.path),
            "report": None,
            "errors": {"month": message},
            "month_value": month_text or "",
            "latest": partnership_report.last_complete_month(),
        },
        status=400,
    )

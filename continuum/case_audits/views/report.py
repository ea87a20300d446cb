"""An audit programme's report: across its councils (the partnership lead) and one
council's (the lead, and the council's team managers, strategic leads and analysts), as a
page, a CSV (or spreadsheet) of each table, and a PDF made in the background by the
partnership report's machinery (its progress page, then the download, access-logged)."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from continuum.access.requests import AuthenticatedRequest, requires
from continuum.case_audits.models import AuditProgramme
from continuum.case_audits.policies import CaseAuditAction
from continuum.case_audits.report import figures, grid
from continuum.case_audits.report import pdf as report_pdfs
from continuum.case_audits.report.access import report_for
from continuum.organisations.models import Council
from continuum.performance import build_responses, report_builds, tables
from continuum.performance.models import ReportBuild

REFRESH_SECONDS = 3


def _report_of(
    request: AuthenticatedRequest, pk: UUID, council_pk: int | str | None
) -> tuple[AuditProgramme, Council | None]:
    return report_for(request.user, pk, council_pk)


def _page(
    request: AuthenticatedRequest, programme: AuditProgramme, council: Council | None
) -> HttpResponse:
    built = figures.build(programme, council)
    return render(
        request,
        "case_audits/report/report.html",
        {
            "report": built,
            "programme": programme,
            "council": council,
            "council_query": f"council={council.pk}" if council else "",
            "disclosure_meaning": grid.MEANING,
            "council_reports": [
                c for c in built.councils if report_pdfs.may_see(request.user, programme, c)
            ]
            if council is None
            else [],
        },
    )


@requires(CaseAuditAction.VIEW_REPORT)
def report(request: AuthenticatedRequest, pk: UUID) -> HttpResponse:
    programme, council = _report_of(request, pk, None)
    return _page(request, programme, council)


@requires(CaseAuditAction.VIEW_REPORT)
def council_report(request: AuthenticatedRequest, pk: UUID, council_pk: int) -> HttpResponse:
    programme, council = _report_of(request, pk, council_pk)
    return _page(request, programme, council)


@requires(CaseAuditAction.VIEW_REPORT)
def report_download(request: AuthenticatedRequest, pk: UUID, key: str) -> HttpResponse:
    """One table of the report as CSV (``?format=xlsx``: a spreadsheet)."""
    programme, council = _report_of(request, pk, request.GET.get("council"))
    figure = figures.build(programme, council).figure(key)
    fmt = request.GET.get("format", "csv")
    if figure is None or fmt not in tables.DOWNLOAD_FORMATS:
        raise Http404("No such table.")
    return tables.download_response(figure.table, f"{programme.title} {figure.title}", fmt)


@requires(CaseAuditAction.VIEW_REPORT)
def report_pdf(request: AuthenticatedRequest, pk: UUID) -> HttpResponse:
    """GET: the offer to make the PDF. POST: make it (then its progress page)."""
    source = request.POST if request.method == "POST" else request.GET
    programme, council = _report_of(request, pk, source.get("council"))
    if not report_builds.pdf_available():
        return render(
            request,
            "case_audits/report/report_unavailable.html",
            {"programme": programme, "council": council},
            status=503,
        )
    if request.method == "POST":
        build, _ = report_pdfs.request_pdf(user=request.user, programme=programme, council=council)
        progress = reverse("case_audits:report-build", args=[build.pk])
        return HttpResponseRedirect(progress, status=303)
    return render(
        request,
        "case_audits/report/report_pdf_request.html",
        {"programme": programme, "council": council},
    )


def _own_build(request: AuthenticatedRequest, build_id: int) -> ReportBuild:
    return build_responses.followed_build(request.user, build_id, kind=report_pdfs.KIND)


@requires(CaseAuditAction.VIEW_REPORT)
def report_build(request: AuthenticatedRequest, build_id: int) -> HttpResponse:
    """How the making of the PDF is going; ``?download`` once it is ready: the PDF."""
    build = build_responses.brought_up_to_date(request.user, _own_build(request, build_id))
    programme, council = report_pdfs.report_of(build)
    if "download" in request.GET and build.state == "done" and report_builds.kept(build):
        return build_responses.pdf_attachment(user=request.user, build=build, request=request)
    response = render(
        request,
        "case_audits/report/report_build.html",
        {
            "build": build,
            "programme": programme,
            "council": council,
            "refresh_seconds": REFRESH_SECONDS if build.running else None,
            "kept": report_builds.kept(build),
        },
    )
    if build.running:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response

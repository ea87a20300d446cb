"""An audit programme's report over the API (issue 14): its figures as JSON, and its PDF
built in the background by the partnership report's machinery (decision 0013).

- ``GET /audit-programmes/{id}/report`` (``?council=`` for one council's): the summary and
  every table of the report, as the page shows them (``[c]`` where suppressed).
- ``POST /audit-programmes/{id}/report-pdfs`` (``{"council": id}`` for one council's):
  202 with the build's ``id`` and where to follow it (a user has one build at a time).
- ``GET /audit-report-pdfs/{id}``: the build's state and progress and, while the PDF is
  kept, its ``download`` URL; ``GET /audit-report-pdfs/{id}/download``: the PDF (one
  access-log row each time; 409 before it is ready or once it is no longer kept).

Who: ``CaseAuditAction.VIEW_REPORT`` - the partnership lead, across councils and each
council's; a council's team managers, strategic leads and analysts their own council's.
Nobody sees a report of a programme being planned. A build is followed only by whoever
asked for it, while they may still see that report (404 for anyone else).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.case_audits.policies import CaseAuditAction
from continuum.case_audits.report import figures, grid
from continuum.case_audits.report import pdf as report_pdfs
from continuum.case_audits.report.access import report_for
from continuum.errors import InvalidState
from continuum.performance import build_responses, report_builds
from continuum.performance.models import ReportBuild

router = Router(tags=["case audits"])
BUILDS = "/api/v1/audit-report-pdfs"


class TableOut(Schema):
    key: str
    caption: str
    columns: list[str]
    rows: list[list[str | int | float | None]]
    notes: list[str]


class AuditReportSectionOut(Schema):
    key: str
    title: str
    intro: str
    tables: list[TableOut]


class FactOut(Schema):
    label: str
    value: str


class ReportOut(Schema):
    programme: UUID
    council: int | None
    title: str
    made_at: datetime
    facts: list[FactOut]
    themes: list[str]
    sections: list[AuditReportSectionOut]
    suppressed: str = Field(description="What [c] in a table means.")


class AuditReportPdfIn(Schema):
    council: int | None = Field(None, description="One council's report (else across).")


class AuditReportBuildStarted(Schema):
    id: int
    state: str
    url: str = Field(description="Where to follow it.")


class AuditReportBuildOut(Schema):
    id: int
    state: str
    step: str
    progress_done: int
    progress_total: int
    requested_at: datetime
    finished_at: datetime | None
    download: str | None = Field(description="The PDF's URL, while it is kept.")
    problem: str

    @staticmethod
    def resolve_download(build: ReportBuild) -> str | None:
        return f"{BUILDS}/{build.pk}/download" if report_builds.kept(build) else None


def _out(report: figures.AuditReport) -> dict[str, object]:

    return {
        "programme": report.programme.pk,
        "council": report.council.pk if report.council else None,
        "title": report.title,
        "made_at": report.made_at,
        "facts": [{"label": label, "value": value} for label, value in report.facts],
        "themes": report.themes,
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "intro": section.intro,
                "tables": [
                    {
                        "key": f.key,
                        "caption": f.table.caption,
                        "columns": list(f.table.columns),
                        "rows": [list(row) for row in f.table.rows],
                        "notes": f.table.download_notes(),
                    }
                    for f in section.figures
                ],
            }
            for section in report.sections
        ],
        "suppressed": grid.MEANING,
    }


@router.get(
    "/audit-programmes/{uuid:id}/report",
    response=ReportOut,
    url_name="audit-programme-report",
    summary="An audit programme's report: its figures",
)
def get_report(request: HttpRequest, id: UUID, council: int | None = None) -> dict[str, object]:
    user = user_of(request)
    policy.require(user, CaseAuditAction.VIEW_REPORT)
    programme, chosen = report_for(user, id, council)
    return _out(figures.build(programme, chosen))


@router.post(
    "/audit-programmes/{uuid:id}/report-pdfs",
    response={202: AuditReportBuildStarted},
    url_name="audit-programme-report-pdf-start",
    summary="Ask for an audit programme's report as a PDF, built in the background",
)
def start_pdf(request: HttpRequest, id: UUID, payload: AuditReportPdfIn) -> Status:
    user = user_of(request)
    policy.require(user, CaseAuditAction.VIEW_REPORT)
    programme, council = report_for(user, id, payload.council)
    if not report_builds.pdf_available():
        raise InvalidState("The PDF cannot be made on this server: read the report's page.")
    build, _ = report_pdfs.request_pdf(user=user, programme=programme, council=council)
    return Status(202, {"id": build.pk, "state": build.state, "url": f"{BUILDS}/{build.pk}"})


def _own(request: HttpRequest, build_id: int) -> ReportBuild:
    user = user_of(request)
    policy.require(user, CaseAuditAction.VIEW_REPORT)
    return build_responses.followed_build(user, build_id, kind=report_pdfs.KIND)


@router.get(
    "/audit-report-pdfs/{int:build_id}",
    response=AuditReportBuildOut,
    summary="An audit report PDF build: its state",
)
def get_build(request: HttpRequest, build_id: int) -> ReportBuild:
    report_builds.running_build(user_of(request))  # gives up on a stale one
    return _own(request, build_id)


@router.get(
    "/audit-report-pdfs/{int:build_id}/download",
    summary="An audit report PDF build's PDF",
    openapi_extra={
        "responses": {200: {"content": {"application/pdf": {}}, "description": "The PDF."}},
    },
)
def download_pdf(request: HttpRequest, build_id: int) -> HttpResponse:
    build = _own(request, build_id)
    return build_responses.pdf_attachment(
        user=user_of(request), build=build, request=request, no_store=True
    )

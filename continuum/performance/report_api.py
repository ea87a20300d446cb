"""The partnership report's PDF over the API: ask for it, follow the build, download it.
The PDF is built in the background on the task queue (decision 0013), as on the page.

Mounted at /api/v1/report-pdfs:

- ``POST /api/v1/report-pdfs`` with ``{"month": "2026-10"}`` (a month with data that has
  ended) answers 202 with the build's ``id`` and where to follow it. A user has one build
  at a time: while one is waiting or being made, asking again answers 202 with that one.
- ``GET /api/v1/report-pdfs/{id}`` - the build: ``state`` (queued, building, done,
  failed), ``step``, ``progress_done`` of ``progress_total`` steps and, while the PDF is
  kept (an hour), its ``download`` URL.
- ``GET /api/v1/report-pdfs/{id}/download`` - the PDF. Each download writes one
  access-log row; a build not finished, failed or no longer kept answers 409.

Who: anyone who may see the dashboards asks (403 otherwise); a build is followed and
downloaded only by whoever asked for it while they may see what it was made with (404 for
anyone else, as on the page). Aggregates only: never a child's name.

Errors: a month that is not one, has not ended or has no data answers 422 naming
``month``; nothing is queued.
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.errors import InvalidState
from continuum.performance import build_responses, report_builds
from continuum.performance import report as partnership_report
from continuum.performance.models import PARTNERSHIP_REPORT, ReportBuild
from continuum.performance.policies import PerformanceAction
from continuum.ui.api import invalid_field

router = Router(tags=["indicators"])
BASE = "/api/v1/report-pdfs"


class ReportPdfIn(Schema):
    month: str = Field(description="The report's month, YYYY-MM, like 2026-10.")


class ReportBuildStarted(Schema):
    id: int
    state: str
    url: str = Field(description="Where to follow it.")


class ReportBuildOut(Schema):
    id: int
    month: date
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
        return f"{BASE}/{build.pk}/download" if report_builds.kept(build) else None


def _own(request: HttpRequest, build_id: int) -> ReportBuild:
    user = user_of(request)
    policy.require(user, PerformanceAction.VIEW_DASHBOARDS)
    return build_responses.followed_build(user, build_id, kind=PARTNERSHIP_REPORT)


@router.post(
    "",
    response={202: ReportBuildStarted},
    url_name="report-pdf-start",
    summary="Ask for the partnership report's PDF, built in the background",
)
def start(request: HttpRequest, payload: ReportPdfIn) -> Status:
    """Answers 202 with the build's id (a new one, or the one already running)."""
    user = user_of(request)
    policy.require(
        user,
        PerformanceAction.VIEW_DASHBOARDS,
        message="Only those who may see the performance dashboards may have the report built.",
    )
    if not report_builds.pdf_available():
        raise InvalidState("The PDF cannot be made on this server: read the report's page.")
    try:
        month = partnership_report.month_with_data(user, payload.month)
    except partnership_report.MonthError as exc:
        raise invalid_field("month", str(exc)) from None
    build, _ = report_builds.request_pdf(user, month)
    return Status(202, {"id": build.pk, "state": build.state, "url": f"{BASE}/{build.pk}"})


@router.get("/{int:build_id}", response=ReportBuildOut, summary="A report PDF build: its state")
def get_build(request: HttpRequest, build_id: int) -> ReportBuild:
    report_builds.running_build(user_of(request))  # gives up on a stale one
    return _own(request, build_id)


@router.get(
    "/{int:build_id}/download",
    summary="A report PDF build's PDF",
    openapi_extra={
        "responses": {200: {"content": {"application/pdf": {}}, "description": "The PDF."}},
    },
)
def download(request: HttpRequest, build_id: int) -> HttpResponse:
    """The PDF. One access-log row each time."""
    build = _own(request, build_id)
    return build_responses.pdf_attachment(
        user=user_of(request), build=build, request=request, no_store=True
    )

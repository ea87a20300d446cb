"""What pages and API endpoints share about following a report PDF build, whatever its
kind (the partnership report's, an audit programme's report): the user's own build, brought
up to date, and the finished PDF as an attachment (one access-log row each time, written by
``report_builds.download_pdf``)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from continuum.access import policy
from continuum.accounts.models import User
from continuum.performance import report_builds
from continuum.performance.models import ReportBuild
from continuum.performance.policies import PerformanceAction

# What a progress page reads again of a build it already holds.
PROGRESS_FIELDS = [
    "state",
    "step",
    "progress_done",
    "progress_total",
    "finished_at",
    "problem",
    "filename",
]


def followed_build(user: User, build_id: int, *, kind: str) -> ReportBuild:
    """The build of ``kind`` if ``user`` may follow it (without its PDF's bytes); 404 for
    anyone else's: not even whether it exists."""
    build = ReportBuild.objects.defer("pdf").filter(pk=build_id, kind=kind).first()
    if build is None or not policy.can(user, PerformanceAction.VIEW_REPORT_BUILD, build):
        raise Http404("No such report PDF.")
    return build


def brought_up_to_date(user: User, build: ReportBuild) -> ReportBuild:
    """``build`` as it stands now, after giving up on the user's stale build if any."""
    report_builds.running_build(user)
    build.refresh_from_db(fields=PROGRESS_FIELDS)
    return build


def pdf_attachment(
    *, user: User, build: ReportBuild, request: HttpRequest, no_store: bool = False
) -> HttpResponse:
    """The finished PDF as a download (``no_store``: never kept by a cache, for the API)."""
    pdf = report_builds.download_pdf(user=user, build=build, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{build.filename}"'
    if no_store:
        response["Cache-Control"] = "no-store"
    return response

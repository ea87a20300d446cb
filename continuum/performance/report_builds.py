"""The partnership report's PDF, made in the background: laying out the pages takes
seconds, so a request never waits for it (decision records 0010 and 0013).

``request_pdf`` records a ``ReportBuild`` for the user and month and enqueues
``tasks.build_report_pdf_task`` in the same transaction (the task queue that runs imports
and Annex A: ``manage.py db_worker``), so a build exists exactly when its task does. A
user has at most one build waiting or being made (a partial unique constraint, so two
simultaneous requests cannot both start one): asking again, for any month, answers with
the one running. ``run`` (the task) does the work and saves its progress after each step,
for the progress page's bar. Finished PDFs are kept for their owner for ``KEEP_FOR``, then
cleared when any build starts (``clear_old_pdfs``); a build that has not finished after
``STALE_AFTER`` is marked failed (its worker died), so it cannot stop its user asking
again. ``download_pdf`` answers the PDF and writes one access-log row per download, as
the exports do (``audit.services.log_export``; the report names no one).

Other reports printed in the same design (an audit programme's, issue 14) are other
*kinds* of build (``ReportBuild.kind``): an app above this one registers a ``Kind`` with
``register_kind`` - how to work out its figures, its PDF template, who may follow it - and
asks with ``request_build``; the queue, the task, the progress, the keeping and the logged
download are these same ones.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from continuum.accounts.models import User
from continuum.audit.services import log_export
from continuum.errors import InvalidState
from continuum.performance import report as partnership_report
from continuum.performance.models import (
    PARTNERSHIP_REPORT,
    RUNNING_STATES,
    ReportBuild,
    ReportBuildState,
)
from continuum.ui.dates import govuk_month

logger = logging.getLogger(__name__)

STYLESHEET = "performance/report.css"
STALE_AFTER = timedelta(minutes=10)
KEEP_FOR = timedelta(hours=1)
# What the progress page says while each step runs; the bar counts the steps done.
STEP_QUEUED = "Waiting to start"
STEP_FIGURES = "Working out the figures"
STEP_PAGES = "Laying out the pages"
STEP_WRITING = "Writing the PDF"
STEPS = 3


@dataclass(frozen=True)
class Kind:
    """Another report made as a PDF by this machinery.

    - ``figures(build)``: the report's figures as the build's user may see them;
    - ``template``: the PDF's template (given ``report``: the figures), printed with the
      partnership report's stylesheet;
    - ``filename(figures)``: the PDF's file name;
    - ``may_follow(user, build)``: whether the user may follow and download it (asked by
      ``PerformanceAction.VIEW_REPORT_BUILD``);
    - ``export_terms(build)``: what the access log records of each download;
    - ``progress_url(build)``: the page that follows it."""

    figures: Callable[[ReportBuild], Any]
    template: str
    filename: Callable[[Any], str]
    may_follow: Callable[[User, ReportBuild], bool]
    export_terms: Callable[[ReportBuild], dict[str, str]]
    progress_url: Callable[[ReportBuild], str]


KINDS: dict[str, Kind] = {}


def register_kind(name: str, kind: Kind) -> None:
    """Make ``name`` a kind of build (at app start-up, in the web and worker processes)."""
    if name == PARTNERSHIP_REPORT:
        raise ValueError("The partnership report is built in here.")
    KINDS[name] = kind


def pdf_available() -> bool:
    """Whether WeasyPrint (and its system libraries) can be loaded here."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def running_build(user: User) -> ReportBuild | None:
    """The user's build waiting or being made, if any (after giving up on stale ones)."""
    ReportBuild.objects.filter(
        user=user, state__in=RUNNING_STATES, requested_at__lt=timezone.now() - STALE_AFTER
    ).update(
        state=ReportBuildState.FAILED,
        finished_at=timezone.now(),
        problem="It took too long and was stopped. Ask for the PDF again.",
    )
    return ReportBuild.objects.filter(user=user, state__in=RUNNING_STATES).first()


def ready_build(user: User, month: date) -> ReportBuild | None:
    """A PDF of ``month`` the user had made in the last ``KEEP_FOR``, if any."""
    return (
        ReportBuild.objects.filter(
            user=user,
            kind=PARTNERSHIP_REPORT,
            month=month,
            state=ReportBuildState.DONE,
            finished_at__gte=timezone.now() - KEEP_FOR,
            pdf__isnull=False,
        )
        .defer("pdf")
        .first()
    )


def clear_old_pdfs() -> int:
    """Forget the PDFs of builds finished more than ``KEEP_FOR`` ago (the record of the
    build stays). Answers how many."""
    cutoff = timezone.now() - KEEP_FOR
    return ReportBuild.objects.filter(finished_at__lt=cutoff, pdf__isnull=False).update(pdf=None)


def request_pdf(user: User, month: date) -> tuple[ReportBuild, bool]:
    """The build making ``month``'s PDF for ``user``, and whether it is new. If the user
    already has one waiting or being made (for any month), that one, not new."""
    return request_build(
        user,
        kind=PARTNERSHIP_REPORT,
        month=month,
        scope=partnership_report.cache_key(user, month, daily=False),
    )


def request_build(
    user: User, *, kind: str, month: date, scope: str = "", subject: str = ""
) -> tuple[ReportBuild, bool]:
    """The build making a PDF of ``kind`` (of ``subject``) for ``user``, and whether it is
    new: if the user already has one waiting or being made (of any kind), that one."""
    if kind != PARTNERSHIP_REPORT and kind not in KINDS:
        raise ValueError(f"No such kind of report: {kind!r}.")
    current = running_build(user)
    if current is not None:
        return current, False
    clear_old_pdfs()
    try:
        with transaction.atomic():
            build = ReportBuild.objects.create(
                user=user,
                kind=kind,
                subject=subject,
                month=month,
                step=STEP_QUEUED,
                progress_total=STEPS,
                scope=scope,
            )
            start(build.pk)
    except IntegrityError:  # another request of the same user started one just now
        current = running_build(user)
        if current is None:
            raise InvalidState("A PDF was being made; ask again in a moment.") from None
        return current, False
    return build, True


def start(build_id: int) -> None:
    """Enqueue the making of the build (written in the caller's transaction by the
    database backend: the task exists exactly when the build does)."""
    from continuum.performance.tasks import build_report_pdf_task

    build_report_pdf_task.enqueue(build_id)


def _save(build_id: int, **fields: Any) -> None:
    ReportBuild.objects.filter(pk=build_id).update(**fields)


def run(build_id: int) -> ReportBuild:
    """Make the PDF: the figures (``report.build``, as the user may see them), the pages,
    then the file (WeasyPrint). Saves each step, and the PDF or what went wrong."""
    claimed = ReportBuild.objects.filter(pk=build_id, state=ReportBuildState.QUEUED).update(
        state=ReportBuildState.BUILDING,
        started_at=timezone.now(),
        step=STEP_FIGURES,
        progress_done=0,
        progress_total=STEPS,
    )
    build = ReportBuild.objects.select_related("user").get(pk=build_id)
    if not claimed:
        return build  # another worker has it, or it has finished (a task may come twice)
    try:
        if build.kind == PARTNERSHIP_REPORT:
            built = partnership_report.cached_build(build.user, build.month)
            template, filename = "performance/report_pdf.html", built.filename
        else:
            kind = KINDS[build.kind]
            built = kind.figures(build)
            template, filename = kind.template, kind.filename(built)
        _save(build_id, step=STEP_PAGES, progress_done=1)
        document = pages(built, template)
        _save(build_id, step=STEP_WRITING, progress_done=2)
        pdf = bytes(document.write_pdf())
    except Exception:
        logger.exception("The report PDF %s could not be made", build_id)
        _save(
            build_id,
            state=ReportBuildState.FAILED,
            finished_at=timezone.now(),
            step="",
            problem="Something went wrong making the PDF. Ask for it again; if it happens "
            "again, tell the service desk.",
        )
    else:
        _save(
            build_id,
            state=ReportBuildState.DONE,
            finished_at=timezone.now(),
            step="",
            progress_done=STEPS,
            pdf=pdf,
            filename=filename,
        )
    build.refresh_from_db()
    return build


def pages(built: Any, template: str = "performance/report_pdf.html") -> Any:
    """The report laid out in pages (a WeasyPrint ``Document``), in the partnership
    report's print design."""
    import weasyprint

    html = render_to_string(template, {"report": built})
    stylesheet = finders.find(STYLESHEET)
    assert isinstance(stylesheet, str), f"{STYLESHEET} is missing from the static files"
    return weasyprint.HTML(string=html, base_url=str(Path(stylesheet).parent)).render(
        stylesheets=[weasyprint.CSS(filename=stylesheet)]
    )


def lay_out(built: partnership_report.PartnershipReport) -> bytes:
    """The report's pages as a PDF."""
    return bytes(pages(built).write_pdf())


def kept(build: ReportBuild) -> bool:
    """Whether a finished build's PDF is still kept."""
    return (
        build.state == ReportBuildState.DONE
        and build.finished_at is not None
        and build.finished_at >= timezone.now() - KEEP_FOR
        and ReportBuild.objects.filter(pk=build.pk, pdf__isnull=False).exists()
    )


def download_pdf(*, user: User, build: ReportBuild, request: HttpRequest | None = None) -> bytes:
    """The build's PDF for its owner (the caller asked the policy), logged as one export:
    the report, its month and the councils in it (aggregates: no person is named).

    Refuses with ``InvalidState`` a build not finished, failed, or no longer kept."""
    if build.running:
        raise InvalidState("The PDF is not ready yet.")
    if build.state == ReportBuildState.FAILED:
        raise InvalidState("The PDF could not be made: ask for it again.")
    pdf = ReportBuild.objects.filter(pk=build.pk).values_list("pdf", flat=True).first()
    if not kept(build) or pdf is None:
        raise InvalidState(
            "The PDF was made more than an hour ago and is no longer kept: ask for it again."
        )
    if build.kind == PARTNERSHIP_REPORT:
        terms = {"report": "partnership report PDF", "month": govuk_month(build.month)}
    else:
        terms = KINDS[build.kind].export_terms(build)
    log_export(
        request=request,
        user=user,
        terms=terms,
        subject_ids=[],
        row_count=0,
    )
    return bytes(pdf)

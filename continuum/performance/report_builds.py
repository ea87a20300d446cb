"""The partnership report's PDF, made in the background: laying out the pages takes
seconds, so a request never waits for it (decision record 0010).

``request_pdf`` records a ``ReportBuild`` for the user and month and has it made after the
request's transaction commits (``start``: a thread of the web process; a task queue would
replace only that function). A user has at most one build waiting or being made (a partial
unique constraint, so two simultaneous requests cannot both start one): asking again, for
any month, answers with the one running. ``run`` does the work and records each step, for
the progress page. Finished PDFs are kept for their owner for ``KEEP_FOR``; a build that has
not finished after ``STALE_AFTER`` is marked failed (its worker died), so it cannot stop its
user asking again.
"""

from __future__ import annotations

import logging
import threading
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from continuum.accounts.models import User
from continuum.errors import InvalidState
from continuum.performance import report as partnership_report
from continuum.performance.models import RUNNING_STATES, ReportBuild, ReportBuildState

logger = logging.getLogger(__name__)

STYLESHEET = "performance/report.css"
STALE_AFTER = timedelta(minutes=10)
KEEP_FOR = timedelta(hours=1)
# What the progress page says while each step runs.
STEP_QUEUED = "Waiting to start"
STEP_FIGURES = "Working out the figures"
STEP_PAGES = "Laying out the pages"


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
            month=month,
            state=ReportBuildState.DONE,
            finished_at__gte=timezone.now() - KEEP_FOR,
        )
        .defer("pdf")
        .first()
    )


def request_pdf(user: User, month: date) -> tuple[ReportBuild, bool]:
    """The build making ``month``'s PDF for ``user``, and whether it is new. If the user
    already has one waiting or being made (for any month), that one, not new."""
    current = running_build(user)
    if current is not None:
        return current, False
    # Old builds go when a new one is asked for: a PDF is kept only for a while.
    ReportBuild.objects.filter(user=user, requested_at__lt=timezone.now() - KEEP_FOR).delete()
    try:
        with transaction.atomic():
            build = ReportBuild.objects.create(
                user=user,
                month=month,
                step=STEP_QUEUED,
                scope=partnership_report.cache_key(user, month, daily=False),
            )
    except IntegrityError:  # another request of the same user started one just now
        current = running_build(user)
        if current is None:
            raise InvalidState("A PDF was being made; ask again in a moment.") from None
        return current, False
    transaction.on_commit(lambda: start(build.pk))
    return build, True


def start(build_id: int) -> None:
    """Have the build made without holding the request: a thread of this process.

    ``PERFORMANCE_REPORT_BUILDS_IN_BACKGROUND = False`` (the tests) leaves it waiting, to be
    made by calling ``run``."""
    if not getattr(settings, "PERFORMANCE_REPORT_BUILDS_IN_BACKGROUND", True):
        return
    threading.Thread(
        target=_run_in_thread, args=(build_id,), name=f"report-build-{build_id}", daemon=True
    ).start()


def _run_in_thread(build_id: int) -> None:
    close_old_connections()
    try:
        run(build_id)
    finally:
        connection.close()


def run(build_id: int) -> ReportBuild:
    """Make the PDF: the figures (``report.build``, as the user may see them), then the
    pages (WeasyPrint). Records each step, and the PDF or what went wrong."""
    claimed = ReportBuild.objects.filter(pk=build_id, state=ReportBuildState.QUEUED).update(
        state=ReportBuildState.BUILDING, started_at=timezone.now(), step=STEP_FIGURES
    )
    build = ReportBuild.objects.select_related("user").get(pk=build_id)
    if not claimed:
        return build  # another worker has it, or it has finished
    try:
        built = partnership_report.cached_build(build.user, build.month)
        ReportBuild.objects.filter(pk=build_id).update(step=STEP_PAGES)
        pdf = lay_out(built)
    except Exception:
        logger.exception("The report PDF %s could not be made", build_id)
        ReportBuild.objects.filter(pk=build_id).update(
            state=ReportBuildState.FAILED,
            finished_at=timezone.now(),
            step="",
            problem="Something went wrong making the PDF. Ask for it again; if it happens "
            "again, tell the service desk.",
        )
    else:
        ReportBuild.objects.filter(pk=build_id).update(
            state=ReportBuildState.DONE,
            finished_at=timezone.now(),
            step="",
            pdf=pdf,
            filename=built.filename,
        )
    build.refresh_from_db()
    return build


def pages(built: partnership_report.PartnershipReport) -> Any:
    """The report laid out in pages (a WeasyPrint ``Document``)."""
    import weasyprint

    html = render_to_string("performance/report_pdf.html", {"report": built})
    stylesheet = finders.find(STYLESHEET)
    assert isinstance(stylesheet, str), f"{STYLESHEET} is missing from the static files"
    return weasyprint.HTML(string=html, base_url=str(Path(stylesheet).parent)).render(
        stylesheets=[weasyprint.CSS(filename=stylesheet)]
    )


def lay_out(built: partnership_report.PartnershipReport) -> bytes:
    """The report's pages as a PDF."""
    return bytes(pages(built).write_pdf())

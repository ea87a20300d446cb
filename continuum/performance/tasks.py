"""The background task that makes the partnership report's PDF (Django's tasks API, the
same queue as imports and Annex A; decision 0013)."""

from __future__ import annotations

from django_tasks import task


@task()
def build_report_pdf_task(build_id: int) -> None:
    from continuum.performance.report_builds import run

    run(build_id)


@task()
def refresh_figures_task() -> int:
    """Add the waiting changes to the maintained figures (``engine.facts``, decision 0019);
    queued by ``facts.request_refresh``."""
    from continuum.performance.engine import facts

    return facts.refresh_pending()

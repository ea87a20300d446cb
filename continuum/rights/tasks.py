"""The background task that makes a subject access bundle (Django's tasks API, the same
queue as imports, Annex A and the report's PDF; decision 0013)."""

from __future__ import annotations

from django_tasks import task


@task()
def build_bundle_task(bundle_id: int) -> None:
    from continuum.rights.bundle.builds import run

    run(bundle_id)

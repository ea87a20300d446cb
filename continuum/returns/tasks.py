"""The background task that makes an Annex A workbook (Django's tasks API, decision 0013)."""

from __future__ import annotations

import uuid

from django_tasks import task


@task()
def build_annex_a_task(build_id: str) -> None:
    from continuum.returns.builds import run_annex_a_build

    run_annex_a_build(build_id=uuid.UUID(build_id))

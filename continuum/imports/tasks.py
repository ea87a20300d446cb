"""The background task that runs an import (Django's tasks API, decision 0013)."""

from __future__ import annotations

import uuid

from django_tasks import task


@task()
def run_import_task(run_id: str) -> None:
    from continuum.imports.services import run_import

    run_import(run_id=uuid.UUID(run_id))

"""The background tasks of disposal (Django's tasks API, the same queue as imports and
builds; decision 0013): listing what is due into a run, and carrying out an approved run."""

from __future__ import annotations

from django_tasks import task


@task()
def list_disposal_task(run_id: int) -> None:
    from continuum.retention.services.runs import list_run

    list_run(run_id=run_id)


@task()
def carry_out_disposal_task(run_id: int) -> None:
    from continuum.retention.services.runs import carry_out

    carry_out(run_id=run_id)

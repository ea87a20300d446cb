"""Annex A made by the real worker (``manage.py db_worker``), as ``make demo`` runs it: the
build is queued in the request, made in the background with its progress saved, and a
build that fails says so and holds no workbook."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from continuum.accounts.models import User
from continuum.audit.models import AccessAction, AccessLogEntry
from continuum.returns import builds
from continuum.returns.builds import STEPS, start_annex_a_build
from continuum.returns.choices import BuildState
from continuum.returns.models import AnnexABuild
from continuum.returns.tests.conftest import FIRST, LAST, World

transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@transactional
def test_the_worker_makes_the_workbook_saving_its_progress(
    world: World, manager: User, client: Client, monkeypatch: Any
) -> None:
    seen: list[tuple[str, int]] = []
    real_save = builds._save

    def watching(build_id: Any, **fields: Any) -> None:
        # No transaction is open: each step is committed, so the build's page sees it.
        assert not connection.in_atomic_block
        real_save(build_id, **fields)
        build = AnnexABuild.objects.get(pk=build_id)
        seen.append((build.state, build.progress_done))

    monkeypatch.setattr(builds, "_save", watching)
    client.force_login(manager)
    response = client.post(
        reverse("returns:annex-a"),
        {"first_day": "1", "first_month": "4", "first_year": "2025",
         "last_day": "31", "last_month": "3", "last_year": "2026"},
    )  # fmt: skip
    assert response.status_code == 302
    build = AnnexABuild.objects.get()
    assert build.state == BuildState.QUEUED and DBTaskResult.objects.count() == 1
    run_worker()
    build.refresh_from_db()
    assert build.state == BuildState.DONE
    assert (build.progress_done, build.progress_total) == (STEPS, STEPS)
    assert build.row_counts == {"1": 2, "2": 1, "3": 2, "4": 2, "5": 2, "6": 3, "7": 1}
    assert build.size == len(bytes(build.workbook)) > 0
    assert build.finished_at is not None and build.downloadable
    # Progress was saved step by step while it ran, every step seen as building.
    assert [done for _, done in seen[:-1]] == list(range(1, STEPS + 1))
    assert {state for state, _ in seen[:-1]} == {BuildState.BUILDING}
    # Only the download is logged.
    assert not AccessLogEntry.objects.filter(action=AccessAction.EXPORT).exists()
    page = client.get(reverse("returns:annex-a-build", args=[build.pk]))
    assert "Ready to download" in page.content.decode()


@transactional
def test_a_build_that_fails_says_so_and_holds_no_workbook(
    world: World, manager: User, monkeypatch: Any
) -> None:
    def broken(**_: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(builds, "build_annex_a", broken)
    build = start_annex_a_build(user=manager, council=world.stockton, first=FIRST, last=LAST)
    run_worker()
    build.refresh_from_db()
    assert build.state == BuildState.FAILED
    assert "could not be made because of an error in Continuum" in build.error
    assert build.size == 0 and bytes(build.workbook) == b"" and not build.downloadable
    # Delivered again, it is not made twice.
    builds.run_annex_a_build(build_id=build.pk)
    build.refresh_from_db()
    assert build.state == BuildState.FAILED

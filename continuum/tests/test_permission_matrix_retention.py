"""The permission matrix for a disposal run (issue 13): permission_matrix.csv's
disposal_run rows, one test per row. Each builds a run of the row's council awaiting
approval and checks its page, its API detail, the runs listed (page and API), the runs
awaiting the user's approval, approving it, changing the council's retention schedule and
placing a legal hold on one of its people. Only the council's own information governance
lead may; anyone else is refused and nothing changes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import Role
from continuum.organisations.models import Council
from continuum.retention import selectors
from continuum.retention.choices import RecordKind, RunState
from continuum.retention.models import DisposalRun, LegalHold, RetentionRule
from continuum.retention.services import list_run, start_run
from continuum.testing import factories
from continuum.tests.builders import council_staff
from continuum.tests.matrix.checks import signed_in
from continuum.tests.matrix.rows import DISPOSAL_RUN_ROWS, Row
from continuum.tests.matrix.situations import council_of, matrix_user

pytestmark = pytest.mark.django_db


def _run_of(council: Council) -> DisposalRun:
    lead = council_staff(
        council, username=f"ig.{council.pk}", role=Role.INFORMATION_GOVERNANCE_LEAD
    )
    run = start_run(
        council=council,
        as_of=timezone.localdate() - timedelta(days=1),
        listed_by=lead,
        background=False,
    )
    return list_run(run_id=run.pk)


@pytest.mark.parametrize("row", DISPOSAL_RUN_ROWS, ids=[row.id for row in DISPOSAL_RUN_ROWS])
def test_disposal_run_permission_matrix(
    row: Row, stockton: Council, hartlepool: Council, shared_client: Client
) -> None:
    council = council_of(row, stockton, hartlepool)
    run = _run_of(council)
    person: Any = factories.PersonFactory(council=council)
    user = matrix_user(row, stockton)
    client = signed_in(shared_client, user)
    failures: list[str] = []

    def expect(action: str, allowed: bool, detail: str) -> None:
        if allowed != row.expected[action]:
            failures.append(f"{action}: {detail}")

    page = client.get(reverse("retention:run", args=[run.pk])).status_code
    assert page in (200, 403, 404), page
    expect("view_page", page == 200, f"page -> {page}")

    api = client.get(f"/api/v1/retention/runs/{run.pk}").status_code
    assert api in (200, 403, 404), api
    expect("view_api", api == 200, f"api -> {api}")

    listing = client.get("/api/v1/retention/runs")
    listed_api = listing.status_code == 200 and run.pk in [i["id"] for i in listing.json()["items"]]
    runs_page = client.get(reverse("retention:runs"))
    link = reverse("retention:run", args=[run.pk])
    listed_page = runs_page.status_code == 200 and link in runs_page.content.decode()
    assert listed_api == listed_page, (listed_api, listed_page)
    expect("search", listed_api, f"listed: {listed_api}")

    expect("queue", selectors.runs_awaiting_approval(user).filter(pk=run.pk).exists(), "queue")

    # Approving first: a schedule changed after listing refuses approval.
    approve = client.post(reverse("retention:approve", args=[run.pk])).status_code
    run.refresh_from_db()
    approved = run.state == RunState.APPROVED
    if not approved:
        assert approve in (403, 404), approve
    expect("decide", approved, f"approve -> {approve}")

    before = RetentionRule.objects.get(schedule__council=council, kind=RecordKind.CONTACT_NFA)
    edit = client.post(
        reverse("retention:edit-rule", args=[RecordKind.CONTACT_NFA]),
        {"period_months": "84", "event": "decision"},
    )
    after = RetentionRule.objects.get(pk=before.pk)
    expect("edit", after.period_months == 84, f"edit -> {edit.status_code}")

    hold = client.post(
        reverse("retention:holds"),
        {"record_kind": "person", "record_id": str(person.pk), "reason": "A claim."},
    )
    held = LegalHold.objects.filter(person=person).exists()
    expect("work", held, f"hold -> {hold.status_code}")

    assert not failures, f"line {row.line}: " + "; ".join(failures)

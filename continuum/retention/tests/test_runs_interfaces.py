"""Disposal runs through the command, the pages and the API: the command lists a run with
a council's code or name and refuses a council that does not exist or a day in the future;
the lead reviews the counts (never a name) and approves or cancels; approving twice or a
cancelled run answers 409 and changes nothing; the run's page follows the work as it is
carried out and links its certificate."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from continuum.accounts.models import User
from continuum.organisations.models import Council
from continuum.retention.choices import HeldKind, RunState
from continuum.retention.models import DisposalCertificate, DisposalRun
from continuum.retention.services import carry_out, list_run
from continuum.retention.tests.conftest import Records

pytestmark = pytest.mark.django_db


def _queued(task: str, run: DisposalRun) -> None:
    """The request queued the task for the run (the worker, ``manage.py db_worker``, runs
    it in its own transaction; here the test runs the same function in the test's)."""
    assert DBTaskResult.objects.filter(
        task_path__endswith=task, args_kwargs__args=[run.pk]
    ).exists()


def worker_lists(run: DisposalRun) -> DisposalRun:
    _queued("list_disposal_task", run)
    return list_run(run_id=run.pk)


def worker_carries_out(run: DisposalRun) -> DisposalRun:
    _queued("carry_out_disposal_task", run)
    return carry_out(run_id=run.pk)


def test_the_command_lists_a_run_awaiting_approval(records: Records, stockton: Council) -> None:
    out = StringIO()
    call_command("dispose", "--council", stockton.name.upper(), "--no-progress", stdout=out)
    run = DisposalRun.objects.get()
    assert run.state == RunState.AWAITING_APPROVAL and run.listed_by is None
    assert run.items.count() == 3
    assert "3 record(s) due, awaiting approval" in out.getvalue()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--council", "999"], "no council has the DfE LA code or name '999'"),
        (["--council", "Atlantis"], "no council"),
        (["--council", "808", "--as-of", "2999-01-01"], "today or in the past"),
        (["--council", "808", "--as-of", "yesterday"], "is not a date"),
        (["--council", "808", "--user", "nobody"], "information governance lead"),
    ],
)
def test_the_command_refuses_bad_input_and_changes_nothing(
    stockton: Council, arguments: list[str], message: str
) -> None:
    assert stockton.dfe_la_code == "808"
    with pytest.raises(CommandError, match=message):
        call_command("dispose", *arguments, "--no-progress")
    assert not DisposalRun.objects.exists()


def test_the_lead_reviews_counts_and_approves_on_the_page(
    records: Records, stockton: Council, ig_lead: User, client: Client, settings: Any
) -> None:
    client.force_login(ig_lead)
    start = client.post(
        reverse("retention:runs"),
        {"as_of_day": "", "as_of_month": "", "as_of_year": ""},
    )
    assert start.status_code == 200 and "Enter the date to dispose as of" in start.content.decode()
    tomorrow = timezone.localdate() + timedelta(days=1)
    future = client.post(
        reverse("retention:runs"),
        {"as_of_day": tomorrow.day, "as_of_month": tomorrow.month, "as_of_year": tomorrow.year},
    )
    assert "today or in the past" in future.content.decode()
    assert not DisposalRun.objects.exists()
    today = timezone.localdate()
    started = client.post(
        reverse("retention:runs"),
        {"as_of_day": today.day, "as_of_month": today.month, "as_of_year": today.year},
    )
    run = DisposalRun.objects.get()
    assert started.status_code == 302
    listing = client.get(reverse("retention:run", args=[run.pk]))
    assert listing["Refresh"] == "3"  # listed by the worker; the page checks again
    run = worker_lists(run)
    assert run.state == RunState.AWAITING_APPROVAL
    page = client.get(reverse("retention:run", args=[run.pk])).content.decode()
    assert "Early help episode" in page and "Approve" in page
    child = records.nfa_due.children.get()
    assert child.family_name not in page and str(child.pk) not in page

    assert client.post(reverse("retention:approve", args=[run.pk])).status_code == 302
    again = client.post(reverse("retention:approve", args=[run.pk]))
    assert again.status_code == 409 and "already been approved" in again.content.decode()
    run = worker_carries_out(run)
    assert run.state == RunState.COMPLETED
    certificate = DisposalCertificate.objects.get(run=run)
    done = client.get(reverse("retention:run", args=[run.pk])).content.decode()
    assert reverse("retention:certificate", args=[certificate.pk]) in done
    shown = client.get(reverse("retention:certificate", args=[certificate.pk]))
    # The name as the page writes it (an apostrophe, as in O'Brien, is escaped).
    assert shown.status_code == 200 and escape(ig_lead.get_full_name()) in shown.content.decode()
    listed = client.get(reverse("retention:certificates")).content.decode()
    assert reverse("retention:certificate", args=[certificate.pk]) in listed


def test_the_api_lists_approves_and_refuses_a_cancelled_run(
    records: Records, stockton: Council, ig_lead: User, client: Client
) -> None:
    client.force_login(ig_lead)
    future = client.post(
        "/api/v1/retention/runs",
        {"as_of": (timezone.localdate() + timedelta(days=3)).isoformat()},
        content_type="application/json",
    )
    assert future.status_code == 422 and not DisposalRun.objects.exists()
    made = client.post(
        "/api/v1/retention/runs",
        {"as_of": timezone.localdate().isoformat()},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["state"] == RunState.LISTING
    run_id = made.json()["id"]
    worker_lists(DisposalRun.objects.get(pk=run_id))
    body = client.get(f"/api/v1/retention/runs/{run_id}").json()
    counts = {c["kind"]: c["count"] for c in body["counts"]}
    assert counts[HeldKind.EPISODE.label] == 1
    assert (
        client.post(
            f"/api/v1/retention/runs/{run_id}/cancel", {}, content_type="application/json"
        ).status_code
        == 200
    )
    refused = client.post(
        f"/api/v1/retention/runs/{run_id}/approve", {}, content_type="application/json"
    )
    assert refused.status_code == 409 and "cancelled" in refused.json()["detail"]
    assert DisposalRun.objects.get(pk=run_id).state == RunState.CANCELLED
    assert carry_out(run_id=run_id).state == RunState.CANCELLED
    assert client.get("/api/v1/retention/certificates").json()["count"] == 0


def test_the_api_places_and_lifts_a_hold(records: Records, ig_lead: User, client: Client) -> None:
    client.force_login(ig_lead)
    url = "/api/v1/retention/holds"
    missing = client.post(
        url,
        {"record_kind": "episode", "record_id": "x", "reason": "A claim."},
        content_type="application/json",
    )
    assert missing.status_code == 422
    placed = client.post(
        url,
        {"record_kind": "episode", "record_id": str(records.episode_due.pk), "reason": "A claim."},
        content_type="application/json",
    )
    assert placed.status_code == 201
    hold_id = placed.json()["id"]
    assert client.get(url).json()["count"] == 1
    lifted = client.post(
        f"{url}/{hold_id}/lift", {"reason": "Settled."}, content_type="application/json"
    )
    assert lifted.status_code == 200 and lifted.json()["lift_reason"] == "Settled."
    twice = client.post(
        f"{url}/{hold_id}/lift", {"reason": "Again."}, content_type="application/json"
    )
    assert twice.status_code == 409

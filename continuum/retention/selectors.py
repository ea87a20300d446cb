"""Reads of the retention app, each starting from the one access policy: only the
council's information governance lead sees its schedule, holds, runs and certificates."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import QuerySet

from continuum.access import policy
from continuum.audit.policies import governed_council
from continuum.retention.choices import HeldKind, RunState
from continuum.retention.models import (
    DisposalCertificate,
    DisposalRun,
    LegalHold,
    RetentionRule,
    RetentionSchedule,
)
from continuum.retention.services.holds import held_record
from continuum.retention.services.schedule import ensure_schedule


def schedule_of(user: Any) -> RetentionSchedule | None:
    """The schedule of the council whose information governance ``user`` leads (made
    with the defaults if it has none)."""
    council = governed_council(user)
    if council is None:
        return None
    ensure_schedule(council)
    return policy.visible(user, RetentionSchedule).get(council=council)


def rules(user: Any) -> QuerySet[RetentionRule]:
    return policy.visible(user, RetentionRule).select_related("changed_by").order_by("pk")


def rule_history(user: Any) -> QuerySet[Any]:
    """Every version of the council's rules, newest first, with who made it."""
    ids = list(policy.visible(user, RetentionRule).values_list("pk", flat=True))
    return (
        RetentionRule.history.filter(id__in=ids)
        .select_related("history_user")
        .order_by("-history_date")
    )


def holds(user: Any, *, active: bool | None = None) -> QuerySet[LegalHold]:
    found = policy.visible(user, LegalHold).select_related("placed_by", "lifted_by")
    if active is not None:
        found = found.filter(lifted_at__isnull=active)
    return found


def runs(user: Any) -> QuerySet[DisposalRun]:
    return policy.visible(user, DisposalRun).select_related("listed_by", "approved_by")


def runs_awaiting_approval(user: Any) -> QuerySet[DisposalRun]:
    """The runs waiting for ``user`` to approve or cancel (their work: the work tray may
    list them)."""
    return runs(user).filter(state=RunState.AWAITING_APPROVAL)


def certificates(user: Any) -> QuerySet[DisposalCertificate]:
    return policy.visible(user, DisposalCertificate).select_related(
        "listed_by", "approved_by", "carried_out_by"
    )


def counts_by_kind(run: DisposalRun) -> list[tuple[str, int]]:
    """How many records of each kind the run lists (never which)."""
    labels = dict(HeldKind.choices)
    found = Counter(run.items.values_list("record_kind", flat=True))
    return [(str(labels[kind]), found.get(kind, 0)) for kind in HeldKind.values]


def record_to_hold(user: Any, kind: str, record_id: str) -> Any | None:
    """The person or record of ``kind`` with ``record_id`` held by the council whose
    information governance ``user`` leads, or None (another council's is not there)."""
    council = governed_council(user)
    record = held_record(kind, record_id.strip())
    if council is None or record is None or record.council_id != council.pk:
        return None
    return record

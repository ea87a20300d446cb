"""The retention API under /api/v1/retention, for the council's information governance lead
only (anyone else: 403 for the council's schedule and lists, 404 for one record): the
schedule (read, change one kind's rule), legal holds (list, place, read, lift), disposal
runs (list, list a new one, read with counts by kind, approve, cancel) and certificates.
Runs and certificates name records by kind and count, never a person's details."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.audit.policies import governed_council
from continuum.retention import selectors, services
from continuum.retention.choices import HeldKind, RunPurpose, RunState
from continuum.retention.models import (
    DisposalCertificate,
    DisposalRun,
    LegalHold,
    RetentionRule,
    RetentionSchedule,
)
from continuum.retention.policies import RetentionAction
from continuum.ui.api import invalid, limit_offset, paginated

router = Router(tags=["retention"])
Pages = limit_offset("RetentionPages", default=50, maximum=200)


def _name(user: Any) -> str | None:
    return None if user is None else (user.get_full_name() or user.username)


def _governed(request: HttpRequest) -> Any:
    user = user_of(request)
    policy.require(
        user, RetentionAction.GOVERN, message="Only the council's information governance lead."
    )
    return user


class RuleOut(Schema):
    kind: str
    period_months: int
    event: str
    changed_at: datetime
    changed_by: str | None

    @staticmethod
    def resolve_changed_by(rule: RetentionRule) -> str | None:
        return _name(rule.changed_by)


class ScheduleOut(Schema):
    council: str
    version: int
    updated_at: datetime
    rules: list[RuleOut]

    @staticmethod
    def resolve_council(schedule: RetentionSchedule) -> str:
        return schedule.council.name

    @staticmethod
    def resolve_rules(schedule: RetentionSchedule) -> list[RetentionRule]:
        return list(schedule.rules.select_related("changed_by").order_by("pk"))


class RuleIn(Schema):
    period_months: int = Field(description="Months from the event; 0 or more.")
    event: str = Field(description="The event the period counts from.")


@router.get("/schedule", response=ScheduleOut, summary="The council's retention schedule")
def get_schedule(request: HttpRequest) -> RetentionSchedule:
    found = selectors.schedule_of(_governed(request))
    assert found is not None
    return found


@router.put("/schedule/{kind}", response=RuleOut, summary="Change one kind's retention")
def put_rule(request: HttpRequest, kind: str, body: RuleIn) -> RetentionRule:
    """Refused with 422 (nothing changed) for a negative period or an event the kind does
    not count from."""
    user = _governed(request)
    council = governed_council(user)
    assert council is not None
    return services.update_rule(
        council=council,
        kind=kind,
        period_months=body.period_months,
        event=body.event,
        changed_by=user,
    )


class HoldOut(Schema):
    id: int
    held_kind: str
    held_id: str
    reason: str
    placed_by: str | None
    placed_at: datetime
    lifted_at: datetime | None
    lifted_by: str | None
    lift_reason: str

    @staticmethod
    def resolve_placed_by(hold: LegalHold) -> str | None:
        return _name(hold.placed_by)

    @staticmethod
    def resolve_lifted_by(hold: LegalHold) -> str | None:
        return _name(hold.lifted_by)


class HoldIn(Schema):
    record_kind: HeldKind = Field(description="person, contact, episode or notification.")
    record_id: str = Field(description="Its id.")
    reason: str


class ReasonIn(Schema):
    reason: str


@router.get("/holds", response=list[HoldOut], summary="Legal holds")
@paginated(Pages)
def list_holds(request: HttpRequest) -> QuerySet[LegalHold]:
    return selectors.holds(_governed(request)).order_by("-placed_at", "pk")


@router.post("/holds", response={201: HoldOut}, summary="Place a legal hold")
def place_hold(request: HttpRequest, body: HoldIn) -> Status:
    user = _governed(request)
    if selectors.record_to_hold(user, body.record_kind, body.record_id) is None:
        raise invalid([(("body", "record_id"), "There is no such record held by your council.")])
    hold = services.place_legal_hold(
        record_kind=body.record_kind,
        record_id=body.record_id.strip(),
        reason=body.reason,
        placed_by=user,
    )
    return Status(201, hold)


@router.get("/holds/{int:hold_id}", response=HoldOut, summary="A legal hold")
def get_hold(request: HttpRequest, hold_id: int) -> LegalHold:
    return policy.get_visible_or_404(user_of(request), LegalHold, hold_id)


@router.post("/holds/{int:hold_id}/lift", response=HoldOut, summary="Lift a legal hold")
def lift_hold(request: HttpRequest, hold_id: int, body: ReasonIn) -> LegalHold:
    user = user_of(request)
    hold = policy.get_visible_or_404(user, LegalHold, hold_id)
    return services.lift_legal_hold(hold=hold, reason=body.reason, lifted_by=user)


class KindCount(Schema):
    kind: str
    count: int


class RunOut(Schema):
    id: int
    purpose: RunPurpose
    as_of: date
    state: RunState
    schedule_version: int
    listed_by: str | None
    listed_at: datetime
    approved_by: str | None
    approved_at: datetime | None
    progress_done: int
    progress_total: int
    counts: list[KindCount]
    certificate: int | None

    @staticmethod
    def resolve_listed_by(run: DisposalRun) -> str | None:
        return _name(run.listed_by)

    @staticmethod
    def resolve_approved_by(run: DisposalRun) -> str | None:
        return _name(run.approved_by)

    @staticmethod
    def resolve_counts(run: DisposalRun) -> list[dict[str, Any]]:
        return [{"kind": k, "count": n} for k, n in selectors.counts_by_kind(run)]

    @staticmethod
    def resolve_certificate(run: DisposalRun) -> int | None:
        return DisposalCertificate.objects.filter(run=run).values_list("pk", flat=True).first()


class RunIn(Schema):
    as_of: date = Field(description="List what was due on this day (today or earlier).")


@router.get("/runs", response=list[RunOut], summary="Disposal runs")
@paginated(Pages)
def list_runs(request: HttpRequest) -> QuerySet[DisposalRun]:
    return selectors.runs(_governed(request)).order_by("-listed_at", "pk")


@router.post("/runs", response={201: RunOut}, summary="List a disposal run")
def start(request: HttpRequest, body: RunIn) -> Status:
    """Lists what is due in the background; the run then awaits approval. 422 for a day in
    the future; 409 while another run of the council is open."""
    user = _governed(request)
    council = governed_council(user)
    assert council is not None
    return Status(201, services.start_run(council=council, as_of=body.as_of, listed_by=user))


@router.get("/runs/{int:run_id}", response=RunOut, summary="A disposal run")
def get_run(request: HttpRequest, run_id: int) -> DisposalRun:
    return policy.get_visible_or_404(user_of(request), DisposalRun, run_id)


@router.post("/runs/{int:run_id}/approve", response=RunOut, summary="Approve a disposal run")
def approve(request: HttpRequest, run_id: int) -> DisposalRun:
    """409 unless the run awaits approval (approved already, cancelled, still listing)."""
    user = user_of(request)
    run = policy.get_visible_or_404(user, DisposalRun, run_id)
    return services.approve_run(run=run, approved_by=user)


@router.post("/runs/{int:run_id}/cancel", response=RunOut, summary="Cancel a disposal run")
def cancel(request: HttpRequest, run_id: int) -> DisposalRun:
    user = user_of(request)
    run = policy.get_visible_or_404(user, DisposalRun, run_id)
    return services.cancel_run(run=run, cancelled_by=user)


class CertificateOut(Schema):
    id: int
    run: int
    council: str
    purpose: RunPurpose
    as_of: date
    counts: dict[str, int]
    kept_on_hold: int
    schedule_version: int
    schedule: list[dict[str, Any]]
    reason: str
    listed_by: str | None
    listed_at: datetime
    approved_by: str | None
    approved_at: datetime | None
    carried_out_by: str | None
    carried_out_at: datetime

    @staticmethod
    def resolve_run(certificate: DisposalCertificate) -> int:
        return certificate.run_id

    @staticmethod
    def resolve_council(certificate: DisposalCertificate) -> str:
        return certificate.council.name

    @staticmethod
    def resolve_listed_by(certificate: DisposalCertificate) -> str | None:
        return _name(certificate.listed_by)

    @staticmethod
    def resolve_approved_by(certificate: DisposalCertificate) -> str | None:
        return _name(certificate.approved_by)

    @staticmethod
    def resolve_carried_out_by(certificate: DisposalCertificate) -> str | None:
        return _name(certificate.carried_out_by)


@router.get("/certificates", response=list[CertificateOut], summary="Disposal certificates")
@paginated(Pages)
def list_certificates(request: HttpRequest) -> QuerySet[DisposalCertificate]:
    return (
        selectors.certificates(_governed(request))
        .select_related("council")
        .order_by("-carried_out_at", "pk")
    )


@router.get(
    "/certificates/{int:certificate_id}", response=CertificateOut, summary="A disposal certificate"
)
def get_certificate(request: HttpRequest, certificate_id: int) -> DisposalCertificate:
    return policy.get_visible_or_404(user_of(request), DisposalCertificate, certificate_id)

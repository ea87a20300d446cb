"""Step-up to social care and closure over JSON: the lead professional asks for a step-up
and a team manager decides (agreed, a contact reaches the front door); closing records the
reason and each need's outcome (after a team manager's sign-off where the council asks for
one), and sets up the six-month Supporting Families follow-up."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.early_help import services
from continuum.early_help.api.common import (
    episode_for,
    found_or_404,
    log_children_read,
    name_of,
)
from continuum.early_help.choices import (
    ActionStatus,
    ClosureReason,
    NeedOutcome,
    SustainedResult,
)
from continuum.early_help.models import (
    Closure,
    ClosureRequest,
    Episode,
    NeedClosureOutcome,
    StepUp,
    SustainedOutcomeCheck,
)
from continuum.early_help.policies import EarlyHelpAction
from continuum.front_door.choices import FamilyAgreement
from continuum.ui.api import MessageOut, WholeList, fields_at, invalid_field, paginated

router = Router(tags=["early help step-up and closure"])


# --- schemas ---------------------------------------------------------------------------------


class StepUpIn(Schema):
    reason: str = Field(description="Why the family needs social care.")
    family_agreement: str = Field(description=", ".join(FamilyAgreement.values))
    sharing_justification: str = Field(
        "", description="Required when the family has not agreed to the referral."
    )
    urgent: bool = Field(
        False,
        description="A child is at risk of significant harm: the managers and the front door "
        "are told at once.",
    )


class StepUpDecisionIn(Schema):
    decision: Literal["agreed", "declined"]
    note: str = Field("", description="Required when declined.")


class StepUpOut(Schema):
    id: int
    reason: str
    requested_on: date
    requested_by: str | None
    family_agreement: str
    sharing_justification: str
    urgent: bool
    decision: str
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str
    contact: uuid.UUID | None = Field(
        alias="contact_id", description="The front-door contact made when the step-up was agreed."
    )

    @staticmethod
    def resolve_requested_by(step_up: StepUp) -> str | None:
        return name_of(step_up.requested_by)

    @staticmethod
    def resolve_decided_by(step_up: StepUp) -> str | None:
        return name_of(step_up.decided_by)


class NeedOutcomeIn(Schema):
    need: int
    outcome: str = Field(description=", ".join(NeedOutcome.values))


class NeedScoreIn(Schema):
    need: int
    score: int = Field(description="1 to 10.")


class AskedNeedOutcomeOut(Schema):
    need: int
    outcome: str
    score: int | None


class ClosureIn(Schema):
    reason: str = Field(description=", ".join(ClosureReason.values))
    closed_on: date | None = Field(None, description="Defaults to today.")
    summary: str = ""
    need_outcomes: list[NeedOutcomeIn] = Field(description="Every need of the episode.")
    closure_scores: list[NeedScoreIn] = Field([], description="Distance travelled at closure.")
    open_actions_become: str = Field(
        "",
        description=f"With actions still open: {ActionStatus.CANCELLED} or "
        f"{ActionStatus.CARRIED_FORWARD}.",
    )
    open_actions_resolution: str = Field(
        "", description="With actions still open: what happens to them."
    )
    early_closure_confirmed: bool = Field(
        False,
        description="Closing within 14 days of the plan starting (or of the episode, with "
        "no plan) is refused (422 naming this field) unless true.",
    )
    version: int = Field(description="The episode's version when you read it.")


class ClosureRequestOut(Schema):
    id: int
    requested_by: str | None
    requested_at: datetime
    closed_on: date
    reason: str
    summary: str
    need_outcomes: list[AskedNeedOutcomeOut] = Field(description="Each need's outcome and score.")
    open_actions_become: str
    open_actions_resolution: str
    early_closure_confirmed: bool
    decision: str = Field(description="pending, agreed or not_agreed.")
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str

    @staticmethod
    def resolve_requested_by(asked: ClosureRequest) -> str | None:
        return name_of(asked.requested_by)

    @staticmethod
    def resolve_decided_by(asked: ClosureRequest) -> str | None:
        return name_of(asked.decided_by)

    @staticmethod
    def resolve_need_outcomes(asked: ClosureRequest) -> list[dict[str, Any]]:
        return [
            {"need": int(k), "outcome": v, "score": asked.closure_scores.get(k)}
            for k, v in asked.need_outcomes.items()
        ]


class ClosureDecisionIn(Schema):
    decision: Literal["agreed", "not_agreed"]
    reason: str = Field("", description="Required when not agreed: the worker sees it.")
    version: int = Field(description="The episode's version when you read it.")


class NeedOutcomeOut(Schema):
    need: int = Field(alias="need_id")
    outcome: str


class SustainedCheckOut(Schema):
    id: int
    outcome_area: str = Field(description="Supporting Families outcome code.")
    follow_up_due: date
    result: str
    checked_on: date | None
    checked_by: str | None

    @staticmethod
    def resolve_outcome_area(check: SustainedOutcomeCheck) -> str:
        return check.outcome_area.code

    @staticmethod
    def resolve_checked_by(check: SustainedOutcomeCheck) -> str | None:
        return name_of(check.checked_by)


class ClosureOut(Schema):
    closed_on: date
    reason: str
    summary: str
    open_actions_resolution: str
    closed_by: str | None
    need_outcomes: list[NeedOutcomeOut]
    sustained_checks: list[SustainedCheckOut]

    @staticmethod
    def resolve_closed_by(closure: Closure) -> str | None:
        return name_of(closure.closed_by)


class SustainedCheckIn(Schema):
    result: str = Field(description=", ".join(SustainedResult.values))
    checked_on: date | None = Field(None, description="Defaults to today.")


# --- helpers ---------------------------------------------------------------------------------


def _step_ups(episode: Episode) -> QuerySet[StepUp]:
    """The episode's step-ups, newest first, with what an answer shows of them."""
    return episode.step_ups.select_related("requested_by", "decided_by").order_by(
        "-requested_on", "-pk"
    )


def _closure_of(episode: Episode) -> Closure:
    """The episode's closure as an answer shows it: each need's outcome, and the follow-ups
    in the order of their outcome areas; 404 while the episode is open."""
    checks = SustainedOutcomeCheck.objects.select_related("outcome_area", "checked_by")
    closure = (
        Closure.objects.filter(episode=episode)
        .select_related("closed_by")
        .prefetch_related(
            Prefetch("need_outcomes", queryset=NeedClosureOutcome.objects.order_by("pk")),
            Prefetch("sustained_checks", queryset=checks.order_by("outcome_area__code")),
        )
        .first()
    )
    return found_or_404(closure)


def _per_need(rows: list[Any], field: str, value: str) -> dict[int, Any]:
    found: dict[int, Any] = {}
    for row in rows:
        if row.need in found:
            raise invalid_field(field, f"Need {row.need} is given twice.")
        found[row.need] = getattr(row, value)
    return found


# --- step-up ---------------------------------------------------------------------------------


@router.get("/{episode_id}/step-ups", response=list[StepUpOut], summary="The episode's step-ups")
@paginated(WholeList)
def list_step_ups(request: HttpRequest, episode_id: uuid.UUID) -> QuerySet[StepUp]:
    episode = episode_for(request, episode_id)
    log_children_read(request, episode)
    return _step_ups(episode)


@router.post(
    "/{episode_id}/step-ups",
    response={201: StepUpOut, 409: MessageOut},
    summary="Ask for a step-up to social care",
)
def request_step_up(
    request: HttpRequest, episode_id: uuid.UUID, payload: StepUpIn
) -> Status[StepUp]:
    """The lead professional (or the council's early help staff) asks; a team manager
    decides. With a step-up already waiting for a decision, 409."""
    episode = episode_for(request, episode_id)
    policy.require(
        user_of(request),
        EarlyHelpAction.WORK_EPISODE,
        episode,
        "Only the lead professional or the council's early help staff ask for a step-up.",
    )
    step_up = services.request_step_up(
        episode=episode,
        reason=payload.reason,
        family_agreement=payload.family_agreement,
        sharing_justification=payload.sharing_justification,
        by=user_of(request),
        urgent=payload.urgent,
    )
    return Status(201, step_up)


@router.post(
    "/{episode_id}/step-ups/{step_up_id}/decision",
    response={200: StepUpOut, 409: MessageOut},
    summary="Decide a step-up (team manager)",
)
@fields_at(decision_note="note")
def decide_step_up(
    request: HttpRequest, episode_id: uuid.UUID, step_up_id: int, payload: StepUpDecisionIn
) -> StepUp:
    """A team manager of the episode's council decides. Agreed, a contact is made and
    submitted to the council's front door, carrying the family, the reason and the
    consent recorded; its id is in ``contact``. Declined needs a ``note``. Already
    decided: 409."""
    episode = episode_for(request, episode_id)
    policy.require(
        user_of(request),
        EarlyHelpAction.DECIDE_STEP_UP,
        episode,
        "Only a team manager of the council decides a step-up.",
    )
    step_up = found_or_404(episode.step_ups.filter(pk=step_up_id).first())
    decided = services.decide_step_up(
        step_up=step_up,
        manager=user_of(request),
        agree=payload.decision == "agreed",
        note=payload.note,
    )
    return decided


# --- closure ---------------------------------------------------------------------------------


@router.get("/{episode_id}/closure", response=ClosureOut, summary="Read the closure")
def get_closure(request: HttpRequest, episode_id: uuid.UUID) -> Closure:
    """404 while the episode is open."""
    episode = episode_for(request, episode_id)
    closure = _closure_of(episode)
    log_children_read(request, episode)
    return closure


def _requests(episode: Episode) -> QuerySet[ClosureRequest]:
    return episode.closure_requests.select_related("requested_by", "decided_by")


@router.post(
    "/{episode_id}/closure",
    response={201: ClosureOut, 202: ClosureRequestOut, 409: MessageOut},
    summary="Close the episode, or ask a manager to sign its closure off",
)
def close_episode(
    request: HttpRequest, episode_id: uuid.UUID, payload: ClosureIn
) -> Status[Closure] | Status[ClosureRequest]:
    """The lead professional (or the council's early help staff) closes with a reason and,
    for every need, whether the outcome was achieved. With actions still open, say what
    happens to them (``open_actions_become`` and ``open_actions_resolution``) or nothing
    is saved (422). Closing within 14 days of the plan starting needs
    ``early_closure_confirmed`` (422 otherwise).

    Where the council's closures need a manager's sign-off (its setting, on by default)
    and you are not one of its team managers, nothing closes yet: the request waits
    (202, the closure request) for a team manager to decide it at
    ``/closure-requests/{id}/decision``. Otherwise the episode closes (201, the closure).
    A stale ``version``, a closed episode or a request already waiting answers 409. Each
    Supporting Families outcome area improved gets a follow-up due six months on."""
    episode = episode_for(request, episode_id)
    policy.require(
        user_of(request),
        EarlyHelpAction.WORK_EPISODE,
        episode,
        "Only the lead professional or the council's early help staff close an episode.",
    )
    outcomes = _per_need(payload.need_outcomes, "need_outcomes", "outcome")
    scores = _per_need(payload.closure_scores, "closure_scores", "score")
    done = services.request_closure(
        episode=episode,
        by=user_of(request),
        expected_version=payload.version,
        reason=payload.reason,
        need_outcomes=outcomes,
        closed_on=payload.closed_on,
        summary=payload.summary,
        open_actions_become=payload.open_actions_become,
        open_actions_resolution=payload.open_actions_resolution,
        closure_scores=scores,
        early_closure_confirmed=payload.early_closure_confirmed,
    )
    if isinstance(done, ClosureRequest):
        return Status(202, _requests(episode).get(pk=done.pk))
    return Status(201, _closure_of(episode))


@router.get(
    "/{episode_id}/closure-requests",
    response=list[ClosureRequestOut],
    summary="Requests to close the episode, and their sign-off",
)
@paginated(WholeList)
def list_closure_requests(request: HttpRequest, episode_id: uuid.UUID) -> QuerySet[ClosureRequest]:
    """Newest first: the one waiting (``pending``), and those agreed or not agreed (with
    the manager's reason)."""
    episode = episode_for(request, episode_id)
    log_children_read(request, episode)
    return _requests(episode)


@router.post(
    "/{episode_id}/closure-requests/{request_id}/decision",
    response={200: ClosureRequestOut, 409: MessageOut},
    summary="Sign off a closure (team manager)",
)
@fields_at(decision_reason="reason")
def decide_closure(
    request: HttpRequest, episode_id: uuid.UUID, request_id: int, payload: ClosureDecisionIn
) -> ClosureRequest:
    """A team manager of the episode's council agrees (the episode closes with what the
    worker recorded) or does not agree, with a ``reason`` the worker sees (the episode
    stays open). Already decided, or the episode changed since you read it: 409."""
    episode = episode_for(request, episode_id)
    user = user_of(request)
    policy.require(
        user,
        EarlyHelpAction.SIGN_OFF_CLOSURE,
        episode,
        "Only a team manager of the council signs off a closure.",
    )
    asked = found_or_404(episode.closure_requests.filter(pk=request_id).first())
    services.decide_closure(
        closure_request=asked,
        manager=user,
        agree=payload.decision == "agreed",
        reason=payload.reason,
        expected_version=payload.version,
    )
    return _requests(episode).get(pk=asked.pk)


@router.post(
    "/{episode_id}/closure/sustained-checks/{check_id}",
    response={200: SustainedCheckOut},
    summary="Record a six-month follow-up",
)
def record_sustained_check(
    request: HttpRequest, episode_id: uuid.UUID, check_id: int, payload: SustainedCheckIn
) -> SustainedOutcomeCheck:
    """Supporting Families: was the outcome sustained six months after closure? Recorded
    by the council's early help staff, on or after the follow-up date."""
    episode = episode_for(request, episode_id)
    policy.require(
        user_of(request),
        EarlyHelpAction.RECORD_FOLLOW_UP,
        episode,
        "Only the council's early help staff record the follow-up, after closure.",
    )
    check = found_or_404(
        SustainedOutcomeCheck.objects.select_related("outcome_area")
        .filter(closure__episode=episode, pk=check_id)
        .first()
    )
    return services.record_sustained_check(
        check=check, result=payload.result, by=user_of(request), checked_on=payload.checked_on
    )

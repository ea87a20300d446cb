"""The plan and its reviews over JSON: outcomes linked to needs, SMART actions with an owner
(person and agency), a due date and a status (overdue flagged), and reviews recording
distance travelled (a 1-10 score per need)."""

from __future__ import annotations

import uuid
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.early_help import selectors, services
from continuum.early_help.api.common import (
    episode_for,
    found_or_404,
    log_children_read,
    name_of,
    professionals_of,
)
from continuum.early_help.choices import ActionStatus, AgencyKind
from continuum.early_help.models import Episode, Plan, PlanAction, PlanOutcome, Review
from continuum.early_help.policies import EarlyHelpAction
from continuum.ui.api import MessageOut, WholeList, fields_at, invalid_field, paginated

router = Router(tags=["early help plan and reviews"])

PLAN_VERSION = Field(description="The plan's version when you read it.")


# --- schemas ---------------------------------------------------------------------------------


class PlanIn(Schema):
    created_on: date | None = Field(None, description="Defaults to today.")


class OutcomeIn(Schema):
    need: int = Field(description="Id of the episode's need this outcome meets.")
    description: str = Field(description="What will be different for the family.")
    version: int = PLAN_VERSION


class ActionIn(Schema):
    outcome: int = Field(description="Id of the plan's outcome the action serves.")
    description: str = Field(description="What will be done: specific and measurable.")
    owner_user: int | None = Field(
        None, description="A professional on the TAF (the lead professional or a member)."
    )
    owner_name: str = Field("", description="Who will do it, when not a professional on the TAF.")
    owner_agency: str = Field(
        "",
        description=f"{', '.join(AgencyKind.values)}. Defaults to the owner's organisation.",
    )
    due_date: date
    version: int = PLAN_VERSION


class ActionChangeIn(Schema):
    status: str = Field(description=", ".join(ActionStatus.values))
    version: int = PLAN_VERSION


class ActionOut(Schema):
    id: int
    description: str
    owner_name: str
    owner_user: int | None = Field(alias="owner_user_id")
    owner_agency: str
    owner_organisation: str | None
    due_date: date
    status: str
    completed_on: date | None
    is_overdue: bool

    @staticmethod
    def resolve_owner_organisation(action: PlanAction) -> str | None:
        return action.owner_organisation.name if action.owner_organisation else None

    @staticmethod
    def resolve_is_overdue(action: PlanAction) -> bool:
        return action.is_overdue()


class OutcomeOut(Schema):
    id: int
    need: int = Field(alias="need_id")
    description: str
    actions: list[ActionOut]


class PlanOut(Schema):
    created_on: date
    next_review_due: date
    is_review_overdue: bool
    version: int
    outcomes: list[OutcomeOut]

    @staticmethod
    def resolve_is_review_overdue(plan: Plan) -> bool:
        return selectors.review_is_overdue(plan, plan.episode)


class ScoreIn(Schema):
    need: int
    score: int = Field(description="1 to 10: where the family is now on this need.")


class ActionReviewIn(Schema):
    action: int = Field(description="Id of an action of the plan.")
    status: str = Field(description=", ".join(ActionStatus.values))
    due_date: date | None = Field(None, description="A new due date, if it moves.")


class ReviewIn(Schema):
    held_on: date
    summary: str
    scores: list[ScoreIn] = Field(description="A score for every need of the episode.")
    actions: list[ActionReviewIn] = Field(
        [], description="The plan's actions brought up to date at the review."
    )
    plan_version: int | None = Field(
        None, description="The plan's version when you read it; needed with actions."
    )


class ScoreOut(Schema):
    need: int = Field(alias="need_id")
    score: int


class ReviewOut(Schema):
    id: int
    held_on: date
    summary: str
    recorded_by: str | None
    scores: list[ScoreOut]
    next_review_due: date | None = Field(
        description="The plan's next review date now (moved on by each review)."
    )

    @staticmethod
    def resolve_recorded_by(review: Review) -> str | None:
        return name_of(review.recorded_by)

    @staticmethod
    def resolve_next_review_due(review: Review) -> date | None:
        plan: Plan | None = getattr(review.episode, "plan", None)
        return plan.next_review_due if plan else None


# --- helpers ---------------------------------------------------------------------------------


def _plan_of(episode: Episode) -> Plan:
    """The episode's plan; 404 until it is written."""
    return found_or_404(Plan.objects.filter(episode=episode).first())


def _plan_with_outcomes(episode: Episode) -> Plan:
    """The episode's plan as an answer shows it: its outcomes, oldest first, each with its
    actions in the order they fall due; 404 until it is written."""
    actions = PlanAction.objects.select_related("owner_organisation").order_by("due_date", "pk")
    outcomes = PlanOutcome.objects.order_by("pk").prefetch_related(
        Prefetch("actions", queryset=actions)
    )
    plan = (
        Plan.objects.filter(episode=episode)
        .select_related("episode")
        .prefetch_related(Prefetch("outcomes", queryset=outcomes))
        .first()
    )
    return found_or_404(plan)


def _reviews(episode: Episode) -> QuerySet[Review]:
    """The episode's reviews, oldest first, with what an answer shows of them."""
    return episode.reviews.select_related("recorded_by", "episode__plan").prefetch_related("scores")


def _working(request: HttpRequest, episode_id: uuid.UUID) -> Episode:
    episode = episode_for(request, episode_id)
    policy.require(
        user_of(request),
        EarlyHelpAction.WORK_EPISODE,
        episode,
        "Only the lead professional or the council's early help staff change the plan.",
    )
    return episode


# --- the plan --------------------------------------------------------------------------------


@router.get("/{episode_id}/plan", response=PlanOut, summary="Read the plan")
def get_plan(request: HttpRequest, episode_id: uuid.UUID) -> Plan:
    """The outcomes with their actions, each action flagged when overdue. 404 until the
    plan is written."""
    episode = episode_for(request, episode_id)
    plan = _plan_with_outcomes(episode)
    log_children_read(request, episode)
    return plan


@router.post(
    "/{episode_id}/plan", response={201: PlanOut, 409: MessageOut}, summary="Write the plan"
)
def create_plan(request: HttpRequest, episode_id: uuid.UUID, payload: PlanIn) -> Status[Plan]:
    """Once the assessment is complete (409 before). Its first review is due after the
    council's review interval."""
    episode = _working(request, episode_id)
    services.create_plan(episode=episode, by=user_of(request), created_on=payload.created_on)
    return Status(201, _plan_with_outcomes(episode))


@router.post(
    "/{episode_id}/plan/outcomes",
    response={201: PlanOut, 409: MessageOut},
    summary="Add an outcome to the plan",
)
def add_outcome(request: HttpRequest, episode_id: uuid.UUID, payload: OutcomeIn) -> Status[Plan]:
    """A stale plan ``version`` answers 409 and saves nothing."""
    episode = _working(request, episode_id)
    plan = _plan_of(episode)
    need = episode.needs.filter(pk=payload.need).first()
    if need is None:
        raise invalid_field("need", "The episode has no need with this id.")
    services.add_plan_outcome(
        plan=plan,
        need=need,
        description=payload.description,
        by=user_of(request),
        expected_version=payload.version,
    )
    return Status(201, _plan_with_outcomes(episode))


@router.post(
    "/{episode_id}/plan/actions",
    response={201: PlanOut, 409: MessageOut},
    summary="Add an action to the plan",
)
def add_action(request: HttpRequest, episode_id: uuid.UUID, payload: ActionIn) -> Status[Plan]:
    """A SMART action: what, who (a professional on the TAF, or a name and agency) and by
    when. A stale plan ``version`` answers 409 and saves nothing."""
    episode = _working(request, episode_id)
    plan = _plan_of(episode)
    outcome = PlanOutcome.objects.filter(plan=plan, pk=payload.outcome).first()
    if outcome is None:
        raise invalid_field("outcome", "The plan has no outcome with this id.")
    owner = None
    if payload.owner_user is not None:
        owner = professionals_of(episode).get(payload.owner_user)
        if owner is None:
            raise invalid_field("owner_user", "Not the lead professional or a member of the TAF.")
    agency = payload.owner_agency or (selectors.agency_of(owner.organisation) if owner else "")
    services.add_action(
        outcome=outcome,
        description=payload.description,
        owner_name=payload.owner_name,
        owner_user=owner,
        owner_agency=agency,
        due_date=payload.due_date,
        by=user_of(request),
        expected_version=payload.version,
    )
    return Status(201, _plan_with_outcomes(episode))


@router.patch(
    "/{episode_id}/plan/actions/{action_id}",
    response={200: PlanOut, 409: MessageOut},
    summary="Change an action's status",
)
def change_action(
    request: HttpRequest, episode_id: uuid.UUID, action_id: int, payload: ActionChangeIn
) -> Plan:
    """Done, cancelled, carried forward or open again. A stale plan ``version`` answers 409
    and saves nothing."""
    episode = _working(request, episode_id)
    plan = _plan_of(episode)
    action = found_or_404(
        PlanAction.objects.select_related("outcome__plan")
        .filter(outcome__plan=plan, pk=action_id)
        .first()
    )
    services.update_action_status(
        action=action,
        status=payload.status,
        by=user_of(request),
        expected_version=payload.version,
    )
    return _plan_with_outcomes(episode)


# --- reviews ---------------------------------------------------------------------------------


@router.get("/{episode_id}/reviews", response=list[ReviewOut], summary="The plan's reviews")
@paginated(WholeList)
def list_reviews(request: HttpRequest, episode_id: uuid.UUID) -> QuerySet[Review]:
    """Oldest first, each with its score per need (distance travelled)."""
    episode = episode_for(request, episode_id)
    log_children_read(request, episode)
    return _reviews(episode)


@router.post(
    "/{episode_id}/reviews",
    response={201: ReviewOut, 409: MessageOut},
    summary="Record a review of the plan",
)
@fields_at(version="plan_version")
def record_review(request: HttpRequest, episode_id: uuid.UUID, payload: ReviewIn) -> Status[Review]:
    """Scores every need from 1 to 10, and brings the plan's ``actions`` up to date (their
    status, and a new due date if one moves; with ``plan_version``). A review dated before
    the assessment was completed is refused (422 naming ``held_on``). The next review
    falls due the council's review interval after the latest review
    (``next_review_due``)."""
    episode = _working(request, episode_id)
    scores: dict[int, int] = {}
    for row in payload.scores:
        if row.need in scores:
            raise invalid_field("scores", f"Need {row.need} is scored twice.")
        scores[row.need] = row.score
    changes: dict[int, services.ActionChange] = {}
    for item in payload.actions:
        if item.action in changes:
            raise invalid_field("actions", f"Action {item.action} is given twice.")
        changes[item.action] = services.ActionChange(status=item.status, due_date=item.due_date)
    review = services.record_review(
        episode=episode,
        held_on=payload.held_on,
        summary=payload.summary,
        scores=scores,
        by=user_of(request),
        action_changes=changes,
        expected_plan_version=payload.plan_version,
    )
    return Status(201, _reviews(episode).get(pk=review.pk))

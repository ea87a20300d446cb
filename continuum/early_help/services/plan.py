"""The plan and its reviews: outcomes linked to needs, SMART actions with an owner and a due
date, and reviews scoring every need (distance travelled)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.accounts.models import User
from continuum.early_help.choices import ActionStatus, AgencyKind, EpisodeStatus, ScoreStage
from continuum.early_help.models import (
    Assessment,
    Episode,
    Need,
    NeedScore,
    Plan,
    PlanAction,
    PlanOutcome,
    Review,
)
from continuum.early_help.services.episodes import (
    move_episode,
    note_if_future,
    record_in_chronology,
    refuse_if_closed,
    settings_for,
)
from continuum.errors import InvalidState
from continuum.optimistic_locking import claim_version
from continuum.organisations.models import Organisation
from continuum.ui.dates import govuk_date


@transaction.atomic
def create_plan(*, episode: Episode, by: User, created_on: date | None = None) -> Plan:
    refuse_if_closed(episode)
    assessment = Assessment.objects.filter(episode=episode).first()  # as saved, not as cached
    if assessment is None or assessment.completed_on is None:
        raise InvalidState("Complete the assessment before writing the plan.")
    if hasattr(episode, "plan") and Plan.objects.filter(episode=episode).exists():
        raise InvalidState("This episode already has a plan.")
    created_on = created_on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    note_if_future(created_on, "created_on", errors)
    if created_on < assessment.completed_on:
        errors["created_on"] = ["The plan cannot be dated before the assessment was completed."]
    if errors:
        raise ValidationError(errors)
    interval = settings_for(episode.council).review_interval_weeks
    plan = Plan(
        episode=episode,
        created_on=created_on,
        next_review_due=created_on + timedelta(weeks=interval),
    )
    plan._history_user = by  # type: ignore[attr-defined]
    plan.save()
    move_episode(episode, to=EpisodeStatus.PLAN, by=by)
    return plan


@transaction.atomic
def add_plan_outcome(
    *, plan: Plan, need: Need, description: str, by: User, expected_version: int
) -> PlanOutcome:
    errors: dict[str, list[str]] = {}
    if need.episode_id != plan.episode_id:
        errors["need"] = ["The need belongs to another episode."]
    if not description.strip():
        errors["description"] = ["Describe what will be different for the family."]
    if errors:
        raise ValidationError(errors)
    claim_version(plan, expected_version, what="plan")
    outcome = PlanOutcome(plan=plan, need=need, description=description.strip())
    outcome._history_user = by  # type: ignore[attr-defined]
    outcome.save()
    return outcome


@transaction.atomic
def add_action(
    *,
    outcome: PlanOutcome,
    description: str,
    owner_name: str,
    owner_agency: str,
    due_date: date,
    by: User,
    expected_version: int,
    owner_user: User | None = None,
    owner_organisation: Organisation | None = None,
) -> PlanAction:
    """A SMART action: what, who (person and agency) and by when."""
    errors: dict[str, list[str]] = {}
    if not description.strip():
        errors["description"] = ["Describe the action: what will be done."]
    if not owner_name.strip() and owner_user is None:
        errors["owner_name"] = ["Name who will do it."]
    if owner_agency not in AgencyKind.values:
        errors["owner_agency"] = ["Select the agency responsible."]
    if due_date < outcome.plan.created_on:
        errors["due_date"] = ["The due date cannot be before the plan was written."]
    if errors:
        raise ValidationError(errors)
    claim_version(outcome.plan, expected_version, what="plan")
    action = PlanAction(
        outcome=outcome,
        description=description.strip(),
        owner_name=owner_name.strip() or str(owner_user),
        owner_user=owner_user,
        owner_agency=owner_agency,
        owner_organisation=owner_organisation
        or (owner_user.organisation if owner_user is not None else None),
        due_date=due_date,
    )
    action._history_user = by  # type: ignore[attr-defined]
    action.save()
    return action


@transaction.atomic
def update_action_status(
    *, action: PlanAction, status: str, by: User, expected_version: int
) -> PlanAction:
    if status not in ActionStatus.values:
        raise ValidationError({"status": ["Select the action's status."]})
    claim_version(action.outcome.plan, expected_version, what="plan")
    action.status = status
    action.completed_on = timezone.localdate() if status == ActionStatus.DONE else None
    action._history_user = by  # type: ignore[attr-defined]
    action.save()
    return action


@dataclass(frozen=True)
class ActionChange:
    """What a review changes of one of the plan's actions: its status, and a new due date
    (None to keep the date it has)."""

    status: str
    due_date: date | None = None


def _action_change_errors(
    plan: Plan, changes: Mapping[int, ActionChange]
) -> tuple[dict[str, list[str]], dict[int, PlanAction]]:
    actions = {a.pk: a for a in PlanAction.objects.filter(outcome__plan=plan, pk__in=list(changes))}
    errors: dict[str, list[str]] = {}
    if set(changes) - set(actions):
        errors["actions"] = ["An action was given that is not in this episode's plan."]
    for pk, change in changes.items():
        if change.status not in ActionStatus.values:
            errors[f"action_{pk}_status"] = ["Select the action's status."]
        if change.due_date is not None and change.due_date < plan.created_on:
            errors[f"action_{pk}_due_date"] = [
                f"The new due date cannot be before the plan was written "
                f"({govuk_date(plan.created_on)})."
            ]
    return errors, actions


def _apply_action_changes(
    actions: Mapping[int, PlanAction], changes: Mapping[int, ActionChange], on: date, by: User
) -> int:
    """Save each action the review changed; how many changed."""
    changed = 0
    for pk, change in changes.items():
        action = actions[pk]
        due = change.due_date or action.due_date
        if action.status == change.status and action.due_date == due:
            continue
        if action.status != change.status:
            action.completed_on = on if change.status == ActionStatus.DONE else None
        action.status = change.status
        action.due_date = due
        action._history_user = by  # type: ignore[attr-defined]
        action.save()
        changed += 1
    return changed


def _review_errors(
    episode: Episode, held_on: date, summary: str, scores: Mapping[int, int]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    assessment = Assessment.objects.filter(episode=episode).first()  # as saved, not as cached
    note_if_future(held_on, "held_on", errors)
    if assessment is not None and assessment.completed_on and held_on < assessment.completed_on:
        errors["held_on"] = [
            "The review cannot be dated before the assessment was completed "
            f"({govuk_date(assessment.completed_on)})."
        ]
    if not summary.strip():
        errors["summary"] = ["Summarise the review."]
    needs = list(episode.needs.all())
    missing = [n for n in needs if n.pk not in scores]
    if missing:
        errors["scores"] = ["Score every need from 1 to 10 (distance travelled)."]
    if any(not 1 <= int(v) <= 10 for v in scores.values()):
        errors["scores"] = ["Every score must be from 1 to 10."]
    if set(scores) - {n.pk for n in needs}:
        errors["scores"] = ["A score was given for a need of another episode."]
    return errors


def next_review_after(episode: Episode, held_on: date) -> date:
    """When the next review falls due after a review held on ``held_on``: the council's
    review interval after the latest review held (an earlier review recorded late does not
    bring it back)."""
    latest = episode.reviews.order_by("-held_on").values_list("held_on", flat=True).first()
    basis = max(held_on, latest) if latest is not None else held_on
    return basis + timedelta(weeks=settings_for(episode.council).review_interval_weeks)


@transaction.atomic
def record_review(
    *,
    episode: Episode,
    held_on: date,
    summary: str,
    scores: Mapping[int, int],
    by: User,
    action_changes: Mapping[int, ActionChange] | None = None,
    expected_plan_version: int | None = None,
) -> Review:
    """A review of the plan, with distance travelled: a 1-10 score for every need; the
    actions' status and due dates brought up to date (``action_changes``, against the plan's
    ``expected_plan_version``); and the next review date moved on by the council's review
    interval."""
    refuse_if_closed(episode)
    plan = Plan.objects.filter(episode=episode).first()
    if plan is None:
        raise InvalidState("Write the plan before reviewing it.")
    changes = action_changes or {}
    errors = _review_errors(episode, held_on, summary, scores)
    action_errors, actions = _action_change_errors(plan, changes)
    errors.update(action_errors)
    if changes and expected_plan_version is None:
        errors["version"] = ["Give the plan's version to change its actions."]
    if errors:
        raise ValidationError(errors)
    if changes and expected_plan_version is not None:
        claim_version(plan, expected_plan_version, what="plan")
    next_due = next_review_after(episode, held_on)
    review = Review(episode=episode, held_on=held_on, summary=summary.strip(), recorded_by=by)
    review._history_user = by  # type: ignore[attr-defined]
    review.save()
    NeedScore.objects.bulk_create(
        [
            NeedScore(
                need_id=need_id,
                stage=ScoreStage.REVIEW,
                review=review,
                score=int(score),
                recorded_on=held_on,
            )
            for need_id, score in scores.items()
        ]
    )
    _apply_action_changes(actions, changes, held_on, by)
    plan.refresh_from_db()
    plan.next_review_due = next_due
    plan._history_user = by  # type: ignore[attr-defined]
    plan.save()
    move_episode(episode, to=EpisodeStatus.REVIEW, by=by)
    record_in_chronology(episode, title="Early help plan reviewed", by=by, on=held_on)
    return review

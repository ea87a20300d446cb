"""Closing an episode with a reason and each need's outcome, and the six-month Supporting
Families follow-up of each outcome area improved."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.access.services import end_involvements_from
from continuum.accounts.models import User
from continuum.early_help.choices import (
    ActionStatus,
    ClosureReason,
    EpisodeStatus,
    NeedOutcome,
    ScoreStage,
    SustainedResult,
)
from continuum.early_help.models import (
    Closure,
    Episode,
    NeedClosureOutcome,
    NeedScore,
    PlanAction,
    SupportingFamiliesOutcome,
    SustainedOutcomeCheck,
    TafMember,
)
from continuum.early_help.services.episodes import (
    can_move,
    move_episode,
    note_if_future,
    record_in_chronology,
    source_of,
)
from continuum.errors import InvalidState
from continuum.optimistic_locking import claim_version
from continuum.timescales.months import add_months
from continuum.ui.dates import govuk_date

# Supporting Families: an outcome counts when it is sustained this long after closure.
SUSTAINED_AFTER_MONTHS = 6
# Closing within this many days of the plan starting (or of the episode starting, before
# there is a plan) asks the worker to confirm that they mean it (issue 12, rough edge 8).
EARLY_CLOSURE_DAYS = 14


def open_action_errors(open_count: int, become: str, resolution: str) -> dict[str, list[str]]:
    """Closing with open actions needs a confirmed answer to what happens to them."""
    errors: dict[str, list[str]] = {}
    if not open_count:
        return errors
    if become not in (ActionStatus.CANCELLED, ActionStatus.CARRIED_FORWARD):
        errors["open_actions_become"] = [
            "1 action is still open: confirm whether it is cancelled or carried forward to "
            "another service."
            if open_count == 1
            else f"{open_count} actions are still open: confirm whether they are cancelled "
            "or carried forward to another service."
        ]
    if not resolution.strip():
        errors["open_actions_resolution"] = ["Say what happens to the open actions."]
    return errors


def closure_errors(
    episode: Episode,
    reason: str,
    closed_on: date,
    need_outcomes: Mapping[int, str],
    closure_scores: Mapping[int, int],
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if reason not in ClosureReason.values:
        errors["reason"] = ["Select the reason for closing."]
    note_if_future(closed_on, "closed_on", errors)
    if closed_on < episode.start_date:
        errors["closed_on"] = ["The episode cannot close before it started."]
    need_ids = set(episode.needs.values_list("pk", flat=True))
    if need_ids - set(need_outcomes):
        errors["need_outcomes"] = ["Record for every need whether the outcome was achieved."]
    if any(v not in NeedOutcome.values for v in need_outcomes.values()):
        errors["need_outcomes"] = ["Each need's outcome is achieved, partly or not achieved."]
    if set(need_outcomes) - need_ids:
        errors["need_outcomes"] = ["An outcome was given for a need of another episode."]
    if any(not 1 <= int(v) <= 10 for v in closure_scores.values()):
        errors["closure_scores"] = ["Every score must be from 1 to 10."]
    if set(closure_scores) - need_ids:
        errors["closure_scores"] = ["A score was given for a need of another episode."]
    return errors


@transaction.atomic
def close_episode(
    *,
    episode: Episode,
    by: User,
    expected_version: int,
    reason: str,
    need_outcomes: Mapping[int, str],
    closed_on: date | None = None,
    summary: str = "",
    open_actions_become: str = "",
    open_actions_resolution: str = "",
    closure_scores: Mapping[int, int] | None = None,
) -> Closure:
    """Close with a reason and, per need, whether the outcome was achieved. Open actions are
    refused unless the closer confirms what happens to them (cancelled or carried forward,
    with a note)."""
    if not can_move(episode, EpisodeStatus.CLOSED):
        raise InvalidState("This episode is already closed.")
    closed_on = closed_on or timezone.localdate()
    closure_scores = closure_scores or {}
    errors = closure_errors(episode, reason, closed_on, need_outcomes, closure_scores)
    open_actions = list(
        PlanAction.objects.filter(outcome__plan__episode=episode, status=ActionStatus.OPEN)
    )
    errors.update(
        open_action_errors(len(open_actions), open_actions_become, open_actions_resolution)
    )
    if errors:
        raise ValidationError(errors)
    claim_version(episode, expected_version, what="episode")
    for action in open_actions:
        action.status = open_actions_become
        action._history_user = by  # type: ignore[attr-defined]
        action.save()
    closure = Closure(
        episode=episode,
        closed_on=closed_on,
        reason=reason,
        summary=summary.strip(),
        open_actions_resolution=open_actions_resolution.strip(),
        closed_by=by,
    )
    closure._history_user = by  # type: ignore[attr-defined]
    closure.save()
    NeedClosureOutcome.objects.bulk_create(
        [
            NeedClosureOutcome(closure=closure, need_id=k, outcome=v)
            for k, v in need_outcomes.items()
        ]
    )
    if closure_scores:
        NeedScore.objects.bulk_create(
            [
                NeedScore(need_id=k, stage=ScoreStage.CLOSURE, score=int(v), recorded_on=closed_on)
                for k, v in closure_scores.items()
            ]
        )
    improved = [k for k, v in need_outcomes.items() if v != NeedOutcome.NOT_ACHIEVED]
    areas = SupportingFamiliesOutcome.objects.filter(needs__in=improved).distinct()
    SustainedOutcomeCheck.objects.bulk_create(
        [
            SustainedOutcomeCheck(
                closure=closure,
                outcome_area=area,
                follow_up_due=add_months(closed_on, SUSTAINED_AFTER_MONTHS),
            )
            for area in areas
        ]
    )
    episode.end_date = closed_on
    move_episode(episode, to=EpisodeStatus.CLOSED, by=by, claimed=True)
    for member in TafMember.objects.filter(episode=episode, left_on__isnull=True):
        # A member who had not yet joined leaves on the day they would have joined.
        member.left_on = max(closed_on, member.joined_on)
        member._history_user = by  # type: ignore[attr-defined]
        member.save()
    # Every access the episode granted ends, whoever is in the household today: each
    # involvement recorded whom it was with (decision 0009).
    end_involvements_from(source=source_of(episode))
    record_in_chronology(
        episode, title=f"Early help closed: {closure.get_reason_display()}", by=by, on=closed_on
    )
    return closure


@transaction.atomic
def record_sustained_check(
    *, check: SustainedOutcomeCheck, result: str, by: User, checked_on: date | None = None
) -> SustainedOutcomeCheck:
    checked_on = checked_on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if result not in SustainedResult.values:
        errors["result"] = ["Select whether the outcome was sustained."]
    note_if_future(checked_on, "checked_on", errors)
    if checked_on < check.follow_up_due:
        errors["checked_on"] = [
            f"The six-month follow-up is due on {govuk_date(check.follow_up_due)}, not before."
        ]
    if check.result:
        errors["result"] = ["This follow-up has already been recorded."]
    if errors:
        raise ValidationError(errors)
    check.result = result
    check.checked_on = checked_on
    check.checked_by = by
    check._history_user = by  # type: ignore[attr-defined]
    check.save()
    return check

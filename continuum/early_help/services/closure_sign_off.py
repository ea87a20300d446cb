"""Asking to close an episode, and a team manager's sign-off (issue 12, rough edge 8).

Where the council's settings ask for it (``EarlyHelpSettings.closure_needs_sign_off``, on
by default), a worker's closure waits as a ``ClosureRequest`` for a team manager of the
council: agreed, the episode closes with what the worker recorded (``close_episode``); not
agreed, it stays open and the worker sees the manager's reason. A team manager of the
council closing an episode signs it off themselves. Closing within ``EARLY_CLOSURE_DAYS``
of the plan starting asks the worker to confirm it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.early_help.choices import ActionStatus, ClosureSignOff, EpisodeStatus
from continuum.early_help.models import Closure, ClosureRequest, Episode, Plan, PlanAction
from continuum.early_help.services.closure import (
    EARLY_CLOSURE_DAYS,
    close_episode,
    closure_errors,
    open_action_errors,
)
from continuum.early_help.services.episodes import can_move, settings_for
from continuum.early_help.services.telling import tell_managers_a_closure_waits
from continuum.errors import InvalidState
from continuum.optimistic_locking import claim_version
from continuum.ui.dates import govuk_date


def closure_basis(episode: Episode) -> date:
    """The day an early closure is counted from: the plan's start, else the episode's."""
    plan = Plan.objects.filter(episode=episode).first()
    return plan.created_on if plan is not None else episode.start_date


def closes_early(episode: Episode, closed_on: date) -> bool:
    """Would closing on ``closed_on`` come within ``EARLY_CLOSURE_DAYS`` of the plan
    starting (or the episode, with no plan)?"""
    return (closed_on - closure_basis(episode)).days < EARLY_CLOSURE_DAYS


def needs_sign_off(episode: Episode, by: User) -> bool:
    """Does ``by`` closing the episode wait for a manager? Not when the council's settings
    say closures need none, nor when ``by`` is a team manager of the episode's council."""
    if not settings_for(episode.council).closure_needs_sign_off:
        return False
    council = policy.council_of(by)
    return not (
        by.role == Role.TEAM_MANAGER and council is not None and council.pk == episode.council_id
    )


def pending_request(episode: Episode) -> ClosureRequest | None:
    return ClosureRequest.objects.filter(episode=episode, decision=ClosureSignOff.PENDING).first()


def _early_error(episode: Episode, closed_on: date) -> dict[str, list[str]]:
    basis = closure_basis(episode)
    days = max((closed_on - basis).days, 0)
    started = (
        "The plan started"
        if Plan.objects.filter(episode=episode).exists()
        else ("The episode started")
    )
    when = (
        "the same day as this closure"
        if days == 0
        else (f"{days} day{'s' if days != 1 else ''} before this closure")
    )
    return {
        "early_closure_confirmed": [
            f"{started} on {govuk_date(basis)}, {when}. Check the date of closure, and confirm "
            "that the episode should close so soon."
        ]
    }


@transaction.atomic
def request_closure(
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
    early_closure_confirmed: bool = False,
) -> Closure | ClosureRequest:
    """Close the episode, or ask a manager to sign its closure off: the closure when it
    closed at once, the request when it waits. Refused (``ValidationError``) as closing is,
    and when it comes within ``EARLY_CLOSURE_DAYS`` of the plan starting unless
    ``early_closure_confirmed``; with a request already waiting, ``InvalidState``."""
    if not can_move(episode, EpisodeStatus.CLOSED):
        raise InvalidState("This episode is already closed.")
    if pending_request(episode) is not None:
        raise InvalidState("A closure is already waiting for a manager's sign-off.")
    closed_on = closed_on or timezone.localdate()
    scores = closure_scores or {}
    errors = closure_errors(episode, reason, closed_on, need_outcomes, scores)
    open_count = PlanAction.objects.filter(
        outcome__plan__episode=episode, status=ActionStatus.OPEN
    ).count()
    errors.update(open_action_errors(open_count, open_actions_become, open_actions_resolution))
    if (
        "closed_on" not in errors
        and closes_early(episode, closed_on)
        and not early_closure_confirmed
    ):
        errors.update(_early_error(episode, closed_on))
    if errors:
        raise ValidationError(errors)
    if not needs_sign_off(episode, by):
        return close_episode(
            episode=episode,
            by=by,
            expected_version=expected_version,
            reason=reason,
            need_outcomes=need_outcomes,
            closed_on=closed_on,
            summary=summary,
            open_actions_become=open_actions_become,
            open_actions_resolution=open_actions_resolution,
            closure_scores=scores,
        )
    claim_version(episode, expected_version, what="episode")
    request = ClosureRequest(
        episode=episode,
        requested_by=by,
        closed_on=closed_on,
        reason=reason,
        summary=summary.strip(),
        need_outcomes={str(k): v for k, v in need_outcomes.items()},
        closure_scores={str(k): int(v) for k, v in scores.items()},
        open_actions_become=open_actions_become if open_count else "",
        open_actions_resolution=open_actions_resolution.strip() if open_count else "",
        early_closure_confirmed=early_closure_confirmed,
    )
    request._history_user = by  # type: ignore[attr-defined]
    request.save()
    tell_managers_a_closure_waits(request)
    return request


@transaction.atomic
def decide_closure(
    *,
    closure_request: ClosureRequest,
    manager: User,
    agree: bool,
    expected_version: int,
    reason: str = "",
) -> ClosureRequest:
    """A team manager agrees (the episode closes with what the worker recorded) or does not
    agree, with a reason the worker sees (the episode stays open)."""
    found = ClosureRequest.objects.select_for_update().get(pk=closure_request.pk)
    if found.decision != ClosureSignOff.PENDING:
        raise InvalidState("This closure has already been decided.")
    if not agree and not reason.strip():
        raise ValidationError(
            {"decision_reason": ["Say why you do not agree, so the worker knows what to do."]}
        )
    episode = found.episode
    if agree:
        close_episode(
            episode=episode,
            by=manager,
            expected_version=expected_version,
            reason=found.reason,
            need_outcomes={int(k): v for k, v in found.need_outcomes.items()},
            closed_on=found.closed_on,
            summary=found.summary,
            open_actions_become=found.open_actions_become,
            open_actions_resolution=found.open_actions_resolution,
            closure_scores={int(k): int(v) for k, v in found.closure_scores.items()},
        )
    else:
        claim_version(episode, expected_version, what="episode")
    found.decision = ClosureSignOff.AGREED if agree else ClosureSignOff.NOT_AGREED
    found.decided_by = manager
    found.decided_at = timezone.now()
    found.decision_reason = reason.strip()
    found._history_user = manager  # type: ignore[attr-defined]
    found.save()
    return found

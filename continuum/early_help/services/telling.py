"""Who early help tells, and when (issue 12): an invitation to a Team Around the Family, and
an urgent step-up for significant harm. The notification and its email name no one; the
link leads to the episode, whose pages ask the policy again."""

from __future__ import annotations

from django.urls import reverse

from continuum.accounts.models import Role, User
from continuum.early_help.models import (
    ClosureRequest,
    Episode,
    LeadProfessionalHandover,
    StepUp,
    TafMember,
)
from continuum.notifications.models import NotificationKind
from continuum.notifications.recipients import council_staff
from continuum.notifications.services import notify


def tell_taf_member(member: TafMember, *, by: User) -> None:
    """The practitioner added to a Team Around the Family (unless they added themselves)."""
    episode: Episode = member.episode
    notify(
        recipients=[member.user],
        kind=NotificationKind.TAF_INVITATION,
        subject="You have been added to a Team Around the Family",
        link=reverse("early_help:taf", args=[episode.pk]),
        exclude=by,
    )


def tell_urgent_step_up(step_up: StepUp, *, by: User) -> None:
    """An urgent step-up: the team managers who decide it (the episode's team's, or the
    council's) and the council's front door, at once."""
    episode = step_up.episode
    managers = list(council_staff(episode.council, [Role.TEAM_MANAGER], team=episode.team))
    front_door = list(council_staff(episode.council, [Role.FRONT_DOOR_WORKER]))
    notify(
        recipients=managers + front_door,
        kind=NotificationKind.URGENT_STEP_UP,
        subject="Urgent step-up to social care: risk of significant harm",
        link=reverse("early_help:step-up", args=[episode.pk]),
        urgent=True,
        exclude=by,
    )


def tell_new_lead_professional(handover: LeadProfessionalHandover) -> None:
    """The practitioner an episode is handed to (unless they took it themselves)."""
    notify(
        recipients=[handover.to_user],
        kind=NotificationKind.HANDOVER,
        subject="An early help episode has been handed to you",
        link=reverse("early_help:episode", args=[handover.episode_id]),
        exclude=handover.decided_by,
    )


def tell_managers_a_closure_waits(closure_request: ClosureRequest) -> None:
    """The team managers who sign off the closure (the episode's team's, or the council's)."""
    episode = closure_request.episode
    notify(
        recipients=council_staff(episode.council, [Role.TEAM_MANAGER], team=episode.team),
        kind=NotificationKind.CLOSURE_SIGN_OFF,
        subject="A closure is waiting for your sign-off",
        link=reverse("early_help:closure-sign-off", args=[episode.pk, closure_request.pk]),
        exclude=closure_request.requested_by,
    )

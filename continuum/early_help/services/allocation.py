"""Allocation at a locality panel: holding the panel and allocating a waiting episode to a
lead professional from any agency."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.accounts.models import User
from continuum.accounts.roles import LEAD_PROFESSIONAL_ROLES
from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.models import AllocationPanel, Episode
from continuum.early_help.services.episodes import (
    can_move,
    involve_lead_professional,
    move_episode,
    note_if_future,
    record_in_chronology,
)
from continuum.errors import InvalidState
from continuum.optimistic_locking import claim_version
from continuum.organisations.models import Council, Locality, Organisation


def lead_professional_errors(
    episode: Episode, lead_professional: User, out_of_area_reason: str
) -> dict[str, list[str]]:
    """Who may lead the episode: an active practitioner or team manager of any agency; one
    whose organisation does not serve the episode's council with a recorded reason."""
    organisation = lead_professional.organisation
    if organisation is None or not lead_professional.is_active:
        return {"lead_professional": ["The lead professional needs an active account."]}
    if lead_professional.role not in LEAD_PROFESSIONAL_ROLES:
        return {
            "lead_professional": [
                "The lead professional must be a practitioner or team manager who works "
                "with families."
            ]
        }
    if (
        not organisation.serves.filter(pk=episode.council_id).exists()
        and not out_of_area_reason.strip()
    ):
        return {
            "out_of_area_reason": [
                f"{organisation.name} does not serve {episode.council.name}: record why it "
                "leads this episode."
            ]
        }
    return {}


@transaction.atomic
def hold_panel(
    *,
    council: Council,
    locality: Locality,
    held_on: date,
    agencies_present: Sequence[Organisation],
    chaired_by: User,
) -> AllocationPanel:
    errors: dict[str, list[str]] = {}
    if locality.council_id != council.pk:
        errors["locality"] = ["The locality is in another council."]
    note_if_future(held_on, "held_on", errors)
    if not agencies_present:
        errors["agencies_present"] = ["Record the agencies present at the panel."]
    if errors:
        raise ValidationError(errors)
    panel = AllocationPanel.objects.create(
        council=council, locality=locality, held_on=held_on, chaired_by=chaired_by
    )
    panel.agencies_present.set(agencies_present)
    return panel


@transaction.atomic
def allocate(
    *,
    episode: Episode,
    panel: AllocationPanel,
    lead_professional: User,
    reason: str,
    by: User,
    expected_version: int,
    out_of_area_reason: str = "",
) -> Episode:
    """Assign a lead professional — from any agency — at a locality panel."""
    if not can_move(episode, EpisodeStatus.ALLOCATED):
        raise InvalidState("This episode is not waiting for allocation.")
    errors: dict[str, list[str]] = {}
    if panel.council_id != episode.council_id:
        errors["panel"] = ["The panel belongs to another council."]
    elif panel.locality_id != episode.locality_id:
        errors["panel"] = [f"The family is on {episode.locality.name}'s waiting list."]
    errors.update(lead_professional_errors(episode, lead_professional, out_of_area_reason))
    organisation = lead_professional.organisation
    if not reason.strip():
        errors["allocation_reason"] = ["Record why this lead professional was chosen."]
    if errors:
        raise ValidationError(errors)
    assert organisation is not None
    claim_version(episode, expected_version, what="episode")
    episode.panel = panel
    episode.lead_professional = lead_professional
    episode.lead_professional_organisation = organisation
    episode.allocation_reason = reason.strip()
    episode.out_of_area_reason = out_of_area_reason.strip()
    episode.allocated_at = timezone.now()
    move_episode(episode, to=EpisodeStatus.ALLOCATED, by=by, claimed=True)
    involve_lead_professional(episode, lead_professional)
    record_in_chronology(
        episode,
        title=f"Early help allocated: lead professional from {organisation.name}",
        by=by,
        on=panel.held_on,
    )
    return episode

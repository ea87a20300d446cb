"""Handing an episode to another lead professional: why, who decided, and the access that
goes with leading it (decision 0009: access is bounded by involvement).

The outgoing lead professional's involvement with the family ends when the handover is
made (their sight of the episode with it, unless they stay on the Team Around the
Family); the new lead professional's begins. Each handover is kept
(``LeadProfessionalHandover``), so the episode's lead professionals can be listed with who
led, from when to when, why and who decided (``selectors.lead_professionals``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.access.models import InvolvementReason
from continuum.access.services import end_involvements_from
from continuum.accounts.models import User
from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.models import Episode, LeadProfessionalHandover
from continuum.early_help.services.allocation import lead_professional_errors
from continuum.early_help.services.episodes import (
    involve_lead_professional,
    record_in_chronology,
    refuse_if_closed,
    source_of,
)
from continuum.early_help.services.telling import tell_new_lead_professional
from continuum.errors import InvalidState
from continuum.optimistic_locking import claim_version


@transaction.atomic
def hand_over(
    *,
    episode: Episode,
    to: User,
    reason: str,
    by: User,
    expected_version: int,
    out_of_area_reason: str = "",
) -> LeadProfessionalHandover:
    """Hand an allocated, open episode to another lead professional (any agency) with a
    reason. A lead professional whose organisation does not serve the council needs
    ``out_of_area_reason``."""
    refuse_if_closed(episode)
    previous = episode.lead_professional
    if episode.status == EpisodeStatus.AWAITING_ALLOCATION or previous is None:
        raise InvalidState("This episode has no lead professional yet: allocate it at panel.")
    errors = lead_professional_errors(episode, to, out_of_area_reason)
    if not errors and to.pk == previous.pk:
        errors["lead_professional"] = [f"{to} already leads this episode."]
    if not reason.strip():
        errors["reason"] = ["Record why the episode is handed to another lead professional."]
    if errors:
        raise ValidationError(errors)
    assert to.organisation is not None
    claim_version(episode, expected_version, what="episode")
    now = timezone.now()
    handover = LeadProfessionalHandover(
        episode=episode,
        from_user=previous,
        from_organisation=episode.lead_professional_organisation,
        from_out_of_area_reason=episode.out_of_area_reason,
        to_user=to,
        to_organisation=to.organisation,
        handed_over_at=now,
        reason=reason.strip(),
        out_of_area_reason=out_of_area_reason.strip(),
        decided_by=by,
    )
    handover._history_user = by  # type: ignore[attr-defined]
    handover.save()
    episode.lead_professional = to
    episode.lead_professional_organisation = to.organisation
    episode.out_of_area_reason = out_of_area_reason.strip()
    episode._history_user = by  # type: ignore[attr-defined]
    episode.save()
    # The outgoing lead's access from leading ends now (a TAF membership they hold goes on);
    # the new lead's begins.
    end_involvements_from(
        source=source_of(episode),
        user=previous,
        reason=InvolvementReason.LEAD_PROFESSIONAL,
        ends_at=now,
    )
    involve_lead_professional(episode, to)
    record_in_chronology(
        episode,
        title=f"Early help lead professional changed: now from {to.organisation.name}",
        by=by,
        on=timezone.localdate(),
    )
    tell_new_lead_professional(handover)
    return handover

"""Lead professionals over JSON: who could lead an episode (the picker, with caseloads),
who has led it, and handing it to another lead professional (a team manager)."""

from __future__ import annotations

import uuid
from datetime import date

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.early_help import services
from continuum.early_help.api.common import (
    Professional,
    ProfessionalOut,
    episode_for,
    log_children_read,
    name_of,
)
from continuum.early_help.api.episodes import EpisodeOut, episode_detail
from continuum.early_help.choices import AgencyKind
from continuum.early_help.lead_professionals import (
    Candidate,
    CandidateFilters,
    LeadSpell,
    lead_professional_candidates,
    lead_professionals,
    may_lead,
)
from continuum.early_help.models import Episode
from continuum.early_help.policies import EarlyHelpAction
from continuum.errors import NotPermitted
from continuum.ui.api import MessageOut, WholeList, invalid, invalid_field, paginated

router = Router(tags=["early help lead professionals"])


class HandoverIn(Schema):
    lead_professional: int = Field(description="User id of the new lead professional, any agency.")
    reason: str = Field(description="Why the episode is handed over.")
    out_of_area_reason: str = Field(
        "",
        description="Required when the new lead professional's organisation does not serve "
        "the episode's council.",
    )
    version: int = Field(description="The episode's version when you read it.")


class LeadSpellOut(Schema):
    lead_professional: ProfessionalOut
    started_on: date
    ended_on: date | None = Field(description="None while they lead it.")
    how: str = Field(description="Allocated at panel, started it themselves, or handed over.")
    reason: str
    out_of_area_reason: str
    decided_by: str | None

    @staticmethod
    def resolve_lead_professional(spell: LeadSpell) -> Professional:
        return Professional(spell.user, spell.organisation)

    @staticmethod
    def resolve_decided_by(spell: LeadSpell) -> str | None:
        return name_of(spell.decided_by)


class LeadProfessionalChoiceOut(Schema):
    professional: ProfessionalOut
    role: str
    caseload: int = Field(description="Open episodes they lead now, in any council.")
    caseload_norm: int = Field(description="The episode's council's caseload norm.")
    serves_council: bool = Field(
        description="False: their organisation does not serve the episode's council, so "
        "allocating them needs out_of_area_reason."
    )

    @staticmethod
    def resolve_professional(candidate: Candidate) -> Professional:
        return Professional.of(candidate.user)

    @staticmethod
    def resolve_role(candidate: Candidate) -> str:
        return candidate.user.role

    @staticmethod
    def resolve_caseload_norm(candidate: Candidate) -> int:
        return candidate.norm


class LeadProfessionalChoiceFilters(Schema):
    name: str = Field("", description="Words of the name.")
    locality: int | None = Field(None, description="Id of a locality of the episode's council.")
    agency: str = Field("", description=", ".join(AgencyKind.values))
    outside_area: bool = Field(
        False, description="Include people whose organisation does not serve the council."
    )


@router.get(
    "/{episode_id}/lead-professionals",
    response=list[LeadSpellOut],
    summary="The episode's lead professionals so far",
)
@paginated(WholeList)
def list_lead_professionals(request: HttpRequest, episode_id: uuid.UUID) -> list[LeadSpell]:
    """Who led it, from when to when, why and who decided; first first."""
    episode = episode_for(request, episode_id)
    log_children_read(request, episode)
    return lead_professionals(episode)


@router.get(
    "/{episode_id}/lead-professional-choices",
    response=list[LeadProfessionalChoiceOut],
    summary="Who could lead the episode, with their caseloads",
)
@paginated(WholeList)
def list_candidates(
    request: HttpRequest, episode_id: uuid.UUID, filters: Query[LeadProfessionalChoiceFilters]
) -> list[Candidate]:
    """For a team manager allocating or handing over: active practitioners and team
    managers whose organisation serves the council (``outside_area`` for the others),
    narrowed by name, locality (in a team of it) and agency, each with their caseload
    against the council's norm. At most 50; narrow the filters for others."""
    episode = episode_for(request, episode_id)
    user = user_of(request)
    if not (
        policy.can(user, EarlyHelpAction.ALLOCATE, episode)
        or policy.can(user, EarlyHelpAction.HAND_OVER, episode)
    ):
        raise NotPermitted("Only a team manager of the council chooses a lead professional.")
    errors: list[tuple[list[str | int], str]] = []
    if (
        filters.locality is not None
        and not episode.council.localities.filter(pk=filters.locality).exists()
    ):
        errors.append((["query", "locality"], f"No locality of {episode.council} has this id."))
    if filters.agency and filters.agency not in AgencyKind.values:
        errors.append((["query", "agency"], f"Give one of {', '.join(AgencyKind.values)}."))
    if errors:
        raise invalid(errors)
    found = lead_professional_candidates(
        episode=episode,
        filters=CandidateFilters(
            name=filters.name.strip(),
            locality_id=filters.locality,
            agency=filters.agency,
            outside_area=filters.outside_area,
        ),
    )
    return found.people


@router.post(
    "/{episode_id}/handover",
    response={200: EpisodeOut, 409: MessageOut},
    summary="Hand the episode to another lead professional (team manager)",
)
def hand_over(request: HttpRequest, episode_id: uuid.UUID, payload: HandoverIn) -> Episode:
    """A team manager of the episode's council hands an allocated, open episode to another
    lead professional from any agency, with a reason. The outgoing lead professional's
    access from leading ends; the new one's begins. Not allocated yet, closed, or changed
    since you read it: 409."""
    user = user_of(request)
    episode = episode_for(request, episode_id)
    policy.require(
        user, EarlyHelpAction.HAND_OVER, episode, "Only a team manager of the council hands over."
    )
    lead = may_lead(episode, payload.lead_professional)
    if lead is None:
        raise invalid_field("lead_professional", "No active user with an organisation has this id.")
    services.hand_over(
        episode=episode,
        to=lead,
        reason=payload.reason,
        out_of_area_reason=payload.out_of_area_reason,
        by=user,
        expected_version=payload.version,
    )
    return episode_detail(request, episode.pk)

"""Opening an episode (from a front-door decision, by a partner, or by step-down from social
care), and what every early help service shares: the council's settings, the episode's
moves, its family, its children's chronology and the dates it checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from continuum.access.models import InvolvementReason
from continuum.access.services import record_involvement
from continuum.accounts.models import User
from continuum.early_help.choices import EPISODE_TRANSITIONS, EpisodeOrigin, EpisodeStatus
from continuum.early_help.models import EarlyHelpSettings, Episode
from continuum.early_help.services.consent import (
    AGREED,
    LAWFUL_BASIS,
    family_members,
    ground_for_opening,
)
from continuum.errors import InvalidState
from continuum.front_door.choices import FamilyAgreement, Outcome
from continuum.front_door.models import ContactDecision
from continuum.organisations.models import Council, Locality, Team
from continuum.people.choices import ChronologyCategory
from continuum.people.models import Household, Person
from continuum.people.services import record_chronology_event

EARLY_HELP_OUTCOME_LEVELS: dict[str, int] = {
    Outcome.EARLY_HELP_SINGLE: 2,
    Outcome.EARLY_HELP_MULTI: 3,
}


def settings_for(council: Council) -> EarlyHelpSettings:
    """The council's early help timescales, the defaults until it sets its own."""
    found, _ = EarlyHelpSettings.objects.get_or_create(council=council)
    return found


def can_move(episode: Episode, to: EpisodeStatus) -> bool:
    """Does ``EPISODE_TRANSITIONS`` let the episode move on from its status to ``to``?"""
    return to in EPISODE_TRANSITIONS[episode.status]


def move_episode(episode: Episode, *, to: EpisodeStatus, by: User, claimed: bool = False) -> None:
    """Move the episode on to ``to`` and save it, with any other change the caller made to
    it, as a change naming its author. A move ``EPISODE_TRANSITIONS`` does not allow from
    the episode's status is refused with ``InvalidState``.

    A move is a new version of the episode, so any form opened on it before (closing it,
    say) is then stale and refused: the version goes up here, and the episode is read again
    as stored, unless the caller has already claimed it (``claim_version``).
    """
    if not claimed:
        Episode.objects.filter(pk=episode.pk).update(version=F("version") + 1)
        episode.refresh_from_db()
    if not can_move(episode, to):
        raise InvalidState(
            f"An episode that is {episode.get_status_display().lower()} cannot move to "
            f"{to.label.lower()}."
        )
    episode.status = to
    episode._history_user = by  # type: ignore[attr-defined]
    episode.save()


def refuse_if_closed(episode: Episode) -> None:
    """A closed episode changes no more: ``InvalidState``."""
    if episode.status == EpisodeStatus.CLOSED:
        raise InvalidState("This episode is closed and cannot change.")


def source_of(episode: Episode) -> str:
    """How involvements and chronology events arising from the episode name it."""
    return f"early_help.episode:{episode.pk}"


def record_in_chronology(
    episode: Episode, *, title: str, by: User, detail: str = "", on: date
) -> None:
    """An event in each child's chronology (dated no later than today)."""
    for child in episode.children.all():
        record_chronology_event(
            person=child,
            occurred_on=min(on, timezone.localdate()),
            category=ChronologyCategory.EARLY_HELP,
            title=title,
            detail=detail,
            source=source_of(episode),
            recorded_by=by,
        )


def in_family(episode: Episode, person: Person) -> bool:
    """Is ``person`` one of the episode's children or a member of its household?"""
    return (
        episode.children.filter(pk=person.pk).exists()
        or episode.household.members.filter(person=person).exists()
    )


def note_if_future(value: date | None, field: str, errors: dict[str, list[str]]) -> None:
    """Add an error at ``field`` to ``errors`` when ``value`` is a date after today."""
    if value is not None and value > timezone.localdate():
        errors[field] = ["The date must be today or in the past."]


def whole_family(episode: Episode) -> list[Person]:
    """The children the episode is for and the household's current members."""
    today = timezone.localdate()
    current = Q(household_members__end_date__isnull=True) | Q(
        household_members__end_date__gte=today
    )
    # One filter() call, so both conditions apply to the same membership.
    members = Person.objects.filter(Q(household_members__household=episode.household) & current)
    return list(dict.fromkeys([*episode.children.all(), *members]))


def involve_lead_professional(episode: Episode, user: User) -> None:
    """The lead professional does the whole-family assessment: they are involved with the
    children and the household's adults while they lead."""
    for person in whole_family(episode):
        record_involvement(
            user=user,
            person=person,
            reason=InvolvementReason.LEAD_PROFESSIONAL,
            source=source_of(episode),
        )


# --- opening an episode ------------------------------------------------------------------


@dataclass(frozen=True)
class EpisodePlace:
    """Where an episode belongs: council, locality, team and the family."""

    council: Council
    locality: Locality
    team: Team
    household: Household


def _check_place(place: EpisodePlace, children: Sequence[Person]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if place.locality.council_id != place.council.pk:
        errors["locality"] = ["The locality is in another council."]
    if place.team.locality_id is not None and place.team.locality_id != place.locality.pk:
        errors["team"] = ["The team works in another locality."]
    if place.household.council_id != place.council.pk:
        errors["household"] = ["The family's household is recorded in another council."]
    if not children:
        errors["children"] = ["Name the children the episode is for."]
    return errors


@dataclass(frozen=True)
class ConsentAnswer:
    """What the practitioner says the episode goes ahead on (``services.consent``): the
    family's agreement (``agreed``), or a lawful basis (``lawful_basis``) and why."""

    answer: str = ""
    lawful_basis: str = ""
    justification: str = ""


def _create_episode(
    *,
    place: EpisodePlace,
    children: Sequence[Person],
    level: int,
    origin: str,
    reason: str,
    opened_by: User,
    consent: ConsentAnswer,
    referral_agreed: bool = False,
    **extra: Any,
) -> Episode:
    errors = _check_place(place, children)
    if level not in (2, 3):
        errors["level"] = ["Early help is at level 2 or level 3."]
    if not reason.strip():
        errors["reason_for_request"] = ["Say why the family needs early help."]
    ground = None
    try:
        ground = ground_for_opening(
            family=family_members(place.household, children),
            answer=consent.answer,
            lawful_basis=consent.lawful_basis,
            justification=consent.justification,
            referral_agreed=referral_agreed,
        )
    except ValidationError as refused:
        errors.update(refused.message_dict)
    if errors:
        raise ValidationError(errors)
    assert ground is not None
    episode = Episode(
        council=place.council,
        locality=place.locality,
        team=place.team,
        household=place.household,
        level=level,
        origin=origin,
        reason_for_request=reason.strip(),
        start_date=timezone.localdate(),
        opened_by=opened_by,
        **ground.fields(),
        **extra,
    )
    episode._history_user = opened_by  # type: ignore[attr-defined]
    episode.save()
    episode.children.set(list(dict.fromkeys(children)))
    return episode


def carried_from_contact(decision: ContactDecision) -> ConsentAnswer:
    """The contact's consent, carried over to the episode when the practitioner gives no
    other answer: the referral's agreement, or its lawful basis and justification."""
    contact = decision.contact
    if contact.family_agreement == FamilyAgreement.AGREED:
        return ConsentAnswer(answer=AGREED)
    if contact.lawful_basis:
        return ConsentAnswer(
            answer=LAWFUL_BASIS,
            lawful_basis=contact.lawful_basis,
            justification=contact.sharing_justification,
        )
    return ConsentAnswer()


@transaction.atomic
def open_episode_from_decision(
    *,
    decision: ContactDecision,
    place: EpisodePlace,
    opened_by: User,
    consent: ConsentAnswer | None = None,
) -> Episode:
    """Open the episode a front-door decision for early help asked for. Without an answer
    about consent, the contact's carries over (``carried_from_contact``)."""
    if decision.outcome not in EARLY_HELP_OUTCOME_LEVELS:
        raise ValidationError({"decision": ["This front-door decision was not for early help."]})
    if decision.awaiting_sign_off or decision.contact.decided_at is None:
        raise ValidationError({"decision": ["The front-door decision is not final yet."]})
    if Episode.objects.filter(front_door_decision=decision).exists():
        raise ValidationError({"decision": ["An episode is already open for this decision."]})
    contact = decision.contact
    if contact.council_id != place.council.pk:
        raise ValidationError({"council": ["The decision was made by another council."]})
    episode = _create_episode(
        place=place,
        children=list(contact.children.all()),
        level=EARLY_HELP_OUTCOME_LEVELS[decision.outcome],
        origin=EpisodeOrigin.FRONT_DOOR,
        reason=decision.rationale,
        opened_by=opened_by,
        consent=consent or carried_from_contact(decision),
        referral_agreed=contact.family_agreement == FamilyAgreement.AGREED,
        front_door_decision=decision,
        front_door_decided_at=contact.decided_at,
    )
    record_in_chronology(
        episode,
        title="Early help episode opened from the front door",
        by=opened_by,
        on=episode.start_date,
    )
    return episode


@transaction.atomic
def open_episode_by_partner(
    *,
    place: EpisodePlace,
    children: Sequence[Person],
    reason: str,
    opened_by: User,
    consent: ConsentAnswer,
    level: int = 2,
) -> Episode:
    """A partner (a school, say) starting single-agency early help tells the council by
    opening an episode; they lead it themselves."""
    organisation = opened_by.organisation
    if organisation is None or not organisation.serves.filter(pk=place.council.pk).exists():
        raise ValidationError(
            {"council": ["Your organisation does not work in this council's area."]}
        )
    now = timezone.now()
    episode = _create_episode(
        place=place,
        children=children,
        level=level,
        origin=EpisodeOrigin.PARTNER,
        reason=reason,
        opened_by=opened_by,
        consent=consent,
        status=EpisodeStatus.ALLOCATED,
        lead_professional=opened_by,
        lead_professional_organisation=organisation,
        allocation_reason=f"{organisation.name} is delivering single-agency early help.",
        allocated_at=now,
    )
    involve_lead_professional(episode, opened_by)
    record_in_chronology(
        episode,
        title=f"Early help started by {organisation.name}",
        by=opened_by,
        on=episode.start_date,
    )
    return episode


@transaction.atomic
def step_down(
    *,
    place: EpisodePlace,
    children: Sequence[Person],
    level: int,
    social_care_history: str,
    reason: str,
    opened_by: User,
    consent: ConsentAnswer,
) -> Episode:
    """Open an early help episode for a family stepping down from social care."""
    if not social_care_history.strip():
        raise ValidationError(
            {"social_care_history": ["Summarise the social care involvement the family leaves."]}
        )
    episode = _create_episode(
        consent=consent,
        place=place,
        children=children,
        level=level,
        origin=EpisodeOrigin.STEP_DOWN,
        reason=reason,
        opened_by=opened_by,
        social_care_history=social_care_history.strip(),
    )
    record_in_chronology(
        episode,
        title="Stepped down from social care to early help",
        by=opened_by,
        detail=social_care_history.strip(),
        on=episode.start_date,
    )
    return episode

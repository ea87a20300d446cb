"""Step-up to social care: the lead professional asks, a team manager decides, and an agreed
step-up sends a contact to the front door."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.accounts.models import User
from continuum.early_help.choices import EpisodeStatus, StepUpDecision
from continuum.early_help.models import Episode, StepUp
from continuum.early_help.services.episodes import record_in_chronology
from continuum.early_help.services.telling import tell_urgent_step_up
from continuum.errors import InvalidState
from continuum.front_door import services as front_door
from continuum.front_door.choices import (
    FamilyAgreement,
    HowReceived,
    LawfulBasis,
    NotSoughtReason,
    ReferralSource,
)


@transaction.atomic
def request_step_up(
    *,
    episode: Episode,
    reason: str,
    family_agreement: str,
    by: User,
    sharing_justification: str = "",
    requested_on: date | None = None,
    urgent: bool = False,
) -> StepUp:
    """Ask for a step-up; ``urgent`` when a child is at risk of significant harm, and then
    the managers and the front door are told at once."""
    if episode.step_ups.filter(decision=StepUpDecision.PENDING).exists():
        raise InvalidState("A step-up is already waiting for a manager's decision.")
    if episode.status == EpisodeStatus.CLOSED:
        raise InvalidState("The episode is closed.")
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = ["Say why the family needs social care."]
    if family_agreement not in FamilyAgreement.values:
        errors["family_agreement"] = ["Record whether the family agreed to the referral."]
    elif family_agreement != FamilyAgreement.AGREED and not sharing_justification.strip():
        errors["sharing_justification"] = [
            "The family has not agreed: explain why sharing without agreement is justified."
        ]
    if errors:
        raise ValidationError(errors)
    step_up = StepUp(
        episode=episode,
        reason=reason.strip(),
        requested_on=requested_on or timezone.localdate(),
        requested_by=by,
        family_agreement=family_agreement,
        sharing_justification=sharing_justification.strip(),
        urgent=urgent,
    )
    step_up._history_user = by  # type: ignore[attr-defined]
    step_up.save()
    if urgent:
        tell_urgent_step_up(step_up, by=by)
    return step_up


@transaction.atomic
def decide_step_up(*, step_up: StepUp, manager: User, agree: bool, note: str = "") -> StepUp:
    """The manager's decision. Agreed: a contact goes to the front door for the statutory
    service, carrying the family, the reason and the consent already recorded."""
    if step_up.decision != StepUpDecision.PENDING:
        raise InvalidState("This step-up has already been decided.")
    if not agree and not note.strip():
        raise ValidationError({"decision_note": ["Explain why the step-up is declined."]})
    step_up.decision = StepUpDecision.AGREED if agree else StepUpDecision.DECLINED
    step_up.decided_by = manager
    step_up.decided_at = timezone.now()
    step_up.decision_note = note.strip()
    episode = step_up.episode
    if agree:
        requester = step_up.requested_by
        agreed = step_up.family_agreement == FamilyAgreement.AGREED
        details = front_door.ContactDetails(
            received_at=timezone.now(),
            how_received=HowReceived.ONLINE,
            referral_source=ReferralSource.EARLY_HELP,
            referrer_name=requester.get_full_name() or requester.username,
            referrer_organisation=requester.organisation,
            referrer_organisation_name=requester.organisation.name
            if requester.organisation
            else "",
            referrer_role="Lead professional (early help step-up)",
            referrer_email=requester.email,
            concerns=f"Step-up from early help agreed by {manager}.\n{step_up.reason}",
            referrer_view_of_level=4,
            family_agreement=step_up.family_agreement,
            agreement_obtained_by=str(requester) if agreed else "",
            agreement_obtained_on=step_up.requested_on if agreed else None,
            lawful_basis="" if agreed else LawfulBasis.PUBLIC_TASK,
            not_agreed_reason="" if agreed else NotSoughtReason.SIGNIFICANT_HARM,
            sharing_justification=step_up.sharing_justification,
        )
        contact = front_door.record_contact(
            recorded_by=manager,
            council=episode.council,
            details=details,
            children=list(episode.children.all()),
        )
        contact = front_door.submit_contact(
            contact=contact, by=manager, expected_version=contact.version
        )
        step_up.contact = contact
        record_in_chronology(
            episode,
            title="Stepped up from early help to social care",
            by=manager,
            detail=step_up.reason,
            on=timezone.localdate(),
        )
    step_up._history_user = manager  # type: ignore[attr-defined]
    step_up.save()
    return step_up

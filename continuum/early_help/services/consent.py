"""What early help goes ahead on: the family's agreement, or a lawful basis without it.

The family is the episode's children and the household's current members. Opening an
episode needs their agreement to early help recorded (``consent.selectors.agreement_for``),
or a lawful basis with a justification stored on the episode, as the front door asks of a
contact; an episode opened from a front-door decision may go ahead on the agreement the
referrer obtained for the referral. Adding a practitioner to the Team Around the Family
needs the family's agreement to share with their agency, unless the episode has a lawful
basis; the council's own children's services are not another agency. (An episode opened
before consent was asked, whose family has no consent recorded yet, goes on as before
until their consent is recorded.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from continuum.consent.selectors import Agreement, agreement_for
from continuum.early_help.choices import ConsentGround
from continuum.early_help.models import Episode
from continuum.front_door.choices import LawfulBasis
from continuum.organisations.models import Organisation, OrganisationKind
from continuum.people.models import Household, Person

JUSTIFICATION_MAX = 5000

# The practitioner's answer when opening an episode: the family agrees, or a lawful basis.
AGREED = "agreed"
LAWFUL_BASIS = "lawful_basis"
ANSWERS = (AGREED, LAWFUL_BASIS)

NO_AGREEMENT = (
    "Nobody in the family has agreement to early help recorded: record it on their "
    "Consent tab first, or select the lawful basis for going ahead without it."
)
AGREEMENT_WITHDRAWN = (
    "The family withdrew their agreement to early help: select the lawful basis for going "
    "ahead without it."
)


def family_members(household: Household, children: Sequence[Person]) -> list[Person]:
    """The children and the household's current members (the family whose agreement
    counts)."""
    today = timezone.localdate()
    current = Q(household_members__end_date__isnull=True) | Q(
        household_members__end_date__gte=today
    )
    members = Person.objects.filter(Q(household_members__household=household) & current)
    return list(dict.fromkeys([*children, *members]))


def agreement_of(episode: Episode) -> Agreement:
    """What the episode's family agrees to now."""
    return agreement_for(family_members(episode.household, list(episode.children.all())))


@dataclass(frozen=True)
class Ground:
    """What an episode is opened on, as stored on it."""

    consent_ground: str
    lawful_basis: str = ""
    lawful_basis_justification: str = ""

    def fields(self) -> dict[str, str]:
        return {
            "consent_ground": self.consent_ground,
            "lawful_basis": self.lawful_basis,
            "lawful_basis_justification": self.lawful_basis_justification,
        }


def lawful_basis_errors(
    lawful_basis: str, justification: str, *, field: str = "lawful_basis_justification"
) -> dict[str, list[str]]:
    """A lawful basis for early help without the family's agreement, and why (the front
    door's choices; consent is not a basis for going ahead without agreement)."""
    errors: dict[str, list[str]] = {}
    if lawful_basis == LawfulBasis.CONSENT:
        errors["lawful_basis"] = [
            "Consent is not a lawful basis for going ahead without the family's agreement: "
            "select another."
        ]
    elif lawful_basis not in LawfulBasis.values:
        errors["lawful_basis"] = [
            "The family has not agreed: select the lawful basis for early help without it."
        ]
    if not justification.strip():
        errors[field] = ["Explain why early help without the family's agreement is justified."]
    elif len(justification) > JUSTIFICATION_MAX:
        errors[field] = [f"Enter {JUSTIFICATION_MAX} characters or fewer."]
    return errors


def ground_for_opening(
    *,
    family: Sequence[Person],
    answer: str,
    lawful_basis: str = "",
    justification: str = "",
    referral_agreed: bool = False,
) -> Ground:
    """What the practitioner says the episode goes ahead on, checked: the family's agreement
    to early help recorded (or, from the front door, the referral's), or a lawful basis with
    a justification. Refused with ``ValidationError`` by field."""
    if answer not in ANSWERS:
        raise ValidationError(
            {
                "consent": [
                    "Select whether the family agrees to early help or it goes ahead on a "
                    "lawful basis without their agreement."
                ]
            }
        )
    if answer == LAWFUL_BASIS:
        errors = lawful_basis_errors(lawful_basis, justification)
        if errors:
            raise ValidationError(errors)
        return Ground(ConsentGround.LAWFUL_BASIS, lawful_basis, justification.strip())
    agreement = agreement_for(family)
    if agreement.early_help:
        return Ground(ConsentGround.AGREEMENT)
    if agreement.early_help_withdrawn:
        raise ValidationError({"consent": [AGREEMENT_WITHDRAWN]})
    if referral_agreed:
        return Ground(ConsentGround.REFERRAL_AGREEMENT)
    raise ValidationError({"consent": [NO_AGREEMENT]})


def is_councils_own(organisation: Organisation, episode: Episode) -> bool:
    """The council's own children's services are not "another agency"."""
    return (
        organisation.kind == OrganisationKind.COUNCIL_CHILDRENS_SERVICES
        and organisation.council_id == episode.council_id
    )


def has_lawful_basis(episode: Episode) -> bool:
    return episode.consent_ground == ConsentGround.LAWFUL_BASIS and bool(episode.lawful_basis)


def refuse_sharing_without_agreement(episode: Episode, organisation: Organisation) -> None:
    """A Team Around the Family member from an agency the family did not agree to share
    with is refused, naming the agency, unless the episode has a lawful basis."""
    if is_councils_own(organisation, episode) or has_lawful_basis(episode):
        return
    agreement = agreement_of(episode)
    if not episode.consent_ground and not agreement.recorded:
        # Opened before consent was asked, and none recorded since: the referral's
        # agreement stands until the family's consent is recorded (docs).
        return
    if agreement.shares_with(organisation.pk):
        return
    raise ValidationError(
        {
            "user": [
                f"The family has not agreed to share information with {organisation.name}: "
                "record their agreement on their Consent tab, or a lawful basis for the "
                "episode, before adding someone from it to the Team Around the Family."
            ]
        }
    )

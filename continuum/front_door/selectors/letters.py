"""What the outcome letter to a referrer says about reaching the front door."""

from __future__ import annotations

from dataclasses import dataclass

from continuum.front_door.models import Contact
from continuum.front_door.selectors.contacts import reference_of


@dataclass(frozen=True)
class FrontDoorContactLine:
    """How a referrer reaches the front door about a contact."""

    name: str
    reference: str
    phone: str
    email: str


def front_door_contact_line(contact: Contact) -> FrontDoorContactLine:
    """The council's front door, with the phone and email of whoever decided the contact
    (or the team that screened it) for the referrer's questions."""
    decision = getattr(contact, "decision", None)
    decider = decision.decided_by if decision is not None else None
    organisation = decider.organisation if decider is not None else None
    name = organisation.name if organisation is not None else f"{contact.council.name} Council"
    if contact.team is not None:
        name = f"{contact.team.name}, {name}"
    return FrontDoorContactLine(
        name=f"{name} (front door)",
        reference=reference_of(contact),
        phone=decider.phone if decider is not None else "",
        email=decider.email if decider is not None else "",
    )

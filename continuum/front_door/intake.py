"""Recording a contact or a domestic-abuse notification together with the new people
entered on the spot, all or nothing.

People already on the record are passed in as ``Person`` rows (the caller has checked the
user may see them); people not yet on it are ``NewPerson`` details, created through
``continuum.people.services.create_person`` in the same transaction as the contact or
notification, so a refusal anywhere saves nothing. The caller runs the duplicate check
(``continuum.people.selectors.possible_duplicates``) before deciding a person is new.

Errors name the field; errors about a new person are keyed ``<role>.<field>`` (for
example ``new_children.0.nhs_number`` or ``victim.family_name``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from continuum.accounts.models import User
from continuum.front_door.models import Contact, DomesticAbuseNotification
from continuum.front_door.services import (
    ContactDetails,
    NotificationDetails,
    record_contact,
    record_notification,
)
from continuum.organisations.models import Council, Team
from continuum.people.choices import PersonKind, Sex
from continuum.people.models import Person
from continuum.people.services import create_person


@dataclass(frozen=True)
class NewPerson:
    """A person not yet on the record, as entered with a contact or a notification."""

    family_name: str
    given_name: str = ""
    date_of_birth: date | None = None
    nhs_number: str = ""
    sex: str = Sex.UNKNOWN
    kind: str = PersonKind.CHILD

    def person_fields(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "date_of_birth": self.date_of_birth,
            "nhs_number": self.nhs_number,
            "sex": self.sex,
        }


@dataclass(frozen=True)
class PersonEntry:
    """Either someone already on the record or a new person: exactly one of the two."""

    existing: Person | None = None
    new: NewPerson | None = None

    def __post_init__(self) -> None:
        if (self.existing is None) == (self.new is None):
            raise ValueError("A person entry is either an existing person or a new one.")


def _create_people(
    *, user: User, council: Council, entries: Sequence[tuple[str, PersonEntry]]
) -> list[Person]:
    """The people for ``entries`` (keyed by where they were entered), creating the new
    ones. Every new person's errors are gathered before anything is refused."""
    errors: dict[str, list[str]] = {}
    people: list[Person] = []
    for key, entry in entries:
        if entry.existing is not None:
            people.append(entry.existing)
            continue
        assert entry.new is not None
        try:
            people.append(
                create_person(created_by=user, council=council, **entry.new.person_fields())
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                name = "council" if field == "council" else f"{key}.{field}"
                errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return people


@transaction.atomic
def record_contact_with_children(
    *,
    recorded_by: User,
    council: Council,
    details: ContactDetails,
    children: Sequence[Person],
    new_children: Sequence[NewPerson] = (),
    adults: Sequence[tuple[Person, str]] = (),
    indicator_codes: Sequence[str] = (),
    team: Team | None = None,
) -> Contact:
    """A draft contact about ``children`` and the ``new_children`` entered with it."""
    created = _create_people(
        user=recorded_by,
        council=council,
        entries=[
            (f"new_children.{index}", PersonEntry(new=child))
            for index, child in enumerate(new_children)
        ],
    )
    return record_contact(
        recorded_by=recorded_by,
        council=council,
        details=details,
        children=[*children, *created],
        adults=adults,
        indicator_codes=indicator_codes,
        team=team,
    )


@transaction.atomic
def record_notification_with_people(
    *,
    recorded_by: User,
    council: Council,
    details: NotificationDetails,
    victim: PersonEntry,
    children: Sequence[tuple[PersonEntry, bool]],
    alleged_perpetrator: PersonEntry | None = None,
) -> DomesticAbuseNotification:
    """A police domestic-abuse notification whose victim, alleged perpetrator and
    children may be new to the record. ``children`` pairs each child with whether they
    were present at the incident."""
    entries: list[tuple[str, PersonEntry]] = [("victim", victim)]
    if alleged_perpetrator is not None:
        entries.append(("alleged_perpetrator", alleged_perpetrator))
    entries += [(f"children.{index}", entry) for index, (entry, _) in enumerate(children)]
    people = _create_people(user=recorded_by, council=council, entries=entries)
    victim_person = people[0]
    perpetrator = people[1] if alleged_perpetrator is not None else None
    child_people = people[2:] if alleged_perpetrator is not None else people[1:]
    return record_notification(
        recorded_by=recorded_by,
        council=council,
        details=details,
        victim=victim_person,
        alleged_perpetrator=perpetrator,
        children=[
            (person, present) for person, (_, present) in zip(child_people, children, strict=True)
        ],
    )

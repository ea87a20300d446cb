"""What the front-door endpoints share: the pages of their lists, the people posted with a
contact or a notification (by id, or new with a duplicate check), and the access-log rows
for reading them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.http import HttpRequest
from ninja import Field, Schema

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.audit.models import AccessAction
from continuum.audit.services import log_access
from continuum.front_door.intake import NewPerson
from continuum.front_door.policies import councils_user_may_refer_to
from continuum.organisations.models import Council
from continuum.people.choices import Sex
from continuum.people.models import Person
from continuum.people.selectors import possible_duplicates
from continuum.ui.api import BODY, Loc, invalid, limit_offset

DEFAULT_PAGE = 100
MAX_PAGE = 500
MAX_OFFSET = 1_000_000_000

DUPLICATES_MESSAGE = (
    "Some people you entered may already be on the record. Use the existing record's id "
    "instead, or post again with not_duplicates set to true to add them as new records."
)


# The front door's lists: 100 items unless asked, at most 500, and an offset past
# MAX_OFFSET refused (422) before it reaches the database.
FrontDoorPages = limit_offset(
    "FrontDoorPage", default=DEFAULT_PAGE, maximum=MAX_PAGE, max_offset=MAX_OFFSET
)


class NewPersonIn(Schema):
    """Someone not yet on the record. Checked against the records you may see first."""

    given_name: str = Field("", max_length=100)
    family_name: str = Field(max_length=100)
    date_of_birth: date | None = None
    nhs_number: str = Field("", max_length=20)
    sex: str = Field(Sex.UNKNOWN.value, max_length=1, description="F, M or U (not known).")


class CandidateOut(Schema):
    id: uuid.UUID
    given_name: str
    family_name: str
    date_of_birth: date | None
    council: str = Field(
        alias="council.dfe_la_code", description="DfE LA code of the council holding the record."
    )


class PossibleDuplicateOut(Schema):
    entered: str = Field(description="Where the person was entered, e.g. new_children.0.")
    candidates: list[CandidateOut]


class DuplicatesOut(Schema):
    detail: str
    possible_duplicates: list[PossibleDuplicateOut]


def log_people_read(request: HttpRequest, person_ids: Iterable[uuid.UUID]) -> None:
    """Reading a contact or a notification reads the case details of the people on it:
    one access-log row for each."""
    user = user_of(request)
    for person_id in dict.fromkeys(person_ids):
        log_access(request=request, user=user, subject_id=person_id, action=AccessAction.API_READ)


def council_for(request: HttpRequest, code: str | None) -> Council:
    """The council posted (by DfE LA code), or the only one the user refers to."""
    councils = councils_user_may_refer_to(user_of(request))
    loc = [*BODY, "council"]
    if not code:
        if len(councils) == 1:
            return councils[0]
        raise invalid([(loc, "Give the DfE LA code of the council this is for.")])
    council = next((c for c in councils if c.dfe_la_code == code.strip()), None)
    if council is None:
        raise invalid(
            [(loc, f"You can only refer to a council your organisation serves, not {code!r}.")]
        )
    return council


def visible_people(request: HttpRequest, ids: Sequence[uuid.UUID], loc: Loc) -> list[Person]:
    """The people with ``ids``, every one of whom the user must be able to see."""
    found = {p.pk: p for p in policy.visible(user_of(request), Person).filter(pk__in=ids)}
    missing = [str(i) for i in dict.fromkeys(ids) if i not in found]
    if missing:
        raise invalid([(loc, f"No person you may see has the id {', '.join(missing)}.")])
    return [found[i] for i in ids]


def new_person(data: NewPersonIn, kind: str) -> NewPerson:
    return NewPerson(
        given_name=data.given_name.strip(),
        family_name=data.family_name.strip(),
        date_of_birth=data.date_of_birth,
        nhs_number=data.nhs_number.strip(),
        sex=data.sex,
        kind=kind,
    )


@dataclass(frozen=True)
class PossibleDuplicate:
    """A new person as entered (``entered``, e.g. new_children.0) and the records the user
    may see that may be the same person."""

    entered: str
    candidates: list[Person]


def duplicates(
    request: HttpRequest, entered: Sequence[tuple[str, NewPerson]]
) -> list[PossibleDuplicate]:
    """For each new person, the records the user may see that may be the same person."""
    found = []
    for where, person in entered:
        candidates = possible_duplicates(
            user=user_of(request),
            given_name=person.given_name,
            family_name=person.family_name,
            date_of_birth=person.date_of_birth,
            nhs_number=person.nhs_number,
        )
        if candidates:
            found.append(PossibleDuplicate(entered=where, candidates=candidates))
    return found

"""The people API under /api/v1/people: list and search, create, and one person's record.

Every endpoint asks the access policy. A record the user may not see answers 404 and is
never listed or counted. Reading one person's record writes exactly one access-log row;
the list shows only what is needed to pick a person (name, date of birth, council and a
partial identifier) and writes one access-log row per call, naming its terms, how many
matched and which records it showed.
Schemas list their fields explicitly: anything else posted (``is_restricted``,
``created_by``, ...) is ignored.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.audit.models import AccessAction
from continuum.audit.services import log_access, log_search
from continuum.people import selectors, services
from continuum.people.choices import (
    AliasKind,
    ChronologyCategory,
    ChronologySensitivity,
    Disability,
    Ethnicity,
    PersonKind,
    Sex,
    UPNUnknown,
)
from continuum.people.models import Address, Person, PersonAlias
from continuum.people.policies import PeopleAction
from continuum.people.search_terms import query_problem
from continuum.ui.api import invalid_field, limit_offset, paginated

router = Router(tags=["people"])

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
_Pages = limit_offset("PeoplePage", default=DEFAULT_LIMIT, maximum=MAX_LIMIT)


class PeoplePages(_Pages):  # type: ignore[misc,valid-type]
    """A page of people, written to the access log as one search: the terms (with the
    page asked for), how many matched and the ids of the people on the page."""

    def paginate_queryset(
        self, queryset: QuerySet[Person], pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        items = list(page["items"])
        page["items"] = items
        log_search(
            request=request,
            user=user_of(request),
            terms={**params, "limit": pagination.limit, "offset": pagination.offset},
            result_count=page["count"],
            shown_ids=[person.pk for person in items],
        )
        return page


class AddressIn(Schema):
    line_1: str = Field(max_length=150)
    line_2: str = Field(default="", max_length=150)
    town: str = Field(max_length=100)
    postcode: str = Field(max_length=10)


class AliasIn(Schema):
    kind: AliasKind = AliasKind.KNOWN_AS
    given_name: str = Field(default="", max_length=100)
    family_name: str = Field(default="", max_length=100)


class PersonIn(Schema):
    council: str | None = Field(
        default=None,
        description="DfE LA code of the responsible council. Council staff may leave it "
        "out (their own council); partners choose one of the councils they serve.",
    )
    kind: PersonKind = PersonKind.CHILD
    given_name: str = Field(default="", max_length=100)
    middle_names: str = Field(default="", max_length=150)
    family_name: str = Field(max_length=100)
    date_of_birth: date | None = None
    expected_date_of_birth: date | None = None
    sex: Sex = Sex.UNKNOWN
    gender_identity: str = Field(default="", max_length=100)
    ethnicity: Ethnicity = Ethnicity.NOBT
    first_language: str = Field(default="", max_length=60)
    # Codes checked by the record (each named in the answer), not by the schema.
    disabilities: list[str] = Field(
        default_factory=list,
        max_length=13,
        description=f"Census disability codes ({', '.join(Disability.values)}): "
        '["NONE"] for none, empty when not known.',
    )
    disability_detail: str = Field(default="", max_length=300)
    nhs_number: str | None = Field(default=None, max_length=20)
    upn: str | None = Field(default=None, max_length=20)
    upn_unknown_reason: str = Field(
        default="",
        max_length=3,
        description="Census UPN unknown code ("
        + ", ".join(UPNUnknown.values)
        + "), only for a child without a UPN.",
    )
    date_of_death: date | None = None
    address: AddressIn | None = None
    aliases: list[AliasIn] = Field(default_factory=list, max_length=20)


class AddressOut(Schema):
    line_1: str
    line_2: str
    town: str
    postcode: str
    start_date: date | None
    end_date: date | None
    is_current: bool


class AliasOut(Schema):
    kind: str
    given_name: str
    family_name: str


class PersonOut(Schema):
    id: uuid.UUID
    council: str = Field(description="DfE LA code of the responsible council.")
    kind: str
    given_name: str
    middle_names: str
    family_name: str
    date_of_birth: date | None
    expected_date_of_birth: date | None
    sex: str
    gender_identity: str
    ethnicity: str
    first_language: str
    disabilities: list[str]
    nhs_number: str | None
    upn: str | None
    upn_unknown_reason: str
    date_of_death: date | None
    addresses: list[AddressOut]
    aliases: list[AliasOut]
    households: list[uuid.UUID]

    @staticmethod
    def resolve_council(person: Person) -> str:
        return person.council.dfe_la_code

    @staticmethod
    def resolve_addresses(person: Person) -> list[Address]:
        return list(person.addresses.all())

    @staticmethod
    def resolve_aliases(person: Person) -> list[PersonAlias]:
        return list(person.aliases.all())

    @staticmethod
    def resolve_households(person: Person) -> list[uuid.UUID]:
        return [member.household_id for member in person.household_members.all()]


class PersonListItemOut(Schema):
    """A person as lists and searches show them: enough to pick the right person, nothing
    more. The whole record is ``GET /api/v1/people/{id}`` (which is access-logged)."""

    id: uuid.UUID
    council: str = Field(description="DfE LA code of the responsible council.")
    council_name: str
    kind: str
    given_name: str
    family_name: str
    date_of_birth: date | None
    expected_date_of_birth: date | None
    partial_identifier: str | None = Field(
        description="The last four digits of the NHS number, the rest masked "
        '("*** *** 5919"); without one, the last four characters of the UPN.'
    )

    @staticmethod
    def resolve_council(person: Person) -> str:
        return person.council.dfe_la_code

    @staticmethod
    def resolve_council_name(person: Person) -> str:
        return person.council.name


class ChronologyEventOut(Schema):
    occurred_on: date
    category: ChronologyCategory
    sensitivity: ChronologySensitivity
    title: str
    detail: str = Field(description="Empty when the detail is withheld from this reader.")
    detail_withheld: bool = Field(
        description="True when the entry has detail for council staff only (a front-door "
        "decision's rationale)."
    )
    source: str
    record_url: str | None = Field(
        None,
        description="The page of the contact or episode the entry came from, when you may open it.",
    )
    recorded_at: datetime

    @staticmethod
    def resolve_detail(event: Any) -> str:
        return str(event.shown_detail)


class ChronologyListOut(Schema):
    items: list[ChronologyEventOut]
    count: int


def _log_read(request: HttpRequest, person: Person) -> None:
    user = user_of(request)
    grant = selectors.break_glass_for_read(user=user, person=person)
    log_access(
        request=request,
        user=user,
        subject_id=person.pk,
        action=AccessAction.API_READ,
        break_glass_reason=grant.reason if grant else "",
    )


@router.get("", response=list[PersonListItemOut], summary="List and search people")
@paginated(PeoplePages)
def list_people(
    request: HttpRequest,
    q: str = Query("", max_length=200, description="Name, date, NHS number or postcode"),
    date_of_birth: date | None = None,
    nhs_number: str = Query("", max_length=20),
    postcode: str = Query("", max_length=10),
) -> QuerySet[Person]:
    user = user_of(request)
    policy.require(user, PeopleAction.SEARCH, message="You may not search people.")
    problem = query_problem(q)
    if problem:
        raise invalid_field("q", problem)
    people = selectors.search_people(
        user=user,
        query=q,
        date_of_birth=date_of_birth,
        nhs_number=nhs_number,
        postcode=postcode,
    )
    return people.select_related("council")


@router.post("", response={201: PersonOut}, summary="Add a person")
def create_person(request: HttpRequest, payload: PersonIn) -> Status[Person]:
    user = user_of(request)
    policy.require(user, PeopleAction.CREATE, message="You may not add people.")
    councils = services.councils_for_new_person(user=user)
    if payload.council:
        council = next((c for c in councils if c.dfe_la_code == payload.council), None)
        if council is None:
            raise invalid_field("council", "Choose a council you work in.")
    elif len(councils) == 1:
        council = councils[0]
    else:
        codes = ", ".join(c.dfe_la_code for c in councils) or "none"
        raise invalid_field(
            "council", f"Choose the council responsible for the record (one of: {codes})."
        )
    fields = payload.dict(exclude={"council", "address", "aliases"})
    person = services.create_person(
        created_by=user,
        council=council,
        address=payload.address.dict() if payload.address else None,
        aliases=[alias.dict() for alias in payload.aliases],
        **fields,
    )
    return Status(201, person)


@router.get("/{person_id}", response=PersonOut, summary="One person's record")
def get_person(request: HttpRequest, person_id: uuid.UUID) -> Person:
    person = policy.get_visible_or_404(request.user, Person, person_id)
    _log_read(request, person)
    return person


@router.get("/{person_id}/chronology", response=ChronologyListOut, summary="A chronology")
def get_chronology(request: HttpRequest, person_id: uuid.UUID) -> dict[str, Any]:
    person = policy.get_visible_or_404(request.user, Person, person_id)
    _log_read(request, person)
    events = selectors.chronology_with_links(person=person, user=user_of(request))
    return {"items": events, "count": len(events)}

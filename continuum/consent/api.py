"""Consent over JSON: a person's consent records (list, newest first; record one), one
record with its withdrawals, and recording a withdrawal.

Bad input is 422 naming its field; withdrawing what was already withdrawn is 409; a person
or record the user may not see is 404, and recording where they may see but not work is
403. Every read writes one access-log row for the person whose consent it is.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.consent import selectors, services
from continuum.consent.choices import GivenBy, InformationKind, ObtainedHow
from continuum.consent.models import ConsentRecord, ConsentWithdrawal
from continuum.consent.policies import ConsentAction
from continuum.organisations.models import Organisation
from continuum.people.models import Person
from continuum.ui.api import invalid_field, limit_offset, paginated

router = Router(tags=["consent"])
Pages = limit_offset("ConsentPages", default=50, maximum=200)


class WithdrawalOut(Schema):
    id: uuid.UUID
    withdrawn_on: date
    early_help: bool
    taf_sharing: bool
    agencies: list[int]
    information_kinds: list[str]
    told_how: str
    note: str
    recorded_by: str
    recorded_at: datetime

    @staticmethod
    def resolve_agencies(withdrawal: ConsentWithdrawal) -> list[int]:
        return sorted(a.pk for a in withdrawal.agencies.all())

    @staticmethod
    def resolve_recorded_by(withdrawal: ConsentWithdrawal) -> str:
        return withdrawal.recorded_by.get_full_name() or withdrawal.recorded_by.username


class ConsentOut(Schema):
    id: uuid.UUID
    person: uuid.UUID
    given_by: str = Field(description=", ".join(GivenBy.values))
    given_by_person: uuid.UUID | None = Field(description="The parent or carer who gave it.")
    competence_judgement: str
    agrees_to_early_help: bool
    shares_with_taf: bool
    agencies: list[int] = Field(description="The agencies named (organisation ids).")
    information_kinds: list[str]
    obtained_how: str
    obtained_on: date
    obtained_by: str
    obtained_by_organisation: str
    review_on: date | None
    check_overdue: bool = Field(description="The date to check it again has passed.")
    notes: str
    recorded_at: datetime
    withdrawals: list[WithdrawalOut]

    @staticmethod
    def resolve_person(record: ConsentRecord) -> uuid.UUID:
        return record.person_id

    @staticmethod
    def resolve_given_by_person(record: ConsentRecord) -> uuid.UUID | None:
        return record.given_by_person_id

    @staticmethod
    def resolve_agencies(record: ConsentRecord) -> list[int]:
        return sorted(a.pk for a in record.agencies.all())

    @staticmethod
    def resolve_obtained_by(record: ConsentRecord) -> str:
        return record.obtained_by.get_full_name() or record.obtained_by.username

    @staticmethod
    def resolve_obtained_by_organisation(record: ConsentRecord) -> str:
        return record.obtained_by_organisation.name

    @staticmethod
    def resolve_check_overdue(record: ConsentRecord) -> bool:
        return selectors.check_overdue(record)

    @staticmethod
    def resolve_withdrawals(record: ConsentRecord) -> list[ConsentWithdrawal]:
        return list(record.withdrawals.all())


class ConsentIn(Schema):
    given_by: str = Field(description=", ".join(GivenBy.values))
    given_by_person: uuid.UUID | None = Field(
        None, description="The parent or carer who gave consent for a child."
    )
    competence_judgement: str = Field(
        "", description="Why a child deciding for themselves is judged able to."
    )
    agrees_to_early_help: bool = False
    shares_with_taf: bool = False
    agencies: list[int] = Field(default_factory=list, description="Organisation ids.")
    information_kinds: list[str] = Field(
        default_factory=list, description=", ".join(InformationKind.values)
    )
    obtained_how: str = Field(description=", ".join(ObtainedHow.values))
    obtained_on: date | None = None
    review_on: date | None = None
    notes: str = ""


class WithdrawalIn(Schema):
    withdrawn_on: date | None = None
    told_how: str = Field(description=", ".join(ObtainedHow.values))
    early_help: bool = False
    taf_sharing: bool = False
    agencies: list[int] = Field(default_factory=list, description="Organisation ids.")
    information_kinds: list[str] = Field(
        default_factory=list, description=", ".join(InformationKind.values)
    )
    note: str = ""


def _organisations(ids: list[int]) -> list[Organisation]:
    found = {o.pk: o for o in Organisation.objects.filter(pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise invalid_field("agencies", f"No such agency: {', '.join(map(str, missing))}")
    return [found[i] for i in dict.fromkeys(ids)]


def _read(request: HttpRequest, record: ConsentRecord) -> ConsentRecord:
    selectors.log_read(request, user=user_of(request), person=record.person)
    return selectors.records_of(record.person).get(pk=record.pk)


@router.get(
    "/people/{uuid:person_id}/consent",
    response=list[ConsentOut],
    summary="A person's consent records",
)
@paginated(Pages)
def list_consent(request: HttpRequest, person_id: uuid.UUID) -> QuerySet[ConsentRecord]:
    """Newest first: the first is their consent now (a newer record replaces an older)."""
    user = user_of(request)
    person = policy.get_visible_or_404(user, Person, person_id)
    policy.require(user, ConsentAction.VIEW_ON, person)
    selectors.log_read(request, user=user, person=person)
    return selectors.records_of(person).select_related("obtained_by")


@router.post(
    "/people/{uuid:person_id}/consent",
    response={201: ConsentOut},
    summary="Record a person's consent",
)
def record_consent(request: HttpRequest, person_id: uuid.UUID, body: ConsentIn) -> Any:
    """Council case staff of the person's council and practitioners involved with them."""
    user = user_of(request)
    person = policy.get_visible_or_404(user, Person, person_id)
    policy.require(
        user, ConsentAction.RECORD, person, "You may not record consent for this person."
    )
    giver = None
    if body.given_by_person is not None:
        giver = policy.visible(user, Person).filter(pk=body.given_by_person).first()
        if giver is None:
            raise invalid_field("given_by_person", "Select a parent or carer you may see")
    fields = body.dict(exclude={"given_by_person", "agencies"})
    record = services.record_consent(
        by=user,
        person=person,
        given_by_person=giver,
        agencies=_organisations(body.agencies),
        **fields,
    )
    return Status(201, selectors.records_of(person).get(pk=record.pk))


@router.get("/consent/{uuid:consent_id}", response=ConsentOut, summary="A consent record")
def get_consent(request: HttpRequest, consent_id: uuid.UUID) -> ConsentRecord:
    """With its withdrawals, oldest first."""
    record = policy.get_visible_or_404(user_of(request), ConsentRecord, consent_id)
    return _read(request, record)


@router.post(
    "/consent/{uuid:consent_id}/withdrawals",
    response={201: WithdrawalOut},
    summary="Record a withdrawal of consent",
)
def withdraw(request: HttpRequest, consent_id: uuid.UUID, body: WithdrawalIn) -> Any:
    """Part or all of what was agreed. 409 when it was already withdrawn. Partners whose
    access rested on it lose it at their next request; the lead professional and manager
    are told."""
    user = user_of(request)
    record = policy.get_visible_or_404(user, ConsentRecord, consent_id)
    policy.require(user, ConsentAction.WITHDRAW, record, "You may not record a withdrawal here.")
    fields = body.dict(exclude={"agencies"})
    withdrawal = services.withdraw_consent(
        by=user, consent=record, agencies=_organisations(body.agencies), **fields
    )
    return Status(201, withdrawal)

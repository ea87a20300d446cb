"""Small builders for the flow, capacity and data-quality tests: a decided contact, an early
help episode from it, its closure and step-up, statutory involvement. Each writes real rows
with the shared factories, dated as the test says."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.early_help.choices import (
    ClosureReason,
    EpisodeOrigin,
    EpisodeStatus,
    StepUpDecision,
)
from continuum.early_help.models import Closure, Episode, StepUp
from continuum.front_door.choices import OUTCOME_LEVELS, ContactStatus, FamilyAgreement
from continuum.front_door.models import Contact, ContactDecision
from continuum.organisations.models import Council, Organisation, OrganisationKind
from continuum.people.models import Person
from continuum.statutory.choices import InvolvementKind
from continuum.statutory.models import StatutoryInvolvement
from continuum.testing import factories


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def worker(council: Council, organisation: Organisation | None = None) -> User:
    return cast(
        User,
        factories.UserFactory(
            role=Role.EARLY_HELP_PRACTITIONER,
            organisation=organisation or factories.council_services(council),
        ),
    )


def child(council: Council, **fields: Any) -> Person:
    return cast(Person, factories.PersonFactory(council=council, **fields))


def contact(
    council: Council,
    person: Person,
    received: date,
    outcome: str | None = None,
    *,
    status: str | None = None,
    **fields: Any,
) -> Contact:
    """A contact about ``person`` received on ``received``, decided the same day with
    ``outcome`` (at the lowest level that outcome allows) unless ``outcome`` is None."""
    made = cast(
        Contact,
        factories.ContactFactory(
            council=council,
            children=[person],
            received_at=at(received),
            status=status or (ContactStatus.DECIDED if outcome else ContactStatus.SUBMITTED),
            **fields,
        ),
    )
    if outcome:
        ContactDecision.objects.create(
            contact=made,
            level=min(OUTCOME_LEVELS[outcome]),
            outcome=outcome,
            rationale="Needs met at this level.",
            decided_by=made.created_by,
            decided_at=at(received, 15),
        )
    return made


def episode(
    council: Council,
    people: list[Person],
    start: date,
    *,
    from_contact: Contact | None = None,
    lead: User | None = None,
    allocated: date | None = None,
    origin: str = EpisodeOrigin.FRONT_DOOR,
    status: str | None = None,
    **fields: Any,
) -> Episode:
    decision = from_contact.decision if from_contact is not None else None
    if status is None:
        status = EpisodeStatus.PLAN if lead else EpisodeStatus.AWAITING_ALLOCATION
    return cast(
        Episode,
        factories.EpisodeFactory(
            council=council,
            children=people,
            start_date=start,
            origin=origin,
            front_door_decision=decision,
            front_door_decided_at=decision.decided_at if decision else None,
            lead_professional=lead,
            lead_professional_organisation=lead.organisation if lead else None,
            allocated_at=at(allocated) if allocated else None,
            status=status,
            **fields,
        ),
    )


def close(ep: Episode, on: date, reason: str = ClosureReason.NEEDS_MET) -> Closure:
    ep.status = EpisodeStatus.CLOSED
    ep.end_date = on
    ep.save(update_fields=["status", "end_date"])
    return Closure.objects.create(episode=ep, closed_on=on, reason=reason, closed_by=ep.opened_by)


def step_up(ep: Episode, on: date, decision: str = StepUpDecision.AGREED) -> StepUp:
    return StepUp.objects.create(
        episode=ep,
        reason="Concerns have grown despite support.",
        requested_on=on,
        requested_by=ep.opened_by,
        family_agreement=FamilyAgreement.AGREED,
        decision=decision,
        decided_by=ep.opened_by if decision != StepUpDecision.PENDING else None,
        decided_at=at(on, 16) if decision != StepUpDecision.PENDING else None,
    )


def referral(
    council: Council,
    person: Person,
    start: date,
    end: date | None = None,
    **fields: Any,
) -> StatutoryInvolvement:
    return cast(
        StatutoryInvolvement,
        factories.StatutoryInvolvementFactory(
            council=council,
            person=person,
            kind=InvolvementKind.REFERRAL,
            start_date=start,
            end_date=end,
            **fields,
        ),
    )


def part(
    of: StatutoryInvolvement, kind: str, start: date, end: date | None = None
) -> StatutoryInvolvement:
    return cast(
        StatutoryInvolvement,
        factories.StatutoryInvolvementFactory(
            council=of.council,
            person=of.person,
            kind=kind,
            referral=of,
            start_date=start,
            end_date=end,
        ),
    )


def partner(council: Council, kind: str = OrganisationKind.SCHOOL) -> Organisation:
    return cast(
        Organisation,
        factories.OrganisationFactory(
            name=f"{council.name} {kind} partner", kind=kind, serves=[council]
        ),
    )


def days(n: int) -> timedelta:
    return timedelta(days=n)

"""Open audit programmes with contacts sampled for blind re-grading, made directly (the run
part draws samples and opens programmes; these tests need neither)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import cast

from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.case_audits.choices import CaseKind, ProgrammeStatus
from continuum.case_audits.models import AuditProgramme, BlindRegrade
from continuum.front_door.choices import ContactStatus, Outcome
from continuum.front_door.models import Contact, ContactAdult, ContactDecision
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.testing import factories
from continuum.thresholds.models import Indicator

CONCERNS = "Mum says the children are often left alone in the evenings while she works."
DECISION_RATIONALE = "Several needs across domains; a Team Around the Family is needed."


def open_programme(
    *, councils: list[Council], lead: User, moderators: Sequence[User] = (), due: date | None = None
) -> AuditProgramme:
    programme = cast(
        AuditProgramme,
        factories.AuditProgrammeFactory(
            councils=councils,
            created_by=lead,
            case_kind=CaseKind.CONTACT,
            regrade_per_council=10,
            status=ProgrammeStatus.OPEN,
            opened_at=timezone.now(),
            audits_due_on=due or timezone.localdate() + timedelta(days=28),
        ),
    )
    programme.moderators.set(moderators)
    return programme


def decided_contact(
    council: Council,
    level: int,
    *,
    outcome: str = Outcome.EARLY_HELP_MULTI,
    children: list[Person] | None = None,
) -> Contact:
    """A contact of ``council`` the front door decided at ``level``, suggested at ``level``,
    with the referrer's view the same, two presenting indicators and a named mother."""
    contact = cast(
        Contact,
        factories.ContactFactory(
            council=council,
            status=ContactStatus.DECIDED,
            concerns=CONCERNS,
            referrer_view_of_level=level,
            children=children,
        ),
    )
    indicators = list(Indicator.objects.order_by("code")[:2])
    contact.presenting_indicators.set(indicators)
    mother = cast(
        Person,
        factories.PersonFactory(council=council, given_name="Philippa", family_name="Quince"),
    )
    ContactAdult.objects.create(contact=contact, person=mother, relationship="Mother")
    decider = cast(User, factories.UserFactory(role=Role.FRONT_DOOR_WORKER))
    ContactDecision.objects.create(
        contact=contact,
        level=level,
        suggested_level=level,
        suggestion_reasons="The highest level of the indicators ticked sets the floor.",
        outcome=outcome,
        rationale=DECISION_RATIONALE,
        decided_by=decider,
    )
    Contact.objects.filter(pk=contact.pk).update(decided_at=timezone.now())
    return contact


def regrade_of(programme: AuditProgramme, contact: Contact, auditor: User | None) -> BlindRegrade:
    return BlindRegrade.objects.create(
        programme=programme, contact=contact, council=contact.council, auditor=auditor
    )

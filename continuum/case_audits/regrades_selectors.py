"""Reads for blind re-grading (issue 14): the re-grades a user may see, and what the front
door knew of a sampled contact when it decided, without anything that gives the decision
away.

Left out of the blind view, on purpose: the decision and its level, the suggested level and
its reasons, the outcome, the contact's status and its timeline (a decided contact's
status says where it went), the referrer's own view of the level, and each indicator's
framework level and code (the codes carry the level, ``DEV-3-02``; with the levels of the
ticked indicators the suggested level can be worked out mechanically). See
``docs/threshold-consistency.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest

from continuum.access import policy
from continuum.accounts.models import User
from continuum.audit.models import AccessAction
from continuum.audit.services import log_access
from continuum.case_audits.models import AuditProgramme, BlindRegrade
from continuum.front_door.choices import DashRisk, HowReceived, ReferralSource
from continuum.front_door.models import Contact, ContactDecision
from continuum.front_door.selectors import reference_of
from continuum.organisations.models import OrganisationKind


@dataclass(frozen=True)
class PresentingIndicator:
    domain: str
    title: str


@dataclass(frozen=True)
class BlindContact:
    """What the front door knew: no names, no decision."""

    reference: str
    council: str
    received_on: date
    how_received: str
    referral_source: str
    referrer_agency_kind: str
    referrer_role: str
    concerns: str
    indicators: tuple[PresentingIndicator, ...]
    # Each child's age in years when the contact was received (None: not known or unborn).
    children_ages: tuple[int | None, ...]
    # The parents and carers named, by their relationship to the children only.
    adults: tuple[str, ...]
    is_repeat: bool
    domestic_abuse: bool
    dash_risk: str
    marac_referral: bool


def status_of(regrade: BlindRegrade) -> str:
    if regrade.level is not None:
        return "Re-graded"
    if regrade.revealed_at is not None:
        return "Decision seen without grading"
    return "To do"


def regrades_of(user: User, programme: AuditProgramme) -> QuerySet[BlindRegrade]:
    """The programme's re-grades the user may see (an auditor: theirs; a moderator and the
    partnership's lead: all), by council."""
    return (
        policy.visible(user, BlindRegrade)
        .filter(programme=programme)
        .select_related("council", "contact", "auditor")
        .order_by("council__name", "contact__received_at", "id")
    )


def blind_contact(contact: Contact) -> BlindContact:
    received_on = contact.received_on
    organisation = contact.referrer_organisation
    indicators = contact.presenting_indicators.select_related("domain").order_by(
        "domain__order", "title"
    )
    children = [link.person for link in contact.child_links.select_related("person")]
    ages = tuple(
        sorted(
            (child.age_on(received_on) for child in children),
            key=lambda age: (age is None, age or 0),
        )
    )
    return BlindContact(
        reference=reference_of(contact),
        council=contact.council.name,
        received_on=received_on,
        how_received=str(HowReceived(contact.how_received).label),
        referral_source=str(ReferralSource(contact.referral_source).label),
        referrer_agency_kind=(
            str(OrganisationKind(organisation.kind).label) if organisation else "Not recorded"
        ),
        referrer_role=contact.referrer_role,
        concerns=contact.concerns,
        indicators=tuple(
            PresentingIndicator(domain=i.domain.name, title=i.title) for i in indicators
        ),
        children_ages=ages,
        adults=tuple(
            adult.relationship or "Parent or carer (relationship not recorded)"
            for adult in contact.adults.order_by("relationship")
        ),
        is_repeat=contact.is_repeat,
        domestic_abuse=contact.domestic_abuse,
        dash_risk=str(DashRisk(contact.dash_risk).label) if contact.dash_risk else "",
        marac_referral=contact.marac_referral,
    )


def decision_of(regrade: BlindRegrade) -> ContactDecision | None:
    """The front door's decision, for a re-grade whose decision has been revealed only."""
    if regrade.revealed_at is None:
        return None
    return ContactDecision.objects.filter(contact_id=regrade.contact_id).first()


def log_blind_read(request: HttpRequest, *, user: User, regrade: BlindRegrade, api: bool) -> None:
    """One access-log row for each child on the contact: it is their record being read."""
    action = AccessAction.API_READ if api else AccessAction.VIEW_RECORD
    for person_id in regrade.contact.child_links.values_list("person_id", flat=True):
        log_access(request=request, user=user, subject_id=person_id, action=action)

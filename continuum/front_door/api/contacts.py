"""Contacts over JSON: make (as a draft), list, read, submit, screen and decide."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.accounts.models import User
from continuum.errors import InvalidState
from continuum.front_door.api.common import (
    DUPLICATES_MESSAGE,
    DuplicatesOut,
    FrontDoorPages,
    NewPersonIn,
    council_for,
    duplicates,
    log_people_read,
    new_person,
    visible_people,
)
from continuum.front_door.choices import ContactStatus, HowReceived
from continuum.front_door.intake import record_contact_with_children
from continuum.front_door.models import (
    Contact,
    ContactAdult,
    ContactDecision,
    ContactStatusChange,
    DecisionNotAgreed,
)
from continuum.front_door.overdue import overdue_contacts
from continuum.front_door.policies import FrontDoorAction, require_on_contact
from continuum.front_door.selectors.contacts import queue, queue_councils
from continuum.front_door.selectors.decisions import standing_decision
from continuum.front_door.services import (
    ContactDetails,
    change_status,
    decide_contact,
    not_agree_decision,
    sign_off_decision,
    submit_contact,
)
from continuum.organisations.models import Council
from continuum.people.choices import PersonKind
from continuum.ui.api import BODY, BlankIsAbsent, MessageOut, fields_at, invalid, paginated

router = Router(tags=["contacts"])


# --- schemas ---------------------------------------------------------------------------------


class AdultIn(Schema):
    person: uuid.UUID
    relationship: str = Field("", max_length=100)


class ContactIn(Schema):
    council: str | None = Field(
        None,
        description="DfE LA code of the council the contact is to. May be left out when "
        "you refer to only one council.",
    )
    received_at: datetime | None = Field(None, description="Defaults to now.")
    how_received: str = Field(
        HowReceived.API.value, max_length=20, description=", ".join(HowReceived.values)
    )
    referral_source: str = Field(
        max_length=2,
        description="Children in Need census referral source code, e.g. 2A (schools), "
        "6 (police), 3A (GP).",
    )
    referrer_name: str = Field("", max_length=150, description="Defaults to your name.")
    referrer_organisation_name: str = Field("", max_length=200)
    referrer_role: str = Field("", max_length=150, description="Defaults to your job title.")
    referrer_phone: str = Field("", max_length=40)
    referrer_email: str = Field("", max_length=254)
    referrer_address: str = ""
    concerns: str = ""
    referrer_view_of_level: int | None = None
    indicator_codes: list[str] = Field(
        [], description="Threshold indicator codes of the presenting needs."
    )
    family_agreement: str = Field("", max_length=12, description="agreed, declined or not_sought.")
    agreement_obtained_by: str = Field("", max_length=150)
    agreement_obtained_on: date | None = None
    lawful_basis: str = Field("", max_length=25)
    not_agreed_reason: str = Field("", max_length=20)
    sharing_justification: str = ""
    children: list[uuid.UUID] = Field([], description="Ids of children already on the record.")
    new_children: list[NewPersonIn] = Field([], description="Children new to the record.")
    adults: list[AdultIn] = Field([], description="Parents and carers on the record.")
    not_duplicates: bool = Field(
        False,
        description="Set after a 409: none of the possible duplicates is one of the new "
        "children, so add them as new records.",
    )


class VersionIn(Schema):
    version: int = Field(description="The contact's version when you read it.")


class DecisionIn(Schema):
    level: int = Field(description="Level of need, 1 to 4.")
    indicator_codes: list[str]
    outcome: str = Field(description="nfa, advice, signposting, eh_single, eh_multi, s17, s47.")
    rationale: str
    difference_reason: str = Field(
        "", description="Required when the level differs from the framework's suggestion."
    )
    version: int = Field(description="The contact's version when you read it.")


class SignOffIn(Schema):
    agreed: bool = Field(
        description="true signs the decision off; false does not agree and returns the "
        "contact to the worker, who decides again."
    )
    reason: str = Field("", description="Required when not agreed: why, for the worker.")
    version: int = Field(description="The contact's version when you read it.")


class StatusIn(Schema):
    status: str = Field(description="in_screening, awaiting_information or closed.")
    version: int = Field(description="The contact's version when you read it.")
    note: str = Field("", description="Required when awaiting information: what for.")


class DecisionOut(Schema):
    """The whole threshold decision, as the front door screening the contact sees it."""

    level: int
    indicator_codes: list[str]
    suggested_level: int | None
    suggestion_reasons: str
    difference_reason: str
    outcome: str
    rationale: str
    decided_at: datetime
    needs_manager_sign_off: bool
    signed_off_at: datetime | None
    assessment_due_date: date | None

    @staticmethod
    def resolve_indicator_codes(decision: ContactDecision) -> list[str]:
        return [i.code for i in decision.indicators.order_by("code")]


class NotAgreedOut(Schema):
    """A decision a team manager did not agree, returning the contact to the worker."""

    level: int
    outcome: str
    indicator_codes: str
    rationale: str
    decided_at: datetime
    reason: str
    not_agreed_at: datetime


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    changed_at: datetime
    note: str


class AdultOut(Schema):
    person: uuid.UUID = Field(alias="person_id")
    relationship: str


class ContactOut(Schema):
    """A contact as listed: its workflow, and its level and outcome once the decision
    stands (after any sign-off)."""

    id: uuid.UUID
    council: str = Field(alias="council.dfe_la_code", description="DfE LA code.")
    status: str
    received_at: datetime
    submitted_at: datetime | None
    decision_due_date: date
    decided_at: datetime | None
    level: int | None = Field(description="The level of need, once decided.")
    outcome: str | None = Field(description="The outcome, once decided.")
    outcome_label: str | None
    awaiting_sign_off: bool
    is_overdue: bool
    is_repeat: bool
    version: int
    referral_source: str
    how_received: str
    children: list[uuid.UUID]

    @staticmethod
    def resolve_level(contact: Contact) -> int | None:
        decision = standing_decision(contact)
        return decision.level if decision is not None else None

    @staticmethod
    def resolve_outcome(contact: Contact) -> str | None:
        decision = standing_decision(contact)
        return decision.outcome if decision is not None else None

    @staticmethod
    def resolve_outcome_label(contact: Contact) -> str | None:
        decision = standing_decision(contact)
        return decision.get_outcome_display() if decision is not None else None

    @staticmethod
    def resolve_awaiting_sign_off(contact: Contact) -> bool:
        decision: ContactDecision | None = getattr(contact, "decision", None)
        return decision is not None and decision.awaiting_sign_off

    @staticmethod
    def resolve_is_overdue(contact: Contact) -> bool:
        return contact.is_overdue()

    @staticmethod
    def resolve_children(contact: Contact) -> list[uuid.UUID]:
        return [link.person_id for link in contact.child_links.all()]


class ContactDetailOut(ContactOut):
    """One contact in full. Who reads it decides how much of the decision it carries: the
    front door screening the contact has the whole decision, the referrer the level and
    outcome only."""

    referrer_name: str
    referrer_organisation: str
    referrer_role: str
    referrer_phone: str
    referrer_email: str
    concerns: str
    referrer_view_of_level: int | None
    indicator_codes: list[str]
    family_agreement: str
    agreement_obtained_by: str
    agreement_obtained_on: date | None
    lawful_basis: str
    not_agreed_reason: str
    sharing_justification: str
    adults: list[AdultOut]
    status_history: list[StatusChangeOut]
    decision: DecisionOut | None = Field(
        description="The whole decision, for the front door screening the contact."
    )
    not_agreed: list[NotAgreedOut] = Field(
        description="Decisions a team manager did not agree (latest first), for the front "
        "door screening the contact."
    )
    domestic_abuse: bool = Field(
        description="From a police domestic-abuse notification (joint triage)."
    )
    dash_risk: str = Field(
        description="The notification's DASH risk level: high, medium, standard."
    )
    marac_referral: bool

    @staticmethod
    def resolve_referrer_organisation(contact: Contact) -> str:
        organisation = contact.referrer_organisation
        return organisation.name if organisation else contact.referrer_organisation_name

    @staticmethod
    def resolve_indicator_codes(contact: Contact) -> list[str]:
        return [i.code for i in contact.presenting_indicators.order_by("code")]

    @staticmethod
    def resolve_adults(contact: Contact) -> list[ContactAdult]:
        return list(contact.adults.order_by("pk"))

    @staticmethod
    def resolve_status_history(
        contact: Contact, context: dict[str, Any]
    ) -> list[ContactStatusChange]:
        """Nothing after the referrer's involvement ends: they keep what they sent and the
        outcome they were told."""
        if not policy.can(user_of(context["request"]), FrontDoorAction.FOLLOW_CONTACT, contact):
            return []
        return list(contact.status_changes.all())

    @staticmethod
    def resolve_not_agreed(contact: Contact, context: dict[str, Any]) -> list[DecisionNotAgreed]:
        if not policy.can(user_of(context["request"]), FrontDoorAction.SCREEN_CONTACT, contact):
            return []
        return list(contact.decisions_not_agreed.all())

    @staticmethod
    def resolve_decision(contact: Contact, context: dict[str, Any]) -> ContactDecision | None:
        decision: ContactDecision | None = getattr(contact, "decision", None)
        reader = user_of(context["request"])
        if decision is None or not policy.can(reader, FrontDoorAction.SCREEN_CONTACT, contact):
            return None
        return decision


class ContactFilters(Schema):
    status: Annotated[ContactStatus | None, BlankIsAbsent] = None
    council: str | None = Field(None, description="DfE LA code.")
    overdue: bool | None = None


# --- reading ---------------------------------------------------------------------------------


def _visible_contacts(user: User) -> QuerySet[Contact]:
    """The contacts ``user`` may see, with what a listed contact shows fetched with them."""
    return (
        policy.visible(user, Contact)
        .select_related("council", "decision", "referrer_organisation")
        .prefetch_related("child_links")
    )


def _visible_contact(request: HttpRequest, contact_id: uuid.UUID) -> Contact:
    return policy.get_visible_or_404(user_of(request), Contact, contact_id)


# --- endpoints -------------------------------------------------------------------------------


@router.post(
    "", response={201: ContactDetailOut, 409: DuplicatesOut}, summary="Make a contact (draft)"
)
@fields_at(presenting_indicators="indicator_codes")
def create_contact(
    request: HttpRequest, payload: ContactIn
) -> Status[Contact] | Status[dict[str, Any]]:
    """Save a contact as a draft. Children are people you may see (by id) or new children,
    checked first against the records you may see: possible duplicates answer 409 with
    the candidates. Consent may be recorded now, and must be before submitting."""
    user = user_of(request)
    policy.require(
        user_of(request), FrontDoorAction.CREATE_CONTACT, message="You may not make contacts."
    )
    council = council_for(request, payload.council)
    children = visible_people(request, payload.children, [*BODY, "children"])
    adults = visible_people(request, [a.person for a in payload.adults], [*BODY, "adults"])
    new_children = [new_person(child, PersonKind.CHILD) for child in payload.new_children]
    if new_children and not payload.not_duplicates:
        found = duplicates(
            request, [(f"new_children.{i}", child) for i, child in enumerate(new_children)]
        )
        if found:
            return Status(409, {"detail": DUPLICATES_MESSAGE, "possible_duplicates": found})
    # A partner is the referrer; a front-door worker records a referrer who called in.
    is_referrer = policy.council_of(user) is None
    details = ContactDetails(
        received_at=payload.received_at or timezone.now(),
        how_received=payload.how_received,
        referral_source=payload.referral_source.strip(),
        referrer_name=payload.referrer_name.strip() or user.get_full_name() or user.username,
        referrer_organisation=user.organisation if is_referrer else None,
        referrer_organisation_name=payload.referrer_organisation_name.strip(),
        referrer_role=payload.referrer_role.strip() or (user.job_title if is_referrer else ""),
        referrer_phone=payload.referrer_phone.strip(),
        referrer_email=payload.referrer_email.strip(),
        referrer_address=payload.referrer_address.strip(),
        concerns=payload.concerns.strip(),
        referrer_view_of_level=payload.referrer_view_of_level,
        family_agreement=payload.family_agreement,
        agreement_obtained_by=payload.agreement_obtained_by.strip(),
        agreement_obtained_on=payload.agreement_obtained_on,
        lawful_basis=payload.lawful_basis,
        not_agreed_reason=payload.not_agreed_reason,
        sharing_justification=payload.sharing_justification.strip(),
    )
    contact = record_contact_with_children(
        recorded_by=user,
        council=council,
        details=details,
        children=children,
        new_children=new_children,
        adults=[
            (adult, posted.relationship.strip())
            for adult, posted in zip(adults, payload.adults, strict=True)
        ],
        indicator_codes=payload.indicator_codes,
    )
    return Status(201, _visible_contact(request, contact.pk))


@router.get("", response=list[ContactOut], summary="List contacts")
@paginated(FrontDoorPages)
def list_contacts(request: HttpRequest, filters: Query[ContactFilters]) -> QuerySet[Contact]:
    """The contacts you may see, newest first: the front door its council's contacts, a
    partner only the contacts it made (with their outcomes). ``overdue`` picks contacts
    waiting past their decision due date, or decided after it."""
    contacts = _visible_contacts(user_of(request))
    if filters.status is not None:
        contacts = contacts.filter(status=filters.status)
    if filters.council:
        code = filters.council.strip()
        if not Council.objects.filter(dfe_la_code=code).exists():
            raise invalid([(["query", "council"], f"No council has the DfE LA code {code!r}.")])
        contacts = contacts.filter(council__dfe_la_code=code)
    if filters.overdue is not None:
        late = overdue_contacts(contacts)
        contacts = late if filters.overdue else contacts.exclude(pk__in=late.values("pk"))
    return contacts.order_by("-received_at", "pk")


class QueueFilters(Schema):
    council: str | None = Field(
        None, description="DfE LA code: only this council's contacts (one you decide for)."
    )
    status: Annotated[ContactStatus | None, BlankIsAbsent] = None


class QueueContactOut(ContactOut):
    """An open contact in the queue, naming the council it is decided for."""

    council_name: str = Field(alias="council.name")


@router.get("/queue", response=list[QueueContactOut], summary="The front-door queue")
@paginated(FrontDoorPages)
def contact_queue(request: HttpRequest, filters: Query[QueueFilters]) -> list[Contact]:
    """Every open contact you screen and decide, overdue first, then oldest: your council's,
    and placed in a hub, every council of its agreement you decide for (one queue, each
    contact decided for its own council). ``council`` (a DfE LA code) picks one of them;
    a council you do not decide for is refused (422 naming ``council``)."""
    user = user_of(request)
    policy.require(user, FrontDoorAction.VIEW_QUEUE, message="You do not work a front door.")
    councils = queue_councils(user)
    if filters.council:
        code = filters.council.strip()
        chosen = [c for c in councils if c.dfe_la_code == code]
        if not chosen:
            raise invalid(
                [(["query", "council"], f"You do not decide contacts for the council {code!r}.")]
            )
        councils = chosen
    statuses = [filters.status] if filters.status is not None else []
    return [row.contact for row in queue(user=user, councils=councils, statuses=statuses).rows]


@router.get("/{contact_id}", response=ContactDetailOut, summary="Read a contact")
def get_contact(request: HttpRequest, contact_id: uuid.UUID) -> Contact:
    """One contact you may see (404 otherwise). The whole decision (indicators, rationale)
    is given to the front door screening it; the referrer sees the level and outcome.
    Writes one access-log row for each child and adult named on it."""
    contact = _visible_contact(request, contact_id)
    log_people_read(
        request,
        [
            *contact.child_links.values_list("person_id", flat=True),
            *contact.adults.values_list("person_id", flat=True),
        ],
    )
    return contact


@router.post(
    "/{contact_id}/submit",
    response={200: ContactDetailOut, 409: MessageOut},
    summary="Submit a draft contact",
)
@fields_at(under=("contact",))
def submit(request: HttpRequest, contact_id: uuid.UUID, payload: VersionIn) -> Contact:
    """Send your draft to the front door. Refused (422, naming each field under
    ``contact``) until the family's agreement, or the lawful basis for sharing without
    it, is recorded."""
    contact = _visible_contact(request, contact_id)
    if contact.status != ContactStatus.DRAFT:
        raise InvalidState(f"This contact is already {contact.get_status_display().lower()}.")
    policy.require(
        user_of(request),
        FrontDoorAction.SUBMIT_CONTACT,
        contact,
        "Only the person who made a draft contact can submit it.",
    )
    submit_contact(contact=contact, by=user_of(request), expected_version=payload.version)
    return _visible_contact(request, contact_id)


@router.post(
    "/{contact_id}/decision",
    response={200: ContactDetailOut, 409: MessageOut},
    summary="Record the threshold decision",
)
@fields_at(indicators="indicator_codes")
def decide(request: HttpRequest, contact_id: uuid.UUID, payload: DecisionIn) -> Contact:
    """The front door's decision: the level, the indicators that justify it, the outcome
    and the rationale (and why, where the level differs from the framework's suggestion).
    A second decision, a contact not in screening, or a change someone else made first
    answers 409."""
    contact = _visible_contact(request, contact_id)
    require_on_contact(user_of(request), FrontDoorAction.DECIDE_CONTACT, contact, "decide")
    decide_contact(
        contact=contact,
        by=user_of(request),
        expected_version=payload.version,
        level=payload.level,
        indicator_codes=payload.indicator_codes,
        outcome=payload.outcome,
        rationale=payload.rationale,
        difference_reason=payload.difference_reason,
    )
    return _visible_contact(request, contact_id)


@router.post(
    "/{contact_id}/sign-off",
    response={200: ContactDetailOut, 409: MessageOut},
    summary="Sign off a decision, or return it to the worker",
)
def sign_off(request: HttpRequest, contact_id: uuid.UUID, payload: SignOffIn) -> Contact:
    """A team manager's answer on a decision of no further action with a level 3 or 4
    indicator: agreed signs it off (the decision stands); not agreed needs a reason (422
    naming ``reason`` without one) and returns the contact to the worker, status
    ``returned``, to decide again. A decision not awaiting sign-off answers 409."""
    contact = _visible_contact(request, contact_id)
    manager = user_of(request)
    require_on_contact(manager, FrontDoorAction.SIGN_OFF_DECISION, contact, "sign off")
    decision: ContactDecision | None = getattr(contact, "decision", None)
    if decision is None:
        raise InvalidState("This contact has no decision awaiting sign-off.")
    if payload.agreed:
        sign_off_decision(decision=decision, manager=manager, expected_version=payload.version)
    else:
        not_agree_decision(
            decision=decision,
            manager=manager,
            reason=payload.reason,
            expected_version=payload.version,
        )
    return _visible_contact(request, contact_id)


@router.post(
    "/{contact_id}/status",
    response={200: ContactDetailOut, 409: MessageOut},
    summary="Move a contact along its workflow",
)
def move(request: HttpRequest, contact_id: uuid.UUID, payload: StatusIn) -> Contact:
    """Start screening, wait for information, resume screening, or close a decided
    contact. An invalid transition answers 422 naming ``status``."""
    contact = _visible_contact(request, contact_id)
    require_on_contact(user_of(request), FrontDoorAction.SCREEN_CONTACT, contact, "screen")
    change_status(
        contact=contact,
        to_status=payload.status,
        by=user_of(request),
        expected_version=payload.version,
        note=payload.note,
    )
    return _visible_contact(request, contact_id)

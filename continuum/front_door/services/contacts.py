"""Contacts to the front door: a referrer records one (a draft naming at least one child),
changes it while a draft and submits it once consent is recorded; the front door moves it
along its workflow (screening, awaiting information, closed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.access.models import InvolvementReason
from continuum.access.services import record_involvement
from continuum.accounts.models import User
from continuum.accounts.roles import FRONT_DOOR_ROLES
from continuum.errors import InvalidState
from continuum.front_door.choices import (
    ALLOWED_TRANSITIONS,
    ContactStatus,
    FamilyAgreement,
    HowReceived,
    LawfulBasis,
    NotSoughtReason,
    ReferralSource,
)
from continuum.front_door.models import Contact, ContactAdult, ContactChild, ContactStatusChange
from continuum.front_door.services.common import (
    adults_as_children,
    check_council,
    indicators_from_codes,
)
from continuum.front_door.services.telling import tell_referrer_received
from continuum.optimistic_locking import ConcurrentChange, claim_version
from continuum.organisations.models import Council, Organisation, Team
from continuum.people.choices import ChronologyCategory
from continuum.people.models import Person
from continuum.people.services import record_chronology_event

# A contact is a repeat when a child on it had a contact in this many days before it.
REPEAT_WINDOW_DAYS = 365

STALE_CONTACT = (
    "Someone else changed this {what} after you opened it. Nothing was saved: reload the "
    "contact to see their change."
)


@dataclass(frozen=True)
class ContactDetails:
    """What a referrer tells the front door. Everything here is editable while a draft."""

    received_at: datetime
    how_received: str
    referral_source: str
    referrer_name: str
    referrer_organisation: Organisation | None = None
    referrer_organisation_name: str = ""
    referrer_role: str = ""
    referrer_phone: str = ""
    referrer_email: str = ""
    referrer_address: str = ""
    concerns: str = ""
    referrer_view_of_level: int | None = None
    family_agreement: str = ""
    agreement_obtained_by: str = ""
    agreement_obtained_on: date | None = None
    lawful_basis: str = ""
    not_agreed_reason: str = ""
    sharing_justification: str = ""


CONTACT_DETAIL_FIELDS = tuple(ContactDetails.__dataclass_fields__)


def _validate_details(details: ContactDetails) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if details.received_at > timezone.now() + timedelta(minutes=1):
        errors["received_at"] = ["The time received must be now or in the past."]
    if details.how_received not in HowReceived.values:
        errors["how_received"] = ["Select how the contact was received."]
    if details.referral_source not in ReferralSource.values:
        errors["referral_source"] = [
            f"Unknown referral source code {details.referral_source!r}: use a Children in "
            "Need census referral source code such as 2A (schools) or 6 (police)."
        ]
    if not details.referrer_name.strip():
        errors["referrer_name"] = ["Enter the referrer's name."]
    if details.referrer_view_of_level not in (None, 1, 2, 3, 4):
        errors["referrer_view_of_level"] = ["The referrer's view of the level must be 1 to 4."]
    if details.family_agreement and details.family_agreement not in FamilyAgreement.values:
        errors["family_agreement"] = ["Select agreed, declined or not sought."]
    if details.lawful_basis and details.lawful_basis not in LawfulBasis.values:
        errors["lawful_basis"] = ["Select a lawful basis for sharing."]
    if details.not_agreed_reason and details.not_agreed_reason not in NotSoughtReason.values:
        errors["not_agreed_reason"] = ["Select why the referral goes ahead without agreement."]
    if details.agreement_obtained_on and details.agreement_obtained_on > timezone.localdate():
        errors["agreement_obtained_on"] = ["The date agreement was obtained must be in the past."]
    return errors


def _consent_errors_of(details: ContactDetails) -> dict[str, list[str]]:
    """The consent errors the contact would have with these details."""
    return consent_errors(
        Contact(**{name: getattr(details, name) for name in CONTACT_DETAIL_FIELDS})
    )


def consent_errors(contact: Contact) -> dict[str, list[str]]:
    """What the referrer still has to record about consent before the contact can go in."""
    errors: dict[str, list[str]] = {}
    if not contact.family_agreement:
        errors["family_agreement"] = [
            "Record whether the family agreed to this referral (agreed, declined or not "
            "sought). The referrer obtains this, not the front door."
        ]
        return errors
    if contact.family_agreement == FamilyAgreement.AGREED:
        if not contact.agreement_obtained_by.strip():
            errors["agreement_obtained_by"] = ["Enter who obtained the family's agreement."]
        if contact.agreement_obtained_on is None:
            errors["agreement_obtained_on"] = ["Enter when the family's agreement was obtained."]
    else:
        if not contact.lawful_basis:
            errors["lawful_basis"] = [
                "The family has not agreed: select the lawful basis for sharing without it."
            ]
        if not contact.not_agreed_reason:
            errors["not_agreed_reason"] = [
                "The family has not agreed: select why the referral goes ahead without it."
            ]
        if not contact.sharing_justification.strip():
            errors["sharing_justification"] = [
                "Explain why sharing without the family's agreement is justified."
            ]
    return errors


NO_CONCERNS = (
    "Describe the concerns in the referrer's words, or tick at least one presenting need: "
    "the front door cannot screen a contact without them."
)


def concerns_errors(*, concerns: str, has_indicators: bool) -> dict[str, list[str]]:
    """A contact goes to the front door saying what the worry is: written concerns, or at
    least one presenting need ticked (or both)."""
    if concerns.strip() or has_indicators:
        return {}
    return {"concerns": [NO_CONCERNS]}


def submission_errors(contact: Contact) -> dict[str, list[str]]:
    """Everything that stops ``contact`` (a draft) being submitted: consent, the concerns
    and the children."""
    errors = consent_errors(contact)
    errors.update(
        concerns_errors(
            concerns=contact.concerns, has_indicators=contact.presenting_indicators.exists()
        )
    )
    if not contact.child_links.exists():
        errors["children"] = ["Add at least one child the contact is about."]
    return errors


def record_status(contact: Contact, *, to_status: str, by: User, note: str = "") -> None:
    """Note the move of ``contact`` to ``to_status`` in its timeline; the caller saves it."""
    ContactStatusChange.objects.create(
        contact=contact, from_status=contact.status, to_status=to_status, changed_by=by, note=note
    )
    contact.status = to_status


@transaction.atomic
def record_contact(
    *,
    recorded_by: User,
    council: Council,
    details: ContactDetails,
    children: Sequence[Person],
    adults: Sequence[tuple[Person, str]] = (),
    indicator_codes: Sequence[str] = (),
    team: Team | None = None,
    submit: bool = False,
) -> Contact:
    """Save a new contact as a draft. It names at least one child; consent may come later.

    With ``submit`` the draft is also sent to the front door in the same transaction: the
    consent errors are reported with any others, and nothing at all is saved if refused.
    """
    check_council(user=recorded_by, council=council)
    errors = _validate_details(details)
    if submit:
        errors.update(_consent_errors_of(details))
        errors.update(
            concerns_errors(concerns=details.concerns, has_indicators=bool(indicator_codes))
        )
    if not children:
        errors["children"] = ["Add at least one child the contact is about."]
    errors.update(adults_as_children(children))
    try:
        indicators = indicators_from_codes(indicator_codes, field="presenting_indicators")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    contact = Contact(
        council=council,
        team=team,
        created_by=recorded_by,
        # Front-door staff typing up a call are not the referrer; anyone else referring is.
        referrer_user=None if recorded_by.role in FRONT_DOOR_ROLES else recorded_by,
        **{name: getattr(details, name) for name in CONTACT_DETAIL_FIELDS},
    )
    contact._history_user = recorded_by  # type: ignore[attr-defined]
    contact.save()
    ContactChild.objects.bulk_create(
        [ContactChild(contact=contact, person=child) for child in dict.fromkeys(children)]
    )
    ContactAdult.objects.bulk_create(
        [
            ContactAdult(contact=contact, person=adult, relationship=relationship)
            for adult, relationship in dict(adults).items()
        ]
    )
    contact.presenting_indicators.set(indicators)
    ContactStatusChange.objects.create(
        contact=contact, from_status="", to_status=ContactStatus.DRAFT, changed_by=recorded_by
    )
    if submit:
        return submit_contact(contact=contact, by=recorded_by, expected_version=contact.version)
    return contact


@transaction.atomic
def update_draft(
    *,
    contact: Contact,
    by: User,
    expected_version: int,
    details: ContactDetails,
    indicator_codes: Sequence[str] | None = None,
    children: Sequence[Person] | None = None,
    adults: Sequence[tuple[Person, str]] | None = None,
    submit: bool = False,
) -> Contact:
    """Change a draft. ``children`` and ``adults``, when given, replace those named on it.

    With ``submit`` the draft is also sent to the front door in the same transaction;
    if that is refused (consent missing), the changes are not saved either.
    """
    if contact.status != ContactStatus.DRAFT:
        raise InvalidState("Only a draft contact can be edited.")
    errors = _validate_details(details)
    if submit:
        errors.update(_consent_errors_of(details))
        has_indicators = (
            bool(indicator_codes)
            if indicator_codes is not None
            else contact.presenting_indicators.exists()
        )
        errors.update(concerns_errors(concerns=details.concerns, has_indicators=has_indicators))
    if children is not None and not children:
        errors["children"] = ["Add at least one child the contact is about."]
    errors.update(adults_as_children(children or ()))
    indicators = None
    if indicator_codes is not None:
        try:
            indicators = indicators_from_codes(indicator_codes, field="presenting_indicators")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    claim_version(contact, expected_version, what="contact", message=STALE_CONTACT)
    for name in CONTACT_DETAIL_FIELDS:
        setattr(contact, name, getattr(details, name))
    contact._history_user = by  # type: ignore[attr-defined]
    contact.save()
    if indicators is not None:
        contact.presenting_indicators.set(indicators)
    if children is not None:
        ContactChild.objects.filter(contact=contact).exclude(person__in=children).delete()
        named = set(ContactChild.objects.filter(contact=contact).values_list("person", flat=True))
        ContactChild.objects.bulk_create(
            [
                ContactChild(contact=contact, person=child)
                for child in dict.fromkeys(children)
                if child.pk not in named
            ]
        )
    if adults is not None:
        ContactAdult.objects.filter(contact=contact).delete()
        ContactAdult.objects.bulk_create(
            [
                ContactAdult(contact=contact, person=adult, relationship=relationship)
                for adult, relationship in dict(adults).items()
            ]
        )
    if submit:
        return submit_contact(contact=contact, by=by, expected_version=contact.version)
    return contact


def previous_contacts(contact: Contact) -> list[Contact]:
    """Submitted contacts about any of this contact's children in the 12 months before it."""
    since = contact.received_at - timedelta(days=REPEAT_WINDOW_DAYS)
    return list(
        Contact.objects.filter(
            children__in=contact.children.all(),
            received_at__gte=since,
            received_at__lt=contact.received_at,
        )
        .exclude(pk=contact.pk)
        .exclude(status=ContactStatus.DRAFT)
        .distinct()
        .order_by("-received_at")
    )


@transaction.atomic
def submit_contact(*, contact: Contact, by: User, expected_version: int) -> Contact:
    """Send a draft to the front door. Refused until the referrer has recorded consent and
    said what the concerns are (in words, or presenting needs ticked)."""
    if contact.status != ContactStatus.DRAFT:
        raise InvalidState(f"This contact is already {contact.get_status_display().lower()}.")
    errors = submission_errors(contact)
    if errors:
        raise ValidationError(errors)
    claim_version(contact, expected_version, what="contact", message=STALE_CONTACT)
    contact.is_repeat = bool(previous_contacts(contact))
    contact.submitted_at = timezone.now()
    record_status(contact, to_status=ContactStatus.SUBMITTED, by=by)
    contact._history_user = by  # type: ignore[attr-defined]
    contact.save()
    source = f"front_door.contact:{contact.pk}"
    for child in contact.children.all():
        if contact.referrer_user is not None:
            record_involvement(
                user=contact.referrer_user,
                person=child,
                reason=InvolvementReason.REFERRER,
                source=source,
            )
        record_chronology_event(
            person=child,
            occurred_on=min(contact.received_on, timezone.localdate()),
            category=ChronologyCategory.CONTACT,
            title=f"Contact to the front door from {contact.get_referral_source_display()}",
            detail="",
            source=source,
            recorded_by=by,
        )
    tell_referrer_received(contact)
    return contact


@transaction.atomic
def change_status(
    *, contact: Contact, to_status: str, by: User, expected_version: int, note: str = ""
) -> Contact:
    """Move a contact along its workflow; an invalid transition is refused.

    A change made against an older version is refused as a concurrent change (409) before
    the transition is checked: two workers starting on the same contact at once are told
    a colleague got there first, not that the move is invalid."""
    if getattr(contact, "version", expected_version) != expected_version:
        raise ConcurrentChange(
            STALE_CONTACT.format(what="contact", current=contact.version, expected=expected_version)
        )
    if to_status == ContactStatus.DECIDED:
        raise ValidationError(
            {"status": ["A contact becomes decided by recording the threshold decision."]}
        )
    if to_status == ContactStatus.RETURNED:
        raise ValidationError(
            {
                "status": [
                    "A contact is returned to the worker by a team manager who does not agree "
                    "the decision awaiting their sign-off."
                ]
            }
        )
    if to_status == ContactStatus.SUBMITTED:
        # Only submit_contact sends a draft in: it checks the referrer recorded consent.
        raise ValidationError(
            {
                "status": [
                    "A draft is sent to the front door by submitting it, once consent is recorded."
                ]
            }
        )
    if to_status not in ALLOWED_TRANSITIONS.get(contact.status, frozenset()):
        raise ValidationError(
            {
                "status": [
                    f"A contact that is {contact.get_status_display().lower()} cannot be "
                    f"moved to {ContactStatus(to_status).label.lower()}."
                    if to_status in ContactStatus.values
                    else f"Unknown status {to_status!r}."
                ]
            }
        )
    if to_status == ContactStatus.AWAITING_INFORMATION and not note.strip():
        raise ValidationError({"note": ["Say what information the front door is waiting for."]})
    claim_version(contact, expected_version, what="contact", message=STALE_CONTACT)
    record_status(contact, to_status=to_status, by=by, note=note)
    contact._history_user = by  # type: ignore[attr-defined]
    contact.save()
    return contact

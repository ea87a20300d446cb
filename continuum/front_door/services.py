"""Front-door verbs: record, submit, screen and decide contacts; notify and triage domestic
abuse. Each is keyword-only, typed and atomic; each refuses bad input with a
``ValidationError`` naming the field, a change the record's state does not allow with
``InvalidState`` and a change made against a stale version with ``ConcurrentChange``, and
changes nothing when it refuses.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.access import policy
from continuum.access.models import InvolvementReason
from continuum.access.services import end_involvement, record_involvement
from continuum.accounts.models import Role, User
from continuum.accounts.roles import FRONT_DOOR_ROLES
from continuum.errors import InvalidState, NotPermitted
from continuum.front_door.choices import (
    ALLOWED_TRANSITIONS,
    OUTCOME_LEVELS,
    ContactStatus,
    DashRisk,
    FamilyAgreement,
    HowReceived,
    LawfulBasis,
    MaracBasis,
    NotificationStatus,
    NotSoughtReason,
    Outcome,
    ReferralSource,
    TriageAgency,
)
from continuum.front_door.models import (
    Contact,
    ContactAdult,
    ContactChild,
    ContactDecision,
    ContactStatusChange,
    DomesticAbuseNotification,
    NotificationChild,
    SharingDecision,
    TriageAttendance,
    TriageMeeting,
    TriageOutcome,
)
from continuum.optimistic_locking import claim_version
from continuum.organisations.models import Council, Organisation, Team
from continuum.people.choices import ChronologyCategory, PersonKind
from continuum.people.models import Person
from continuum.people.services import record_chronology_event
from continuum.thresholds.models import Indicator
from continuum.thresholds.rules import IndicatorFacts, Suggestion, suggest_level
from continuum.thresholds.selectors import current_version
from continuum.timescales.working_days import assessment_due_date

REPEAT_WINDOW_DAYS = 365
# How long a referrer keeps sight of the children after the decision, to read the outcome.
REFERRER_INVOLVEMENT_AFTER_DECISION = timedelta(days=28)
HIGH_RISK_TICKS = 14


STALE_CONTACT = (
    "Someone else changed this {what} after you opened it. Nothing was saved: reload the "
    "contact to see their change."
)
STALE_DECISION = (
    "Someone else changed or decided this contact after you opened it. Nothing was saved: "
    "open the contact again to see their change."
)
STALE_NOTIFICATION = "Someone else triaged or changed this notification first. Nothing was saved."


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


def _indicators_from_codes(codes: Iterable[str], *, field: str) -> list[Indicator]:
    codes = list(dict.fromkeys(c.strip().upper() for c in codes if c and c.strip()))
    version = current_version()
    found = {i.code: i for i in Indicator.objects.filter(version=version, code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationError({field: [f"Unknown threshold indicator code: {', '.join(unknown)}."]})
    return [found[c] for c in codes]


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


def _adults_as_children(children: Sequence[Person]) -> dict[str, list[str]]:
    """A person recorded as an adult cannot be one of the children a record is about."""
    adults = [child.full_name for child in children if child.kind == PersonKind.ADULT]
    if not adults:
        return {}
    return {
        "children": [
            f"{', '.join(adults)} is recorded as an adult: add adults as parents or carers, "
            "not as children."
        ]
    }


def _check_council(*, user: User, council: Council) -> None:
    from continuum.front_door.policies import councils_user_may_refer_to

    if council not in councils_user_may_refer_to(user):
        raise ValidationError(
            {"council": ["You can only make contacts to a council your organisation serves."]}
        )


def _record_status(contact: Contact, *, to_status: str, by: User, note: str = "") -> None:
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
    _check_council(user=recorded_by, council=council)
    errors = _validate_details(details)
    if submit:
        errors.update(_consent_errors_of(details))
    if not children:
        errors["children"] = ["Add at least one child the contact is about."]
    errors.update(_adults_as_children(children))
    try:
        indicators = _indicators_from_codes(indicator_codes, field="presenting_indicators")
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
    if children is not None and not children:
        errors["children"] = ["Add at least one child the contact is about."]
    errors.update(_adults_as_children(children or ()))
    indicators = None
    if indicator_codes is not None:
        try:
            indicators = _indicators_from_codes(indicator_codes, field="presenting_indicators")
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
    """Send a draft to the front door. Refused until the referrer has recorded consent."""
    if contact.status != ContactStatus.DRAFT:
        raise InvalidState(f"This contact is already {contact.get_status_display().lower()}.")
    errors = consent_errors(contact)
    if not contact.child_links.exists():
        errors["children"] = ["Add at least one child the contact is about."]
    if errors:
        raise ValidationError(errors)
    claim_version(contact, expected_version, what="contact", message=STALE_CONTACT)
    contact.is_repeat = bool(previous_contacts(contact))
    contact.submitted_at = timezone.now()
    _record_status(contact, to_status=ContactStatus.SUBMITTED, by=by)
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
    return contact


@transaction.atomic
def change_status(
    *, contact: Contact, to_status: str, by: User, expected_version: int, note: str = ""
) -> Contact:
    """Move a contact along its workflow; an invalid transition is refused."""
    if to_status == ContactStatus.DECIDED:
        raise ValidationError(
            {"status": ["A contact becomes decided by recording the threshold decision."]}
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
    _record_status(contact, to_status=to_status, by=by, note=note)
    contact._history_user = by  # type: ignore[attr-defined]
    contact.save()
    return contact


def _indicator_facts(indicators: Sequence[Indicator]) -> list[IndicatorFacts]:
    return [
        IndicatorFacts(code=i.code, title=i.title, level=i.level, domain=i.domain.code)
        for i in indicators
    ]


def _finish_decision(contact: Contact, decision: ContactDecision, *, by: User) -> None:
    contact.decided_at = decision.signed_off_at or decision.decided_at
    _record_status(contact, to_status=ContactStatus.DECIDED, by=by)
    contact._history_user = by  # type: ignore[attr-defined]
    contact.save()
    source = f"front_door.contact:{contact.pk}"
    ends = timezone.now() + REFERRER_INVOLVEMENT_AFTER_DECISION
    for child in contact.children.all():
        record_chronology_event(
            person=child,
            occurred_on=timezone.localdate(),
            category=ChronologyCategory.CONTACT,
            title=f"Front-door decision: {decision.get_outcome_display()} (level {decision.level})",
            detail=decision.rationale,
            source=source,
            recorded_by=by,
        )
    if contact.referrer_user is not None:
        # The referrer keeps sight of the children for long enough to read the outcome.
        # Through the access service, so each change keeps its version.
        for child in contact.children.all():
            end_involvement(user=contact.referrer_user, person=child, source=source, ends_at=ends)


def _check_decision(
    *,
    level: int,
    indicator_codes: Sequence[str],
    outcome: str,
    rationale: str,
    difference_reason: str,
) -> tuple[list[Indicator], Suggestion | None, dict[str, list[str]]]:
    """Validate a threshold decision; returns its indicators, the framework's suggestion
    and the errors (empty when the decision may be recorded)."""
    errors: dict[str, list[str]] = {}
    indicators: list[Indicator] = []
    try:
        indicators = _indicators_from_codes(indicator_codes, field="indicators")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not indicator_codes:
        errors["indicators"] = ["Select the threshold indicators that justify the decision."]
    if level not in (1, 2, 3, 4):
        errors["level"] = ["Select a level of need from 1 to 4."]
    if outcome not in Outcome.values:
        errors["outcome"] = ["Select the outcome."]
    elif level in (1, 2, 3, 4) and level not in OUTCOME_LEVELS[outcome]:
        allowed = " or ".join(str(v) for v in sorted(OUTCOME_LEVELS[outcome]))
        errors["outcome"] = [
            f"{Outcome(outcome).label} does not fit level {level}: it is for level {allowed}."
        ]
    if not rationale.strip():
        errors["rationale"] = ["Explain the decision (the rationale)."]
    suggestion = suggest_level(_indicator_facts(indicators)) if indicators else None
    if (
        suggestion is not None
        and suggestion.level is not None
        and level != suggestion.level
        and not difference_reason.strip()
    ):
        errors["difference_reason"] = [
            f"The framework suggests level {suggestion.level}; explain why you chose level {level}."
        ]
    return indicators, suggestion, errors


@transaction.atomic
def decide_contact(
    *,
    contact: Contact,
    by: User,
    expected_version: int,
    level: int,
    indicator_codes: Sequence[str],
    outcome: str,
    rationale: str,
    difference_reason: str = "",
) -> ContactDecision:
    """Record the threshold decision. One decision per contact; the second is refused."""
    if ContactDecision.objects.filter(contact=contact).exists():
        raise InvalidState("This contact already has a decision.")
    if contact.status not in (ContactStatus.IN_SCREENING, ContactStatus.AWAITING_INFORMATION):
        raise InvalidState(
            f"A contact that is {contact.get_status_display().lower()} cannot be decided: "
            "start screening it first."
        )
    indicators, suggestion, errors = _check_decision(
        level=level,
        indicator_codes=indicator_codes,
        outcome=outcome,
        rationale=rationale,
        difference_reason=difference_reason,
    )
    if errors:
        raise ValidationError(errors)
    claim_version(contact, expected_version, message=STALE_DECISION)
    high_indicator = any(i.level >= 3 for i in indicators)
    needs_sign_off = outcome == Outcome.NO_FURTHER_ACTION and high_indicator
    now = timezone.now()
    decision = ContactDecision(
        contact=contact,
        level=level,
        suggested_level=suggestion.level if suggestion else None,
        suggestion_reasons="\n".join(suggestion.reasons) if suggestion else "",
        difference_reason=difference_reason.strip(),
        outcome=outcome,
        rationale=rationale.strip(),
        decided_by=by,
        decided_at=now,
        needs_manager_sign_off=needs_sign_off,
    )
    if needs_sign_off and by.role == Role.TEAM_MANAGER:
        decision.signed_off_by = by
        decision.signed_off_at = now
    if outcome == Outcome.SOCIAL_CARE_ASSESSMENT:
        decision.assessment_due_date = assessment_due_date(timezone.localdate())
    decision._history_user = by  # type: ignore[attr-defined]
    decision.save()
    decision.indicators.set(indicators)
    if not decision.awaiting_sign_off:
        _finish_decision(contact, decision, by=by)
    else:
        contact._history_user = by  # type: ignore[attr-defined]
        contact.save()
    return decision


@transaction.atomic
def sign_off_decision(
    *, decision: ContactDecision, manager: User, expected_version: int | None = None
) -> ContactDecision:
    """A team manager signs off no further action on a contact with a level 3 or 4 indicator,
    as the contact stood at ``expected_version`` (as it stands now, if not given)."""
    if manager.role != Role.TEAM_MANAGER:
        raise NotPermitted("Only a team manager can sign this off.")
    if not decision.awaiting_sign_off:
        raise InvalidState("This decision is not awaiting sign-off.")
    contact = decision.contact
    version = contact.version if expected_version is None else expected_version
    claim_version(contact, version, what="contact", message=STALE_CONTACT)
    decision.signed_off_by = manager
    decision.signed_off_at = timezone.now()
    decision._history_user = manager  # type: ignore[attr-defined]
    decision.save()
    _finish_decision(contact, decision, by=manager)
    return decision


@transaction.atomic
def record_sharing_decision(
    *,
    contact: Contact,
    by: User,
    shared: bool,
    what: str,
    with_whom: str,
    purpose: str,
    lawful_basis: str = "",
    reason: str = "",
) -> SharingDecision:
    """Record a decision to share, or not to share, information about the family."""
    errors: dict[str, list[str]] = {}
    for field, value, message in (
        ("what", what, "Say what information the decision is about."),
        ("with_whom", with_whom, "Say who it would be shared with."),
        ("purpose", purpose, "Say what the sharing is for."),
    ):
        if not value.strip():
            errors[field] = [message]
    if shared and lawful_basis not in LawfulBasis.values:
        errors["lawful_basis"] = ["Select the lawful basis for sharing."]
    if not shared and not reason.strip():
        errors["reason"] = ["Explain the decision not to share."]
    if errors:
        raise ValidationError(errors)
    return SharingDecision.objects.create(
        contact=contact,
        shared=shared,
        what=what.strip(),
        with_whom=with_whom.strip(),
        purpose=purpose.strip(),
        lawful_basis=lawful_basis,
        reason=reason.strip(),
        recorded_by=by,
    )


# --- domestic-abuse notifications and joint triage --------------------------------------


@dataclass(frozen=True)
class NotificationDetails:
    incident_at: datetime
    dash_risk: str
    dash_ticks: int
    repeat_incidents_12_months: int
    reporting_officer: str
    reporting_officer_number: str = ""
    alleged_perpetrator_description: str = ""
    summary: str = ""


@transaction.atomic
def record_notification(
    *,
    recorded_by: User,
    council: Council,
    details: NotificationDetails,
    victim: Person,
    children: Sequence[tuple[Person, bool]],
    alleged_perpetrator: Person | None = None,
) -> DomesticAbuseNotification:
    """A police domestic-abuse notification, waiting for joint triage."""
    _check_council(user=recorded_by, council=council)
    errors: dict[str, list[str]] = {}
    if details.incident_at > timezone.now() + timedelta(minutes=1):
        errors["incident_at"] = ["The incident date and time must be in the past."]
    if details.dash_risk not in DashRisk.values:
        errors["dash_risk"] = ["Select the DASH risk level: standard, medium or high."]
    if not 0 <= details.dash_ticks <= 27:
        errors["dash_ticks"] = ["The number of DASH ticks must be between 0 and 27."]
    if details.repeat_incidents_12_months < 0:
        errors["repeat_incidents_12_months"] = ["Repeat incidents cannot be negative."]
    if not details.reporting_officer.strip():
        errors["reporting_officer"] = ["Enter the reporting officer."]
    if (
        details.dash_risk in DashRisk.values
        and details.dash_ticks >= HIGH_RISK_TICKS
        and details.dash_risk != DashRisk.HIGH
    ):
        errors["dash_risk"] = [
            f"{details.dash_ticks} ticks is visible high risk (14 or more): the risk level "
            "must be high."
        ]
    if not children:
        errors["children"] = ["Add the children in the household or present at the incident."]
    errors.update(_adults_as_children([child for child, _ in children]))
    if alleged_perpetrator is not None and alleged_perpetrator.pk == victim.pk:
        errors["alleged_perpetrator"] = ["The alleged perpetrator cannot be the victim."]
    adults = {victim.pk} | ({alleged_perpetrator.pk} if alleged_perpetrator else set())
    if any(child.pk in adults for child, _ in children):
        errors["children"] = [
            "The victim or the alleged perpetrator cannot also be listed as one of the children."
        ]
    if errors:
        raise ValidationError(errors)
    notification = DomesticAbuseNotification(
        council=council,
        victim=victim,
        alleged_perpetrator=alleged_perpetrator,
        created_by=recorded_by,
        incident_at=details.incident_at,
        dash_risk=details.dash_risk,
        dash_ticks=details.dash_ticks,
        repeat_incidents_12_months=details.repeat_incidents_12_months,
        reporting_officer=details.reporting_officer.strip(),
        reporting_officer_number=details.reporting_officer_number.strip(),
        alleged_perpetrator_description=details.alleged_perpetrator_description.strip(),
        summary=details.summary.strip(),
    )
    notification._history_user = recorded_by  # type: ignore[attr-defined]
    notification.save()
    NotificationChild.objects.bulk_create(
        [
            NotificationChild(notification=notification, person=child, was_present=present)
            for child, present in dict(children).items()
        ]
    )
    return notification


@transaction.atomic
def hold_triage_meeting(
    *,
    council: Council,
    chaired_by: User,
    held_at: datetime,
    attendance: Sequence[dict[str, Any]],
) -> TriageMeeting:
    """A joint triage meeting; ``attendance`` rows name an agency and a person."""
    errors: dict[str, list[str]] = {}
    if held_at > timezone.now() + timedelta(minutes=5):
        errors["held_at"] = ["The meeting must be now or in the past."]
    if policy.council_of(chaired_by) != council:
        errors["council"] = ["Only the council's own front door holds its joint triage meetings."]
    if not attendance:
        errors["attendance"] = ["Record who attended, by agency."]
    for row in attendance:
        if not str(row.get("name", "")).strip():
            errors["attendance"] = ["Every attendee needs a name."]
        elif row.get("agency") not in TriageAgency.values:
            errors["attendance"] = [
                f"Unknown agency {row.get('agency')!r}: choose police, IDVA service, "
                "children's services, health, education or other."
            ]
    if errors:
        raise ValidationError(errors)
    meeting = TriageMeeting.objects.create(council=council, chaired_by=chaired_by, held_at=held_at)
    TriageAttendance.objects.bulk_create(
        [
            TriageAttendance(
                meeting=meeting,
                agency=row["agency"],
                organisation=row.get("organisation"),
                name=str(row["name"]).strip(),
            )
            for row in attendance
        ]
    )
    return meeting


@transaction.atomic
def triage_notification(
    *,
    notification: DomesticAbuseNotification,
    meeting: TriageMeeting,
    by: User,
    expected_version: int,
    safety_planning: str,
    marac_referral: bool,
    marac_basis: str = "",
    no_marac_reason: str = "",
    create_children_contact: bool = True,
) -> TriageOutcome:
    """Record the joint triage of one notification. The children's outcome becomes a
    contact (submitted, already in screening) carrying everything the notification knew.
    """
    if notification.status == NotificationStatus.TRIAGED:
        raise InvalidState("This notification has already been triaged.")
    if meeting.council_id != notification.council_id:
        raise ValidationError({"meeting": ["The meeting is for another council."]})
    errors: dict[str, list[str]] = {}
    if not safety_planning.strip():
        errors["safety_planning"] = ["Record the safety-planning decision."]
    if marac_referral and marac_basis not in MaracBasis.values:
        errors["marac_basis"] = ["Select why the MARAC referral is made."]
    elif (
        marac_referral
        and marac_basis == MaracBasis.VISIBLE_HIGH_RISK
        and notification.dash_ticks < HIGH_RISK_TICKS
    ):
        errors["marac_basis"] = [
            f"Visible high risk needs 14 or more DASH ticks; this notification has "
            f"{notification.dash_ticks}. Choose professional judgement or escalation."
        ]
    if (
        notification.dash_risk == DashRisk.HIGH
        and not marac_referral
        and not no_marac_reason.strip()
    ):
        errors["no_marac_reason"] = [
            "This notification is high risk: a MARAC referral is expected. Give the reason "
            "for not making one."
        ]
    if errors:
        raise ValidationError(errors)
    claim_version(notification, expected_version, message=STALE_NOTIFICATION)
    DomesticAbuseNotification.objects.filter(pk=notification.pk).update(
        status=NotificationStatus.TRIAGED
    )
    notification.refresh_from_db()
    contact = None
    if create_children_contact:
        contact = _contact_from_notification(notification, by=by)
    return TriageOutcome.objects.create(
        notification=notification,
        meeting=meeting,
        safety_planning=safety_planning.strip(),
        marac_referral=marac_referral,
        marac_basis=marac_basis if marac_referral else "",
        no_marac_reason=no_marac_reason.strip(),
        children_contact=contact,
        recorded_by=by,
    )


def _contact_from_notification(notification: DomesticAbuseNotification, *, by: User) -> Contact:
    police_org = notification.created_by.organisation
    incident = timezone.localtime(notification.incident_at)
    officer = notification.reporting_officer
    if notification.reporting_officer_number:
        officer = f"{officer} ({notification.reporting_officer_number})"
    contact = Contact(
        council=notification.council,
        status=ContactStatus.IN_SCREENING,
        received_at=notification.received_at,
        how_received=HowReceived.DOMESTIC_ABUSE_NOTIFICATION,
        referral_source=ReferralSource.POLICE,
        referrer_name=officer,
        referrer_organisation=police_org,
        referrer_organisation_name=police_org.name if police_org else "",
        referrer_role="Reporting officer",
        concerns=(
            f"Domestic-abuse incident on {incident:%d %B %Y at %H:%M}. DASH risk "
            f"{notification.get_dash_risk_display().lower()} "
            f"({notification.dash_ticks} ticks); {notification.repeat_incidents_12_months} "
            f"repeat incidents in the last 12 months.\n{notification.summary}"
        ).strip(),
        family_agreement=FamilyAgreement.NOT_SOUGHT,
        lawful_basis=LawfulBasis.PUBLIC_TASK,
        not_agreed_reason=NotSoughtReason.SIGNIFICANT_HARM,
        sharing_justification=(
            "Police notification of domestic abuse with children in the household, shared "
            "for joint triage to safeguard the children."
        ),
        submitted_at=timezone.now(),
        created_by=by,
    )
    contact._history_user = by  # type: ignore[attr-defined]
    contact.save()
    children = [link.person for link in notification.child_links.select_related("person")]
    ContactChild.objects.bulk_create([ContactChild(contact=contact, person=c) for c in children])
    adults = [(notification.victim, "Victim")]
    if notification.alleged_perpetrator is not None:
        adults.append((notification.alleged_perpetrator, "Alleged perpetrator"))
    ContactAdult.objects.bulk_create(
        [ContactAdult(contact=contact, person=p, relationship=r) for p, r in adults]
    )
    for to_status in (ContactStatus.SUBMITTED, ContactStatus.IN_SCREENING):
        ContactStatusChange.objects.create(
            contact=contact,
            from_status=ContactStatus.DRAFT
            if to_status == ContactStatus.SUBMITTED
            else ContactStatus.SUBMITTED,
            to_status=to_status,
            changed_by=by,
            note="From domestic-abuse joint triage.",
        )
    contact.is_repeat = bool(previous_contacts(contact))
    contact.save(update_fields=["is_repeat"])
    for child in children:
        record_chronology_event(
            person=child,
            occurred_on=timezone.localtime(notification.incident_at).date(),
            category=ChronologyCategory.POLICE,
            title="Domestic-abuse incident notified by the police; joint triage held",
            source=f"front_door.contact:{contact.pk}",
            recorded_by=by,
        )
    return contact

"""Joint triage of domestic-abuse notifications: the meeting with its attendance by agency,
and each notification's outcome (safety planning, the MARAC decision) whose children's
part becomes a contact in screening, carrying everything the notification knew: flagged
as domestic abuse with the DASH risk level and the MARAC decision, and the framework's
domestic-abuse indicator for that risk ticked.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.accounts.models import User
from continuum.errors import InvalidState
from continuum.front_door.choices import (
    ContactStatus,
    DashRisk,
    FamilyAgreement,
    HowReceived,
    LawfulBasis,
    MaracBasis,
    NotificationStatus,
    NotSoughtReason,
    ReferralSource,
    TriageAgency,
)
from continuum.front_door.models import (
    Contact,
    ContactAdult,
    ContactChild,
    ContactStatusChange,
    DomesticAbuseNotification,
    TriageAttendance,
    TriageMeeting,
    TriageOutcome,
)
from continuum.front_door.policies import triages_for
from continuum.front_door.services.contacts import previous_contacts
from continuum.front_door.services.notifications import HIGH_RISK_TICKS
from continuum.optimistic_locking import claim_version
from continuum.organisations.models import Council
from continuum.people.choices import ChronologyCategory
from continuum.people.services import record_chronology_event
from continuum.thresholds.models import Indicator
from continuum.thresholds.selectors import current_version
from continuum.ui.dates import govuk_datetime

STALE_NOTIFICATION = "Someone else triaged or changed this notification first. Nothing was saved."

# The threshold indicator a notification's DASH risk level ticks on the children's contact
# (the shared framework's domestic-abuse indicators): high risk is level 4, else level 3.
DASH_RISK_INDICATORS: dict[str, str] = {
    DashRisk.HIGH: "FAM-4-01",
    DashRisk.MEDIUM: "FAM-3-01",
    DashRisk.STANDARD: "FAM-3-01",
}


def indicators_for_notification(notification: DomesticAbuseNotification) -> list[Indicator]:
    """The current framework's indicators a notification ticks on the children's contact:
    the domestic-abuse indicator for its DASH risk level (none if the framework in force
    has no such indicator)."""
    version = current_version()
    code = DASH_RISK_INDICATORS.get(notification.dash_risk)
    if version is None or code is None:
        return []
    return list(Indicator.objects.filter(version=version, code=code))


def council_refusal(*, chaired_by: User, council: Council) -> list[str]:
    """Why ``chaired_by`` may not hold ``council``'s joint triage meetings (nothing when
    they may): only the council's own front door, or hub front-door staff whose row of the
    agreement in force includes that council's triage."""
    if triages_for(chaired_by, council.pk):
        return []
    return [
        f"You do not triage {council.name}'s notifications. Only {council.name}'s own front "
        f"door, or a hub's front-door staff under an agreement in force that includes "
        f"{council.name}'s joint triage, hold its joint triage meetings."
    ]


def check_may_hold_meeting(*, chaired_by: User, council: Council) -> None:
    """Refuse at ``council`` (a validation error) a council ``chaired_by`` does not triage for."""
    refusal = council_refusal(chaired_by=chaired_by, council=council)
    if refusal:
        raise ValidationError({"council": refusal})


@transaction.atomic
def hold_triage_meeting(
    *,
    council: Council,
    chaired_by: User,
    held_at: datetime,
    attendance: Sequence[dict[str, Any]],
) -> TriageMeeting:
    """A joint triage meeting of ``council``'s notifications (the chair's own council, or
    one they triage for through a hub); ``attendance`` rows name an agency and a person."""
    errors: dict[str, list[str]] = {}
    if held_at > timezone.now() + timedelta(minutes=5):
        errors["held_at"] = ["The meeting must be now or in the past."]
    if refusal := council_refusal(chaired_by=chaired_by, council=council):
        errors["council"] = refusal
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
        contact = _contact_from_notification(notification, by=by, marac_referral=marac_referral)
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


def _contact_from_notification(
    notification: DomesticAbuseNotification, *, by: User, marac_referral: bool
) -> Contact:
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
            f"Domestic-abuse incident on {govuk_datetime(incident)}. DASH risk "
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
        domestic_abuse=True,
        dash_risk=notification.dash_risk,
        marac_referral=marac_referral,
    )
    contact._history_user = by  # type: ignore[attr-defined]
    contact.save()
    contact.presenting_indicators.set(indicators_for_notification(notification))
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

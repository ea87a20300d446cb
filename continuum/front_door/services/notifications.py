"""Police domestic-abuse notifications, recorded for the council's joint triage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.accounts.models import User
from continuum.errors import InvalidState
from continuum.front_door.choices import DashRisk, NotificationStatus
from continuum.front_door.models import DomesticAbuseNotification, NotificationChild
from continuum.front_door.services.common import adults_as_children, check_council
from continuum.organisations.models import Council
from continuum.people.models import Person

# DASH ticks from which the risk is visibly high.
HIGH_RISK_TICKS = 14


@dataclass(frozen=True)
class NotificationDetails:
    """What the police report about the incident."""

    incident_at: datetime
    dash_risk: str
    dash_ticks: int
    repeat_incidents_12_months: int
    reporting_officer: str
    reporting_officer_number: str = ""
    alleged_perpetrator_description: str = ""
    summary: str = ""
    # The force's own reference, when the notification came in the force's daily file.
    police_reference: str = ""


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
    check_council(user=recorded_by, council=council)
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
    errors.update(adults_as_children([child for child, _ in children]))
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
        police_reference=details.police_reference.strip(),
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


_CORRECTABLE = (
    "incident_at",
    "dash_risk",
    "dash_ticks",
    "repeat_incidents_12_months",
    "reporting_officer",
    "reporting_officer_number",
    "alleged_perpetrator_description",
    "summary",
)


@transaction.atomic
def update_notification_details(
    *, updated_by: User, notification: DomesticAbuseNotification, details: NotificationDetails
) -> DomesticAbuseNotification:
    """The force's corrections to a notification still awaiting triage (a later daily file
    with the same incident reference): the incident's details, not its people."""
    check_council(user=updated_by, council=notification.council)
    current = DomesticAbuseNotification.objects.select_for_update().get(pk=notification.pk)
    if current.status != NotificationStatus.AWAITING_TRIAGE:
        raise InvalidState("This notification has been triaged: its details cannot change.")
    errors: dict[str, list[str]] = {}
    if details.dash_risk not in DashRisk.values:
        errors["dash_risk"] = ["Select the DASH risk level: standard, medium or high."]
    if not 0 <= details.dash_ticks <= 27:
        errors["dash_ticks"] = ["The number of DASH ticks must be between 0 and 27."]
    if details.dash_ticks >= HIGH_RISK_TICKS and details.dash_risk != DashRisk.HIGH:
        errors["dash_risk"] = [
            f"{details.dash_ticks} ticks is visible high risk (14 or more): the risk level "
            "must be high."
        ]
    if errors:
        raise ValidationError(errors)
    for name in _CORRECTABLE:
        value = getattr(details, name)
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    current.version += 1
    current._history_user = updated_by  # type: ignore[attr-defined]
    current.save()
    return current

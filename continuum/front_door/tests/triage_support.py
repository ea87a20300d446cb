"""Helpers for the domestic-abuse triage and front-door API tests: people on the record,
indicators of the seeded framework, what a police officer reports, and notifications and
meetings made through the services. The users involved are the root conftest's fixtures
(``officer``, ``worker``, ...); the usual notification and meeting are fixtures too
(``notification``, ``meeting``, in this package's conftest)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, cast

from django.utils import timezone

from continuum.accounts.models import User
from continuum.front_door import services
from continuum.front_door.choices import DashRisk, NotificationStatus, TriageAgency
from continuum.front_door.models import DomesticAbuseNotification, TriageMeeting
from continuum.organisations.models import Council
from continuum.people.choices import PersonKind
from continuum.people.models import Person
from continuum.testing import factories
from continuum.thresholds.models import Indicator


def child(council: Council, **fields: Any) -> Person:
    return cast(Person, factories.PersonFactory(council=council, **fields))


def adult(council: Council, **fields: Any) -> Person:
    fields.setdefault("kind", PersonKind.ADULT)
    fields.setdefault("upn", None)
    fields.setdefault("date_of_birth", timezone.localdate() - timedelta(days=365 * 30))
    return cast(Person, factories.PersonFactory(council=council, **fields))


def indicator_codes(level: int, count: int = 1) -> list[str]:
    """Codes of ``count`` indicators at ``level`` from the seeded current framework."""
    codes = list(
        Indicator.objects.filter(version__is_current=True, level=level)
        .order_by("code")
        .values_list("code", flat=True)[:count]
    )
    assert len(codes) == count, f"The seeded framework has too few level {level} indicators"
    return codes


def notification_details(**overrides: Any) -> services.NotificationDetails:
    """A medium-risk incident last night, reported by a named officer."""
    base = services.NotificationDetails(
        incident_at=timezone.now() - timedelta(hours=10),
        dash_risk=DashRisk.MEDIUM,
        dash_ticks=9,
        repeat_incidents_12_months=1,
        reporting_officer="PC Dana Hollis",
        reporting_officer_number="4471",
        summary="Shouting heard by neighbours; the children were upstairs.",
    )
    return replace(base, **overrides)


def notify(
    *,
    by: User,
    council: Council,
    children: list[Person] | None = None,
    victim: Person | None = None,
    perpetrator: Person | None = None,
    **overrides: Any,
) -> DomesticAbuseNotification:
    """A notification recorded through the service (one child present unless given)."""
    return services.record_notification(
        recorded_by=by,
        council=council,
        details=notification_details(**overrides),
        victim=victim or adult(council, given_name="Vic", family_name="Tim"),
        alleged_perpetrator=perpetrator
        if perpetrator is not None
        else adult(council, given_name="Perry", family_name="Trator"),
        children=[(c, True) for c in (children if children is not None else [child(council)])],
    )


def meeting(*, by: User, council: Council, held_at: datetime | None = None) -> TriageMeeting:
    return services.hold_triage_meeting(
        council=council,
        chaired_by=by,
        held_at=held_at or timezone.now() - timedelta(minutes=30),
        attendance=[
            {"agency": TriageAgency.POLICE, "name": "DS Amir Khan"},
            {"agency": TriageAgency.IDVA, "name": "Jo Fletcher"},
            {"agency": TriageAgency.CHILDRENS_SERVICES, "name": "Sam Price"},
        ],
    )


def awaiting(notification: DomesticAbuseNotification) -> bool:
    notification.refresh_from_db()
    return notification.status == NotificationStatus.AWAITING_TRIAGE

"""Reading domestic-abuse notifications and joint triage meetings. Every read starts from
``policy.visible``, so nothing the user may not see is listed or counted.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.front_door.choices import NotificationStatus, TriageAgency
from continuum.front_door.models import (
    Contact,
    DomesticAbuseNotification,
    NotificationChild,
    TriageAttendance,
    TriageMeeting,
    TriageOutcome,
)
from continuum.front_door.overdue import (
    notification_due_date,
    notification_is_overdue,
    overdue_notifications,
)


@dataclass(frozen=True)
class NotificationRow:
    """A notification with its triage timescale worked out for display."""

    notification: DomesticAbuseNotification
    due_date: date
    is_overdue: bool

    @property
    def triage(self) -> TriageOutcome | None:
        return getattr(self.notification, "triage", None)


def _with_related(
    notifications: QuerySet[DomesticAbuseNotification],
) -> QuerySet[DomesticAbuseNotification]:
    return notifications.select_related(
        "council", "victim", "alleged_perpetrator", "triage", "triage__meeting"
    ).prefetch_related(
        Prefetch("child_links", queryset=NotificationChild.objects.select_related("person"))
    )


def rows(
    notifications: QuerySet[DomesticAbuseNotification] | list[DomesticAbuseNotification],
    today: date | None = None,
) -> list[NotificationRow]:
    today = today or timezone.localdate()
    return [
        NotificationRow(
            notification=n,
            due_date=notification_due_date(n),
            is_overdue=notification_is_overdue(n, today),
        )
        for n in notifications
    ]


def notifications_for(
    *,
    user: User,
    status: str = "",
    risk: str = "",
    council_code: str = "",
    overdue: bool | None = None,
    today: date | None = None,
) -> QuerySet[DomesticAbuseNotification]:
    """The notifications ``user`` may see, filtered; newest first."""
    notifications = policy.visible(user, DomesticAbuseNotification)
    if status:
        notifications = notifications.filter(status=status)
    if risk:
        notifications = notifications.filter(dash_risk=risk)
    if council_code:
        notifications = notifications.filter(council__dfe_la_code=council_code)
    if overdue is not None:
        late = overdue_notifications(notifications, today)
        notifications = late if overdue else notifications.exclude(pk__in=late.values("pk"))
    return _with_related(notifications).order_by("-received_at", "pk")


def awaiting_triage(
    *, user: User, notifications: QuerySet[DomesticAbuseNotification] | None = None
) -> QuerySet[DomesticAbuseNotification]:
    """Notifications waiting for joint triage, oldest (most urgent) first."""
    if notifications is None:
        notifications = _with_related(policy.visible(user, DomesticAbuseNotification))
    return notifications.filter(status=NotificationStatus.AWAITING_TRIAGE).order_by(
        "received_at", "pk"
    )


def next_awaiting(
    *, user: User, meeting: TriageMeeting, after: DomesticAbuseNotification | None = None
) -> DomesticAbuseNotification | None:
    """The next notification of the meeting's council waiting for triage."""
    waiting = awaiting_triage(user=user).filter(council=meeting.council)
    if after is not None:
        waiting = waiting.exclude(pk=after.pk)
    return waiting.first()


@dataclass(frozen=True)
class AgencyAttendance:
    agency: str
    label: str
    attendees: list[TriageAttendance]


def attendance_by_agency(meeting: TriageMeeting) -> list[AgencyAttendance]:
    """Who attended, grouped by agency in the usual order (police, IDVA, children's
    services, health, education, other); agencies nobody came from are listed empty."""
    attendees = list(meeting.attendance.select_related("organisation").order_by("name", "pk"))
    return [
        AgencyAttendance(
            agency=value,
            label=label,
            attendees=[a for a in attendees if a.agency == value],
        )
        for value, label in TriageAgency.choices
    ]


def meeting_outcomes(meeting: TriageMeeting) -> QuerySet[TriageOutcome]:
    return meeting.outcomes.select_related(
        "notification", "notification__victim", "children_contact"
    ).order_by("recorded_at", "pk")


def meetings_for(*, user: User) -> QuerySet[TriageMeeting]:
    return policy.visible(user, TriageMeeting).select_related("chaired_by", "council")


def people_named(notification: DomesticAbuseNotification) -> list[uuid.UUID]:
    """Whose records a notification shows: the victim, the alleged perpetrator and the
    children (each read of the notification is a read of theirs, for the access log)."""
    ids = [notification.victim_id]
    if notification.alleged_perpetrator_id is not None:
        ids.append(notification.alleged_perpetrator_id)
    ids += [link.person_id for link in notification.child_links.all()]
    return list(dict.fromkeys(ids))


def visible_children_contact(*, user: User, outcome: TriageOutcome | None) -> Contact | None:
    """The contact the triage made for the children, if ``user`` may see it (police may
    not: they learn only whether one was made)."""
    if outcome is None or outcome.children_contact_id is None:
        return None
    return policy.visible(user, Contact).filter(pk=outcome.children_contact_id).first()

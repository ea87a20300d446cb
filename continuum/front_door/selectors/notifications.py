"""Reading domestic-abuse notifications: the list with its filters, those waiting for joint
triage, each with its triage timescale, and whose records a notification names. Every
read starts from ``policy.visible``, so nothing the user may not see is listed or counted.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.front_door.choices import DASH_RISK_ORDER, NotificationStatus
from continuum.front_door.models import DomesticAbuseNotification, NotificationChild, TriageOutcome
from continuum.front_door.overdue import (
    notification_due_date,
    notification_is_overdue,
    overdue_notifications,
)
from continuum.front_door.policies import with_in_full


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
    """The notifications ``user`` may see, filtered; newest first; each marked ``in_full``
    when ``user`` may read more than its reference and outcome."""
    notifications = with_in_full(user, policy.visible(user, DomesticAbuseNotification))
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


def risk_first(
    notifications: QuerySet[DomesticAbuseNotification],
) -> QuerySet[DomesticAbuseNotification]:
    """``notifications`` highest DASH risk first (high, medium, standard), then oldest."""
    rank = Case(
        *(When(dash_risk=risk, then=Value(order)) for risk, order in DASH_RISK_ORDER.items()),
        default=Value(len(DASH_RISK_ORDER)),
        output_field=IntegerField(),
    )
    return notifications.alias(risk_rank=rank).order_by("risk_rank", "received_at", "pk")


def awaiting_triage(
    *, user: User, notifications: QuerySet[DomesticAbuseNotification] | None = None
) -> QuerySet[DomesticAbuseNotification]:
    """Notifications waiting for joint triage, the most urgent first: highest DASH risk
    first, then the oldest."""
    if notifications is None:
        notifications = _with_related(
            with_in_full(user, policy.visible(user, DomesticAbuseNotification))
        )
    return risk_first(notifications.filter(status=NotificationStatus.AWAITING_TRIAGE))


def notification_reference_of(notification: DomesticAbuseNotification) -> str:
    """A short reference to quote: the first eight characters of the notification's id."""
    return str(notification.pk).replace("-", "")[:8].upper()


def people_named(notification: DomesticAbuseNotification) -> list[uuid.UUID]:
    """Whose records a notification shows: the victim, the alleged perpetrator and the
    children (each read of the notification is a read of theirs, for the access log)."""
    ids = [notification.victim_id]
    if notification.alleged_perpetrator_id is not None:
        ids.append(notification.alleged_perpetrator_id)
    ids += [link.person_id for link in notification.child_links.all()]
    return list(dict.fromkeys(ids))

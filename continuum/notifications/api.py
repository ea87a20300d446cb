"""The notifications API under /api/v1/notifications: the user's own notifications (unread
first), and marking one read. Someone else's notification is 404."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.notifications import selectors, services
from continuum.notifications.models import Notification, NotificationKind
from continuum.notifications.policies import NotificationsAction
from continuum.ui.api import limit_offset, paginated

router = Router(tags=["notifications"])
NotificationPages = limit_offset("NotificationPage", default=50, maximum=200)


class UserNotificationOut(Schema):
    id: uuid.UUID
    kind: NotificationKind
    subject: str
    link: str
    urgent: bool
    created_at: datetime
    read_at: datetime | None


@router.get("", response=list[UserNotificationOut], summary="Your notifications, unread first")
@paginated(NotificationPages)
def list_notifications(request: HttpRequest, unread: bool = False) -> QuerySet[Notification]:
    user = user_of(request)
    policy.require(user, NotificationsAction.VIEW)
    found = selectors.notifications_for(user=user)
    return found.filter(read_at__isnull=True) if unread else found


@router.post("/{notification_id}/read", response=UserNotificationOut, summary="Mark one read")
def read_notification(request: HttpRequest, notification_id: uuid.UUID) -> Notification:
    user = user_of(request)
    notification = policy.get_visible_or_404(user, Notification, notification_id)
    return services.mark_read(notification=notification, by=user)

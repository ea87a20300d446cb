"""Reads of notifications and the outbox, each starting from ``policy.visible``."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from continuum.access import policy
from continuum.accounts.models import User
from continuum.notifications.models import Email, Notification


def notifications_for(*, user: User) -> QuerySet[Notification]:
    """The user's notifications: unread first, newest first."""
    unread_first = Case(
        When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return policy.visible(user, Notification).order_by(unread_first, "-created_at")


def unread_count(*, user: User) -> int:
    return policy.visible(user, Notification).filter(read_at__isnull=True).count()


def outbox_for(*, user: User) -> QuerySet[Email]:
    return policy.visible(user, Email).select_related("recipient").order_by("-created_at")

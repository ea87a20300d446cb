"""Who sees which notifications and emails. Registered with the one access policy.

- A notification is its recipient's alone: nobody else sees, counts or marks it.
- The outbox (where emails go when GOV.UK Notify is not used: the demo and the tests) shows
  each user the emails addressed to them, and the system administrator every email, so the
  demo can show what was sent. An email names no one and says nothing of a family, only
  what kind of thing happened, with a link. When emails go through Notify there is no
  outbox: its page is refused to everyone.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.notifications.models import Email, Notification


class NotificationsAction:
    # Asked without an object: may the user have notifications (everyone with a role)?
    VIEW = "notifications.view"
    # Asked without an object: may the user open the local outbox?
    VIEW_OUTBOX = "notifications.view_outbox"


def uses_outbox() -> bool:
    """Emails go to the local outbox: demo mode, or no GOV.UK Notify API key."""
    return bool(settings.CONTINUUM_DEMO or not settings.GOVUK_NOTIFY_API_KEY)


def notifications_of(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def emails_visible_to(user: User) -> QuerySet[Email]:
    if not uses_outbox():
        return Email.objects.none()
    if user.role == Role.SYSTEM_ADMINISTRATOR:
        return Email.objects.all()
    return Email.objects.filter(recipient=user)


def _can_view(user: User, _: Any) -> bool:
    return True


def _can_view_outbox(user: User, _: Any) -> bool:
    return uses_outbox()


policy.register_scope(Notification, notifications_of)
policy.register_scope(Email, emails_visible_to)
policy.register_rule(NotificationsAction.VIEW, _can_view)
policy.register_rule(NotificationsAction.VIEW_OUTBOX, _can_view_outbox)

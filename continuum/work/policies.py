"""The work tray and reminders. Registered with the one access policy.

- Everyone with a role has a work tray: what it lists comes from each app's own selectors,
  which start from ``policy.visible``, so it never counts what the user may not open.
- A reminder is its user's alone. A user sets one on a record (a person, a contact or an
  episode) only while they may see it, and sees it (in the tray, on the record, in the
  API) only while they still may: a reminder on a record they can no longer see is neither
  listed nor counted, and marking it done or dismissed answers 404 as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from continuum.access import policy
from continuum.accounts.models import User
from continuum.work.models import Reminder


class WorkAction:
    # Asked without an object: may the user have a work tray (everyone with a role)?
    VIEW = "work.view"
    # Asked with the record (a person, contact or episode): may the user set a reminder on it?
    SET_REMINDER = "work.set_reminder"


def reminders_of(user: User) -> QuerySet[Reminder]:
    return Reminder.objects.filter(user=user)


def _can_view(user: User, _: Any) -> bool:
    return True


def _can_set_reminder(user: User, record: Any) -> bool:
    from continuum.work.records import KINDS

    for kind in KINDS.values():
        if isinstance(record, kind.model):
            return policy.visible(user, kind.model).filter(pk=record.pk).exists()
    return False


policy.register_scope(Reminder, reminders_of)
policy.register_rule(WorkAction.VIEW, _can_view)
policy.register_rule(WorkAction.SET_REMINDER, _can_set_reminder)

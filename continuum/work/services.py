"""Setting a reminder on a record, and marking it done or dismissing it."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.errors import InvalidState
from continuum.work.models import Reminder
from continuum.work.policies import WorkAction
from continuum.work.records import KINDS, visible_record

# A reminder further ahead than this is more likely a mistyped year.
LONGEST_AHEAD = timedelta(days=5 * 366)


@transaction.atomic
def set_reminder(
    *, user: User, record_kind: str, record_id: uuid.UUID, due_on: date | None, text: str
) -> Reminder:
    """A reminder for ``user`` on a record they may see; a record they may not see is
    refused exactly like one that does not exist."""
    if record_kind not in KINDS:
        raise ValidationError({"record_kind": ["Choose a person, a contact or an episode."]})
    record = visible_record(user, record_kind, record_id)
    if record is None:
        raise ValidationError({"record_id": ["There is no such record you may see."]})
    policy.require(user, WorkAction.SET_REMINDER, record)
    errors: dict[str, list[str]] = {}
    text = text.strip()
    if not text:
        errors["text"] = ["Say what the reminder is for."]
    elif len(text) > 500:
        errors["text"] = ["The reminder must be 500 characters or fewer."]
    today = timezone.localdate()
    if due_on is None:
        errors["due_on"] = ["Enter the date the reminder is due."]
    elif due_on < today:
        errors["due_on"] = ["The date a reminder is due must be today or in the future."]
    elif due_on > today + LONGEST_AHEAD:
        errors["due_on"] = ["The date a reminder is due must be within the next 5 years."]
    if errors:
        raise ValidationError(errors)
    assert due_on is not None
    return Reminder.objects.create(
        user=user, record_kind=record_kind, record_id=record.pk, due_on=due_on, text=text
    )


def _close(reminder: Reminder, field: str) -> Reminder:
    if not reminder.is_open:
        raise InvalidState("This reminder is already done or dismissed.")
    setattr(reminder, field, timezone.now())
    reminder.save(update_fields=[field])
    return reminder


@transaction.atomic
def complete_reminder(*, reminder: Reminder) -> Reminder:
    return _close(reminder, "done_at")


@transaction.atomic
def dismiss_reminder(*, reminder: Reminder) -> Reminder:
    return _close(reminder, "dismissed_at")

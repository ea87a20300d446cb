"""Personal reminders a user sets on a record (a person, a contact or an episode)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class RecordKind(models.TextChoices):
    """The records a reminder may be set on, by model label."""

    PERSON = "people.person", "A person's record"
    CONTACT = "front_door.contact", "A front-door contact"
    EPISODE = "early_help.episode", "An early help episode"


class Reminder(models.Model):
    """A reminder for its user alone, on a record named by label and id. Shown only while
    the user may still see the record: one they can no longer see is never revealed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    record_kind = models.CharField(max_length=30, choices=RecordKind.choices)
    record_id = models.UUIDField()
    due_on = models.DateField()
    text = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "created_at"]
        indexes = [
            models.Index(fields=["user", "due_on"], name="reminder_user_due"),
            models.Index(fields=["record_kind", "record_id"], name="reminder_record"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_open(self) -> bool:
        return self.done_at is None and self.dismissed_at is None

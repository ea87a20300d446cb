"""Case notes: the work between the milestones, recorded on an early help episode or a
front-door contact (exactly one), with whether each child was seen (and seen alone).

A note is versioned (django-simple-history keeps every edit, with its author) and may be
changed by its author only for ``settings.CASE_NOTE_EDIT_MINUTES`` after it was recorded;
after that an addendum is added beneath it, never changing it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from continuum.case_notes.choices import NoteType
from continuum.early_help.models import Episode
from continuum.front_door.models import Contact
from continuum.organisations.models import Organisation
from continuum.people.models import Person
from continuum.ui.dates import govuk_date

USER = settings.AUTH_USER_MODEL


class CaseNote(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, null=True, blank=True, related_name="case_notes"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="case_notes"
    )
    note_type = models.CharField("type of note", max_length=25, choices=NoteType.choices)
    occurred_at = models.DateTimeField("date and time of the contact or visit")
    present = models.TextField("who was present", blank=True)
    text = models.TextField("note")
    sensitive = models.BooleanField(
        default=False,
        help_text="Only the lead professional's organisation and the council's staff read it.",
    )
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="case_notes")
    # The organisation the author wrote for, kept as it was (others see it on a sensitive
    # note they may not read).
    author_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_at", "-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(episode__isnull=False, contact__isnull=True)
                    | models.Q(episode__isnull=True, contact__isnull=False)
                ),
                name="case_note_on_an_episode_or_a_contact",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_note_type_display()} note, {govuk_date(self.occurred_at)}"


class ChildSeen(models.Model):
    """For one child of the note's family or contact: seen, and seen alone."""

    note = models.ForeignKey(CaseNote, on_delete=models.CASCADE, related_name="children_seen")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    seen = models.BooleanField(default=False)
    seen_alone = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["note", "child"], name="child_once_per_case_note"),
            models.CheckConstraint(
                condition=models.Q(seen_alone=False) | models.Q(seen=True),
                name="seen_alone_implies_seen",
            ),
        ]


class Addendum(models.Model):
    """Added beneath a note once its author may no longer change it; never changes it."""

    note = models.ForeignKey(CaseNote, on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField("addendum")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    author_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name_plural = "addenda"

    def __str__(self) -> str:
        return f"Addendum to {self.note}"

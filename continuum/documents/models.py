"""A document uploaded on a person's record, a front-door contact or an early help episode
(exactly one of them): what it is, the file's checked facts, who uploaded it, and where the
file is kept (a random name in the "documents" storage, never the uploader's file name).

A deleted document keeps its row and its history: who deleted it, when and why. Its file
is no longer shown or downloaded (docs/documents.md).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from continuum.consent.models import ConsentRecord
from continuum.documents.choices import DocumentKind, ScanResult
from continuum.early_help.models import Episode
from continuum.front_door.models import Contact
from continuum.people.models import Person


class Document(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # What it is on: exactly one of these.
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    episode = models.ForeignKey(
        Episode, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    # The consent record a signed consent form on a person is the form of (issue 13).
    consent_record = models.ForeignKey(
        ConsentRecord,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signed_forms",
    )
    kind = models.CharField("type", max_length=20, choices=DocumentKind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # The uploader's file name, without any path, as the download is named.
    original_filename = models.CharField(max_length=255)
    # Detected from the file's content, never its name or what the browser said.
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField("SHA-256", max_length=64)
    # The file's name in the "documents" storage: random, not the uploader's.
    stored_name = models.CharField(max_length=255, unique=True, editable=False)
    scan_result = models.CharField(max_length=20, choices=ScanResult.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deletion_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                name="document_on_exactly_one_record",
                condition=(
                    Q(person__isnull=False, contact__isnull=True, episode__isnull=True)
                    | Q(person__isnull=True, contact__isnull=False, episode__isnull=True)
                    | Q(person__isnull=True, contact__isnull=True, episode__isnull=False)
                ),
            ),
            models.CheckConstraint(
                name="document_deleted_with_a_reason",
                condition=Q(deleted_at__isnull=True)
                | (Q(deleted_by__isnull=False) & ~Q(deletion_reason="")),
            ),
        ]
        indexes = [models.Index(fields=["uploaded_by", "uploaded_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def holder(self) -> Person | Contact | Episode:
        """The record the document is on."""
        held = self.person or self.contact or self.episode
        assert held is not None
        return held

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

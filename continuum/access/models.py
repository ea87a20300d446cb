"""The facts the access policy reads: involvement, restricted-record access lists and
break-glass grants. Apps above write them through ``access.services``; the person they are
about is named by label (``"people.Person"``), so nothing here imports what it protects.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class InvolvementReason(models.TextChoices):
    REFERRER = "referrer", "Referrer"
    LEAD_PROFESSIONAL = "lead_professional", "Lead professional"
    TAF_MEMBER = "taf_member", "Team Around the Family member"
    PEER_AUDITOR = "peer_auditor", "Peer auditor"
    OTHER = "other", "Other recorded involvement"


class InvolvementQuerySet(models.QuerySet["Involvement"]):
    def active(self) -> InvolvementQuerySet:
        now = timezone.now()
        return self.filter(starts_at__lte=now).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))


class Involvement(models.Model):
    """A user's legitimate relationship to a person's record, and how long it lasts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="involvements"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="involvements"
    )
    reason = models.CharField(max_length=20, choices=InvolvementReason.choices)
    # What the involvement comes from, e.g. "front_door.contact:<uuid>".
    source = models.CharField(max_length=100, blank=True)
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True)

    objects = InvolvementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(fields=["user", "person"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_reason_display()} – {self.person_id}"

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.starts_at <= now and (self.ends_at is None or self.ends_at > now)


class RestrictedAccess(models.Model):
    """A user on the access list of a restricted record."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="access_list"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="restricted_access"
    )
    reason = models.CharField(max_length=300)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    granted_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "restricted access"
        constraints = [
            models.UniqueConstraint(fields=["person", "user"], name="restricted_access_once")
        ]


class BreakGlassGrant(models.Model):
    """Emergency, time-limited access to a record the user would not otherwise see.

    Needs a reason, expires by itself (or when the holding council's information governance
    lead revokes it) and stays flagged until that lead reviews it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="break_glass_grants"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="break_glass_grants"
    )
    reason = models.TextField()
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    # Ended early by the holding council's information governance lead: access ends on the
    # next request.
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at"]

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and self.granted_at <= now < self.expires_at


class ReadGrantQuerySet(models.QuerySet["ReadGrant"]):
    def active(self) -> ReadGrantQuerySet:
        now = timezone.now()
        return self.filter(starts_at__lte=now).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))


class ReadGrant(models.Model):
    """Read-only sight of one record (not a person: a contact, an episode) for a user, and
    how long it lasts: a peer auditor's sight of exactly the cases sampled for them while
    their audit programme is open. The record is named by label and id
    (``"front_door.Contact"``), so nothing here imports what it protects; the app that owns
    the record asks ``access.policy.granted_ids`` in its scope. The people the record names
    are seen through ``Involvement`` rows from the same source."""

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="read_grants"
    )
    record_label = models.CharField(max_length=60)
    record_id = models.UUIDField()
    reason = models.CharField(max_length=20, choices=InvolvementReason.choices)
    # What the grant comes from, e.g. "case_audits.programme:<uuid>".
    source = models.CharField(max_length=100)
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True)

    objects = ReadGrantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        indexes = [
            models.Index(fields=["user", "record_label"]),
            models.Index(fields=["source"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.record_label}:{self.record_id}"

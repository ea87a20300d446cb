"""The register of requests under data protection law (subject access, rectification,
erasure, restriction, objection), the attempts refused because the requester could not see
the person, and the subject access bundles made for a request with their marked items."""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.rights.choices import (
    OPEN_STATES,
    RUNNING_BUNDLE_STATES,
    AttemptVia,
    BundleState,
    IdentityCheck,
    RedactionDecision,
    RequesterKind,
    RequestKind,
    RequestState,
)

USER = settings.AUTH_USER_MODEL


class RightsRequest(models.Model):
    """One request received under data protection law about one person, run by the
    council's information governance lead. Every version is kept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="rights_requests")
    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="rights_requests")
    requester_name = models.CharField("who asked", max_length=150)
    requester_kind = models.CharField(max_length=20, choices=RequesterKind.choices)
    details = models.TextField("what they asked for", blank=True)
    received_on = models.DateField()
    due_on = models.DateField(help_text="One calendar month from receipt, or as extended.")
    extended_on = models.DateField(null=True, blank=True)
    extension_reason = models.TextField(blank=True)
    extended_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    identity_check = models.CharField(max_length=20, choices=IdentityCheck.choices, blank=True)
    identity_check_detail = models.CharField(max_length=300, blank=True)
    identity_checked_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    identity_checked_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(
        max_length=12, choices=RequestState.choices, default=RequestState.RECEIVED, db_index=True
    )
    outcome = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    handled_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="rights_requests"
    )
    logged_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    logged_at = models.DateTimeField(auto_now_add=True)
    # Rectification: what was corrected (made through the record's own edit pages).
    correction = models.TextField(blank=True)
    # Erasure and restriction, as carried out (``carrying_out``).
    erased_at = models.DateTimeField(null=True, blank=True)
    restricted_at = models.DateTimeField(null=True, blank=True)
    restriction_lifted_at = models.DateTimeField(null=True, blank=True)
    legal_hold_id = models.CharField(max_length=64, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "received_on"]
        indexes = [models.Index(fields=["council", "state", "due_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} request received {self.received_on:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def identity_checked(self) -> bool:
        return self.identity_checked_at is not None

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())

    @property
    def restriction_in_force(self) -> bool:
        return self.restricted_at is not None and self.restriction_lifted_at is None


class RefusedAttempt(models.Model):
    """A request logged (or asked for) about a person the requester may not see: refused as
    if the person did not exist, and kept here for the council's information governance
    lead. The person is named by id only."""

    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    person_id = models.CharField(max_length=64, help_text="The id asked for, as given.")
    kind = models.CharField(max_length=20, choices=RequestKind.choices, blank=True)
    via = models.CharField(max_length=5, choices=AttemptVia.choices)

    class Meta:
        ordering = ["-at"]


class SubjectAccessBundle(models.Model):
    """A subject access bundle made in the background: the draft (with the other people's
    details marked for the reviewer) or the release (with the redacted items replaced)."""

    request = models.ForeignKey(RightsRequest, on_delete=models.CASCADE, related_name="bundles")
    is_release = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=BundleState.choices, default=BundleState.QUEUED)
    step = models.CharField(max_length=100, blank=True)
    progress_done = models.PositiveSmallIntegerField(default=0)
    progress_total = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    problem = models.CharField(max_length=300, blank=True)
    content = models.JSONField(null=True, blank=True, editable=False)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    # The release: who released it, when, and the SHA-256 of what was released.
    released_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    json_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(state__in=["queued", "building"]),
                name="one_bundle_build_at_a_time",
            )
        ]

    def __str__(self) -> str:
        version = "release" if self.is_release else "draft"
        return f"Subject access bundle ({version}), {self.get_state_display().lower()}"

    @property
    def running(self) -> bool:
        return self.state in RUNNING_BUNDLE_STATES

    @property
    def percent_done(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))


class MarkedItem(models.Model):
    """Another person's detail found in a draft bundle, for the reviewer to release or
    redact."""

    bundle = models.ForeignKey(
        SubjectAccessBundle, on_delete=models.CASCADE, related_name="marked_items"
    )
    key = models.CharField(max_length=200)
    section = models.CharField(max_length=100)
    label = models.CharField(max_length=200)
    text = models.TextField()
    reason = models.CharField(max_length=200)
    decision = models.CharField(max_length=10, choices=RedactionDecision.choices, blank=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["bundle", "key"], name="one_marked_item_per_key")
        ]

"""A minimal record of each child's statutory involvement: referral to children's social
care, assessment, child in need plan, section 47 enquiry, initial child protection
conference, child protection plan and being looked after, each with its start and end.

It completes the continuum of need beyond early help. Councils' own case-management
systems hold the detail; Continuum keeps the dates (imported from their census returns,
or generated for the demo) so the partnership can see where children go next.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from continuum.front_door.choices import ReferralSource
from continuum.front_door.models import Contact
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.statutory.choices import (
    PART_OF_REFERRAL,
    AbuseCategory,
    AssessmentFactor,
    InvolvementKind,
    RecordSource,
    ReferralClosure,
)


class StatutoryInvolvement(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="statutory_involvements"
    )
    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="statutory_involvements"
    )
    kind = models.CharField(max_length=12, choices=InvolvementKind.choices)
    # The referral (child in need episode) an assessment, plan, enquiry or period of care
    # belongs to. Empty on the referral itself.
    referral = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="parts"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    # Referral only: who referred, the front-door contact it came from, why it closed.
    referral_source = models.CharField(max_length=2, choices=ReferralSource.choices, blank=True)
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="statutory_involvements",
    )
    closure_reason = models.CharField(max_length=3, choices=ReferralClosure.choices, blank=True)
    # Assessment only: the factors identified (census codes).
    factors = models.JSONField(default=list, blank=True)
    # Child protection plan only: the initial category of abuse.
    abuse_category = models.CharField(max_length=10, choices=AbuseCategory.choices, blank=True)
    source = models.CharField(
        max_length=10, choices=RecordSource.choices, default=RecordSource.RECORDED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_date", "kind"]
        indexes = [
            models.Index(fields=["council", "kind", "start_date"]),
            models.Index(fields=["person", "kind", "start_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="statutory_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(kind=InvolvementKind.REFERRAL, referral__isnull=True)
                | (~Q(kind=InvolvementKind.REFERRAL) & Q(referral__isnull=False)),
                name="statutory_parts_belong_to_a_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.start_date:%d %B %Y}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date must be on or after the start date."
        if self.kind in PART_OF_REFERRAL and self.referral_id is None:
            errors["referral"] = "Choose the referral this belongs to."
        if self.kind == InvolvementKind.REFERRAL and self.referral_id is not None:
            errors["referral"] = "A referral does not belong to another referral."
        if self.factors and self.kind != InvolvementKind.ASSESSMENT:
            errors["factors"] = "Only an assessment has factors."
        known = set(AssessmentFactor.values)
        unknown = [code for code in self.factors or [] if code not in known]
        if unknown:
            errors["factors"] = f"Unknown assessment factor codes: {', '.join(unknown)}."
        if self.abuse_category and self.kind != InvolvementKind.CHILD_PROTECTION_PLAN:
            errors["abuse_category"] = "Only a child protection plan has a category of abuse."
        if self.kind != InvolvementKind.REFERRAL and (
            self.referral_source or self.closure_reason or self.contact_id
        ):
            errors["kind"] = "Only a referral has a source, a closure reason or a contact."
        if errors:
            raise ValidationError(errors)

    def is_open_on(self, day: date) -> bool:
        """Open on ``day``: started on or before it and not ended by it."""
        return self.start_date <= day and (self.end_date is None or self.end_date > day)

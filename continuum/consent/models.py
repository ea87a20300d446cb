"""A family member's consent to early help and to sharing information, and its withdrawal.

A consent record belongs to one person: a parent or carer for a young child, the young
person themselves when they are competent to decide (the practitioner's judgement is
recorded). It says what they agreed to: early help itself; sharing with every agency in
the Team Around the Family, or with the agencies named; which kinds of information. It
says how and when it was obtained and by whom, and when to check it again.

A withdrawal never changes the record: it is a row of its own saying what was withdrawn
and when. What a family agrees to now is the records less their withdrawals
(``consent.selectors.agreement_for``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from continuum.consent.choices import GivenBy, ObtainedHow
from continuum.organisations.models import Council, Organisation
from continuum.people.models import Person

USER = settings.AUTH_USER_MODEL


class ConsentRecord(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consent_records")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+")
    given_by = models.CharField(max_length=10, choices=GivenBy.choices)
    # The parent or carer who agreed for the person (``GivenBy.PARENT``).
    given_by_person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Why the practitioner judged a child competent to decide for themselves.
    competence_judgement = models.TextField(blank=True)
    agrees_to_early_help = models.BooleanField()
    # Sharing with every agency in the Team Around the Family, and with these named ones.
    shares_with_taf = models.BooleanField()
    agencies = models.ManyToManyField(Organisation, blank=True, related_name="+")
    # ``InformationKind`` values.
    information_kinds = models.JSONField(default=list, blank=True)
    obtained_how = models.CharField(max_length=12, choices=ObtainedHow.choices)
    obtained_on = models.DateField()
    obtained_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    obtained_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    # When to check it is still what the family wants.
    review_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-obtained_on", "-recorded_at"]
        indexes = [models.Index(fields=["person", "obtained_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(given_by=GivenBy.SELF, given_by_person__isnull=True)
                | models.Q(given_by=GivenBy.PARENT),
                name="consent_self_names_no_parent",
            ),
        ]

    def __str__(self) -> str:
        return f"Consent of {self.person_id} obtained {self.obtained_on:%Y-%m-%d}"


class ConsentWithdrawal(models.Model):
    """What a person withdrew from their consent, and when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    consent = models.ForeignKey(ConsentRecord, on_delete=models.CASCADE, related_name="withdrawals")
    withdrawn_on = models.DateField()
    early_help = models.BooleanField(default=False)
    taf_sharing = models.BooleanField(default=False)
    agencies = models.ManyToManyField(Organisation, blank=True, related_name="+")
    information_kinds = models.JSONField(default=list, blank=True)
    told_how = models.CharField(max_length=12, choices=ObtainedHow.choices)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-withdrawn_on", "-recorded_at"]

    def __str__(self) -> str:
        return f"Withdrawal from {self.consent_id} on {self.withdrawn_on:%Y-%m-%d}"

"""Contacts, their threshold decisions, and domestic-abuse notifications with joint triage."""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from continuum.front_door.choices import (
    ContactStatus,
    DashRisk,
    FamilyAgreement,
    HowReceived,
    LawfulBasis,
    MaracBasis,
    NotificationStatus,
    NotSoughtReason,
    Outcome,
    ReferralSource,
    TriageAgency,
)
from continuum.organisations.models import Council, Organisation, Team
from continuum.people.models import Person
from continuum.thresholds.models import Indicator, Level
from continuum.timescales.working_days import decision_due_date, working_days_between
from continuum.ui.dates import govuk_datetime


class Contact(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="contacts")
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        help_text="The front-door team screening the contact.",
    )
    status = models.CharField(
        max_length=25, choices=ContactStatus.choices, default=ContactStatus.DRAFT, db_index=True
    )
    received_at = models.DateTimeField(help_text="When the front door received the concern.")
    how_received = models.CharField(max_length=20, choices=HowReceived.choices)
    referral_source = models.CharField(max_length=2, choices=ReferralSource.choices)

    # The referrer.
    referrer_name = models.CharField(max_length=150)
    referrer_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts"
    )
    referrer_organisation_name = models.CharField(max_length=200, blank=True)
    referrer_role = models.CharField(max_length=150, blank=True)
    referrer_phone = models.CharField(max_length=40, blank=True)
    referrer_email = models.EmailField(blank=True)
    referrer_address = models.TextField(
        blank=True, help_text="Where to send the outcome letter when the referrer has no account."
    )
    referrer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts_referred",
        help_text="The referrer's Continuum account, when a partner submitted it themselves.",
    )

    # Who it is about.
    children = models.ManyToManyField(Person, through="ContactChild", related_name="contacts")
    presenting_indicators = models.ManyToManyField(
        Indicator, blank=True, related_name="contacts_presenting"
    )
    concerns = models.TextField("the concerns, in the referrer's words", blank=True)
    referrer_view_of_level = models.PositiveSmallIntegerField(
        choices=Level.choices, null=True, blank=True
    )

    # Consent, obtained by the referrer at the point of referral.
    family_agreement = models.CharField(
        "the family's agreement to the referral",
        max_length=12,
        choices=FamilyAgreement.choices,
        blank=True,
    )
    agreement_obtained_by = models.CharField(max_length=150, blank=True)
    agreement_obtained_on = models.DateField(null=True, blank=True)
    lawful_basis = models.CharField(
        "lawful basis for sharing", max_length=25, choices=LawfulBasis.choices, blank=True
    )
    not_agreed_reason = models.CharField(
        max_length=20,
        choices=NotSoughtReason.choices,
        blank=True,
        help_text="Why the referral goes ahead without the family's agreement.",
    )
    sharing_justification = models.TextField(blank=True)

    is_repeat = models.BooleanField(
        default=False, help_text="A child on it had a contact in the 12 months before."
    )
    # Carried from a police domestic-abuse notification by joint triage, so the front door
    # sees the risk on the contact, the queue and the decision page.
    domestic_abuse = models.BooleanField(
        default=False, help_text="From a police domestic-abuse notification (joint triage)."
    )
    dash_risk = models.CharField(
        "DASH risk level", max_length=10, choices=DashRisk.choices, blank=True
    )
    marac_referral = models.BooleanField("MARAC referral made", default=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contacts_recorded"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["council", "status"]),
            models.Index(fields=["council", "received_at"]),
        ]

    def __str__(self) -> str:
        return f"Contact received {govuk_datetime(timezone.localtime(self.received_at), 'short')}"

    @property
    def received_on(self) -> date:
        """The local date of receipt (Europe/London): the day timescales count from."""
        return timezone.localtime(self.received_at).date()

    @property
    def decision_due_date(self) -> date:
        return decision_due_date(self.received_on)

    def age_in_working_days(self, today: date | None = None) -> int:
        end = self.decided_at and timezone.localtime(self.decided_at).date()
        return working_days_between(self.received_on, end or today or timezone.localdate())

    def is_overdue(self, today: date | None = None) -> bool:
        """Open past its due date, or decided after it."""
        if self.status == ContactStatus.DRAFT:
            return False
        if self.decided_at is not None:
            return timezone.localtime(self.decided_at).date() > self.decision_due_date
        return (today or timezone.localdate()) > self.decision_due_date


class ContactChild(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="child_links")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="contact_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contact", "person"], name="child_once_per_contact")
        ]
        # A child's contacts, read from the child (the indicator engine asks, for each
        # child leaving early help, whether they came back to the front door).
        indexes = [models.Index(fields=["person", "contact"], name="contact_child_by_person")]


class ContactAdult(models.Model):
    """A parent or carer named on the contact."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="adults")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    relationship = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contact", "person"], name="adult_once_per_contact")
        ]


class ContactStatusChange(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=25, choices=ContactStatus.choices, blank=True)
    to_status = models.CharField(max_length=25, choices=ContactStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["changed_at", "id"]


class SharingDecision(models.Model):
    """An information-sharing decision by the referrer, including a decision not to share."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="sharing_decisions")
    shared = models.BooleanField()
    what = models.CharField(max_length=300)
    with_whom = models.CharField(max_length=200)
    purpose = models.CharField(max_length=300)
    lawful_basis = models.CharField(max_length=25, choices=LawfulBasis.choices, blank=True)
    reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)


class ContactDecision(models.Model):
    """The front door's threshold decision on a contact: one per contact."""

    contact = models.OneToOneField(Contact, on_delete=models.PROTECT, related_name="decision")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    indicators = models.ManyToManyField(Indicator, related_name="decisions")
    suggested_level = models.PositiveSmallIntegerField(choices=Level.choices, null=True)
    suggestion_reasons = models.TextField(blank=True)
    difference_reason = models.TextField(
        blank=True, help_text="Why the level differs from the framework's suggestion."
    )
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    rationale = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    needs_manager_sign_off = models.BooleanField(default=False)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    assessment_due_date = models.DateField(
        null=True, blank=True, help_text="For a social care assessment: 45 working days."
    )

    history = HistoricalRecords()

    @property
    def awaiting_sign_off(self) -> bool:
        return self.needs_manager_sign_off and self.signed_off_at is None


class DecisionNotAgreed(models.Model):
    """A team manager did not agree a decision awaiting their sign-off: the decision as it
    stood, why they did not agree, and who. The contact went back to the worker, who
    decides again; the returned decision itself is gone (its history is kept)."""

    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="decisions_not_agreed"
    )
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    indicator_codes = models.CharField(max_length=500, blank=True)
    rationale = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    reason = models.TextField(help_text="Why the team manager did not agree.")
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    not_agreed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-not_agreed_at", "-id"]


class DomesticAbuseNotification(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="da_notifications")
    incident_at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)
    victim = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    alleged_perpetrator = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    alleged_perpetrator_description = models.CharField(max_length=200, blank=True)
    children = models.ManyToManyField(Person, through="NotificationChild", related_name="+")
    dash_risk = models.CharField("DASH risk level", max_length=10, choices=DashRisk.choices)
    dash_ticks = models.PositiveSmallIntegerField("DASH ticks")
    repeat_incidents_12_months = models.PositiveSmallIntegerField(default=0)
    reporting_officer = models.CharField(max_length=150)
    reporting_officer_number = models.CharField("collar number", max_length=20, blank=True)
    summary = models.TextField(blank=True)
    police_reference = models.CharField(
        "force incident reference",
        max_length=40,
        blank=True,
        help_text="The force's own reference for the incident, from its daily file: the same "
        "reference is the same notification.",
    )
    status = models.CharField(
        max_length=20,
        choices=NotificationStatus.choices,
        default=NotificationStatus.AWAITING_TRIAGE,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dash_ticks__lte=27), name="dash_has_27_questions"
            ),
            models.UniqueConstraint(
                fields=["council", "police_reference"],
                condition=~models.Q(police_reference=""),
                name="force_reference_once_per_council",
            ),
        ]


class NotificationChild(models.Model):
    notification = models.ForeignKey(
        DomesticAbuseNotification, on_delete=models.CASCADE, related_name="child_links"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    was_present = models.BooleanField(default=False, help_text="Present at the incident.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "person"], name="child_once_per_notification"
            )
        ]


class TriageMeeting(models.Model):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="triage_meetings")
    held_at = models.DateTimeField()
    chaired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_at"]


class TriageAttendance(models.Model):
    meeting = models.ForeignKey(TriageMeeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.CharField(max_length=20, choices=TriageAgency.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True)
    name = models.CharField(max_length=150)


class TriageOutcome(models.Model):
    notification = models.OneToOneField(
        DomesticAbuseNotification, on_delete=models.PROTECT, related_name="triage"
    )
    meeting = models.ForeignKey(TriageMeeting, on_delete=models.PROTECT, related_name="outcomes")
    safety_planning = models.TextField("safety-planning decision")
    marac_referral = models.BooleanField("MARAC referral made")
    marac_basis = models.CharField(max_length=12, choices=MaracBasis.choices, blank=True)
    no_marac_reason = models.TextField(blank=True)
    children_contact = models.OneToOneField(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="triage_outcome"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

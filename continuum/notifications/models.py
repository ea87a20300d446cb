"""Notifications in the app and the emails that tell people of them.

An email carries no personal detail: a sentence for its kind and a link into the app, where
whoever follows it sees only what the policy lets them.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

USER = settings.AUTH_USER_MODEL


class NotificationKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", "Contact received"
    OUTCOME = "outcome", "Outcome of your contact"
    TAF_INVITATION = "taf_invitation", "Team Around the Family"
    URGENT_STEP_UP = "urgent_step_up", "Urgent step-up"
    SIGN_OFF = "sign_off", "Sign-off waiting"
    DECISION_RETURNED = "decision_returned", "Decision not agreed"
    HANDOVER = "handover", "Episode handed to you"
    CLOSURE_SIGN_OFF = "closure_sign_off", "Closure waiting for sign-off"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Consent withdrawn"


# The one sentence each kind of email says (no name, no detail of any family).
EMAIL_SENTENCES: dict[str, str] = {
    NotificationKind.ACKNOWLEDGEMENT: (
        "The front door has received the contact you sent. We will tell you the outcome."
    ),
    NotificationKind.OUTCOME: (
        "The front door has decided the contact you sent. Sign in to Continuum to see the outcome."
    ),
    NotificationKind.TAF_INVITATION: "You have been added to a Team Around the Family.",
    NotificationKind.URGENT_STEP_UP: (
        "A lead professional has asked for an urgent step-up to social care because of "
        "significant harm. Please look at it now."
    ),
    NotificationKind.SIGN_OFF: "A front-door decision is waiting for a manager's sign-off.",
    NotificationKind.DECISION_RETURNED: (
        "A manager did not agree a front-door decision you made. Sign in to Continuum to read "
        "why and decide again."
    ),
    NotificationKind.HANDOVER: "An early help episode has been handed to you as lead professional.",
    NotificationKind.CLOSURE_SIGN_OFF: (
        "A lead professional has asked to close an early help episode. It is waiting for a "
        "manager's sign-off."
    ),
    NotificationKind.CONSENT_WITHDRAWN: (
        "A family withdrew consent on an early help episode you lead or manage. Sign in to "
        "Continuum to see what changed."
    ),
}


class Notification(models.Model):
    """A notification in the app for one user: unread until they mark it read."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    subject = models.CharField(max_length=200)
    # A path in the app (the record it is about); the page there asks the policy again.
    link = models.CharField(max_length=500)
    urgent = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailState(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class EmailChannel(models.TextChoices):
    NOTIFY = "notify", "GOV.UK Notify"
    OUTBOX = "outbox", "Local outbox"


class Email(models.Model):
    """An email queued for one notification, sent in the background: through GOV.UK Notify
    when its API key is set, otherwise (demo mode, tests) to the local outbox."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    notification = models.OneToOneField(
        Notification, on_delete=models.CASCADE, related_name="email"
    )
    recipient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    to_address = models.EmailField()
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    sentence = models.TextField()
    link = models.URLField(max_length=600)
    state = models.CharField(max_length=10, choices=EmailState.choices, default=EmailState.QUEUED)
    channel = models.CharField(max_length=10, choices=EmailChannel.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Notify's id for the email, and why it failed if it did.
    provider_id = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.to_address}"

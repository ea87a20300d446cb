"""Joint front doors (issue 15): a hub is an organisation (kind ``hub``) that runs the front
door for several councils under a data-sharing agreement recorded as data.

- ``DataSharingAgreement``: the hub, the councils it serves, from and until when, and
  (``AgreementCouncil``) who signed it off for each council. It is in force only once every
  council has signed it off, from its start to its end.
- ``AgreementAgency``: which agencies' staff work in the hub and what each may see
  (contacts, domestic-abuse notifications, triage, the children's records they need to
  decide) and whether they screen and decide contacts.
- ``HubPlacement``: a member of staff placed in the hub, from and until when. Their access
  through the hub is what their agency's row in the agreement in force allows
  (``hubs.reach``), and it ends when the placement or the agreement ends.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from continuum.organisations.models import Council, Organisation

USER = settings.AUTH_USER_MODEL


class DataSharingAgreement(models.Model):
    hub = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="hub_agreements",
        limit_choices_to={"kind": "hub"},
    )
    reference = models.CharField(max_length=50, unique=True)
    title = models.CharField(max_length=200)
    purpose = models.TextField(
        help_text="Why the councils share information in the hub, and the lawful basis."
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="Blank while it has no end.")
    ended_reason = models.TextField(blank=True)
    councils = models.ManyToManyField(Council, through="AgreementCouncil", related_name="+")
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["hub__name", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="agreement_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def covers(self, day: date) -> bool:
        """Do the agreement's dates include ``day``? (In force needs every sign-off too.)"""
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class AgreementCouncil(models.Model):
    """A council party to an agreement, and who signed it off for that council."""

    agreement = models.ForeignKey(
        DataSharingAgreement, on_delete=models.CASCADE, related_name="parties"
    )
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="hub_parties")
    signed_off_by_name = models.CharField("signed off by", max_length=150, blank=True)
    signed_off_by_role = models.CharField("their role", max_length=150, blank=True)
    signed_off_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["council__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "council"], name="council_party_to_agreement_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.council} in {self.agreement.reference}"

    @property
    def signed_off(self) -> bool:
        return self.signed_off_on is not None


class AgreementAgency(models.Model):
    """An agency whose staff work in the hub, and what the agreement lets them see and do."""

    agreement = models.ForeignKey(
        DataSharingAgreement, on_delete=models.CASCADE, related_name="agencies"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    sees_contacts = models.BooleanField("contacts", default=False)
    sees_notifications = models.BooleanField("domestic-abuse notifications", default=False)
    sees_triage = models.BooleanField("joint triage", default=False)
    sees_childrens_records = models.BooleanField(
        "the children's records they need to decide", default=False
    )
    decides_contacts = models.BooleanField(
        "screen and decide contacts",
        default=False,
        help_text="Only a council's children's services may screen and decide contacts.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name"]
        verbose_name_plural = "agreement agencies"
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"], name="agency_in_agreement_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.agreement.reference}"


class HubPlacement(models.Model):
    """A member of staff (of an agency in the agreement) placed in a hub."""

    hub = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="placements",
        limit_choices_to={"kind": "hub"},
    )
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="hub_placements")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    placed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["hub__name", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="placement_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.hub}"

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

from django.conf import settings
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
    PrimaryNeed,
    RecordSource,
    ReferralClosure,
)
from continuum.ui.dates import govuk_date


class CensusChild(models.Model):
    """A child as a council's census return knows them: the council's own child ID
    (LAchildID, unique within the council) and a former UPN. One row per child and council;
    the census import matches children by it first."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="census_children")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="census_children")
    # Up to 20 letters and digits (the census's own, or the fallback the export writes).
    la_child_id = models.CharField("LA child ID", max_length=20)
    former_upn = models.CharField("former UPN", max_length=13, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["council", "la_child_id"], name="census_child_id_unique_in_council"
            ),
            models.UniqueConstraint(
                fields=["council", "person"], name="census_child_once_per_council"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.la_child_id} ({self.council_id})"


# Which kind of record each detail belongs to (``clean`` refuses it on any other).
FIELD_KIND: dict[str, str] = {
    "referral_source": InvolvementKind.REFERRAL,
    "contact_id": InvolvementKind.REFERRAL,
    "closure_reason": InvolvementKind.REFERRAL,
    "primary_need": InvolvementKind.REFERRAL,
    "referral_nfa": InvolvementKind.REFERRAL,
    "census_id": InvolvementKind.REFERRAL,
    "factors": InvolvementKind.ASSESSMENT,
    "internal_review_date": InvolvementKind.ASSESSMENT,
    "strategy_discussion_date": InvolvementKind.SECTION_47,
    "icpc_target_date": InvolvementKind.SECTION_47,
    "icpc_not_required": InvolvementKind.SECTION_47,
    "enquiry_id": InvolvementKind.INITIAL_CONFERENCE,
    "abuse_category": InvolvementKind.CHILD_PROTECTION_PLAN,
    "latest_abuse_category": InvolvementKind.CHILD_PROTECTION_PLAN,
    "previous_plans": InvolvementKind.CHILD_PROTECTION_PLAN,
}


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
    primary_need = models.CharField(max_length=2, choices=PrimaryNeed.choices, blank=True)
    # The referral went no further (ReferralNFA): closed on the day, reason RC8.
    referral_nfa = models.BooleanField("referral with no further action", default=False)
    # The return's own ID for this child in need episode (CINdetailsID), kept so an export
    # of what was imported gives the file back.
    census_id = models.CharField("CIN details ID", max_length=10, blank=True)
    # Assessment only: the factors identified (census codes). Its end date is the date the
    # assessment was authorised (AssessmentAuthorisationDate, ``authorised_date``).
    factors = models.JSONField(default=list, blank=True)
    internal_review_date = models.DateField(null=True, blank=True)
    # Section 47 only (Working Together 2023): the strategy discussion that started it, the
    # target date for the initial conference (15 working days after the strategy
    # discussion) and whether no conference was needed.
    strategy_discussion_date = models.DateField(null=True, blank=True)
    icpc_target_date = models.DateField("initial conference target date", null=True, blank=True)
    icpc_not_required = models.BooleanField("initial conference not required", default=False)
    # Initial conference only: the section 47 enquiry it followed.
    enquiry = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conferences",
        limit_choices_to={"kind": InvolvementKind.SECTION_47},
    )
    # Child protection plan only: the initial and latest categories of abuse (census codes)
    # and how many plans the child had before this one.
    abuse_category = models.CharField(
        "initial category of abuse", max_length=3, choices=AbuseCategory.choices, blank=True
    )
    latest_abuse_category = models.CharField(
        max_length=3, choices=AbuseCategory.choices, blank=True
    )
    previous_plans = models.PositiveSmallIntegerField(
        "number of previous child protection plans", null=True, blank=True
    )
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
        return f"{self.get_kind_display()} from {govuk_date(self.start_date)}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date must be on or after the start date."
        if self.kind in PART_OF_REFERRAL and self.referral_id is None:
            errors["referral"] = "Choose the referral this belongs to."
        if self.kind == InvolvementKind.REFERRAL and self.referral_id is not None:
            errors["referral"] = "A referral does not belong to another referral."
        # Each detail belongs to one kind of record.
        for name, kind in FIELD_KIND.items():
            value = getattr(self, name)
            if value not in (None, "", False, []) and self.kind != kind:
                label = InvolvementKind(kind).label
                errors.setdefault(name.removesuffix("_id"), f"Only on a record of: {label}.")
        unknown = [code for code in self.factors or [] if code not in AssessmentFactor.values]
        if unknown:
            errors["factors"] = f"Unknown assessment factor codes: {', '.join(unknown)}."
        if (
            self.strategy_discussion_date
            and self.kind == InvolvementKind.SECTION_47
            and self.strategy_discussion_date > self.start_date
        ):
            errors["strategy_discussion_date"] = (
                "The strategy discussion must be on or before the enquiry's start."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def authorised_date(self) -> date | None:
        """An assessment's authorisation date (AssessmentAuthorisationDate): its end."""
        return self.end_date if self.kind == InvolvementKind.ASSESSMENT else None

    def is_open_on(self, day: date) -> bool:
        """Open on ``day``: started on or before it and not ended by it."""
        return self.start_date <= day and (self.end_date is None or self.end_date > day)


class ProtectionPlanReview(models.Model):
    """A review of a child protection plan (CPPreviewDate): one row per review held."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(
        StatutoryInvolvement,
        on_delete=models.CASCADE,
        related_name="reviews",
        limit_choices_to={"kind": InvolvementKind.CHILD_PROTECTION_PLAN},
    )
    review_date = models.DateField()

    class Meta:
        ordering = ["review_date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "review_date"], name="plan_review_once_a_day")
        ]

    def __str__(self) -> str:
        return f"Review on {govuk_date(self.review_date)}"


class FindingSeverity(models.TextChoices):
    ERROR = "error", "Error"
    QUERY = "query", "Query"


class CensusFinding(models.Model):
    """A failure of one of the DfE's validation rules found in a council's census return
    when it was imported: a data-quality finding against the child (or the return), for the
    council to work through and mark resolved. A later import of the same council's return
    for the year replaces the findings not yet resolved."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="census_findings")
    year = models.PositiveSmallIntegerField("census year")
    import_run = models.ForeignKey(
        "imports.ImportRun", on_delete=models.CASCADE, related_name="census_findings"
    )
    census_child = models.ForeignKey(
        CensusChild,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
    )
    la_child_id = models.CharField("LA child ID", max_length=20, blank=True)
    code = models.CharField("rule", max_length=10)
    severity = models.CharField(max_length=5, choices=FindingSeverity.choices)
    message = models.TextField()
    # The census's module and fields the rule names: "Assessments: AssessmentAuthorisationDate".
    element = models.CharField(max_length=300, blank=True)
    found_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["severity", "code", "la_child_id"]
        indexes = [models.Index(fields=["council", "year", "resolved_at"])]

    def __str__(self) -> str:
        return f"{self.code} ({self.get_severity_display()}) {self.la_child_id}"


class CensusMatch(models.Model):
    """A child in an imported census return who fits more than one of the council's people
    (by LA child ID, UPN, or date of birth with the referral date). Never guessed: the
    child's record from the file waits here until a manager picks the person it is, or says
    it is a new person; then it is imported."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="census_matches")
    year = models.PositiveSmallIntegerField("census year")
    import_run = models.ForeignKey(
        "imports.ImportRun", on_delete=models.CASCADE, related_name="census_matches"
    )
    la_child_id = models.CharField("LA child ID", max_length=20)
    basis = models.CharField(max_length=100)
    # The child's record as the file holds it (``census.reading.CensusRecord.as_json``).
    record = models.JSONField()
    candidates = models.ManyToManyField(Person, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The person the child turned out to be (a new one, or one of the candidates).",
    )

    class Meta:
        ordering = ["la_child_id"]

    def __str__(self) -> str:
        return f"{self.la_child_id}: {self.basis}"

"""Early help episodes: allocation, assessment with the child's voice, Team Around the
Family, plans, reviews with distance travelled, step-up, step-down and closure.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from continuum.consent.models import ConsentWithdrawal
from continuum.early_help.choices import (
    ActionStatus,
    AgencyKind,
    ClosureReason,
    ClosureSignOff,
    ConsentGround,
    ConsentReviewDecision,
    EpisodeOrigin,
    EpisodeStatus,
    NeedOutcome,
    ScoreStage,
    StepUpDecision,
    SustainedResult,
)
from continuum.front_door.choices import FamilyAgreement, LawfulBasis
from continuum.front_door.models import Contact, ContactDecision
from continuum.organisations.models import Council, Locality, Organisation, Team
from continuum.people.models import Household, Person
from continuum.thresholds.models import Domain
from continuum.ui.dates import govuk_date

USER = settings.AUTH_USER_MODEL


class EarlyHelpSettings(models.Model):
    """A council's own timescales for early help."""

    council = models.OneToOneField(Council, on_delete=models.CASCADE, related_name="early_help")
    assessment_working_days = models.PositiveSmallIntegerField(
        default=20, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    review_interval_weeks = models.PositiveSmallIntegerField(
        default=6, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    allocation_target_working_days = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    # How many families one lead professional can hold well at once (the capacity
    # dashboard compares each worker's open episodes with it). 15 is a common early help
    # family-worker norm; councils set their own.
    caseload_norm = models.PositiveSmallIntegerField(
        "caseload norm (families per lead professional)",
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    # Closing an episode needs a team manager's sign-off: the worker asks, a manager agrees
    # (and the episode closes) or does not agree, with a reason (issue 12, rough edge 8).
    closure_needs_sign_off = models.BooleanField(
        "closing an episode needs a manager's sign-off", default=True
    )

    class Meta:
        verbose_name_plural = "early help settings"

    def __str__(self) -> str:
        return f"Early help settings for {self.council}"


class SupportingFamiliesOutcome(models.Model):
    """A Supporting Families headline outcome area (reference data)."""

    code = models.CharField(max_length=4, unique=True)
    name = models.CharField(max_length=150)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class AllocationPanel(models.Model):
    """A locality allocation panel: a meeting that allocates episodes on the waiting list."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="panels")
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, related_name="panels")
    held_on = models.DateField()
    agencies_present = models.ManyToManyField(Organisation, related_name="panels_attended")
    chaired_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.locality.name} panel, {govuk_date(self.held_on)}"


class Episode(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="episodes")
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, related_name="episodes")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="episodes")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="episodes")
    children = models.ManyToManyField(Person, related_name="early_help_episodes")
    level = models.PositiveSmallIntegerField(choices=[(2, "Level 2"), (3, "Level 3")])
    status = models.CharField(
        max_length=25,
        choices=EpisodeStatus.choices,
        default=EpisodeStatus.AWAITING_ALLOCATION,
        db_index=True,
    )
    origin = models.CharField(max_length=12, choices=EpisodeOrigin.choices)
    # The front-door decision it came from (early help sits above the front door).
    front_door_decision = models.OneToOneField(
        ContactDecision, on_delete=models.PROTECT, null=True, blank=True, related_name="episode"
    )
    front_door_decided_at = models.DateTimeField(null=True, blank=True)
    social_care_history = models.TextField(
        blank=True, help_text="For a step-down: the social care involvement it follows."
    )
    reason_for_request = models.TextField()
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    opened_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    # Allocation.
    panel = models.ForeignKey(
        AllocationPanel, on_delete=models.PROTECT, null=True, blank=True, related_name="episodes"
    )
    lead_professional = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="episodes_led"
    )
    lead_professional_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="episodes_led"
    )
    allocation_reason = models.TextField(blank=True)
    out_of_area_reason = models.TextField(
        blank=True,
        help_text="Why the lead professional's organisation, which does not serve this "
        "council, leads the episode.",
    )
    allocated_at = models.DateTimeField(null=True, blank=True)

    # What early help goes ahead on (docs/consent-in-early-help.md): the family's agreement
    # (their consent records, or for a front-door decision the referral's agreement), or a
    # lawful basis for going ahead without it, with why. Blank on episodes opened before
    # it was asked.
    consent_ground = models.CharField(
        "what early help goes ahead on",
        max_length=12,
        choices=ConsentGround.choices,
        blank=True,
        default="",
        db_default="",
    )
    lawful_basis = models.CharField(
        "lawful basis without the family's agreement",
        max_length=25,
        choices=LawfulBasis.choices,
        blank=True,
        default="",
        db_default="",
    )
    lawful_basis_justification = models.TextField(blank=True, default="", db_default="")
    # The family withdrew their agreement to early help on this day: the episode continues
    # without it until a manager's review decides (``ConsentReview``).
    without_consent_since = models.DateField(null=True, blank=True)

    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["council", "status"])]

    def __str__(self) -> str:
        return f"Early help for the {self.household.name} family"


class LeadProfessionalHandover(models.Model):
    """An episode handed from one lead professional to another, with why and who decided.

    With the allocation (``Episode.allocated_at``, ``allocation_reason``), the handovers
    are the history of the episode's lead professionals (``selectors.lead_professionals``).
    """

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="handovers")
    from_user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    from_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Why the outgoing lead's organisation led from outside the council's area, if it did.
    from_out_of_area_reason = models.TextField(blank=True)
    to_user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    handed_over_at = models.DateTimeField()
    reason = models.TextField()
    out_of_area_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["handed_over_at", "pk"]


class Assessment(models.Model):
    """The whole-family early help assessment (one per episode)."""

    episode = models.OneToOneField(Episode, on_delete=models.CASCADE, related_name="assessment")
    started_on = models.DateField()
    due_date = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    family_view = models.TextField("the family's own view", blank=True)
    summary = models.TextField(blank=True)
    completed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    def __str__(self) -> str:
        return f"Assessment for {self.episode}"


class PersonAssessment(models.Model):
    """Strengths and needs for one member of the family."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    strengths = models.TextField(blank=True)
    needs = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "person"], name="person_once_per_assessment"
            )
        ]


class ChildVoice(models.Model):
    """What a child said and how it was gathered, or why it could not be and what was
    observed instead (a baby)."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="child_voices"
    )
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    what_the_child_said = models.TextField(blank=True)
    how_gathered = models.CharField(max_length=300, blank=True)
    not_gathered_reason = models.TextField(blank=True)
    what_was_observed = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "child"], name="one_voice_per_child")
        ]


class Need(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="needs")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    description = models.TextField()
    outcome_areas = models.ManyToManyField(SupportingFamiliesOutcome, related_name="needs")
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.description[:80]


class NeedScore(models.Model):
    """Distance travelled: a 1-10 score for a need at assessment, each review and closure."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="scores")
    stage = models.CharField(max_length=12, choices=ScoreStage.choices)
    review = models.ForeignKey(
        "Review", on_delete=models.CASCADE, null=True, blank=True, related_name="scores"
    )
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    recorded_on = models.DateField()

    class Meta:
        ordering = ["recorded_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=10), name="need_score_1_to_10"
            )
        ]


class TafMember(models.Model):
    """A practitioner in the Team Around the Family; membership gives access while it lasts."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="taf_members")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="taf_memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    role_in_taf = models.CharField(max_length=150, blank=True)
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()


class TafMeeting(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="taf_meetings")
    held_on = models.DateField()
    decisions = models.TextField()
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on"]


class TafAttendee(models.Model):
    meeting = models.ForeignKey(TafMeeting, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(max_length=150)
    user = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True)
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="A family member who attended.",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agency = models.CharField(max_length=15, choices=AgencyKind.choices)
    attended = models.BooleanField(default=True)


class Plan(models.Model):
    episode = models.OneToOneField(Episode, on_delete=models.CASCADE, related_name="plan")
    created_on = models.DateField()
    next_review_due = models.DateField()
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])


class PlanOutcome(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="outcomes")
    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="plan_outcomes")
    description = models.TextField("what will be different")
    history = HistoricalRecords()


class PlanAction(models.Model):
    outcome = models.ForeignKey(PlanOutcome, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner_name = models.CharField(max_length=150)
    owner_user = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_agency = models.CharField(max_length=15, choices=AgencyKind.choices)
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    completed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "id"]

    def is_overdue(self, today: object = None) -> bool:
        today = today or timezone.localdate()
        return self.status == ActionStatus.OPEN and self.due_date < today  # type: ignore[operator]


class Review(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()
    summary = models.TextField()
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["held_on"]


class StepUp(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="step_ups")
    reason = models.TextField()
    requested_on = models.DateField()
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    # Consent for the referral to social care, recorded by the lead professional as any
    # referrer would (see front_door).
    family_agreement = models.CharField(max_length=12, choices=FamilyAgreement.choices)
    sharing_justification = models.TextField(blank=True)
    # A step-up because a child is at risk of significant harm is urgent: the manager and
    # the front door are told at once, and it leads their work trays (issue 12).
    urgent = models.BooleanField("urgent: risk of significant harm", default=False)
    decision = models.CharField(
        max_length=10, choices=StepUpDecision.choices, default=StepUpDecision.PENDING
    )
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    # The front-door contact created for the statutory service.
    contact = models.OneToOneField(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="step_up"
    )
    history = HistoricalRecords()


class Closure(models.Model):
    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="closure")
    closed_on = models.DateField()
    reason = models.CharField(max_length=15, choices=ClosureReason.choices)
    summary = models.TextField(blank=True)
    open_actions_resolution = models.TextField(
        blank=True, help_text="What happens to actions still open at closure."
    )
    closed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()


class ClosureRequest(models.Model):
    """A worker's request to close an episode, waiting for a team manager's sign-off (when
    the council's settings ask for one). It carries everything the closure will record;
    agreed, the episode closes with it; not agreed, it stays open and the worker sees why.
    """

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="closure_requests")
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    closed_on = models.DateField()
    reason = models.CharField(max_length=15, choices=ClosureReason.choices)
    summary = models.TextField(blank=True)
    # {need id: outcome} and {need id: score}, as ``services.close_episode`` takes them.
    need_outcomes = models.JSONField(default=dict)
    closure_scores = models.JSONField(default=dict)
    open_actions_become = models.CharField(max_length=20, blank=True)
    open_actions_resolution = models.TextField(blank=True)
    early_closure_confirmed = models.BooleanField(default=False)
    decision = models.CharField(
        max_length=12, choices=ClosureSignOff.choices, default=ClosureSignOff.PENDING
    )
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"],
                condition=models.Q(decision="pending"),
                name="one_pending_closure_request",
            )
        ]


class NeedClosureOutcome(models.Model):
    closure = models.ForeignKey(Closure, on_delete=models.CASCADE, related_name="need_outcomes")
    need = models.OneToOneField(Need, on_delete=models.PROTECT, related_name="closure_outcome")
    outcome = models.CharField(max_length=15, choices=NeedOutcome.choices)


class SustainedOutcomeCheck(models.Model):
    """Supporting Families: was the outcome sustained six months after closure?"""

    closure = models.ForeignKey(Closure, on_delete=models.CASCADE, related_name="sustained_checks")
    outcome_area = models.ForeignKey(SupportingFamiliesOutcome, on_delete=models.PROTECT)
    follow_up_due = models.DateField()
    result = models.CharField(max_length=15, choices=SustainedResult.choices, blank=True)
    checked_on = models.DateField(null=True, blank=True)
    checked_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["closure", "outcome_area"], name="one_check_per_outcome_area"
            )
        ]


class ConsentReview(models.Model):
    """A manager's review, due within ``CONSENT_WITHDRAWAL_REVIEW_WORKING_DAYS``, of an
    episode whose family withdrew their agreement to early help: continue on a lawful basis
    (with why), or close the episode."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="consent_reviews")
    withdrawal = models.ForeignKey(ConsentWithdrawal, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    decision = models.CharField(
        max_length=10,
        choices=ConsentReviewDecision.choices,
        default=ConsentReviewDecision.PENDING,
    )
    lawful_basis = models.CharField(max_length=25, choices=LawfulBasis.choices, blank=True)
    justification = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"],
                condition=models.Q(decision="pending"),
                name="one_pending_consent_review",
            )
        ]

    def __str__(self) -> str:
        return f"Consent review of {self.episode}"

    @property
    def is_pending(self) -> bool:
        return self.decision == ConsentReviewDecision.PENDING

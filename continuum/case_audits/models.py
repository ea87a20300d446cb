"""Case audits across councils (issue 14).

- **Templates** are versioned data, like the threshold framework: sections of questions,
  each with its guidance, its grading scale and whether a comment is required. A council
  may add questions of its own to a template; they are shown as the council's.
- **An audit programme** has a theme, a period the cases are drawn from, the councils taking
  part and a sample of cases (early help episodes or front-door contacts) drawn
  reproducibly from a seed (at random, or stratified by council and threshold level, with
  exclusions) or chosen by hand with a reason.
- **An audited case** is one sampled record, given to a peer auditor from another council,
  who reads it (read-only, while the programme is open: ``access.ReadGrant``), records
  findings by question, an overall grade, strengths and areas for improvement and the
  conversation with the practitioner and their manager; a moderator agrees the final grade.
- **Actions** with an owner and a due date are followed up until done.
- **Front-door practice observations** against a short template.
- **Blind re-grading**: an auditor grades the threshold level of a sampled contact from what
  the front door knew, before the decision is revealed to them.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from continuum.accounts.models import User
from continuum.case_audits.choices import (
    ActionStatus,
    CaseKind,
    CaseStatus,
    ConversationWith,
    ProgrammeStatus,
    SampleMethod,
    Scale,
    TemplateKind,
)
from continuum.early_help.models import Episode
from continuum.front_door.models import Contact
from continuum.organisations.models import Council
from continuum.thresholds.models import Level

USER = settings.AUTH_USER_MODEL


class AuditTemplate(models.Model):
    """One version of an audit template (``key`` names the template across versions)."""

    key = models.SlugField(max_length=60)
    version = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=TemplateKind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    published_on = models.DateField()
    is_current = models.BooleanField(default=False)
    # What this version changed from the one before it, and who published it (empty and
    # none for the first version).
    change_note = models.TextField(blank=True, default="", db_default="")
    published_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="audit_template_version"),
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(is_current=True),
                name="one_current_audit_template_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"


class TemplateSection(models.Model):
    template = models.ForeignKey(AuditTemplate, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)

    class Meta:
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "order"], name="audit_section_order")
        ]

    def __str__(self) -> str:
        return self.title


class TemplateQuestion(models.Model):
    """A question of a section. ``council`` is set on a question a council added to the
    shared template for its own cases (with why): it is asked of that council's cases only,
    and shown as the council's."""

    section = models.ForeignKey(TemplateSection, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=20)
    text = models.CharField(max_length=300)
    guidance = models.TextField(blank=True)
    scale = models.CharField(max_length=15, choices=Scale.choices, default=Scale.GRADES)
    comment_required = models.BooleanField(default=False)
    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_reason = models.TextField(blank=True)
    added_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["section__order", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["section", "code"], name="audit_question_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class AuditProgramme(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=200)
    theme = models.TextField()
    template = models.ForeignKey(AuditTemplate, on_delete=models.PROTECT, related_name="+")
    case_kind = models.CharField(max_length=10, choices=CaseKind.choices)
    # The cases are drawn from those open (episodes) or received (contacts) in the period.
    period_start = models.DateField()
    period_end = models.DateField()
    councils = models.ManyToManyField(Council, related_name="+")
    sample_method = models.CharField(max_length=12, choices=SampleMethod.choices)
    per_council = models.PositiveSmallIntegerField(default=10)
    # The seed the sample was drawn from (random and stratified samples): the same seed
    # over the same records draws the same sample.
    seed = models.PositiveIntegerField(null=True, blank=True)
    # Leave out records audited in another programme within this many days.
    exclude_audited_within_days = models.PositiveIntegerField(null=True, blank=True)
    # Contacts drawn per council for blind re-grading of the threshold level (0: none).
    regrade_per_council = models.PositiveSmallIntegerField(default=0)
    audits_due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.PLANNING
    )
    moderators: models.ManyToManyField[User, Any] = models.ManyToManyField(
        USER, blank=True, related_name="moderated_programmes"
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sampled_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(m2m_fields=[councils, moderators])

    class Meta:
        ordering = ["-period_end", "title"]

    def __str__(self) -> str:
        return self.title


class AuditCase(models.Model):
    """One sampled record in a programme, and its audit."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    programme = models.ForeignKey(AuditProgramme, on_delete=models.CASCADE, related_name="cases")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_cases"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_cases"
    )
    # The threshold level the case was sampled in (stratified samples).
    level = models.PositiveSmallIntegerField(choices=Level.choices, null=True, blank=True)
    chosen_by_hand = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    auditor = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_cases"
    )
    status = models.CharField(
        max_length=12, choices=CaseStatus.choices, default=CaseStatus.ASSIGNED
    )
    # ``Grade`` values.
    overall_grade = models.PositiveSmallIntegerField(null=True, blank=True)
    strengths = models.TextField(blank=True)
    areas_for_improvement = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    moderator = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    moderated_grade = models.PositiveSmallIntegerField(null=True, blank=True)
    moderation_note = models.TextField(blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["council__name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(episode__isnull=False, contact__isnull=True))
                | (models.Q(episode__isnull=True, contact__isnull=False)),
                name="audit_case_is_an_episode_or_a_contact",
            ),
            models.UniqueConstraint(
                fields=["programme", "episode"], name="episode_audited_once_per_programme"
            ),
            models.UniqueConstraint(
                fields=["programme", "contact"], name="contact_audited_once_per_programme"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} – {self.get_kind_display()}"

    @property
    def kind(self) -> str:
        return CaseKind.EPISODE if self.episode_id else CaseKind.CONTACT

    def get_kind_display(self) -> str:
        return str(CaseKind(self.kind).label)


class Finding(models.Model):
    """The auditor's answer to one question for one case."""

    case = models.ForeignKey(AuditCase, on_delete=models.CASCADE, related_name="findings")
    question = models.ForeignKey(TemplateQuestion, on_delete=models.PROTECT, related_name="+")
    # One of ``SCALE_OPTIONS[question.scale]`` (empty for a comment only).
    grade = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["question__section__order", "question__order"]
        constraints = [
            models.UniqueConstraint(fields=["case", "question"], name="one_finding_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.grade}"


class AuditConversation(models.Model):
    """The auditor's conversation about the case with the practitioner and their manager."""

    case = models.ForeignKey(AuditCase, on_delete=models.CASCADE, related_name="conversations")
    held_on = models.DateField()
    held_with = models.CharField(max_length=12, choices=ConversationWith.choices)
    practitioner = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    manager = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notes = models.TextField()
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["held_on", "recorded_at"]

    def __str__(self) -> str:
        return f"Conversation on {self.held_on:%Y-%m-%d}"


class AuditAction(models.Model):
    """Something to improve, with an owner and a due date, followed up until done."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    programme = models.ForeignKey(AuditProgramme, on_delete=models.CASCADE, related_name="actions")
    # The case it came from, if it came from one (else from the programme's findings).
    case = models.ForeignKey(
        AuditCase, on_delete=models.CASCADE, null=True, blank=True, related_name="actions"
    )
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+")
    description = models.TextField()
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="audit_actions")
    due_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "created_at"]

    def __str__(self) -> str:
        return self.description[:60]


class ActionUpdate(models.Model):
    """A note on an action's progress, and what it left the action as."""

    action = models.ForeignKey(AuditAction, on_delete=models.CASCADE, related_name="updates")
    note = models.TextField()
    status = models.CharField(max_length=10, choices=ActionStatus.choices)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at"]

    def __str__(self) -> str:
        return self.note[:60]


class FrontDoorObservation(models.Model):
    """An observation of a council's front door at work, against a short template."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    programme = models.ForeignKey(
        AuditProgramme,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="observations",
    )
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+")
    template = models.ForeignKey(AuditTemplate, on_delete=models.PROTECT, related_name="+")
    observed_on = models.DateField()
    observer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    what_was_observed = models.TextField()
    overall_grade = models.PositiveSmallIntegerField(null=True, blank=True)
    strengths = models.TextField(blank=True)
    areas_for_improvement = models.TextField(blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-observed_on"]

    def __str__(self) -> str:
        return f"Observation of {self.council} front door on {self.observed_on:%Y-%m-%d}"


class ObservationFinding(models.Model):
    observation = models.ForeignKey(
        FrontDoorObservation, on_delete=models.CASCADE, related_name="findings"
    )
    question = models.ForeignKey(TemplateQuestion, on_delete=models.PROTECT, related_name="+")
    grade = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["question__section__order", "question__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["observation", "question"], name="one_observation_finding_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.grade}"


class BlindRegrade(models.Model):
    """An auditor's threshold level for a sampled contact, graded blind: from the concerns
    and presenting indicators the front door had, before the front door's decision is
    shown to them. Once the decision has been revealed the level can no longer be set."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    programme = models.ForeignKey(AuditProgramme, on_delete=models.CASCADE, related_name="regrades")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="+")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+")
    auditor = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    level = models.PositiveSmallIntegerField(choices=Level.choices, null=True, blank=True)
    rationale = models.TextField(blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)
    revealed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["council__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "contact"], name="contact_regraded_once_per_programme"
            ),
        ]

    def __str__(self) -> str:
        return f"Re-grade of contact {self.contact_id}"

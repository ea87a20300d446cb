"""The retention schedule (per council, versioned, with history), legal holds, disposal
runs with the items they list (kind, id and the date each fell due: never a name) and the
certificate each run leaves."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.retention.choices import (
    HeldKind,
    ItemOutcome,
    RecordKind,
    RetentionEvent,
    RunPurpose,
    RunState,
)


class RetentionSchedule(models.Model):
    """A council's schedule; its version goes up with every change to one of its rules."""

    council = models.OneToOneField(
        Council, on_delete=models.PROTECT, related_name="retention_schedule"
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.council}: version {self.version}"


class RetentionRule(models.Model):
    """How long one kind of record is kept: ``period_months`` from ``event``."""

    schedule = models.ForeignKey(RetentionSchedule, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(max_length=20, choices=RecordKind.choices)
    period_months = models.IntegerField()
    event = models.CharField(max_length=20, choices=RetentionEvent.choices)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["schedule", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "kind"], name="one_rule_per_kind"),
            models.CheckConstraint(
                condition=models.Q(period_months__gte=0), name="retention_period_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.period_months} months"

    @property
    def period_text(self) -> str:
        years, months = divmod(self.period_months, 12)
        parts = []
        if years:
            parts.append(f"{years} year{'s' if years != 1 else ''}")
        if months:
            parts.append(f"{months} month{'s' if months != 1 else ''}")
        return " and ".join(parts) or "none"

    @property
    def description(self) -> str:
        """How long the kind is kept, in a sentence: "6 years after the front door's
        decision", "Until the youngest child's 25th birthday"."""
        event = self.get_event_display()
        if self.event in ("kept", "with_record"):
            return event[:1].upper() + event[1:]
        if self.period_months == 0:
            return f"Until {event}"
        period = self.period_text
        return f"{period[:1].upper()}{period[1:]} after {event}"


class LegalHold(models.Model):
    """Stops disposal of a person (and every record about them) or of one record, until
    lifted with a reason."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    record_kind = models.CharField(max_length=20, choices=HeldKind.choices, blank=True)
    record_id = models.CharField(max_length=64, blank=True)
    reason = models.TextField()
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lift_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-placed_at"]
        indexes = [models.Index(fields=["record_kind", "record_id"], name="hold_by_record")]

    def __str__(self) -> str:
        return f"Legal hold {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None

    @property
    def held_kind(self) -> str:
        return HeldKind.PERSON if self.person_id else self.record_kind

    @property
    def held_id(self) -> str:
        return str(self.person_id) if self.person_id else self.record_id


class DisposalRun(models.Model):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(
        max_length=10, choices=RunPurpose.choices, default=RunPurpose.SCHEDULE
    )
    as_of = models.DateField()
    state = models.CharField(max_length=20, choices=RunState.choices, default=RunState.LISTING)
    schedule_version = models.PositiveIntegerField()
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    listed_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    problem = models.TextField(blank=True)

    class Meta:
        ordering = ["-listed_at"]

    def __str__(self) -> str:
        return f"Disposal run {self.pk}"

    @property
    def percent_done(self) -> int:
        if not self.progress_total:
            return 0
        return int(100 * self.progress_done / self.progress_total)


class DisposalItem(models.Model):
    """One record a run lists: its kind, id and the day it fell due; never its content."""

    run = models.ForeignKey(DisposalRun, on_delete=models.CASCADE, related_name="items")
    record_kind = models.CharField(max_length=20, choices=HeldKind.choices)
    record_id = models.CharField(max_length=64)
    due_on = models.DateField()
    outcome = models.CharField(
        max_length=10, choices=ItemOutcome.choices, default=ItemOutcome.PENDING
    )
    disposed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "record_kind", "due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "record_kind", "record_id"], name="item_once_per_run"
            )
        ]
        indexes = [
            models.Index(fields=["record_kind", "record_id"], name="disposal_item_by_record")
        ]

    def __str__(self) -> str:
        return f"{self.record_kind} {self.record_id}"


class DisposalCertificate(models.Model):
    """What a run disposed of, by kind and count, under which schedule, and who listed,
    approved and carried it out: never the disposed data."""

    run = models.OneToOneField(DisposalRun, on_delete=models.PROTECT, related_name="certificate")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=10, choices=RunPurpose.choices)
    as_of = models.DateField()
    counts = models.JSONField(default=dict)
    kept_on_hold = models.PositiveIntegerField(default=0)
    schedule_version = models.PositiveIntegerField()
    schedule = models.JSONField(default=list)
    reason = models.TextField(blank=True)
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    listed_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    carried_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    carried_out_at = models.DateTimeField()

    class Meta:
        ordering = ["-carried_out_at"]

    def __str__(self) -> str:
        return f"Disposal certificate {self.pk}"

    @property
    def count_rows(self) -> list[tuple[str, int]]:
        labels = dict(RecordKind.choices)
        return [(labels.get(kind, kind), n) for kind, n in self.counts.items()]

"""Each import of a file: who sent it, when, the file itself and its hash, where it got to
and what it did (counts, and every problem that refused it)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from continuum.imports.choices import FINISHED_STATES, RUNNING_STATES, ImportState
from continuum.imports.registry import Counts, Problem
from continuum.organisations.models import Council


class ImportRun(models.Model):
    """One file taken in (or only checked, a dry run) for one council."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=40)
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="import_runs")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="import_runs",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField("SHA-256 of the file", max_length=64)
    size = models.PositiveBigIntegerField("size in bytes")
    # The file as it was sent, kept with the record of its import.
    data = models.BinaryField(editable=False)
    dry_run = models.BooleanField(
        default=False, help_text="Checked only: nothing was saved whatever the file held."
    )
    state = models.CharField(max_length=10, choices=ImportState.choices, default=ImportState.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    ended = models.PositiveIntegerField(default=0)
    # Every problem that refused the file: [{"where", "message", "child"}].
    problems = models.JSONField(default=list, blank=True)
    # What a person should know about a run that was not refused (a dry run's result, the
    # same file imported before, why it failed).
    note = models.TextField(blank=True)
    # The file's own description where it has one (a census return's year), for lists.
    summary = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        indexes = [models.Index(fields=["council", "kind", "-uploaded_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display()})"

    @property
    def running(self) -> bool:
        return self.state in RUNNING_STATES

    @property
    def finished(self) -> bool:
        return self.state in FINISHED_STATES

    @property
    def counts(self) -> Counts:
        return Counts(
            created=self.created,
            updated=self.updated,
            unchanged=self.unchanged,
            refused=self.refused,
            ended=self.ended,
        )

    def set_counts(self, counts: Counts) -> None:
        for name, value in counts.as_json().items():
            setattr(self, name, value)

    @property
    def problem_list(self) -> list[Problem]:
        return [Problem.from_json(item) for item in self.problems or []]

    @property
    def percent_done(self) -> int:
        if self.state == ImportState.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)

"""An Annex A workbook made in the background for one council and period (decision 0013).

The finished workbook is kept in the database only for ``DOWNLOADABLE_FOR`` after it is
made: then its bytes and the children it lists are cleared (``builds.clear_old_builds``)
so no return of children's records lies about. Downloading it writes the access-log row.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from continuum.organisations.models import Council
from continuum.returns.choices import RUNNING_STATES, BuildState

# How long a finished workbook may be downloaded.
DOWNLOADABLE_FOR = timedelta(hours=24)


class AnnexABuild(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="annex_a_builds")
    first = models.DateField("period from")
    last = models.DateField("period to")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="annex_a_builds"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=BuildState.choices, default=BuildState.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    # The finished workbook, and the children it lists (by id, for the access log of each
    # download); both cleared once it is no longer downloadable.
    workbook = models.BinaryField(default=b"", editable=False)
    size = models.PositiveIntegerField("size in bytes", default=0)
    person_ids = models.JSONField(default=list, blank=True, editable=False)
    # {"1": rows of list 1, ...}
    row_counts = models.JSONField(default=dict, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["council", "-requested_at"])]

    def __str__(self) -> str:
        return f"Annex A {self.council} {self.first} to {self.last} ({self.get_state_display()})"

    @property
    def running(self) -> bool:
        return self.state in RUNNING_STATES

    @property
    def percent_done(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def rows(self) -> int:
        return sum(int(n) for n in self.row_counts.values())

    @property
    def downloadable_until(self) -> datetime | None:
        if self.state != BuildState.DONE or self.finished_at is None:
            return None
        return self.finished_at + DOWNLOADABLE_FOR

    @property
    def expired(self) -> bool:
        until = self.downloadable_until
        return until is not None and (timezone.now() >= until or not self.size)

    @property
    def downloadable(self) -> bool:
        return self.state == BuildState.DONE and not self.expired

    @property
    def filename(self) -> str:
        from continuum.returns.workbook import filename_of

        return filename_of(self.council, self.first, self.last)

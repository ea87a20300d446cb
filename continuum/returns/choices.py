"""The states of an Annex A build (made in the background, then downloaded)."""

from __future__ import annotations

from django.db import models


class BuildState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    BUILDING = "building", "Making the workbook"
    DONE = "done", "Ready to download"
    FAILED = "failed", "Failed"


RUNNING_STATES = (BuildState.QUEUED, BuildState.BUILDING)

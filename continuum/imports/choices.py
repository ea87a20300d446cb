"""The vocabulary of imports."""

from __future__ import annotations

from django.db import models


class ImportState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    CHECKING = "checking", "Checking the file"
    IMPORTING = "importing", "Importing"
    DONE = "done", "Done"
    REFUSED = "refused", "Refused"
    FAILED = "failed", "Failed"


RUNNING_STATES = frozenset({ImportState.QUEUED, ImportState.CHECKING, ImportState.IMPORTING})
FINISHED_STATES = frozenset({ImportState.DONE, ImportState.REFUSED, ImportState.FAILED})

"""The access log: one row per read of a person's record, and one per search or list of
people (naming the terms, how many matched and which records were shown). Append-only.

The application offers no way to change or delete a row: ``save`` refuses an update,
``delete`` and the queryset's ``update``/``delete`` refuse, and the database itself refuses
UPDATE and DELETE (a trigger; see migration 0002), and the application's database role may
only insert and read it (docs/database-roles.md). Each row carries the hash of the one
before it (``audit.chain``), so ``manage.py verify_access_log`` finds any change or gap.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from continuum.accounts.models import Role
from continuum.audit import chain


class AppendOnlyError(Exception):
    pass


_M = TypeVar("_M", bound=models.Model)


class AppendOnlyQuerySet(models.QuerySet[_M]):
    """The queryset of an append-only table: no bulk update or delete."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("The access log cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The access log cannot be deleted.")


class AccessLogQuerySet(AppendOnlyQuerySet["AccessLogEntry"]):
    pass


class AccessAction(models.TextChoices):
    VIEW_RECORD = "view_record", "Viewed the record"
    VIEW_HISTORY = "view_history", "Viewed the change history"
    VIEW_CHRONOLOGY = "view_chronology", "Viewed the chronology"
    API_READ = "api_read", "Read the record through the API"
    # A search or list of people (page or API): one row per search, no single subject; the
    # records shown are its ``shown`` rows.
    SEARCH = "search", "Searched for people"
    # An export of a list of people's records (a statutory return: the CIN census, Ofsted's
    # Annex A): one row per export, naming what was exported in ``search_terms``; the people
    # in it are its ``shown`` rows.
    EXPORT = "export", "Exported a list of records"


class AccessLogEntry(models.Model):
    id = models.BigAutoField(primary_key=True)
    # Set when the row is appended to the chain (``audit.chain.append``), under its lock.
    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    # Snapshots, so the row stays true if the user later moves organisation or role.
    username = models.CharField(max_length=150)
    organisation_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=30, blank=True)
    # The subject is kept by id only: no names or other field values are copied here.
    # A search has none (the records it showed are its ``shown`` rows).
    subject_id = models.UUIDField(db_index=True, null=True, blank=True)
    action = models.CharField(max_length=20, choices=AccessAction.choices)
    request_id = models.UUIDField(default=uuid.uuid4)
    break_glass_reason = models.TextField(blank=True)
    # The hash chain (``audit.chain``): the row's position, the previous row's hash, and
    # sha256(previous hash + this row's content). Empty only on a row written outside it.
    # New fields: nullable, or an empty or constant default (see ``audit.chain``).
    sequence = models.BigIntegerField(null=True, editable=False)
    previous_hash = models.CharField(max_length=64, null=True, editable=False)
    row_hash = models.CharField(max_length=64, null=True, editable=False)
    # A search only: the terms as asked (e.g. "q=smith; limit=50; offset=0") and how many
    # records matched. Null on reads of a record.
    search_terms = models.CharField(max_length=1000, null=True, blank=True)
    result_count = models.PositiveIntegerField(null=True, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        # A user's rows of the last hour, counted as each row is written (unusual reading).
        indexes = [models.Index(fields=["user", "at"], name="access_log_by_user_time")]
        verbose_name = "access log entry"
        verbose_name_plural = "access log"
        constraints = [
            # Conditional, so that SQLite adds it as an index without rebuilding the table
            # (a rebuild would drop its append-only trigger).
            models.UniqueConstraint(
                fields=["sequence"],
                condition=models.Q(sequence__isnull=False),
                name="access_log_one_row_per_position",
            )
        ]

    def __str__(self) -> str:
        subject = self.subject_id or f"{self.result_count} found"
        return f"{self.username} {self.action} {subject} at {self.at:%Y-%m-%d %H:%M:%S}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A new row goes on the end of the hash chain (``audit.chain.append``), however it
        is created (``log_access``, ``objects.create``); a saved row cannot change."""
        if not self._state.adding:
            raise AppendOnlyError("The access log cannot be changed.")
        if self.sequence is None:
            chain.append(self)  # places the row, then saves it through here again
            return
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The access log cannot be deleted.")

    @property
    def role_label(self) -> str:
        """The role the user held at the time, in words."""
        return dict(Role.choices).get(self.role, self.role)

    @property
    def is_break_glass(self) -> bool:
        return bool(self.break_glass_reason)


class AccessLogChainHead(models.Model):
    """The end of the access log's hash chain: how many rows were appended and the last
    one's hash. One row, locked by each writer in turn (``audit.chain``)."""

    sequence = models.BigIntegerField()
    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "access log chain head"

    def __str__(self) -> str:
        return f"Access log chain at position {self.sequence}"


class ShownRecordQuerySet(AppendOnlyQuerySet["ShownRecord"]):
    pass


class ShownRecord(models.Model):
    """A record a search showed (by id only): one row per person listed on the page or in
    the API's answer. Append-only, like the access log."""

    id = models.BigAutoField(primary_key=True)
    entry = models.ForeignKey(
        AccessLogEntry, on_delete=models.PROTECT, related_name="shown", db_constraint=False
    )
    subject_id = models.UUIDField(db_index=True)

    objects = ShownRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "record shown by a search"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The access log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The access log cannot be deleted.")


class UnusualReadingFlag(models.Model):
    """A user who read an unusual number of distinct people's records within an hour,
    flagged to the information governance leads of the councils concerned, who review it.

    Raised by ``audit.services.check_unusual_reading`` as the access log is written; at
    most one per user per hour. Counts only: the rows themselves are in the access log.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # The hour the counts cover (ending when the flag was raised).
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    records_read = models.PositiveIntegerField(
        help_text="Distinct people whose record the user opened in the hour"
    )
    people_shown = models.PositiveIntegerField(
        help_text="Distinct people searches and lists showed the user in the hour"
    )
    # Whose information governance leads are told: the user's own council, or (for a
    # partner) the councils holding the records read.
    councils = models.ManyToManyField("organisations.Council", related_name="+")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["user", "raised_at"], name="unusual_reading_by_user")]

    def __str__(self) -> str:
        return f"{self.user} read {self.records_read} records by {self.window_end:%Y-%m-%d %H:%M}"

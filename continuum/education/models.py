"""A child's attendance and suspensions at school, one record per school and term, as the
council's attendance service sends them (``education.feeds``)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from continuum.education.choices import Term
from continuum.education.terms import SchoolTerm, academic_year_label
from continuum.organisations.models import Council
from continuum.people.models import Person


class AttendanceRecord(models.Model):
    """A child's sessions at one school in one term: possible, missed with and without
    authorisation, and the suspensions in it. A later file's figures replace these; the
    history keeps what they were."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendance")
    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="attendance_records"
    )
    academic_year = models.PositiveSmallIntegerField(
        help_text="The year the academic year starts: 2025 is 2025/26."
    )
    term = models.CharField(max_length=6, choices=Term.choices)
    school_urn = models.CharField("school URN", max_length=8)
    school_name = models.CharField(max_length=200)
    sessions_possible = models.PositiveIntegerField()
    sessions_authorised_absence = models.PositiveIntegerField()
    sessions_unauthorised_absence = models.PositiveIntegerField()
    suspensions = models.PositiveSmallIntegerField(default=0)
    suspension_days = models.DecimalField(max_digits=5, decimal_places=1, default=Decimal(0))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-academic_year", "-term", "school_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "academic_year", "term", "school_urn"],
                name="attendance_once_per_school_term",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    sessions_authorised_absence__lte=models.F("sessions_possible")
                    - models.F("sessions_unauthorised_absence")
                ),
                name="absence_within_sessions_possible",
            ),
        ]
        indexes = [models.Index(fields=["person", "academic_year", "term"])]

    @property
    def school_term(self) -> SchoolTerm:
        return SchoolTerm(self.academic_year, self.term)

    @property
    def academic_year_label(self) -> str:
        return academic_year_label(self.academic_year)

    @property
    def sessions_attended(self) -> int:
        return (
            self.sessions_possible
            - self.sessions_authorised_absence
            - self.sessions_unauthorised_absence
        )

    @property
    def attendance_rate(self) -> float | None:
        """Sessions attended as a share of sessions possible (0 to 1), None when none were."""
        if not self.sessions_possible:
            return None
        return self.sessions_attended / self.sessions_possible

    @property
    def persistently_absent(self) -> bool:
        """Missing 10% or more of possible sessions (the DfE's measure)."""
        rate = self.attendance_rate
        return rate is not None and rate <= 0.9

"""Reads of attendance, starting from what the reader may see."""

from __future__ import annotations

from django.db.models import QuerySet

from continuum.access import policy
from continuum.accounts.models import User
from continuum.education.models import AttendanceRecord
from continuum.education.policies import EducationAction
from continuum.people.models import Person


def attendance_of(*, user: User, person: Person) -> QuerySet[AttendanceRecord] | None:
    """The child's attendance, latest term first; None when the user may not read it."""
    if not policy.can(user, EducationAction.VIEW_ATTENDANCE, person):
        return None
    return AttendanceRecord.objects.filter(person=person).order_by(
        "-academic_year", "-term", "school_name"
    )

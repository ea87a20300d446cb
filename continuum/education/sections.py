"""A child's attendance on their record's summary (read within the page's own access-log
row)."""

from __future__ import annotations

from typing import Any

from continuum.accounts.models import User
from continuum.education.selectors import attendance_of
from continuum.people.choices import PersonKind
from continuum.people.models import Person
from continuum.people.sections import SummarySection, register_summary_section


def _attendance(user: User, person: Person) -> dict[str, Any] | None:
    if person.kind != PersonKind.CHILD:
        return None
    records = attendance_of(user=user, person=person)
    if records is None:
        return None
    return {"records": list(records[:12])}


def register_section() -> None:
    register_summary_section(
        SummarySection(
            key="education.attendance",
            template="education/_attendance.html",
            context=_attendance,
        )
    )

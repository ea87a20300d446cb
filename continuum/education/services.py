"""Recording a child's attendance for a school and term (from the attendance service's
file). Keyword-only and atomic; a later file's figures replace earlier ones, with history."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from continuum.accounts.models import User
from continuum.education.models import AttendanceRecord
from continuum.organisations.models import Council
from continuum.people.models import Person

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass(frozen=True)
class TermAttendance:
    academic_year: int
    term: str
    school_urn: str
    school_name: str
    sessions_possible: int
    sessions_authorised_absence: int
    sessions_unauthorised_absence: int
    suspensions: int = 0
    suspension_days: Decimal = Decimal(0)

    def errors(self) -> dict[str, list[str]]:
        missed = self.sessions_authorised_absence + self.sessions_unauthorised_absence
        if missed > self.sessions_possible:
            return {
                "sessions_possible": [
                    f"Sessions missed ({missed}) cannot be more than sessions possible "
                    f"({self.sessions_possible})."
                ]
            }
        if self.suspension_days and not self.suspensions:
            return {"suspensions": ["Days of suspension need at least one suspension."]}
        return {}


_KEY = ("academic_year", "term", "school_urn")


@transaction.atomic
def record_attendance(
    *, recorded_by: User | None, council: Council, person: Person, attendance: TermAttendance
) -> str:
    """Save ``person``'s attendance for a school and term: created, updated (figures
    changed) or unchanged."""
    errors = attendance.errors()
    if errors:
        raise ValidationError(errors)
    values = asdict(attendance)
    key = {name: values.pop(name) for name in _KEY}
    current = AttendanceRecord.objects.select_for_update().filter(person=person, **key).first()
    if current is None:
        record = AttendanceRecord(
            person=person, council=council, imported_by=recorded_by, **key, **values
        )
        record._history_user = recorded_by  # type: ignore[attr-defined]
        record.save()
        return CREATED
    if all(getattr(current, name) == value for name, value in values.items()):
        return UNCHANGED
    for name, value in values.items():
        setattr(current, name, value)
    current.imported_by = recorded_by
    current._history_user = recorded_by  # type: ignore[attr-defined]
    current.save()
    return UPDATED

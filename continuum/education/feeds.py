"""School attendance and suspensions, one row for each child, school and term, imported as
CSV from the council's attendance service.

The whole file is checked first (``check_attendance``): one problem anywhere refuses it
whole, naming the row and column, and nothing is saved. Then (``apply_attendance``) each
row is matched to a child by UPN among the council's records the uploader may see, never by
name: a UPN that matches no such record is not guessed at but listed in the run (and counted
as refused). The same child, academic year, term and school is the same record: unchanged
when the figures are the same, updated when they differ (the history keeps the old figures).

The columns, their formats and the refusal rules are in ``docs/partner-feeds.md``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.education.choices import Term
from continuum.education.services import (
    CREATED,
    UNCHANGED,
    UPDATED,
    TermAttendance,
    record_attendance,
)
from continuum.education.terms import SchoolTerm, parse_academic_year
from continuum.imports.csv_files import (
    CountsWithNotes,
    ProblemList,
    Row,
    parse_whole_number,
    read_rows,
)
from continuum.imports.models import ImportRun
from continuum.imports.registry import FileRefused, Problem
from continuum.people.identifiers import is_valid_upn, normalise_upn
from continuum.people.models import Person

KIND = "school-attendance"
MAX_BYTES = 50 * 1024 * 1024
# Two sessions a school day; a term has at most about 75 days.
MAX_SESSIONS = 200
_URN = re.compile(r"^\d{6}$")

COLUMNS = (
    "upn",
    "academic_year",
    "term",
    "school_urn",
    "school_name",
    "sessions_possible",
    "sessions_authorised_absence",
    "sessions_unauthorised_absence",
    "suspensions",
    "suspension_days",
)


@dataclass(frozen=True)
class AttendanceRow:
    number: int
    upn: str
    attendance: TermAttendance


FeedCounts = CountsWithNotes


def _sessions(row: Row, column: str, problems: ProblemList) -> int:
    text = row.get(column)
    value = parse_whole_number(text)
    if value is None or value > MAX_SESSIONS:
        problems.at(
            row,
            column,
            f"“{text}” is not a number of sessions: a whole number from 0 to {MAX_SESSIONS}.",
        )
        return 0
    return value


def _suspensions(row: Row, problems: ProblemList) -> tuple[int, Decimal]:
    text = row.get("suspensions")
    count = parse_whole_number(text) if text else 0
    if count is None or count > 50:
        problems.at(row, "suspensions", f"“{text}” is not a number of suspensions, like 1.")
        count = 0
    days_text = row.get("suspension_days")
    try:
        days = Decimal(days_text) if days_text else Decimal(0)
    except InvalidOperation:
        days = Decimal(-1)
    if not days.is_finite() or days < 0 or days > 200 or (days * 2) % 1:
        problems.at(
            row,
            "suspension_days",
            f"“{days_text}” is not a number of days: whole or half days, like 1.5.",
        )
        days = Decimal(0)
    return count, days


def _term(row: Row, problems: ProblemList) -> SchoolTerm | None:
    year_text = row.get("academic_year")
    year = parse_academic_year(year_text)
    if year is None:
        problems.at(
            row, "academic_year", f"“{year_text}” is not an academic year: write it as 2025/26."
        )
    term = row.get("term").lower()
    if term not in Term.values:
        problems.at(row, "term", f"“{row.get('term')}” is not a term: autumn, spring or summer.")
    if year is None or term not in Term.values:
        return None
    school_term = SchoolTerm(year, term)
    if school_term.starts_on() > timezone.localdate():
        problems.at(row, "term", f"{school_term} has not started yet.")
    return school_term


def _parse_row(row: Row, problems: ProblemList) -> AttendanceRow | None:
    before = problems.total
    upn = normalise_upn(row.get("upn"))
    if not upn:
        problems.at(row, "upn", "Enter the child's UPN.")
    elif not is_valid_upn(upn):
        problems.at(row, "upn", f"“{upn}” is not a valid UPN: a check letter and 12 characters.")
    school_term = _term(row, problems)
    urn = row.get("school_urn")
    if not _URN.match(urn):
        problems.at(row, "school_urn", f"“{urn}” is not a school URN: 6 digits, like 111692.")
    name = row.get("school_name")
    if not name:
        problems.at(row, "school_name", "Enter the school's name.")
    elif len(name) > 200:
        problems.at(row, "school_name", "A school's name can be at most 200 characters.")
    suspensions, suspension_days = _suspensions(row, problems)
    attendance = TermAttendance(
        academic_year=school_term.academic_year if school_term else 0,
        term=school_term.term if school_term else "",
        school_urn=urn,
        school_name=name,
        sessions_possible=_sessions(row, "sessions_possible", problems),
        sessions_authorised_absence=_sessions(row, "sessions_authorised_absence", problems),
        sessions_unauthorised_absence=_sessions(row, "sessions_unauthorised_absence", problems),
        suspensions=suspensions,
        suspension_days=suspension_days,
    )
    if problems.total > before:
        return None
    for key, messages in attendance.errors().items():
        for message in messages:
            problems.at(row, key, message)
    return AttendanceRow(number=row.number, upn=upn, attendance=attendance)


def parse_attendance(data: bytes) -> list[AttendanceRow]:
    """Every row of the file, checked; ``FileRefused`` naming every problem otherwise."""
    _, rows = read_rows(data, required=COLUMNS)
    problems = ProblemList()
    parsed: list[AttendanceRow] = []
    seen: dict[tuple[str, int, str, str], int] = {}
    for row in rows:
        result = _parse_row(row, problems)
        if result is None:
            continue
        a = result.attendance
        key = (result.upn, a.academic_year, a.term, a.school_urn)
        if key in seen:
            problems.at(
                row,
                "upn",
                f"This child, term and school are already on row {seen[key]}: one row for each.",
            )
        seen.setdefault(key, row.number)
        parsed.append(result)
    problems.refuse_if_any()
    return parsed


def check_attendance(data: bytes, run: ImportRun) -> list[AttendanceRow]:
    """The import's check: the whole file parsed and checked; only the run's description
    of the file is written."""
    rows = parse_attendance(data)
    terms = sorted({SchoolTerm(r.attendance.academic_year, r.attendance.term) for r in rows})
    named = str(terms[0]) if len(terms) == 1 else f"{terms[0]} to {terms[-1]}"
    ImportRun.objects.filter(pk=run.pk).update(
        summary=f"{len(rows)} row{'s' if len(rows) != 1 else ''}, {named}"
    )
    return rows


def _children_by_upn(user: User, council: Any, upns: set[str]) -> dict[str, Person]:
    """The council's records the user may see with these UPNs (the oldest for each)."""
    found: dict[str, Person] = {}
    people = (
        policy.visible(user, Person).filter(council=council, upn__in=upns).order_by("created_at")
    )
    for person in people:
        if person.upn:
            found.setdefault(person.upn, person)
    return found


def apply_attendance(
    rows: list[AttendanceRow], run: Any, progress: Callable[[int, int], None]
) -> FeedCounts:
    """Save the checked rows, all or nothing; rows whose UPN matches no record the uploader
    may see are listed, not saved."""
    user: User | None = run.uploaded_by
    if user is None:
        raise FileRefused(
            [Problem("the file", "This kind of file is imported on behalf of a user: give one.")]
        )
    council = run.council
    counts = FeedCounts()
    problems = ProblemList()
    total = len(rows)
    with transaction.atomic():
        children = _children_by_upn(user, council, {r.upn for r in rows})
        for done, row in enumerate(rows, start=1):
            child = children.get(row.upn)
            if child is None:
                counts.refused += 1
                counts.notes.append(
                    Problem(
                        where=f"row {row.number}, column upn",
                        message=f"No child with UPN {row.upn} is on {council.name}'s records "
                        "you may see: this row was not imported.",
                    )
                )
            else:
                try:
                    outcome = record_attendance(
                        recorded_by=user, council=council, person=child, attendance=row.attendance
                    )
                except ValidationError as exc:
                    for key, messages in exc.message_dict.items():
                        for message in messages:
                            problems.add(f"row {row.number}, column {key}", message)
                    continue
                if outcome == CREATED:
                    counts.created += 1
                elif outcome == UPDATED:
                    counts.updated += 1
                elif outcome == UNCHANGED:
                    counts.unchanged += 1
            if done % 200 == 0 or done == total:
                progress(done, total)
        problems.refuse_if_any()
    return counts


COLUMNS_SUMMARY = (
    "One row for each child, school and term: upn, academic_year (2025/26), term (autumn, "
    "spring or summer), school_urn (6 digits), school_name, sessions_possible, "
    "sessions_authorised_absence, sessions_unauthorised_absence, suspensions, "
    "suspension_days. See docs/partner-feeds.md."
)


def register_feed() -> None:
    """Offer the attendance file among the imports."""
    from continuum.education.policies import EducationAction, can_import
    from continuum.imports.registry import Importer, register

    register(
        Importer(
            kind=KIND,
            label="School attendance and suspensions (CSV, by UPN and term)",
            extensions=(".csv",),
            max_bytes=MAX_BYTES,
            action=EducationAction.IMPORT_ATTENDANCE,
            check=check_attendance,
            apply=apply_attendance,
            describe_columns=COLUMNS_SUMMARY,
            rule=can_import,
        )
    )

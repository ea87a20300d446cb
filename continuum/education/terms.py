"""Academic years and terms: which term a day falls in, and the terms either side.

An academic year is named by the year it starts (2025 is 2025/26, September to August).
Term dates differ a little between councils and schools; for placing a day in a term the
year is split at fixed dates: autumn from 1 September to 31 December, spring from 1 January
to the end of March, summer from 1 April to 31 August (holidays belong to the term they
follow). Attendance itself is counted by the school in sessions, not by these dates.
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

from continuum.education.choices import Term

ORDER = (Term.AUTUMN, Term.SPRING, Term.SUMMER)
_YEAR = re.compile(r"^(\d{4})(?:\s*[/-]\s*(\d{2}|\d{4}))?$")


class SchoolTerm(NamedTuple):
    """A term of an academic year. Terms compare in the order they happen: by year, then by
    name, which for autumn, spring and summer is their order in the year."""

    academic_year: int
    term: str

    def __str__(self) -> str:
        return f"{Term(self.term).label} {academic_year_label(self.academic_year)}"

    def before(self) -> SchoolTerm:
        index = ORDER.index(Term(self.term))
        if index == 0:
            return SchoolTerm(self.academic_year - 1, Term.SUMMER)
        return SchoolTerm(self.academic_year, ORDER[index - 1])

    def after(self) -> SchoolTerm:
        index = ORDER.index(Term(self.term))
        if index == len(ORDER) - 1:
            return SchoolTerm(self.academic_year + 1, Term.AUTUMN)
        return SchoolTerm(self.academic_year, ORDER[index + 1])

    def starts_on(self) -> date:
        if self.term == Term.AUTUMN:
            return date(self.academic_year, 9, 1)
        if self.term == Term.SPRING:
            return date(self.academic_year + 1, 1, 1)
        return date(self.academic_year + 1, 4, 1)

    def ends_on(self) -> date:
        if self.term == Term.AUTUMN:
            return date(self.academic_year, 12, 31)
        if self.term == Term.SPRING:
            return date(self.academic_year + 1, 3, 31)
        return date(self.academic_year + 1, 8, 31)


def term_of(day: date) -> SchoolTerm:
    """The term ``day`` falls in."""
    if day.month >= 9:
        return SchoolTerm(day.year, Term.AUTUMN)
    if day.month <= 3:
        return SchoolTerm(day.year - 1, Term.SPRING)
    return SchoolTerm(day.year - 1, Term.SUMMER)


def academic_year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def parse_academic_year(text: str) -> int | None:
    """'2025/26', '2025-26', '2025/2026' or '2025' -> 2025; None when it is not one."""
    match = _YEAR.match(text.strip())
    if not match:
        return None
    start = int(match[1])
    if match[2]:
        end = int(match[2])
        if (len(match[2]) == 2 and end != (start + 1) % 100) or (
            len(match[2]) == 4 and end != start + 1
        ):
            return None
    if not 2000 <= start <= 2100:
        return None
    return start

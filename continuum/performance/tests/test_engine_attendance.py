"""School attendance before early help started and after it closed, against hand-counted
figures.

Ten children on episodes that started on 10 January 2026 (the spring term of 2025/26: the
term before is autumn 2025) and closed on 15 October 2026 (autumn 2026/27: the term after
is spring 2026/27):
    five led by the council's children's services: 80% before, 90% after
    five led by a school:                              70% before, 85% after
        (one of them at two schools in the term after: 80 of 100 and 90 of 100 -> 85%)
and two more children who do not count: one with no attendance in the term after, one
whose attendance is for another term.
Before: (5 x 80 + 5 x 70) / 10 = 75.0%; after: (5 x 90 + 5 x 85) / 10 = 87.5%.
"""

from __future__ import annotations

from datetime import date
from typing import cast

import pytest

from continuum.education.models import AttendanceRecord
from continuum.organisations.models import Council, Organisation, OrganisationKind
from continuum.people.models import Person
from continuum.performance import disclosure, engine
from continuum.performance.periods import Period, PeriodKind
from continuum.performance.tests import engine_helpers as h
from continuum.testing import factories

OCTOBER = Period(PeriodKind.MONTH, date(2026, 10, 1), date(2026, 10, 31))
BEFORE = "im_attendance_before_early_help_pct"
AFTER = "im_attendance_after_early_help_pct"
AFTER_THE_TERMS = date(2027, 9, 1)


def attended(
    child: Person, year: int, term: str, possible: int, missed: int, urn: str = "111111"
) -> None:
    AttendanceRecord.objects.create(
        person=child,
        council=child.council,
        academic_year=year,
        term=term,
        school_urn=urn,
        school_name=f"School {urn}",
        sessions_possible=possible,
        sessions_authorised_absence=missed // 2,
        sessions_unauthorised_absence=missed - missed // 2,
    )


def closed_episode(council: Council, children: list[Person], lead: Organisation) -> None:
    h.episode(
        council,
        date(2026, 1, 10),
        children=children,
        allocated=date(2026, 1, 12),
        lead=lead,
        end=date(2026, 10, 15),
    )


@pytest.fixture
def world(stockton: Council) -> Council:
    school = cast(
        Organisation,
        factories.OrganisationFactory(
            name="Test Bishopton Road Primary", kind=OrganisationKind.SCHOOL, serves=[stockton]
        ),
    )
    council_led = [h.child(stockton, date(2015, 3, 1)) for _ in range(5)]
    school_led = [h.child(stockton, date(2016, 3, 1)) for _ in range(5)]
    for child in council_led:
        attended(child, 2025, "autumn", 100, 20)
        attended(child, 2026, "spring", 100, 10)
    for child in school_led:
        attended(child, 2025, "autumn", 100, 30)
    for child in school_led[1:]:
        attended(child, 2026, "spring", 100, 15)
    attended(school_led[0], 2026, "spring", 100, 20, urn="111111")
    attended(school_led[0], 2026, "spring", 100, 10, urn="222222")
    no_after = h.child(stockton, date(2015, 5, 1))
    attended(no_after, 2025, "autumn", 100, 50)
    other_term = h.child(stockton, date(2015, 6, 1))
    attended(other_term, 2025, "spring", 100, 50)
    attended(other_term, 2026, "spring", 100, 50)
    closed_episode(stockton, [*council_led, no_after], factories.council_services(stockton))
    closed_episode(stockton, [*school_led, other_term], school)
    return stockton


def _cell(
    result: engine.Result, code: str, council: Council, category: str | None = None
) -> tuple[float | None, float | None, bool]:
    cell = result.get(code, council.pk, OCTOBER, category)
    assert cell is not None
    return (
        cell.denominator,
        None if cell.value is None else round(cell.value, 1),
        cell.suppressed,
    )


@pytest.mark.django_db
def test_attendance_before_and_after_early_help(world: Council) -> None:
    result = disclosure.compute(
        councils=[world],
        period_kind=PeriodKind.MONTH,
        first=date(2026, 10, 1),
        last=date(2026, 10, 1),
        indicators=[BEFORE, AFTER],
        as_of=AFTER_THE_TERMS,
    )
    assert _cell(result, BEFORE, world) == (10, 75.0, False)
    assert _cell(result, AFTER, world) == (10, 87.5, False)


@pytest.mark.django_db
def test_by_lead_agency(world: Council) -> None:
    result = disclosure.compute(
        councils=[world],
        period_kind=PeriodKind.MONTH,
        first=date(2026, 10, 1),
        last=date(2026, 10, 1),
        indicators=[BEFORE, AFTER],
        dimension="lead_professional_agency",
        as_of=AFTER_THE_TERMS,
    )
    assert _cell(result, BEFORE, world, "School") == (5, 70.0, False)
    assert _cell(result, AFTER, world, "School") == (5, 85.0, False)
    assert _cell(result, BEFORE, world, "Council children's services") == (5, 80.0, False)
    assert _cell(result, AFTER, world, "Council children's services") == (5, 90.0, False)


@pytest.mark.django_db
def test_no_value_until_the_term_after_has_ended(world: Council) -> None:
    result = disclosure.compute(
        councils=[world],
        period_kind=PeriodKind.MONTH,
        first=date(2026, 10, 1),
        last=date(2026, 10, 1),
        indicators=[AFTER],
        as_of=date(2027, 3, 1),
    )
    assert _cell(result, AFTER, world)[1] is None


@pytest.mark.django_db
def test_fewer_than_five_children_are_not_shown(stockton: Council) -> None:
    children = [h.child(stockton, date(2015, 3, 1)) for _ in range(3)]
    for child in children:
        attended(child, 2025, "autumn", 100, 40)
        attended(child, 2026, "spring", 100, 10)
    closed_episode(stockton, children, factories.council_services(stockton))

    result = disclosure.compute(
        councils=[stockton],
        period_kind=PeriodKind.MONTH,
        first=date(2026, 10, 1),
        last=date(2026, 10, 1),
        indicators=[BEFORE, AFTER],
        as_of=AFTER_THE_TERMS,
    )

    assert _cell(result, BEFORE, stockton) == (None, None, True)
    assert _cell(result, AFTER, stockton) == (None, None, True)

"""School attendance and suspensions from the attendance service's CSV file: checked whole,
matched by UPN only, idempotent per child, term and school, corrected by a later file, and
shown on the child's record to those who may read it."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

import pytest
from django.test import Client
from django.urls import reverse

from continuum.accounts.models import Role, User
from continuum.audit.models import AccessLogEntry
from continuum.education.feeds import COLUMNS, KIND
from continuum.education.models import AttendanceRecord
from continuum.education.policies import EducationAction
from continuum.education.terms import SchoolTerm, parse_academic_year, term_of
from continuum.errors import NotPermitted
from continuum.imports.choices import ImportState
from continuum.imports.models import ImportRun
from continuum.imports.registry import Problem
from continuum.imports.services import run_import, start_import
from continuum.organisations.models import Council
from continuum.people.choices import PersonKind
from continuum.people.models import Person
from continuum.testing import factories

pytestmark = pytest.mark.django_db


def row(upn: str, **changes: str) -> dict[str, str]:
    values = {
        "upn": upn,
        "academic_year": "2025/26",
        "term": "autumn",
        "school_urn": "111692",
        "school_name": "Bishopton Road Primary School",
        "sessions_possible": "140",
        "sessions_authorised_absence": "6",
        "sessions_unauthorised_absence": "8",
        "suspensions": "0",
        "suspension_days": "0",
    }
    values.update(changes)
    return values


def csv_bytes(rows: list[dict[str, str]], columns: tuple[str, ...] = COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


@dataclass
class Loaded:
    run: ImportRun
    created: int
    updated: int
    unchanged: int
    refused: int
    notes: list[Problem]


def load(data: bytes, user: User, council: Council, name: str = "attendance.csv") -> Loaded:
    """The file sent as the imports page and API send it, run as the worker runs it."""
    run = start_import(user=user, kind=KIND, council=council, file_name=name, data=data)
    run = run_import(run_id=run.pk)
    assert run.state == ImportState.DONE, run.problem_list
    return Loaded(run, run.created, run.updated, run.unchanged, run.refused, run.problem_list)


def refused(data: bytes, user: User, council: Council) -> list[tuple[str, str]]:
    before = AttendanceRecord.objects.count()
    run = start_import(user=user, kind=KIND, council=council, file_name="a.csv", data=data)
    run = run_import(run_id=run.pk)
    assert run.state == ImportState.REFUSED
    assert AttendanceRecord.objects.count() == before
    return [(p.where, p.message) for p in run.problem_list]


@pytest.fixture
def pupils(stockton: Council) -> list[Person]:
    return [
        cast(Person, factories.PersonFactory(council=stockton, kind=PersonKind.CHILD))
        for _ in range(3)
    ]


def test_terms() -> None:
    assert parse_academic_year("2025/26") == 2025
    assert parse_academic_year("2025-2026") == 2025
    assert parse_academic_year("2025/27") is None
    from datetime import date

    assert term_of(date(2025, 10, 1)) == SchoolTerm(2025, "autumn")
    assert term_of(date(2026, 2, 1)) == SchoolTerm(2025, "spring")
    assert term_of(date(2026, 6, 1)) == SchoolTerm(2025, "summer")
    assert SchoolTerm(2025, "autumn").before() == SchoolTerm(2024, "summer")
    assert SchoolTerm(2025, "summer").after() == SchoolTerm(2026, "autumn")


def test_a_good_file_is_imported(worker: User, stockton: Council, pupils: list[Person]) -> None:
    data = csv_bytes(
        [
            row(pupils[0].upn or ""),
            row(pupils[1].upn or "", suspensions="1", suspension_days="1.5"),
            row(pupils[1].upn or "", term="spring"),
        ]
    )

    counts = load(data, worker, stockton)

    assert (counts.created, counts.updated, counts.unchanged, counts.refused) == (3, 0, 0, 0)
    assert counts.run.summary == "3 rows, Autumn 2025/26 to Spring 2025/26"
    record = AttendanceRecord.objects.get(person=pupils[1], term="autumn")
    assert record.suspension_days == Decimal("1.5")
    assert record.sessions_attended == 126
    assert record.attendance_rate == pytest.approx(0.9)
    assert record.persistently_absent


def test_the_same_file_twice_changes_nothing(
    worker: User, stockton: Council, pupils: list[Person]
) -> None:
    data = csv_bytes([row(p.upn or "") for p in pupils])
    load(data, worker, stockton)

    again = load(data, worker, stockton)
    reordered = load(csv_bytes([row(p.upn or "") for p in reversed(pupils)]), worker, stockton)

    for counts in (again, reordered):
        assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 3)
    assert AttendanceRecord.objects.count() == 3


def test_a_later_file_updates_and_keeps_history(
    worker: User, stockton: Council, pupils: list[Person]
) -> None:
    load(csv_bytes([row(p.upn or "") for p in pupils]), worker, stockton)

    counts = load(
        csv_bytes([row(pupils[0].upn or "", sessions_unauthorised_absence="2")]),
        worker,
        stockton,
    )

    assert (counts.created, counts.updated, counts.unchanged) == (0, 1, 0)
    record = AttendanceRecord.objects.get(person=pupils[0])
    assert record.sessions_unauthorised_absence == 2
    assert [h.sessions_unauthorised_absence for h in record.history.order_by("history_date")] == [
        8,
        2,
    ]


def test_an_unknown_upn_is_listed_not_guessed(
    worker: User, stockton: Council, hartlepool: Council, pupils: list[Person]
) -> None:
    elsewhere = cast(Person, factories.PersonFactory(council=hartlepool, kind=PersonKind.CHILD))
    data = csv_bytes([row(pupils[0].upn or ""), row(elsewhere.upn or "")])

    counts = load(data, worker, stockton)

    assert (counts.created, counts.refused) == (1, 1)
    assert counts.notes[0].where == "row 3, column upn"
    assert not AttendanceRecord.objects.filter(person=elsewhere).exists()
    # The import's page lists the row to look at.
    client = Client()
    client.force_login(worker)
    page = client.get(reverse("imports:detail", args=[counts.run.pk])).content.decode()
    assert "Rows to look at" in page
    assert f"No child with UPN {elsewhere.upn} is on Stockton-on-Tees" in page


@pytest.mark.parametrize(
    ("changes", "column"),
    [
        ({"upn": "A123"}, "upn"),
        ({"academic_year": "2025/27"}, "academic_year"),
        ({"term": "winter"}, "term"),
        ({"academic_year": "2090/91"}, "term"),
        ({"school_urn": "12AB"}, "school_urn"),
        ({"school_name": ""}, "school_name"),
        ({"sessions_possible": "-1"}, "sessions_possible"),
        ({"sessions_authorised_absence": "lots"}, "sessions_authorised_absence"),
        ({"sessions_unauthorised_absence": "150"}, "sessions_possible"),
        ({"suspension_days": "1.25"}, "suspension_days"),
        ({"suspensions": "0", "suspension_days": "2"}, "suspensions"),
    ],
)
def test_a_bad_value_refuses_the_file(
    worker: User,
    stockton: Council,
    pupils: list[Person],
    changes: dict[str, str],
    column: str,
) -> None:
    second = row(pupils[1].upn or "")
    second.update(changes)
    data = csv_bytes([row(pupils[0].upn or ""), second])
    assert [where for where, _ in refused(data, worker, stockton)] == [f"row 3, column {column}"]


def test_a_bad_value_on_row_4000_is_refused(
    worker: User, stockton: Council, pupils: list[Person]
) -> None:
    rows = [row(pupils[0].upn or "", school_urn=f"{100000 + n}") for n in range(2, 4001)]
    rows[-1]["sessions_possible"] = "1OO"
    problems = refused(csv_bytes(rows), worker, stockton)
    assert problems == [
        (
            "row 4000, column sessions_possible",
            "“1OO” is not a number of sessions: a whole number from 0 to 200.",
        )
    ]


def test_a_missing_column_and_a_repeated_row_are_refused(
    worker: User, stockton: Council, pupils: list[Person]
) -> None:
    columns = tuple(c for c in COLUMNS if c != "term")
    assert refused(csv_bytes([row(pupils[0].upn or "")], columns), worker, stockton) == [
        ("column term", "The column is missing from the header (row 1).")
    ]
    same = row(pupils[0].upn or "")
    assert refused(csv_bytes([same, same]), worker, stockton)[0][0] == "row 3, column upn"


@pytest.mark.parametrize("data", [b"  \n", b"upn\xff\xfe,term\n"])
def test_an_empty_or_unreadable_file_is_refused(
    worker: User, stockton: Council, data: bytes
) -> None:
    assert refused(data, worker, stockton)


def test_who_may_import(
    worker: User,
    officer: User,
    teacher: User,
    analyst: User,
    stockton: Council,
    hartlepool: Council,
) -> None:
    from continuum.access import policy

    assert policy.can(worker, EducationAction.IMPORT_ATTENDANCE, stockton)
    for user, council in (
        (worker, hartlepool),
        (officer, stockton),
        (teacher, stockton),
        (analyst, stockton),
    ):
        assert not policy.can(user, EducationAction.IMPORT_ATTENDANCE, council)
        with pytest.raises(NotPermitted):
            start_import(user=user, kind=KIND, council=council, file_name="a.csv", data=b"upn\n")
    assert not ImportRun.objects.exists()


def test_attendance_on_the_childs_record_with_one_access_log_row(
    worker: User,
    stockton: Council,
    pupils: list[Person],
    client: Client,
) -> None:
    data = csv_bytes([row(pupils[0].upn or "", suspensions="1", suspension_days="2")])
    load(data, worker, stockton)
    client.force_login(worker)
    before = AccessLogEntry.objects.count()

    response = client.get(reverse("people:detail", args=[pupils[0].pk]))

    page = response.content.decode()
    assert "School attendance" in page
    assert "Bishopton Road Primary School" in page
    assert "90%" in page and "Persistently absent" in page
    assert "1 (2 days)" in page
    assert AccessLogEntry.objects.count() == before + 1


def test_partners_outside_schools_do_not_see_attendance(
    officer: User, stockton: Council, pupils: list[Person], worker: User
) -> None:
    from continuum.education.selectors import attendance_of

    assert attendance_of(user=officer, person=pupils[0]) is None
    assert attendance_of(user=worker, person=pupils[0]) is not None
    assert officer.role == Role.PARTNER_PRACTITIONER


def test_who_reads_attendance_on_the_record(
    worker: User,
    teacher: User,
    officer: User,
    make_user: Any,
    stockton: Council,
    pupils: list[Person],
    client: Client,
) -> None:
    """The council's staff and a school involved with the child see the table; a police
    officer and a voluntary-sector worker involved with the child see the record without it;
    an adult's record has no table."""
    load(csv_bytes([row(pupils[0].upn or "")]), worker, stockton)
    volunteer = make_user(Role.PARTNER_PRACTITIONER, council=stockton, username="volunteer")
    for user in (teacher, officer, volunteer):
        factories.InvolvementFactory(user=user, person=pupils[0])
    url = reverse("people:detail", args=[pupils[0].pk])
    for user, sees in ((worker, True), (teacher, True), (officer, False), (volunteer, False)):
        client.force_login(user)
        page = client.get(url)
        assert page.status_code == 200, user
        assert ("School attendance" in page.content.decode()) is sees, user
    adult = cast(Person, factories.PersonFactory(council=stockton, kind=PersonKind.ADULT))
    client.force_login(worker)
    assert (
        "School attendance"
        not in client.get(reverse("people:detail", args=[adult.pk])).content.decode()
    )

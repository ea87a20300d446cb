"""The force's daily file of domestic-abuse notifications: checked whole, recorded for
triage like a notification entered on the page, idempotent by the force's reference, and
refused whole (nothing saved) with the row and column named."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from continuum.accounts.models import User
from continuum.errors import NotPermitted
from continuum.front_door.choices import NotificationStatus
from continuum.front_door.feeds import KIND, REQUIRED_COLUMNS
from continuum.front_door.models import DomesticAbuseNotification
from continuum.imports.choices import ImportState
from continuum.imports.models import ImportRun
from continuum.imports.registry import Problem
from continuum.imports.services import run_import, start_import
from continuum.organisations.models import Council
from continuum.people.choices import PersonKind
from continuum.people.models import Person, PossibleMatch
from continuum.testing import factories

pytestmark = pytest.mark.django_db


def row(**changes: str) -> dict[str, str]:
    values = {
        "incident_reference": "CL-26-000101",
        "incident_at": "2026-11-30 21:40",
        "victim_given_name": "Dawn",
        "victim_family_name": "Fenwick",
        "victim_date_of_birth": "1991-04-02",
        "victim_nhs_number": "",
        "perpetrator_given_name": "Carl",
        "perpetrator_family_name": "Fenwick",
        "perpetrator_date_of_birth": "1989-01-17",
        "perpetrator_nhs_number": "",
        "perpetrator_description": "",
        "dash_risk": "medium",
        "dash_ticks": "9",
        "repeat_incidents_12_months": "1",
        "reporting_officer": "PC Amy Lowe",
        "collar_number": "4512",
        "summary": "Verbal argument, neighbours called police.",
        "child_1_given_name": "Kai",
        "child_1_family_name": "Fenwick",
        "child_1_date_of_birth": "2016-05-09",
        "child_1_nhs_number": "",
        "child_1_upn": "",
        "child_1_present": "yes",
    }
    values.update(changes)
    return values


def csv_bytes(rows: list[dict[str, str]], columns: list[str] | None = None) -> bytes:
    out = io.StringIO()
    names = columns or list(rows[0])
    writer = csv.DictWriter(out, fieldnames=names, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


@dataclass
class Loaded:
    """What an import did, from its run."""

    run: ImportRun
    created: int
    updated: int
    unchanged: int
    refused: int
    notes: list[Problem]


def load(data: bytes, user: User, council: Council, name: str = "daily.csv") -> Loaded:
    """The file sent as the imports page and API send it, run as the worker runs it."""
    run = start_import(user=user, kind=KIND, council=council, file_name=name, data=data)
    run = run_import(run_id=run.pk)
    assert run.state == ImportState.DONE, run.problem_list
    return Loaded(run, run.created, run.updated, run.unchanged, run.refused, run.problem_list)


def refused(data: bytes, user: User, council: Council) -> list[tuple[str, str]]:
    before = DomesticAbuseNotification.objects.count(), Person.objects.count()
    run = start_import(user=user, kind=KIND, council=council, file_name="daily.csv", data=data)
    run = run_import(run_id=run.pk)
    assert run.state == ImportState.REFUSED
    assert (DomesticAbuseNotification.objects.count(), Person.objects.count()) == before
    return [(p.where, p.message) for p in run.problem_list]


def test_a_good_file_records_notifications_for_triage(officer: User, stockton: Council) -> None:
    data = csv_bytes([row(), row(incident_reference="CL-26-000102", victim_family_name="Gray")])

    counts = load(data, officer, stockton)

    assert (counts.created, counts.updated, counts.unchanged, counts.refused) == (2, 0, 0, 0)
    assert counts.run.summary == "2 incidents, 30 November 2026 to 30 November 2026"
    first = DomesticAbuseNotification.objects.get(police_reference="CL-26-000101")
    assert first.status == NotificationStatus.AWAITING_TRIAGE
    assert first.created_by == officer
    assert first.council == stockton
    assert first.victim.full_name == "Dawn Fenwick"
    assert first.alleged_perpetrator is not None
    assert first.dash_risk == "medium" and first.dash_ticks == 9
    assert first.reporting_officer_number == "4512"
    link = first.child_links.get()
    assert link.person.kind == PersonKind.CHILD and link.was_present
    # The same child on both rows is one record, not two.
    assert Person.objects.filter(given_name="Kai", family_name="Fenwick").count() == 1


def test_the_same_file_twice_changes_nothing(officer: User, stockton: Council) -> None:
    data = csv_bytes([row(), row(incident_reference="CL-26-000102")])
    load(data, officer, stockton)
    people = Person.objects.count()

    again = load(data, officer, stockton)
    # The same rows in another file (reordered, as a force's next export may be).
    reordered = load(csv_bytes([row(incident_reference="CL-26-000102"), row()]), officer, stockton)

    for counts in (again, reordered):
        assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 2)
    assert DomesticAbuseNotification.objects.count() == 2
    assert Person.objects.count() == people


def test_a_later_file_corrects_a_notification_awaiting_triage(
    officer: User, stockton: Council
) -> None:
    load(csv_bytes([row()]), officer, stockton)

    counts = load(
        csv_bytes([row(dash_risk="high", dash_ticks="15"), row(incident_reference="CL-9")]),
        officer,
        stockton,
    )

    assert (counts.created, counts.updated, counts.unchanged) == (1, 1, 0)
    notification = DomesticAbuseNotification.objects.get(police_reference="CL-26-000101")
    assert (notification.dash_risk, notification.dash_ticks) == ("high", 15)


def test_a_triaged_notification_is_not_changed_by_a_later_file(
    officer: User, stockton: Council
) -> None:
    load(csv_bytes([row()]), officer, stockton)
    DomesticAbuseNotification.objects.update(status=NotificationStatus.TRIAGED)

    counts = load(csv_bytes([row(summary="Something else")]), officer, stockton)

    assert counts.refused == 1
    assert "already been triaged" in counts.notes[0].message
    assert DomesticAbuseNotification.objects.get().summary.startswith("Verbal")


def test_people_already_known_are_used_not_duplicated(worker: User, stockton: Council) -> None:
    known = cast(
        Person,
        factories.PersonFactory(
            council=stockton,
            kind=PersonKind.CHILD,
            given_name="Kai",
            family_name="Fenwick",
            date_of_birth=date(2016, 5, 9),
        ),
    )

    load(csv_bytes([row()]), worker, stockton)

    assert DomesticAbuseNotification.objects.get().child_links.get().person == known
    assert Person.objects.filter(family_name="Fenwick", kind=PersonKind.CHILD).count() == 1


def test_a_similar_name_makes_a_new_record_marked_for_review(
    worker: User, stockton: Council
) -> None:
    known = cast(
        Person,
        factories.PersonFactory(
            council=stockton,
            kind=PersonKind.CHILD,
            given_name="Kai",
            family_name="Fenwicke",
            date_of_birth=date(2016, 5, 9),
        ),
    )

    counts = load(csv_bytes([row()]), worker, stockton)

    child = DomesticAbuseNotification.objects.get().child_links.get().person
    assert child != known
    assert PossibleMatch.objects.filter(new_person=child, existing_person=known).exists()
    assert counts.notes and counts.notes[0].where == "row 2, child 1"


def test_a_hidden_record_is_not_revealed_to_the_force(officer: User, stockton: Council) -> None:
    """The officer cannot see the child's record: the import answers as if it were not
    there (a new record, no note), and the front door is told of a possible match."""
    hidden = cast(
        Person,
        factories.PersonFactory(
            council=stockton,
            kind=PersonKind.CHILD,
            given_name="Kai",
            family_name="Fenwick",
            date_of_birth=date(2016, 5, 9),
        ),
    )

    counts = load(csv_bytes([row()]), officer, stockton)

    child = DomesticAbuseNotification.objects.get().child_links.get().person
    assert child != hidden
    assert counts.notes == []
    assert PossibleMatch.objects.filter(new_person=child, existing_person=hidden).exists()


def test_a_later_child_column_group(officer: User, stockton: Council) -> None:
    second = {
        "child_2_given_name": "Mia",
        "child_2_family_name": "Fenwick",
        "child_2_date_of_birth": "27/03/2019",
        "child_2_nhs_number": "",
        "child_2_upn": "",
        "child_2_present": "no",
    }
    load(csv_bytes([row(**second)]), officer, stockton)

    links = DomesticAbuseNotification.objects.get().child_links.order_by("person__given_name")
    assert [(link.person.given_name, link.was_present) for link in links] == [
        ("Kai", True),
        ("Mia", False),
    ]


# --- refused whole ---------------------------------------------------------------------------


def test_a_missing_column_is_refused(officer: User, stockton: Council) -> None:
    columns = [c for c in REQUIRED_COLUMNS if c != "dash_risk"]
    problems = refused(csv_bytes([row()], columns), officer, stockton)
    assert problems == [("column dash_risk", "The column is missing from the header (row 1).")]


def test_a_bad_date_on_row_4000_is_refused_and_nothing_saved(
    officer: User, stockton: Council
) -> None:
    rows = [row(incident_reference=f"CL-{n}") for n in range(2, 4001)]
    rows[-1]["incident_at"] = "2026-02-30 10:00"

    problems = refused(csv_bytes(rows), officer, stockton)

    assert problems == [
        (
            "row 4000, column incident_at",
            "“2026-02-30 10:00” is not a date and time: write it as 2026-03-27 21:30 "
            "(24-hour clock, UK time).",
        )
    ]


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"dash_risk": "severe"}, "row 2, column dash_risk"),
        ({"dash_ticks": "28"}, "row 2, column dash_ticks"),
        ({"dash_ticks": "15", "dash_risk": "medium"}, "row 2, column dash_risk"),
        ({"dash_ticks": "nine"}, "row 2, column dash_ticks"),
        ({"incident_at": "2099-01-01 10:00"}, "row 2, column incident_at"),
        ({"victim_family_name": ""}, "row 2, column victim_family_name"),
        ({"child_1_date_of_birth": "2016-13-01"}, "row 2, column child_1_date_of_birth"),
        ({"child_1_nhs_number": "1234567890"}, "row 2, column child_1_nhs_number"),
        ({"child_1_upn": "A12345678901"}, "row 2, column child_1_upn"),
        ({"child_1_present": "maybe"}, "row 2, column child_1_present"),
        ({"reporting_officer": ""}, "row 2, column reporting_officer"),
        ({"incident_reference": ""}, "row 2, column incident_reference"),
        (
            {
                "perpetrator_given_name": "",
                "perpetrator_family_name": "",
                "perpetrator_date_of_birth": "",
            },
            "row 2, column perpetrator_description",
        ),
    ],
)
def test_a_bad_value_is_refused_naming_row_and_column(
    officer: User, stockton: Council, changes: dict[str, str], where: str
) -> None:
    second = row(incident_reference="CL-26-000999")
    second.update(changes)
    problems = refused(csv_bytes([row(), second]), officer, stockton)
    assert [w for w, _ in problems] == [where.replace("row 2", "row 3")]


def test_every_problem_is_listed(officer: User, stockton: Council) -> None:
    rows = [row(dash_risk="severe"), row(incident_reference="CL-2", dash_ticks="30")]
    problems = refused(csv_bytes(rows), officer, stockton)
    assert [w for w, _ in problems] == ["row 2, column dash_risk", "row 3, column dash_ticks"]


def test_the_same_reference_twice_in_a_file_is_refused(officer: User, stockton: Council) -> None:
    problems = refused(csv_bytes([row(), row()]), officer, stockton)
    assert problems[0][0] == "row 3, column incident_reference"


def test_an_empty_upload_is_refused_before_it_is_read(officer: User, stockton: Council) -> None:
    with pytest.raises(ValidationError):
        start_import(user=officer, kind=KIND, council=stockton, file_name="a.csv", data=b"")


@pytest.mark.parametrize(
    ("data", "where", "words"),
    [
        (b"   \n", "the file", "empty"),
        (",".join(REQUIRED_COLUMNS).encode() + b"\n", "the file", "no rows"),
        ("Dawn,Fenwick\n".encode("utf-16"), "row 1", "not UTF-8"),
    ],
)
def test_an_empty_or_unreadable_file_is_refused(
    officer: User, stockton: Council, data: bytes, where: str, words: str
) -> None:
    problems = refused(data, officer, stockton)
    assert problems[0][0] == where and words in problems[0][1]


def test_a_latin_1_name_deep_in_the_file_names_its_row(officer: User, stockton: Council) -> None:
    data = csv_bytes([row(), row(incident_reference="CL-2")])
    data = data.replace(b"Dawn,Fenwick", "Zoë,Fenwick".encode("latin-1"), 2)
    problems = refused(data, officer, stockton)
    assert problems[0][0] == "row 2"


def test_a_short_row_is_refused(officer: User, stockton: Council) -> None:
    data = csv_bytes([row()]) + b"CL-3,2026-11-30 10:00\n"
    assert refused(data, officer, stockton)[0][0] == "row 3"


def test_an_unknown_column_is_refused(officer: User, stockton: Council) -> None:
    data = csv_bytes([row(ethnicity="W1")])
    assert refused(data, officer, stockton) == [
        (
            "row 1, column ethnicity",
            "This is not a column the file may have (see docs/partner-feeds.md).",
        )
    ]


def test_a_child_matched_to_an_adult_record_refuses_the_file(
    worker: User, stockton: Council
) -> None:
    factories.PersonFactory(
        council=stockton,
        kind=PersonKind.ADULT,
        given_name="Kai",
        family_name="Fenwick",
        date_of_birth=date(2016, 5, 9),
    )
    problems = refused(csv_bytes([row()]), worker, stockton)
    assert problems[0][0] == "row 2, column child_1_family_name"


def test_a_user_who_may_not_import_for_the_council_is_refused(
    officer: User,
    worker: User,
    teacher: User,
    analyst: User,
    hartlepool: Council,
    stockton: Council,
) -> None:
    """The officer's force does not serve Hartlepool; Stockton's front door does not take
    Hartlepool's notifications; a teacher and an analyst do not enter notifications."""
    for user, council in (
        (officer, hartlepool),
        (worker, hartlepool),
        (teacher, stockton),
        (analyst, stockton),
    ):
        with pytest.raises(NotPermitted):
            start_import(
                user=user, kind=KIND, council=council, file_name="a.csv", data=csv_bytes([row()])
            )
    assert not ImportRun.objects.exists()


def test_who_may_load_the_file(
    officer: User, worker: User, teacher: User, stockton: Council, hartlepool: Council
) -> None:
    from continuum.access import policy
    from continuum.front_door.policies import FrontDoorAction

    assert policy.can(officer, FrontDoorAction.IMPORT_NOTIFICATIONS, stockton)
    assert policy.can(worker, FrontDoorAction.IMPORT_NOTIFICATIONS, stockton)
    assert not policy.can(worker, FrontDoorAction.IMPORT_NOTIFICATIONS, hartlepool)
    assert not policy.can(teacher, FrontDoorAction.IMPORT_NOTIFICATIONS, stockton)


def test_the_command_line_imports_for_a_user_who_may(
    officer: User, teacher: User, stockton: Council, tmp_path: Any
) -> None:
    path = tmp_path / "daily.csv"
    path.write_bytes(csv_bytes([row()]))
    out = io.StringIO()
    call_command(
        "import_file",
        KIND,
        str(path),
        council=stockton.dfe_la_code,
        user=officer.username,
        no_progress=True,
        stdout=out,
    )
    assert "1 created, 0 updated, 0 unchanged, 0 refused" in out.getvalue()
    assert DomesticAbuseNotification.objects.get().created_by == officer
    with pytest.raises(CommandError, match="may not import"):
        call_command(
            "import_file", KIND, str(path), council=stockton.dfe_la_code, user=teacher.username
        )

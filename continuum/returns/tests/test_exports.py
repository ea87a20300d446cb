"""Exporting Annex A from the command line, the page and the API: the workbook (a cover
sheet, one sheet per list, Ofsted's headings, real dates, no formulas), bad input refused
with nothing written or logged, who may export it, and the access-log row of each export."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from continuum.accounts.models import Role, User
from continuum.audit.models import AccessAction, AccessLogEntry, ShownRecord, UnusualReadingFlag
from continuum.returns.annex_a import HEADINGS, build_annex_a
from continuum.returns.tests.conftest import FIRST, HOSTILE_NAME, LAST, World
from continuum.returns.workbook import XLSX_TYPE, annex_a_bytes

PAGE = "returns:annex-a"
API = "/api/v1/exports/annex-a"


def _workbook(content: bytes) -> Workbook:
    return load_workbook(io.BytesIO(content))


def _exports() -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(action=AccessAction.EXPORT))


# --- the workbook ------------------------------------------------------------------------------


def test_the_workbook_has_a_cover_and_a_sheet_per_list_in_ofsteds_headings(world: World) -> None:
    book = _workbook(annex_a_bytes(build_annex_a(council=world.stockton, first=FIRST, last=LAST)))
    assert book.sheetnames == ["Cover", *(f"List {n}" for n in range(1, 8))]
    cover = [[c for c in row if c is not None] for row in book["Cover"].values]
    assert ["Council", "Stockton-on-Tees (808)"] in cover
    assert ["Period from", datetime(2025, 4, 1)] in cover
    assert ["Period to", datetime(2026, 3, 31)] in cover
    assert ["List 3: Referrals", 2] in cover
    for number, headings in HEADINGS.items():
        rows = list(book[f"List {number}"].values)
        assert rows[0] == headings
    contact = book["List 1"]["F2"]
    assert contact.value == datetime(2025, 5, 1)
    assert contact.is_date and contact.number_format == "dd/mm/yyyy"


def test_text_that_would_run_as_a_formula_is_neutralised(world: World) -> None:
    book = _workbook(annex_a_bytes(build_annex_a(council=world.stockton, first=FIRST, last=LAST)))
    organisation = book["List 2"]["H2"]
    assert organisation.value == "'" + HOSTILE_NAME
    assert organisation.data_type == "s"
    child_id = next(row[0] for row in book["List 6"].iter_rows(min_row=2) if "SUM" in row[0].value)
    assert (child_id.value, child_id.data_type) == ("'@SUM(A1)", "s")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row), sheet.title


# --- the command -------------------------------------------------------------------------------


def _command(tmp_path: Path, *extra: str, **options: Any) -> Path:
    output = tmp_path / "annex-a.xlsx"
    arguments = {"council": "808", "first": "2025-04-01", "last": "2026-03-31", **options}
    call_command(
        "annex_a",
        "--council",
        arguments["council"],
        "--from",
        arguments["first"],
        "--to",
        arguments["last"],
        "--output",
        str(output),
        "--no-progress",
        *extra,
        stdout=io.StringIO(),
    )
    return output


def test_the_command_writes_the_workbook(world: World, tmp_path: Path) -> None:
    output = _command(tmp_path)
    book = load_workbook(output)
    assert book.sheetnames[1:] == [f"List {n}" for n in range(1, 8)]
    assert book["List 7"].max_row == 2
    # A server operator, not a Continuum account: the security log names them instead.
    assert _exports() == []


def test_the_command_as_a_user_is_asked_of_the_policy_and_logged(
    world: World, manager: User, teacher: User, tmp_path: Path
) -> None:
    _command(tmp_path, "--user", manager.username)
    [entry] = _exports()
    assert entry.user == manager
    (tmp_path / "annex-a.xlsx").unlink()
    with pytest.raises(CommandError, match="may not export"):
        _command(tmp_path, "--user", teacher.username)
    assert list(tmp_path.iterdir()) == []
    assert len(_exports()) == 1


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"council": "999"}, "No council has the DfE LA code '999'"),
        ({"first": "2025-13-01"}, "--from must be a real date"),
        ({"last": "31/03/2026"}, "--to must be a real date"),
        ({"first": "2026-04-01"}, "--to: The last day of the period must be on or after"),
    ],
)
def test_the_command_refuses_bad_input_and_writes_nothing(
    world: World, tmp_path: Path, options: dict[str, str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        _command(tmp_path, **options)
    assert list(tmp_path.iterdir()) == []
    assert _exports() == []


def test_the_command_refuses_an_unknown_user(world: World, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no account is called 'nobody'"):
        _command(tmp_path, "--user", "nobody")
    assert list(tmp_path.iterdir()) == []


# --- the page ----------------------------------------------------------------------------------


def _period(first: date, last: date) -> dict[str, str]:
    return {
        "first_day": str(first.day),
        "first_month": str(first.month),
        "first_year": str(first.year),
        "last_day": str(last.day),
        "last_month": str(last.month),
        "last_year": str(last.year),
    }


def test_a_manager_downloads_their_councils_annex_a_from_the_page(
    world: World, manager: User, client: Client
) -> None:
    client.force_login(manager)
    page = client.get(reverse(PAGE))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Stockton-on-Tees" in text
    # The 12 months to today, to start from.
    today = timezone.localdate()
    assert re.search(rf'name="last_year"[^>]*value="{today.year}"', text)
    response = client.post(reverse(PAGE), _period(FIRST, LAST))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert 'filename="annex-a-808-2025-04-01-to-2026-03-31.xlsx"' in response["Content-Disposition"]
    assert _workbook(response.content)["List 3"].max_row == 3
    [entry] = _exports()
    assert entry.user == manager


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_period(date(2026, 4, 1), LAST), "The last day of the period must be on or after"),
        (
            {**_period(FIRST, LAST), "first_month": "13"},
            "First day of the period must be a real date",
        ),
        ({}, "Enter the first day of the period"),
        (_period(date(2021, 4, 1), LAST), "The period must be no longer than 3 years"),
    ],
)
def test_the_page_refuses_a_period_that_is_not_one(
    world: World, manager: User, client: Client, data: dict[str, str], message: str
) -> None:
    client.force_login(manager)
    response = client.post(reverse(PAGE), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "govuk-error-summary" in text and message in text
    assert _exports() == []


# --- the API -----------------------------------------------------------------------------------


def test_the_api_answers_the_workbook(world: World, analyst: User, client: Client) -> None:
    client.force_login(analyst)
    response = client.get(API, {"council": "808", "from": "2025-04-01", "to": "2026-03-31"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert _workbook(response.content)["List 6"].max_row == 4


@pytest.mark.parametrize(
    ("query", "loc", "message"),
    [
        ({"council": "999"}, ["query", "council"], "No council has the DfE LA code '999'"),
        ({"council": ""}, ["query", "council"], "Enter the council's DfE LA code"),
        ({"from": "yesterday"}, ["query", "from"], "Enter a real date"),
        ({"to": "2025-03-01"}, ["query", "to"], "must be on or after its first day"),
    ],
)
def test_the_api_refuses_bad_input_naming_the_parameter(
    world: World,
    manager: User,
    client: Client,
    query: dict[str, str],
    loc: list[str],
    message: str,
) -> None:
    client.force_login(manager)
    asked = {"council": "808", "from": "2025-04-01", "to": "2026-03-31", **query}
    response = client.get(API, asked)
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == loc and message in problem["msg"]
    assert _exports() == []


# --- who may export it -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role",
    [
        Role.FRONT_DOOR_WORKER,
        Role.EARLY_HELP_PRACTITIONER,
        Role.AUDITOR,
        Role.INFORMATION_GOVERNANCE_LEAD,
        Role.SYSTEM_ADMINISTRATOR,
    ],
)
def test_council_staff_who_do_not_make_returns_are_refused(
    world: World, make_user: Callable[..., User], client: Client, role: str
) -> None:
    client.force_login(make_user(role, council=world.stockton, username="someone"))
    assert client.get(reverse(PAGE)).status_code == 403
    assert client.post(reverse(PAGE), _period(FIRST, LAST)).status_code == 403
    query = {"council": "808", "from": "2025-04-01", "to": "2026-03-31"}
    assert client.get(API, query).status_code == 403
    assert _exports() == []


def test_partners_and_other_councils_are_refused(
    world: World, teacher: User, hartlepool_manager: User, client: Client
) -> None:
    query = {"council": "808", "from": "2025-04-01", "to": "2026-03-31"}
    client.force_login(teacher)
    assert client.get(reverse(PAGE)).status_code == 403
    assert client.get(API, query).status_code == 403
    client.force_login(hartlepool_manager)
    response = client.get(API, query)
    assert response.status_code == 403
    assert "may not export this council's Annex A" in response.json()["detail"]
    # Their own page makes their own council's return, never Stockton's.
    own = client.post(reverse(PAGE), _period(FIRST, LAST))
    assert _workbook(own.content)["Cover"]["B2"].value == "Hartlepool (805)"
    [entry] = _exports()
    assert "council=805" in (entry.search_terms or "")


def test_an_account_with_administrator_status_is_refused(
    world: World, manager: User, client: Client
) -> None:
    manager.is_staff = True
    manager.save(update_fields=["is_staff"])
    client.force_login(manager)
    assert client.get(reverse(PAGE)).status_code == 403


# --- the access log ----------------------------------------------------------------------------


def test_each_export_is_one_access_log_row_naming_what_was_exported(
    world: World, manager: User, client: Client
) -> None:
    client.force_login(manager)
    client.get(API, {"council": "808", "from": "2025-04-01", "to": "2026-03-31"})
    [entry] = _exports()
    assert entry.user == manager and entry.role == Role.TEAM_MANAGER
    assert entry.subject_id is None
    assert entry.search_terms == (
        "return=annex_a; council=808; from=2025-04-01; to=2026-03-31; lists=1-7; "
        "rows=1:2,2:1,3:2,4:2,5:2,6:3,7:1"
    )
    assert entry.result_count == 13
    shown = set(ShownRecord.objects.filter(entry=entry).values_list("subject_id", flat=True))
    assert shown == {world.a.pk, world.b.pk, world.c.pk}


def test_the_navigation_links_to_the_page_only_for_those_who_may_export(
    manager: User, worker: User, client: Client
) -> None:
    link = f'href="{reverse(PAGE)}"'
    client.force_login(manager)
    assert link in client.get(reverse("web:home")).content.decode()
    client.force_login(worker)
    assert link not in client.get(reverse("web:home")).content.decode()


def test_an_export_counts_towards_unusual_reading_like_a_search(
    world: World, manager: User, client: Client, settings: Any
) -> None:
    settings.UNUSUAL_SHOWN_PER_HOUR = 2
    client.force_login(manager)
    client.get(API, {"council": "808", "from": "2025-04-01", "to": "2026-03-31"})
    flag = UnusualReadingFlag.objects.get(user=manager)
    assert flag.people_shown == 3
    assert list(flag.councils.all()) == [world.stockton]

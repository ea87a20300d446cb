"""Exporting Annex A from the command line, the page and the API: the workbook (a cover
sheet, one sheet per list, Ofsted's headings, real dates, no formulas), made in the
background from the page and the API (here run as the worker would; test_builds.py runs the
real worker), bad input refused with nothing written, queued or logged, who may export and
download it, and the access-log row of each download."""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.audit.models import AccessAction, AccessLogEntry, ShownRecord, UnusualReadingFlag
from continuum.returns.annex_a import HEADINGS, build_annex_a
from continuum.returns.builds import run_annex_a_build, start_annex_a_build
from continuum.returns.choices import BuildState
from continuum.returns.models import DOWNLOADABLE_FOR, AnnexABuild
from continuum.returns.tests.conftest import FIRST, HOSTILE_NAME, LAST, World
from continuum.returns.workbook import XLSX_TYPE, annex_a_bytes

PAGE = "returns:annex-a"
BUILD = "returns:annex-a-build"
DOWNLOAD = "returns:annex-a-download"
API = "/api/v1/exports/annex-a"
BODY = ["body", "payload"]


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


QUERY = {"council": "808", "from": "2025-04-01", "to": "2026-03-31"}


def _made(client: Client, response: Any) -> AnnexABuild:
    """The build a page's POST or the API's 202 started, made as the worker would."""
    if response.status_code == 202:
        pk = response.json()["id"]
    else:
        assert response.status_code == 302, response.content.decode()[:500]
        pk = response["Location"].rstrip("/").split("/")[-1]
    return run_annex_a_build(build_id=uuid.UUID(pk))


def test_the_page_starts_a_build_then_offers_the_download(
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
    # Nothing is read in the request: the build is queued and its page followed.
    build = AnnexABuild.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(BUILD, args=[build.pk])
    assert build.state == BuildState.QUEUED and build.requested_by == manager
    assert DBTaskResult.objects.count() == 1
    waiting = client.get(response["Location"])
    assert waiting.status_code == 200 and waiting["Refresh"] == "3"
    assert "<progress" in waiting.content.decode()
    assert _exports() == []
    _made(client, response)
    ready = client.get(response["Location"])
    assert "Refresh" not in ready
    text = ready.content.decode()
    assert "Ready to download" in text and reverse(DOWNLOAD, args=[build.pk]) in text
    download = client.get(reverse(DOWNLOAD, args=[build.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == XLSX_TYPE
    assert 'filename="annex-a-808-2025-04-01-to-2026-03-31.xlsx"' in download["Content-Disposition"]
    assert _workbook(download.content)["List 3"].max_row == 3
    [entry] = _exports()
    assert entry.user == manager
    # The Annex A page lists the council's recent builds.
    assert reverse(BUILD, args=[build.pk]) in client.get(reverse(PAGE)).content.decode()


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
def test_the_page_refuses_a_period_that_is_not_one_and_queues_nothing(
    world: World, manager: User, client: Client, data: dict[str, str], message: str
) -> None:
    client.force_login(manager)
    response = client.post(reverse(PAGE), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "govuk-error-summary" in text and message in text
    assert _exports() == []
    assert not AnnexABuild.objects.exists() and not DBTaskResult.objects.exists()


def test_a_build_not_finished_or_failed_is_not_downloaded(
    world: World, manager: User, client: Client
) -> None:
    client.force_login(manager)
    build = start_annex_a_build(user=manager, council=world.stockton, first=FIRST, last=LAST)
    response = client.get(reverse(DOWNLOAD, args=[build.pk]))
    assert response.status_code == 409
    assert "The workbook is not ready yet" in response.content.decode()
    AnnexABuild.objects.filter(pk=build.pk).update(
        state=BuildState.FAILED, error="It broke.", finished_at=timezone.now()
    )
    failed = client.get(reverse(BUILD, args=[build.pk])).content.decode()
    assert "The workbook could not be made" in failed and "It broke." in failed
    assert client.get(reverse(DOWNLOAD, args=[build.pk])).status_code == 409
    assert _exports() == []


def test_a_build_older_than_a_day_is_no_longer_kept(
    world: World, manager: User, client: Client
) -> None:
    client.force_login(manager)
    old = _made(client, client.post(reverse(PAGE), _period(FIRST, LAST)))
    assert old.size > 0 and old.person_ids
    AnnexABuild.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - DOWNLOADABLE_FOR - timedelta(minutes=1)
    )
    page = client.get(reverse(BUILD, args=[old.pk])).content.decode()
    assert "no longer kept" in page
    assert client.get(reverse(DOWNLOAD, args=[old.pk])).status_code == 409
    # Starting another build clears the old one's workbook and the children it listed.
    new = _made(client, client.post(reverse(PAGE), _period(FIRST, LAST)))
    old.refresh_from_db()
    assert (bytes(old.workbook), old.size, old.person_ids) == (b"", 0, [])
    assert new.downloadable
    assert _exports() == []


# --- the API -----------------------------------------------------------------------------------


def test_the_api_starts_a_build_answers_its_state_then_the_workbook(
    world: World, analyst: User, client: Client
) -> None:
    client.force_login(analyst)
    response = client.post(API, QUERY, content_type="application/json")
    assert response.status_code == 202
    started = response.json()
    assert started["state"] == "queued" and started["url"] == f"{API}/{started['id']}"
    queued = client.get(started["url"]).json()
    assert (queued["state"], queued["download"], queued["from"]) == ("queued", None, "2025-04-01")
    _made(client, response)
    done = client.get(started["url"]).json()
    assert done["state"] == "done"
    assert done["progress_done"] == done["progress_total"] == 14
    assert done["rows"] == {"1": 2, "2": 1, "3": 2, "4": 2, "5": 2, "6": 3, "7": 1}
    assert done["download"] == f"{API}/{started['id']}/download"
    download = client.get(done["download"])
    assert download.status_code == 200
    assert download["Content-Type"] == XLSX_TYPE
    assert _workbook(download.content)["List 6"].max_row == 4
    assert len(_exports()) == 1


def test_the_old_blocking_api_is_gone(world: World, analyst: User, client: Client) -> None:
    client.force_login(analyst)
    assert client.get(API, QUERY).status_code == 405
    assert not AnnexABuild.objects.exists()


@pytest.mark.parametrize(
    ("body", "loc", "message"),
    [
        ({"council": "999"}, [*BODY, "council"], "No council has the DfE LA code '999'"),
        ({"council": ""}, [*BODY, "council"], "Enter the council's DfE LA code"),
        ({"from": "yesterday"}, [*BODY, "from"], "Enter a real date"),
        ({"to": "2025-03-01"}, [*BODY, "to"], "must be on or after its first day"),
    ],
)
def test_the_api_refuses_bad_input_naming_the_field_and_queues_nothing(
    world: World,
    manager: User,
    client: Client,
    body: dict[str, str],
    loc: list[str],
    message: str,
) -> None:
    client.force_login(manager)
    response = client.post(API, {**QUERY, **body}, content_type="application/json")
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == loc and message in problem["msg"]
    assert _exports() == []
    assert not AnnexABuild.objects.exists() and not DBTaskResult.objects.exists()


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
    world: World, make_user: Callable[..., User], client: Client, manager: User, role: str
) -> None:
    build = run_annex_a_build(
        build_id=start_annex_a_build(
            user=manager, council=world.stockton, first=FIRST, last=LAST
        ).pk
    )
    client.force_login(make_user(role, council=world.stockton, username="someone"))
    assert client.get(reverse(PAGE)).status_code == 403
    assert client.post(reverse(PAGE), _period(FIRST, LAST)).status_code == 403
    assert client.post(API, QUERY, content_type="application/json").status_code == 403
    assert client.get(reverse(BUILD, args=[build.pk])).status_code == 404
    assert client.get(reverse(DOWNLOAD, args=[build.pk])).status_code == 404
    assert client.get(f"{API}/{build.pk}/download").status_code == 404
    assert _exports() == []
    assert AnnexABuild.objects.count() == 1


def test_partners_and_other_councils_are_refused(
    world: World, teacher: User, manager: User, hartlepool_manager: User, client: Client
) -> None:
    build = run_annex_a_build(
        build_id=start_annex_a_build(
            user=manager, council=world.stockton, first=FIRST, last=LAST
        ).pk
    )
    client.force_login(teacher)
    assert client.get(reverse(PAGE)).status_code == 403
    assert client.post(API, QUERY, content_type="application/json").status_code == 403
    assert client.get(reverse(DOWNLOAD, args=[build.pk])).status_code == 404
    assert client.get(f"{API}/{build.pk}").status_code == 404
    client.force_login(hartlepool_manager)
    response = client.post(API, QUERY, content_type="application/json")
    assert response.status_code == 403
    assert "may not export this council's Annex A" in response.json()["detail"]
    assert client.get(reverse(BUILD, args=[build.pk])).status_code == 404
    assert client.get(reverse(DOWNLOAD, args=[build.pk])).status_code == 404
    assert client.get(f"{API}/{build.pk}/download").status_code == 404
    assert _exports() == []
    # Their own page makes their own council's return, never Stockton's.
    own = _made(client, client.post(reverse(PAGE), _period(FIRST, LAST)))
    assert own.council == world.hartlepool
    workbook = client.get(reverse(DOWNLOAD, args=[own.pk]))
    assert _workbook(workbook.content)["Cover"]["B2"].value == "Hartlepool (805)"
    [entry] = _exports()
    assert "council=805" in (entry.search_terms or "")
    assert own.pk not in {b.pk for b in policy.visible(manager, AnnexABuild)}


def test_others_who_may_export_the_council_download_a_colleagues_build(
    world: World, manager: User, analyst: User, client: Client
) -> None:
    build = run_annex_a_build(
        build_id=start_annex_a_build(
            user=manager, council=world.stockton, first=FIRST, last=LAST
        ).pk
    )
    client.force_login(analyst)
    assert client.get(reverse(DOWNLOAD, args=[build.pk])).status_code == 200
    [entry] = _exports()
    assert entry.user == analyst


def test_the_requester_downloads_their_build_after_moving_role(
    world: World, manager: User, client: Client
) -> None:
    build = run_annex_a_build(
        build_id=start_annex_a_build(
            user=manager, council=world.stockton, first=FIRST, last=LAST
        ).pk
    )
    manager.role = Role.EARLY_HELP_PRACTITIONER
    manager.save(update_fields=["role"])
    client.force_login(manager)
    assert client.get(reverse(PAGE)).status_code == 403
    assert client.get(reverse(DOWNLOAD, args=[build.pk])).status_code == 200
    assert len(_exports()) == 1


def test_an_account_with_administrator_status_is_refused(
    world: World, manager: User, client: Client
) -> None:
    build = start_annex_a_build(user=manager, council=world.stockton, first=FIRST, last=LAST)
    manager.is_staff = True
    manager.save(update_fields=["is_staff"])
    client.force_login(manager)
    assert client.get(reverse(PAGE)).status_code == 403
    assert client.get(reverse(BUILD, args=[build.pk])).status_code == 404


# --- the access log ----------------------------------------------------------------------------


def test_each_download_is_one_access_log_row_naming_what_was_exported(
    world: World, manager: User, client: Client
) -> None:
    client.force_login(manager)
    build = _made(client, client.post(API, QUERY, content_type="application/json"))
    # Making the workbook reads nobody's records for anyone: only downloads are logged.
    assert _exports() == []
    client.get(f"{API}/{build.pk}/download")
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
    client.get(reverse(DOWNLOAD, args=[build.pk]))
    assert len(_exports()) == 2


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
    build = _made(client, client.post(API, QUERY, content_type="application/json"))
    client.get(f"{API}/{build.pk}/download")
    flag = UnusualReadingFlag.objects.get(user=manager)
    assert flag.people_shown == 3
    assert list(flag.councils.all()) == [world.stockton]

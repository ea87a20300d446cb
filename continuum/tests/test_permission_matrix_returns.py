"""The permission matrix for Ofsted's Annex A (issue 11): permission_matrix.csv's annex_a
rows drive one test each. Only the council's own team managers, performance analysts and
strategic leads ask for its return, from the page (always their own council's) or the API
(the council asked for); the workbook is made in the background (here by the task's own
service, as the worker runs it) and each download writes one access-log row. Whoever may
export a council's return also downloads a colleague's build of it; nobody else sees it
(404), and a refused request queues nothing and logs nothing."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from continuum.accounts.models import Role
from continuum.audit.models import AccessAction, AccessLogEntry
from continuum.organisations.models import Council
from continuum.returns.builds import run_annex_a_build, start_annex_a_build
from continuum.returns.models import AnnexABuild
from continuum.returns.workbook import XLSX_TYPE
from continuum.testing import factories
from continuum.tests.builders import a_user
from continuum.tests.matrix.checks import RecordCheck, signed_in
from continuum.tests.matrix.rows import ANNEX_A_ROWS, Row
from continuum.tests.matrix.situations import council_of, matrix_user

PERIOD = {
    "first_day": "1",
    "first_month": "4",
    "first_year": "2025",
    "last_day": "31",
    "last_month": "3",
    "last_year": "2026",
}
API = "/api/v1/exports/annex-a"


def _exports() -> int:
    return AccessLogEntry.objects.filter(action=AccessAction.EXPORT).count()


def _colleagues_build(council: Council) -> AnnexABuild:
    """A finished build of ``council``'s return, asked for by one of its analysts."""
    colleague = a_user(
        username="matrix.colleague",
        role=Role.PERFORMANCE_ANALYST,
        organisation=factories.council_services(council),
    )
    build = start_annex_a_build(
        user=colleague, council=council, first=date(2025, 4, 1), last=date(2026, 3, 31)
    )
    return run_annex_a_build(build_id=build.pk)


def _asks_over_the_api(client: Client, check: RecordCheck, row: Row, council: Council) -> None:
    """view_api: ask for the council's return over the API, then download it."""
    wanted = row.expected["view_api"]
    body = {"council": council.dfe_la_code, "from": "2025-04-01", "to": "2026-03-31"}
    queued = DBTaskResult.objects.count()
    response = client.post(API, body, content_type="application/json")
    if response.status_code != (202 if wanted else 403):
        check.fail("view_api", f"POST {API} {body} -> {response.status_code}")
    elif DBTaskResult.objects.count() - queued != int(wanted):
        check.fail("view_api", f"POST {API} {body} queued {DBTaskResult.objects.count() - queued}")
    elif wanted:
        build = run_annex_a_build(build_id=uuid.UUID(response.json()["id"]))
        before = _exports()
        download = client.get(f"{API}/{build.pk}/download")
        if download.status_code != 200 or download["Content-Type"] != XLSX_TYPE:
            check.fail("view_api", f"GET {API}/<own build>/download -> {download.status_code}")
        elif _exports() - before != 1:
            check.fail("view_api", "the download was not logged once")


def _downloads_a_colleagues_build(
    client: Client, check: RecordCheck, row: Row, colleagues: AnnexABuild
) -> None:
    """view_api too: whoever may export the council's return downloads a colleague's build."""
    wanted = row.expected["view_api"]
    for url in (
        f"{API}/{colleagues.pk}/download",
        reverse("returns:annex-a-download", args=[colleagues.pk]),
    ):
        before = _exports()
        status = client.get(url).status_code
        logged = _exports() - before
        if status != (200 if wanted else 404) or logged != int(wanted):
            check.fail("view_api", f"GET {url} (a colleague's build) -> {status}, logged {logged}")


def _asks_on_the_page(client: Client, check: RecordCheck, row: Row) -> None:
    """work: the page starts a build of the user's own council, then its download."""
    page = reverse("returns:annex-a")
    before = _exports()
    response = client.post(page, PERIOD)
    wanted = row.expected["work"]
    if response.status_code != (302 if wanted else 403):
        check.fail("work", f"POST {page} -> {response.status_code}")
    elif wanted:
        build = run_annex_a_build(build_id=uuid.UUID(response["Location"].split("/")[-1]))
        download = client.get(reverse("returns:annex-a-download", args=[build.pk]))
        if download.status_code != 200 or _exports() - before != 1:
            check.fail("work", f"download of the page's build -> {download.status_code}")
    elif _exports() != before:
        check.fail("work", "a refused request was logged")


@pytest.mark.parametrize("row", ANNEX_A_ROWS, ids=[row.id for row in ANNEX_A_ROWS])
def test_annex_a_permission_matrix(
    row: Row, stockton: Council, hartlepool: Council, shared_client: Client
) -> None:
    user = matrix_user(row, stockton)
    council = council_of(row, stockton, hartlepool)
    colleagues = _colleagues_build(council)
    client = signed_in(shared_client, user)
    check = RecordCheck(client, row)
    page = reverse("returns:annex-a")
    expected = {True: 200, False: 403}

    status = client.get(page).status_code
    if status != expected[row.expected["view_page"]]:
        check.fail("view_page", f"GET {page} -> {status}")

    _asks_over_the_api(client, check, row, council)
    _downloads_a_colleagues_build(client, check, row, colleagues)
    _asks_on_the_page(client, check, row)
    check.assert_as_expected()


def test_the_annex_a_rows_cover_every_role_of_the_council() -> None:
    own = {row.role for row in ANNEX_A_ROWS if row.employer == "council" and row.council == "own"}
    # Neither partners nor the safeguarding partnership's lead work for a council.
    not_council = {Role.PARTNER_PRACTITIONER, Role.SAFEGUARDING_PARTNERSHIP_LEAD}
    assert own | not_council == set(Role.values)
    assert Role.SAFEGUARDING_PARTNERSHIP_LEAD in {row.role for row in ANNEX_A_ROWS}
    partners = {row.role for row in ANNEX_A_ROWS if row.employer == "partner"}
    assert Role.PARTNER_PRACTITIONER in partners and Role.PERFORMANCE_ANALYST in partners

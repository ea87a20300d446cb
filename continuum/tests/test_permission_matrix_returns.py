"""The permission matrix for Ofsted's Annex A (issue 11): permission_matrix.csv's annex_a
rows drive one test each. Only the council's own team managers, performance analysts and
strategic leads export its return, from the page (always their own council's) or the API
(the council asked for); every export writes one access-log row, a refused one none."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from continuum.accounts.models import Role
from continuum.audit.models import AccessAction, AccessLogEntry
from continuum.organisations.models import Council
from continuum.returns.workbook import XLSX_TYPE
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


def _exports() -> int:
    return AccessLogEntry.objects.filter(action=AccessAction.EXPORT).count()


@pytest.mark.parametrize("row", ANNEX_A_ROWS, ids=[row.id for row in ANNEX_A_ROWS])
def test_annex_a_permission_matrix(
    row: Row, stockton: Council, hartlepool: Council, shared_client: Client
) -> None:
    user = matrix_user(row, stockton)
    council = council_of(row, stockton, hartlepool)
    client = signed_in(shared_client, user)
    check = RecordCheck(client, row)
    page = reverse("returns:annex-a")
    expected = {True: 200, False: 403}

    status = client.get(page).status_code
    if status != expected[row.expected["view_page"]]:
        check.fail("view_page", f"GET {page} -> {status}")

    url = f"/api/v1/exports/annex-a?council={council.dfe_la_code}&from=2025-04-01&to=2026-03-31"
    before = _exports()
    response = client.get(url)
    logged = _exports() - before
    wanted = row.expected["view_api"]
    if response.status_code != expected[wanted] or logged != int(wanted):
        check.fail("view_api", f"GET {url} -> {response.status_code}, logged {logged}")
    elif wanted and response["Content-Type"] != XLSX_TYPE:
        check.fail("view_api", f"GET {url} answered {response['Content-Type']}")

    before = _exports()
    response = client.post(page, PERIOD)
    logged = _exports() - before
    wanted = row.expected["work"]
    if response.status_code != expected[wanted] or logged != int(wanted):
        check.fail("work", f"POST {page} -> {response.status_code}, logged {logged}")
    check.assert_as_expected()


def test_the_annex_a_rows_cover_every_role_of_the_council() -> None:
    own = {row.role for row in ANNEX_A_ROWS if row.employer == "council" and row.council == "own"}
    assert own | {Role.PARTNER_PRACTITIONER} == set(Role.values)
    partners = {row.role for row in ANNEX_A_ROWS if row.employer == "partner"}
    assert Role.PARTNER_PRACTITIONER in partners and Role.PERFORMANCE_ANALYST in partners

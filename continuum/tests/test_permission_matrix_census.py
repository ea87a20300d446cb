"""The permission matrix for the CIN census export (issue 11): permission_matrix.csv's
census_export rows drive one test each. Only the council's own team managers, performance
analysts and strategic leads download its return, from the page or the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import Role
from continuum.audit.models import AccessAction, AccessLogEntry
from continuum.organisations.models import Council
from continuum.statutory.census.writing import census_year_on
from continuum.testing import factories
from continuum.tests.matrix.checks import RecordCheck, signed_in
from continuum.tests.matrix.rows import CENSUS_EXPORT_ROWS, COUNCIL_EMPLOYED_ROLES, Row
from continuum.tests.matrix.situations import matrix_user


@pytest.mark.parametrize("row", CENSUS_EXPORT_ROWS, ids=[row.id for row in CENSUS_EXPORT_ROWS])
def test_census_export_permission_matrix(
    row: Row, stockton: Council, hartlepool: Council, shared_client: Client
) -> None:
    user = matrix_user(row, stockton)
    council = stockton if row.council == "own" else hartlepool
    today = timezone.localdate()
    year = census_year_on(today)
    factories.StatutoryInvolvementFactory(council=council, start_date=today - timedelta(days=3))
    client = signed_in(shared_client, user)
    check = RecordCheck(client, row)
    query = {"council": council.dfe_la_code, "year": str(year)}

    page = client.get(reverse("statutory:census-export"), query)
    downloaded = page.status_code == 200 and page.get("Content-Type", "").startswith(
        "application/xml"
    )
    if downloaded != row.expected["view_page"] or page.status_code not in (200, 400, 403):
        check.fail("view_page", f"GET the export page -> {page.status_code}, file: {downloaded}")
    if row.expected["view_page"]:
        xml = b"".join(page.streaming_content)  # type: ignore[attr-defined]
        assert f"<LEA>{council.dfe_la_code}</LEA>".encode() in xml
    form = client.get(reverse("statutory:census-export"))
    offered = form.status_code == 200 and f'value="{council.dfe_la_code}"' in form.content.decode()
    if offered != row.expected["view_page"]:
        check.fail("view_page", f"the form {'offers' if offered else 'does not offer'} it")

    api = client.get("/api/v1/exports/cin-census", query)
    if (api.status_code == 200) != row.expected["view_api"] or api.status_code not in (200, 403):
        check.fail("view_api", f"GET /api/v1/exports/cin-census -> {api.status_code}")

    exports = AccessLogEntry.objects.filter(user=user, action=AccessAction.EXPORT).count()
    expected_exports = int(row.expected["view_page"]) + int(row.expected["view_api"])
    if exports != expected_exports:
        check.fail("view_page", f"{exports} exports in the access log")
    check.assert_as_expected()


def test_the_matrix_covers_every_role_for_the_census_export() -> None:
    assert {row.role for row in CENSUS_EXPORT_ROWS} == set(Role.values)
    for role in COUNCIL_EMPLOYED_ROLES:
        places = {
            row.council
            for row in CENSUS_EXPORT_ROWS
            if row.role == role and row.employer == "council"
        }
        assert places == {"own", "other"}, role

"""The permission matrix for the CIN census import (issue 11): permission_matrix.csv's
census_import rows drive one test each. Only the council's own team managers and
performance analysts import its files and follow its imports; only its team managers say
who an ambiguous child is."""

from __future__ import annotations

from typing import cast

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from continuum.accounts.models import Role, User
from continuum.demo.census_file import census_file
from continuum.imports.models import ImportRun
from continuum.organisations.models import Council
from continuum.statutory.census.reading import read_census
from continuum.statutory.models import CensusChild, CensusMatch
from continuum.testing import factories
from continuum.tests.matrix.checks import RecordCheck, signed_in
from continuum.tests.matrix.rows import CENSUS_IMPORT_ROWS, COUNCIL_EMPLOYED_ROLES, Row
from continuum.tests.matrix.situations import matrix_user

YEAR = 2026


def _sent_import(council: Council) -> tuple[ImportRun, CensusMatch, bytes]:
    """An import of the council's return sent by one of its team managers, one child of
    which waits to be matched."""
    sender = cast(
        User,
        factories.UserFactory(
            username="matrix.sender",
            role=Role.TEAM_MANAGER,
            organisation=factories.council_services(council),
        ),
    )
    data = census_file(la_code=council.dfe_la_code, year=YEAR, children=1, seed=2)
    record = read_census(data, council=council).children[0]
    run = ImportRun.objects.create(
        kind="cin-census",
        council=council,
        uploaded_by=sender,
        file_name="matrix-cin.xml",
        file_sha256="ab" * 32,
        size=len(data),
        data=data,
        state="done",
        refused=1,
    )
    match = CensusMatch.objects.create(
        council=council,
        year=YEAR,
        import_run=run,
        la_child_id=record.la_child_id,
        basis="2 people have the UPN",
        record=record.as_json(),
    )
    match.candidates.set(factories.PersonFactory.create_batch(2, council=council))
    return run, match, data


@pytest.mark.parametrize("row", CENSUS_IMPORT_ROWS, ids=[row.id for row in CENSUS_IMPORT_ROWS])
def test_census_import_permission_matrix(
    row: Row, stockton: Council, hartlepool: Council, shared_client: Client
) -> None:
    council = stockton if row.council == "own" else hartlepool
    run, match, data = _sent_import(council)
    user = matrix_user(row, stockton)
    client = signed_in(shared_client, user)
    check = RecordCheck(client, row)

    check.page("imports:detail", run.pk)
    form = client.get(reverse("imports:new"))
    offered = form.status_code == 200 and f'value="{council.pk}"' in form.content.decode()
    if offered != row.expected["view_page"]:
        check.fail("view_page", f"the new-import form {'offers' if offered else 'hides'} it")

    api = client.get(f"/api/v1/imports/{run.pk}")
    if api.status_code != (200 if row.expected["view_api"] else 404):
        check.fail("view_api", f"GET /api/v1/imports/{{id}} -> {api.status_code}")
    sent = client.post(
        "/api/v1/imports/cin-census",
        {"council": council.dfe_la_code, "file": SimpleUploadedFile("cin.xml", data)},
    )
    if sent.status_code != (202 if row.expected["view_api"] else 403):
        check.fail("view_api", f"POST /api/v1/imports/cin-census -> {sent.status_code}")
    if not row.expected["view_api"] and ImportRun.objects.count() != 1:
        check.fail("view_api", "a refused file was recorded")

    listing = client.get(reverse("imports:list"))
    listed = listing.status_code == 200 and run.file_name in listing.content.decode()
    if listed != row.expected["queue"]:
        check.fail("queue", f"the Imports page {'lists' if listed else 'does not list'} it")

    answer = client.post(reverse("statutory:census-match", args=[match.pk]), {"choice": "new"})
    match.refresh_from_db()
    imported = CensusChild.objects.filter(la_child_id=match.la_child_id).exists()
    decided = answer.status_code == 303 and match.resolved_at is not None and imported
    if decided != row.expected["decide"] or (
        not decided and (answer.status_code not in (403, 404) or imported)
    ):
        check.fail("decide", f"POST the match -> {answer.status_code}, imported: {imported}")
    check.assert_as_expected()


def test_the_matrix_covers_every_role_for_the_census_import() -> None:
    assert {row.role for row in CENSUS_IMPORT_ROWS} == set(Role.values)
    for role in COUNCIL_EMPLOYED_ROLES:
        places = {
            row.council
            for row in CENSUS_IMPORT_ROWS
            if row.role == role and row.employer == "council"
        }
        assert places == {"own", "other"}, role

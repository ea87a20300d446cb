"""The permission matrix for a request under data protection law (issue 13):
permission_matrix.csv's rights_request rows, one test per row. Each builds the situation (a
subject access request about a child of Stockton or Hartlepool, logged by that council's
information governance lead, handled by the user or by another lead, open or closed, or
logged by the user as case staff) and checks the request's page, its API detail, whether
the API's register lists and counts it, and reading the person's record for the bundle
(making a draft). A request the user may not see is 404 and never listed; a refused draft
makes nothing. The information governance lead's reading ends when the request closes."""

from __future__ import annotations

from typing import cast

import pytest
from django.test import Client
from django.urls import reverse

from continuum.accounts.models import Role, User
from continuum.organisations.models import Council
from continuum.rights.choices import RequestState
from continuum.rights.models import RightsRequest, SubjectAccessBundle
from continuum.testing import factories
from continuum.tests.builders import a_person, a_user
from continuum.tests.matrix.checks import RecordCheck, signed_in
from continuum.tests.matrix.rows import RIGHTS_REQUEST_ROWS, SUBJECT, Row
from continuum.tests.matrix.situations import council_of, matrix_user


def build_rights_request(
    row: Row, stockton: Council, hartlepool: Council
) -> tuple[User, RightsRequest]:
    user = matrix_user(row, stockton)
    council = council_of(row, stockton, hartlepool)
    child = a_person(council, **SUBJECT)
    lead = a_user(
        username=f"ig.matrix.{council.pk}",
        role=Role.INFORMATION_GOVERNANCE_LEAD,
        organisation=factories.council_services(council),
    )
    handler = user if row.relationship in ("handling", "handling_closed") else lead
    logged_by = user if row.relationship == "logged_it" else handler
    request = cast(
        RightsRequest,
        factories.RightsRequestFactory(
            council=council, person=child, logged_by=logged_by, handled_by=handler
        ),
    )
    if row.relationship == "handling_closed":
        RightsRequest.objects.filter(pk=request.pk).update(
            state=RequestState.REFUSED, outcome="Manifestly unfounded."
        )
    return user, request


@pytest.mark.parametrize("row", RIGHTS_REQUEST_ROWS, ids=[row.id for row in RIGHTS_REQUEST_ROWS])
def test_rights_request_permission_matrix(
    row: Row, stockton: Council, hartlepool: Council, shared_client: Client
) -> None:
    user, request = build_rights_request(row, stockton, hartlepool)
    client = signed_in(shared_client, user)
    check = RecordCheck(client, row)
    check.page("rights:detail", request.pk)
    api = f"/api/v1/rights-requests/{request.pk}"
    check.api_detail(api, request.pk)
    check.api_list("/api/v1/rights-requests", request.pk)
    register = client.get(reverse("rights:register"))
    listed = register.status_code == 200 and str(request.pk) in register.content.decode()
    if listed and not row.expected["search"]:
        check.fail("search", "the register page lists it")
    url = reverse("rights:make-draft", args=[request.pk])
    status = client.post(url).status_code
    made = SubjectAccessBundle.objects.filter(request=request).exists()
    if row.expected["work"]:
        if status != 303 or not made:
            check.fail("work", f"POST {url} -> {status}, made: {made}")
    elif status not in (403, 404) or made:
        check.fail("work", f"POST {url} -> {status}, made: {made}")
    check.assert_as_expected()

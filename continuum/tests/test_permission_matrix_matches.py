"""The permission matrix for a possible match (issue 10, finding 5): permission_matrix.csv's
possible_match rows drive one test each. Only the front door of the council holding the
existing record, who may see it, reviews the match and sees it in its work; only someone
who may see both records decides it; whoever made the new record is told nothing."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from continuum.access.models import InvolvementReason
from continuum.accounts.models import Role, User
from continuum.organisations.models import Council
from continuum.people.models import MatchBasis, MatchStatus, PossibleMatch
from continuum.testing import factories
from continuum.tests.builders import a_person, council_staff
from continuum.tests.matrix.checks import RecordCheck, signed_in
from continuum.tests.matrix.rows import POSSIBLE_MATCH_ROWS, SUBJECT, Row
from continuum.tests.matrix.situations import matrix_child, matrix_user


def build_possible_match(
    row: Row, stockton: Council, hartlepool: Council
) -> tuple[User, PossibleMatch]:
    user = matrix_user(row, stockton)
    existing = matrix_child(row, stockton if row.council == "own" else hartlepool, user)
    maker = (
        user
        if row.relationship == "made_it"
        else council_staff(stockton, username="matrix.colleague", role=Role.FRONT_DOOR_WORKER)
    )
    new = a_person(stockton, created_by=maker, nhs_number=existing.nhs_number, **SUBJECT)
    if row.relationship == "made_it" and row.employer == "partner":
        factories.InvolvementFactory(user=user, person=new, reason=InvolvementReason.OTHER)
    match = PossibleMatch.objects.create(
        new_person=new, existing_person=existing, basis=MatchBasis.NHS_NUMBER
    )
    return user, match


def _review(match_id: uuid.UUID) -> str:
    return reverse("people:possible-match", kwargs={"match_id": match_id})


@pytest.mark.parametrize("row", POSSIBLE_MATCH_ROWS, ids=[row.id for row in POSSIBLE_MATCH_ROWS])
def test_possible_match_permission_matrix(
    row: Row, stockton: Council, hartlepool: Council, shared_client: Client
) -> None:
    user, match = build_possible_match(row, stockton, hartlepool)
    client = signed_in(shared_client, user)
    check = RecordCheck(client, row)
    url = _review(match.pk)
    status = client.get(url).status_code
    role_refused = client.get(_review(uuid.uuid4())).status_code == 403
    if row.expected["view_page"]:
        if status != 200:
            check.fail("view_page", f"GET {url} -> {status}")
    elif status != 404 and not (status == 403 and role_refused):
        check.fail("view_page", f"GET {url} -> {status}")
    check.listed_on_page("queue", reverse("people:possible-matches"), url)
    api = client.get("/api/v1/possible-matches")
    in_api = api.status_code == 200 and str(match.pk) in api.content.decode()
    if in_api != row.expected["queue"] or api.status_code not in (200, 403):
        check.fail("queue", f"GET /api/v1/possible-matches -> {api.status_code}, lists: {in_api}")
    queue = client.get(reverse("front_door:queue"))
    counted = queue.status_code == 200 and "1 possible match to review" in queue.content.decode()
    if counted != row.expected["queue"]:
        check.fail("queue", f"the front-door queue {'counts' if counted else 'omits'} it")
    status = client.post(url, {"decision": "link", "version": "1"}).status_code
    match.refresh_from_db()
    linked = match.status == MatchStatus.LINKED
    if row.expected["decide"]:
        if status != 302 or not linked:
            check.fail("decide", f"POST {url} -> {status}, linked: {linked}")
    else:
        refusals = {403} if row.expected["view_page"] or role_refused else {404}
        if status not in refusals or linked:
            check.fail("decide", f"POST {url} -> {status}, linked: {linked}")
    if row.relationship == "made_it":
        # The maker's own record says nothing of the other.
        page = client.get(reverse("people:detail", kwargs={"pk": match.new_person_id}))
        text = page.content.decode()
        if str(match.existing_person_id) in text or "Other records of this child" in text:
            check.problems.append("the new record's page reveals the hidden record")
    check.assert_as_expected()


def test_the_matrix_covers_every_role_for_possible_matches() -> None:
    assert {row.role for row in POSSIBLE_MATCH_ROWS} == set(Role.values)
    assert any(row.relationship == "made_it" for row in POSSIBLE_MATCH_ROWS)

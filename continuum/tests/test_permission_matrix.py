"""The permission matrix for a person's record: permission_matrix.csv, one row per
situation, drives one test per row (and ``test_permission_matrix_records.py`` one per row
for a contact, a notification and an early help episode).

Each row names the record, a role, where the user works, whose record it is, the user's
relationship to it and whether the child it concerns is restricted; each action column says
allow or deny (or - where the action does not exist for that record). The test builds that
situation with factories (``matrix.situations``) and checks every page and API endpoint for
each action (``matrix.checks``). A denied read answers 404 (never 403, which would reveal
that the record exists) and the record is neither listed nor counted; refused work answers
403 only when the user may see the record.
"""

from __future__ import annotations

import pytest
from django.test import Client

from continuum.accounts.models import Role
from continuum.organisations.models import Council
from continuum.tests.matrix.checks import Checker
from continuum.tests.matrix.rows import (
    ALL_ROWS,
    COUNCIL_EMPLOYED_ROLES,
    COUNCILS,
    EMPLOYERS_OF,
    RELATIONSHIPS_OF,
    RESTRICTED,
    ROWS,
    Row,
    rows_for,
)
from continuum.tests.matrix.situations import build_situation
from continuum.tests.routes import person_api_routes, person_page_names


def test_the_matrix_is_well_formed_and_covers_every_role_and_situation() -> None:
    for row in ALL_ROWS:
        assert row.role in Role.values, f"line {row.line}: unknown role {row.role}"
        assert row.employer in EMPLOYERS_OF[row.record], f"line {row.line}"
        assert row.council in COUNCILS, f"line {row.line}"
        assert row.relationship in RELATIONSHIPS_OF[row.record], f"line {row.line}"
        assert row.restricted in RESTRICTED, f"line {row.line}"
    ids = [(row.record, row.id) for row in ALL_ROWS]
    assert len(ids) == len(set(ids)), "a situation appears twice"
    for role in Role.values:
        situations = {
            (row.council, row.relationship, row.restricted) for row in ROWS if row.role == role
        }
        for council in COUNCILS:
            for relationship in ("none", "involved"):
                for restricted in RESTRICTED:
                    assert (council, relationship, restricted) in situations, (
                        f"{role}: no row for {council} council, {relationship}, "
                        f"restricted={restricted}"
                    )
    for record in ("contact", "notification", "episode"):
        assert {row.role for row in rows_for(record)} == set(Role.values), record
    # Contacts and episodes: every council-employed role, each council, restricted or not.
    for record in ("contact", "episode"):
        for role in COUNCIL_EMPLOYED_ROLES:
            places = {
                (row.council, row.restricted)
                for row in rows_for(record)
                if row.role == role and row.employer == "council" and row.relationship == "none"
            }
            for council in COUNCILS:
                for restricted in RESTRICTED:
                    assert (council, restricted) in places, (
                        f"{record}, {role}: no row for {council} council, restricted={restricted}"
                    )


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_permission_matrix(
    row: Row, stockton: Council, hartlepool: Council, shared_client: Client
) -> None:
    user, person = build_situation(row, stockton, hartlepool)
    shared_client.cookies.clear()
    shared_client.force_login(user)
    checker = Checker(shared_client, person, row.expected)
    checker.view_page()
    checker.view_api()
    checker.search_and_count()
    edit_exists = checker.edit()
    assert not checker.problems, f"permission_matrix.csv line {row.line}:\n" + "\n".join(
        checker.problems
    )
    if not edit_exists:
        pytest.skip("people:edit does not exist yet: the edit column was not checked")


def test_the_matrix_checks_the_person_pages_and_api_endpoints_that_exist() -> None:
    assert "people:detail" in person_page_names()
    assert any(name.endswith("get_person") for name, _ in person_api_routes())
